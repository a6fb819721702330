/**
 * The web app on a gateway with authentication on (AUTH_JWKS_URL, DESIGN.md "Authentication and tenants"): it asks
 * for a bearer token before anything else, says in words when the gateway answers 401, and with a valid token works
 * over HTTP (`Authorization: Bearer`) and over the WebSocket (`connection_init` `{ authorization }`; a socket
 * without it is closed with 4403, so live status proves the token went there too).
 *
 * The JWKS is served here, on loopback, with a key made for this run; tokens are signed with it (RS256).
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import http from 'node:http';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, launchChromium, openWatchedPage } from './support/browser.js';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process.js';

const SHOTS = join(fileURLToPath(new URL('..', import.meta.url)), 'test-results', 'web-app');
const KID = `web-app-test-${randomUUID()}`;

let jwks: http.Server;
let privateKey: KeyObject;
let gateway: GatewayProcess;
let browser: Browser;

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function token(claims: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: KID }));
  const payload = base64url(JSON.stringify({ sub: 'web-app-user', tenant: 'web-app-tenant', iat: now, exp: now + 600, ...claims }));
  return `${header}.${payload}.${base64url(sign('sha256', Buffer.from(`${header}.${payload}`), privateKey))}`;
}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  privateKey = keys.privateKey;
  const jwk = { ...keys.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
  jwks = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;
  [gateway, browser] = await Promise.all([startGatewayProcess({ SANDBOX: '', AUTH_JWKS_URL: jwksUrl }), launchChromium()]);
  // The app is built on the first request (if no other test built this version yet), outside the test's own time.
  expect((await fetch(`${gateway.url}/app/`)).status).toBe(200);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await new Promise((resolve) => jwks?.close(resolve));
});

describe('the web app with authentication on', () => {
  it('asks for a token, shows the 401 in words, and works over HTTP and WebSocket once the token is valid', async () => {
    const watched = await openWatchedPage(browser, new URL(gateway.url).origin);
    const { page } = watched;
    try {
      await page.goto(`${gateway.url}/app/`);
      await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 15_000 });
      expect(await page.locator('main').innerText()).toContain('This gateway needs a bearer token');
      // Nothing of the app shows before there is a token.
      expect(await page.getByRole('button', { name: 'Start analysis' }).count()).toBe(0);
      await page.screenshot({ path: join(SHOTS, 'token-prompt.png'), fullPage: true });

      // A token the gateway refuses: the gateway answers 401, and the app says so and asks again.
      await page.getByLabel('Bearer token').fill('Bearer not-a-valid-token');
      await page.getByRole('button', { name: 'Use this token' }).click();
      const refusal = page.getByRole('alert');
      await refusal.waitFor({ timeout: 15_000 });
      expect(await refusal.innerText()).toContain('The gateway needs a valid sign-in token (it answered 401 Unauthorized).');
      await page.screenshot({ path: join(SHOTS, 'token-refused.png'), fullPage: true });

      // A valid token: the analysis starts (HTTP) and its status arrives live (WebSocket) up to done.
      await page.getByLabel('Bearer token').fill(token());
      await page.getByRole('button', { name: 'Use this token' }).click();
      await page.getByRole('button', { name: 'Start analysis' }).click({ timeout: 15_000 });
      await page.waitForURL(/#\/analyses\/[0-9a-f-]{36}$/, { timeout: 15_000 });
      await page.locator('[data-provider="PHONEXIA"] [data-phase="done"]').waitFor({ timeout: 30_000 });
      expect(await page.getByRole('alert').count()).toBe(0);

      expect(watched.offOrigin, diagnose(watched)).toEqual([]);
      // The browser logs the 401 itself as a failed resource load; nothing else may go wrong.
      expect(watched.errors.filter((e) => !/status of 401/.test(e)), diagnose(watched)).toEqual([]);
    } finally {
      await watched.close();
    }
  }, 90_000);
});
