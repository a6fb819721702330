/**
 * The web app at `/app`: the files Vite built (app/, into dist/app by `npm run build`), served from memory, plus
 * `/app/config.json`, what the app needs to know about this gateway before it asks anything.
 *
 * Only files that exist in the built folder are served (they are read into a map once, so no request path ever
 * reaches the file system: no traversal). Hashed assets under `assets/` never change, so browsers keep them for a
 * year; everything else (index.html) is revalidated on every load (ETag, 304), so a new build shows at once.
 * Nothing here loads Vite: in a source checkout the folder comes from src/dev/web-app-build.ts, built on first use.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

export const WEB_APP_PREFIX = '/app';

/** What the app reads from `/app/config.json`. */
export interface WebAppSettings {
  /** Simulated providers: the app offers the built-in samples. */
  sandbox: boolean;
  /** Values a `File` argument takes in sandbox mode instead of an upload. */
  samples: string[];
  /** Every operation needs a bearer token (AUTH_JWKS_URL is set). */
  authentication: boolean;
  /** The `AnalysisProvider` values configured on this gateway. */
  analysisProviders: string[];
}

export interface WebAppOptions {
  /** The folder holding the built app (index.html, assets/); may be built on first use. */
  directory: () => Promise<string>;
  settings: WebAppSettings;
}

interface StaticFile {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  etag: string;
  cacheControl: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

/**
 * The app talks to its own origin only (GraphQL over HTTP and WebSocket); uPlot sizes its elements with inline
 * styles. An embedding page may frame it (it hands the app a token), so frame-ancestors is left open.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

async function filesUnder(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

async function loadFiles(root: string): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  for (const path of await filesUnder(root)) {
    const name = relative(root, path).split(sep).join('/');
    // Vite's manifest describes the build for tools; browsers have no use for it.
    if (name.startsWith('.vite/')) continue;
    const body = await readFile(path);
    const extension = extname(name).toLowerCase();
    files.set(name, {
      body,
      gzip: COMPRESSIBLE.has(extension) && body.length > 1024 ? gzipSync(body) : null,
      type: TYPES[extension] ?? 'application/octet-stream',
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      cacheControl: name.startsWith('assets/') ? IMMUTABLE : REVALIDATE,
    });
  }
  if (!files.has('index.html')) throw new Error(`${root} has no index.html`);
  return files;
}

/** The request path below `/app/` as a file name, or null when it cannot name a file of the app. */
function fileNameOf(rest: string): string | null {
  let name: string;
  try {
    name = decodeURIComponent(rest);
  } catch {
    return null;
  }
  if (name === '') return 'index.html';
  // The map holds only the build's own files; this just keeps odd names from even being looked up.
  if (name.includes('\0') || name.includes('\\') || name.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')) return null;
  return name;
}

export interface WebAppRoute {
  /** Whether the path is the app's (`/app` or below it). */
  matches(pathname: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export function createWebAppRoute(options: WebAppOptions, log: (message: string, fields?: Record<string, unknown>) => void): WebAppRoute {
  let loading: Promise<Map<string, StaticFile>> | undefined;
  const files = () => {
    loading ??= options.directory().then(loadFiles);
    // A failed load (no build yet) is tried again on the next request rather than remembered.
    loading.catch(() => (loading = undefined));
    return loading;
  };
  const config = Buffer.from(JSON.stringify(options.settings));

  return {
    matches: (pathname) => pathname === WEB_APP_PREFIX || pathname.startsWith(`${WEB_APP_PREFIX}/`),
    async handle(req, res, url) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
        res.end('method not allowed\n');
        return;
      }
      if (url.pathname === WEB_APP_PREFIX) {
        // Relative links in the app resolve against /app/, not against the root.
        res.writeHead(301, { location: `${WEB_APP_PREFIX}/${url.search}`, 'cache-control': 'no-cache' });
        res.end();
        return;
      }
      const name = fileNameOf(url.pathname.slice(WEB_APP_PREFIX.length + 1));
      if (name === 'config.json') {
        res.writeHead(200, { 'content-type': TYPES['.json']!, 'content-length': config.length, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
        res.end(req.method === 'HEAD' ? undefined : config);
        return;
      }
      let served: Map<string, StaticFile>;
      try {
        served = await files();
      } catch (error) {
        log('web app files are missing', { error: String(error) });
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        res.end('The web app is not built on this server: run `npm run build` (production) or start it from a source checkout.\n');
        return;
      }
      const file = name === null ? undefined : served.get(name);
      if (!file) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
        res.end('not found\n');
        return;
      }
      const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')) ? file.gzip : null;
      // Each encoding is its own representation, with its own validator.
      const etag = gzip ? `${file.etag.slice(0, -1)}-gz"` : file.etag;
      const headers: Record<string, string | number> = {
        'content-type': file.type,
        'cache-control': file.cacheControl,
        etag,
        'x-content-type-options': 'nosniff',
      };
      if (file.type.startsWith('text/html')) Object.assign(headers, { 'content-security-policy': CONTENT_SECURITY_POLICY, 'referrer-policy': 'no-referrer' });
      if (file.gzip) headers.vary = 'accept-encoding';
      const matches = String(req.headers['if-none-match'] ?? '').split(',').map((tag) => tag.trim().replace(/^W\//, ''));
      if (matches.includes(etag) || matches.includes('*')) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      const body = gzip ?? file.body;
      if (gzip) headers['content-encoding'] = 'gzip';
      headers['content-length'] = body.length;
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
