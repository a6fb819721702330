/**
 * The `/app` route over HTTP (src/web-app.ts), on a folder laid out as Vite builds it: index.html revalidated on
 * every load, hashed assets cached for a year, the right content types, HEAD, ETags, gzip, 404 for unknown files,
 * and no way out of the folder whatever the path says. test/web-app.test.ts checks the same headers on the real
 * build served by a real gateway.
 */
import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebAppRoute, type WebAppSettings } from '../src/web-app.js';

const SCRIPT = `console.log(${JSON.stringify('the app '.repeat(400))});\n`;
const SETTINGS: WebAppSettings = { sandbox: true, samples: ['sample:stereo-call.wav'], authentication: false, analysisProviders: ['PHONEXIA'] };

let root: string;
let server: http.Server;
let base: string;
const loggedErrors: string[] = [];

beforeAll(async () => {
  // The app's folder sits inside a folder holding a secret: nothing outside the app's folder may be served.
  const outer = mkdtempSync(join(tmpdir(), 'web-app-route-'));
  writeFileSync(join(outer, 'secret.txt'), 'SECRET-OUTSIDE-THE-APP');
  root = join(outer, 'app');
  mkdirSync(join(root, 'assets'), { recursive: true });
  mkdirSync(join(root, '.vite'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title><script type="module" src="/app/assets/index-Abc123.js"></script>');
  writeFileSync(join(root, 'assets', 'index-Abc123.js'), SCRIPT);
  writeFileSync(join(root, 'assets', 'index-Def456.css'), 'body{margin:0}');
  writeFileSync(join(root, '.vite', 'manifest.json'), '{}');
  const route = createWebAppRoute({ directory: async () => root, settings: SETTINGS }, (message) => loggedErrors.push(message));
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (route.matches(url.pathname)) void route.handle(req, res, url);
    else {
      res.writeHead(418);
      res.end('not the app');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  if (root) rmSync(join(root, '..'), { recursive: true, force: true });
});

/** A request with the path sent exactly as given (fetch would normalise `..` and some escapes first). */
function raw(path: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const request = http.request(`${base}/`, { method: options.method ?? 'GET', path, headers: options.headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('/app', () => {
  it('serves index.html at /app/, revalidated on every load, with a content security policy', async () => {
    const response = await raw('/app/');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body.toString()).toContain('/app/assets/index-Abc123.js');

    const revalidated = await raw('/app/', { headers: { 'if-none-match': String(response.headers.etag) } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
  });

  it('redirects /app to /app/, keeping the query', async () => {
    const response = await raw('/app?x=1');
    expect(response.status).toBe(301);
    expect(response.headers.location).toBe('/app/?x=1');
  });

  it('serves hashed assets as immutable for a year, with their content types, gzipped when asked', async () => {
    const script = await raw('/app/assets/index-Abc123.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(script.headers['content-encoding']).toBeUndefined();
    expect(script.body.toString()).toBe(SCRIPT);

    const gzipped = await raw('/app/assets/index-Abc123.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toBe('accept-encoding');
    expect(gzipped.headers.etag).not.toBe(script.headers.etag);
    expect(Number(gzipped.headers['content-length'])).toBe(gzipped.body.length);
    expect(gzipped.body.length).toBeLessThan(SCRIPT.length / 4);
    expect(gunzipSync(gzipped.body).toString()).toBe(SCRIPT);

    const style = await raw('/app/assets/index-Def456.css');
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(style.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const head = await raw('/app/assets/index-Abc123.js', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(SCRIPT)));
    expect(head.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(head.body.length).toBe(0);
  });

  it('answers 404 for files the build does not have, Vite manifest included', async () => {
    for (const path of ['/app/assets/index-Old999.js', '/app/missing.html', '/app/.vite/manifest.json', '/app/assets/']) {
      const response = await raw(path);
      expect(response.status, path).toBe(404);
      expect(response.headers['cache-control'], path).toBe('no-cache');
    }
  });

  it('never serves a file outside its folder, however the path is written', async () => {
    const attempts = [
      '/app/../secret.txt',
      '/app/%2e%2e/secret.txt',
      '/app/..%2fsecret.txt',
      '/app/assets/..%2f..%2fsecret.txt',
      '/app/..%5csecret.txt',
      '/app/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/app/assets/%2e%2e/%2e%2e/secret.txt',
      '/app//etc/passwd',
      '/app/%00index.html',
      '/app/%E0%A4%A',
    ];
    for (const path of attempts) {
      const response = await raw(path);
      expect(response.body.toString(), path).not.toContain('SECRET-OUTSIDE-THE-APP');
      // Paths that URL parsing folds out of /app are not the app's to answer (here: 418 from the fallback).
      expect([404, 418], `${path} answered ${response.status}`).toContain(response.status);
    }
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await raw('/app/', { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
  });

  it("serves the gateway's settings for the app, never cached", async () => {
    const response = await raw('/app/config.json');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(response.body.toString())).toEqual(SETTINGS);
    expect(loggedErrors).toEqual([]);
  });
});

describe('/app without a built app', () => {
  it('says so in words (503), and serves the files once they exist', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'web-app-unbuilt-'));
    const errors: string[] = [];
    const route = createWebAppRoute({ directory: async () => empty, settings: SETTINGS }, (message) => errors.push(message));
    const unbuilt = http.createServer((req, res) => void route.handle(req, res, new URL(req.url ?? '/', 'http://localhost')));
    await new Promise<void>((resolve) => unbuilt.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(unbuilt.address() as AddressInfo).port}/app/`;
      const before = await fetch(url);
      expect(before.status).toBe(503);
      expect(await before.text()).toContain('npm run build');
      expect(errors).toEqual(['web app files are missing']);
      writeFileSync(join(empty, 'index.html'), '<!doctype html>built');
      const after = await fetch(url);
      expect(after.status).toBe(200);
      expect(await after.text()).toBe('<!doctype html>built');
    } finally {
      await new Promise((resolve) => unbuilt.close(resolve));
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
