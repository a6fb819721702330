/**
 * Authentication (DESIGN.md "Authentication and tenants"): a gateway started with AUTH_JWKS_URL (and AUTH_ISSUER,
 * AUTH_AUDIENCE, AUTH_TENANT_CLAIM, AUTH_ADMIN_SCOPE) against a real JWKS on loopback (test/support/jwks.ts) and
 * the provider simulators. Every bad token, on HTTP POST and GET, SSE and WebSocket, is refused before anything
 * runs: 401 UNAUTHENTICATED over HTTP, close 4403 over WebSocket, and no provider request. Clock skew, key rotation,
 * a JWKS flooded with unknown kids or answering 500, and a token that expires under a live WebSocket.
 */
import { Writable } from 'node:stream';
import { print } from 'graphql';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { graphql } from './gql/index.js';
import { TEST_TENANT_CLAIM, authEnvFor, startJwksServer, type JwksServer } from './support/jwks.js';
import { subscribeSse, subscribeWs, wsClient } from './support/live-clients.js';
import { eventually, startStack, type Stack } from './support/stack.js';

const AuthJob = graphql(`
  query AuthJob($id: ID!) {
    job(id: $id) { id status }
  }
`);

const AuthJobUpdated = graphql(`
  subscription AuthJobUpdated($id: ID!) {
    jobUpdated(id: $id) { id status }
  }
`);

const AuthStartJob = graphql(`
  mutation AuthStartJob($input: StartJobInput!) {
    startJob(input: $input) { __typename ... on StartJobSuccess { job { id status } } ... on Error { message } }
  }
`);

const TENANT_CLAIM = TEST_TENANT_CLAIM;
/** No job has this id: a lookup of it asks Hume (so a request that got through would show in Hume's log). */
const SOME_JOB = '00000000-0000-4000-8000-00000000a0a0';

const authEnv = authEnvFor;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    logLines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let jwks: JwksServer;
let stack: Stack;

beforeAll(async () => {
  jwks = await startJwksServer({ keys: ['RS256', 'ES256'] });
  stack = await startStack({ env: authEnv(jwks), logger: createLogger({ level: 'info', destination: sink }) });
});
afterAll(async () => {
  await stack?.close();
  await jwks?.close();
});

/** Every request any simulator received so far. */
const providerRequests = (s: Stack) => s.hume.requests.count() + s.phonexia.requests.count() + s.expression.requests.count();

const bearer = (token: string) => `Bearer ${token}`;
const goodClaims = (tenant = 'tenant-a') => ({ [TENANT_CLAIM]: tenant, sub: `user-of-${tenant}` });

interface HttpAnswer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  wwwAuthenticate: string | null;
}

async function answer(response: Response): Promise<HttpAnswer> {
  const text = await response.text();
  let body: HttpAnswer['body'];
  try {
    body = JSON.parse(text) as HttpAnswer['body'];
  } catch {
    body = { errors: [{ message: `not JSON: ${text.slice(0, 200)}` }] };
  }
  return { status: response.status, body, wwwAuthenticate: response.headers.get('www-authenticate') };
}

const withAuthorization = (authorization: string | null): Record<string, string> => (authorization === null ? {} : { authorization });

function post(s: Stack, authorization: string | null): Promise<HttpAnswer> {
  return fetch(`${s.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...withAuthorization(authorization) },
    body: JSON.stringify({ query: print(AuthJob), variables: { id: SOME_JOB } }),
  }).then(answer);
}

function get(s: Stack, authorization: string | null): Promise<HttpAnswer> {
  const url = new URL(`${s.gateway.url}/graphql`);
  url.searchParams.set('query', print(AuthJob));
  url.searchParams.set('variables', JSON.stringify({ id: SOME_JOB }));
  return fetch(url, { headers: { accept: 'application/graphql-response+json, application/json', ...withAuthorization(authorization) } }).then(answer);
}

/** A subscription over SSE: POST with `Accept: text/event-stream`. A refusal comes back as a plain JSON 401. */
function sse(s: Stack, authorization: string | null): Promise<HttpAnswer> {
  return fetch(`${s.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...withAuthorization(authorization) },
    body: JSON.stringify({ query: print(AuthJobUpdated), variables: { id: SOME_JOB } }),
  }).then(answer);
}

/**
 * A WebSocket subscription with `payload` in connection_init: resolves with the close code once the socket closes,
 * and whatever results came (none, when the socket was refused).
 */
async function wsRefusal(s: Stack, payload: Record<string, unknown> | undefined): Promise<{ code: number; results: number }> {
  let code = 0;
  const client = wsClient(s.gateway.url, { onClose: (c) => (code = c), ...(payload ? { connectionParams: payload } : {}) });
  const live = subscribeWs(client, AuthJobUpdated, { id: SOME_JOB });
  await live.done.then(
    () => {
      throw new Error('the subscription completed: the socket was accepted');
    },
    () => undefined,
  );
  await client.dispose();
  return { code, results: live.results.length };
}

function expectUnauthenticated(reply: HttpAnswer) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(401);
  expect(reply.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  expect(reply.body.data).toBeUndefined();
  expect(reply.wwwAuthenticate).toBe('Bearer');
}

/** The authorization header value of each kind of bad token (null: no header at all). */
const badTokens: Array<[string, () => Promise<string | null>]> = [
  ['no Authorization header', async () => null],
  ['an empty header', async () => ''],
  ['Basic credentials', async () => `Basic ${Buffer.from('user:password').toString('base64')}`],
  ['Bearer without a token', async () => 'Bearer '],
  ['a token without the Bearer scheme', async () => jwks.sign(goodClaims())],
  ['garbage', async () => bearer('not-a-jwt')],
  ['three segments of garbage', async () => bearer('aaaa.bbbb.cccc')],
  ['alg none', async () => bearer(await jwks.forge.algNone(goodClaims()))],
  ['HS256 with the public key PEM as secret (key confusion)', async () => bearer(await jwks.forge.hs256WithPublicPem(goodClaims()))],
  ['HS256 with the public JWK as secret (key confusion)', async () => bearer(await jwks.forge.hs256WithPublicJwk(goodClaims()))],
  ['a tampered payload', async () => bearer(await jwks.forge.tampered(goodClaims()))],
  ['a wrong issuer', async () => bearer(await jwks.sign(goodClaims(), { issuer: 'https://evil.example/' }))],
  ['no issuer', async () => bearer(await jwks.sign(goodClaims(), { issuer: null }))],
  ['a wrong audience', async () => bearer(await jwks.sign(goodClaims(), { audience: 'another-service' }))],
  ['no audience', async () => bearer(await jwks.sign(goodClaims(), { audience: null }))],
  ['no exp', async () => bearer(await jwks.sign(goodClaims(), { expiresIn: null }))],
  ['expired 60 s ago', async () => bearer(await jwks.sign(goodClaims(), { expiresIn: -60 }))],
  ['nbf 60 s in the future', async () => bearer(await jwks.sign(goodClaims(), { notBefore: 60 }))],
  ['an unknown kid', async () => bearer(await jwks.forge.unknownKid(goodClaims()))],
  ['a known kid, signed by another key', async () => bearer(await jwks.forge.wrongKeyKnownKid(goodClaims()))],
  ['an over-long token', async () => bearer(await jwks.forge.overLong(goodClaims()))],
  ['no tenant claim and no sub', async () => bearer(await jwks.sign({ name: 'nobody' }))],
  ['an empty tenant claim and no sub', async () => bearer(await jwks.sign({ [TENANT_CLAIM]: '' }))],
];

describe('a good token', () => {
  it('is accepted on HTTP POST and GET, SSE and WebSocket (the key matched case-insensitively), with RS256 and ES256 keys', async () => {
    for (const kid of jwks.published) {
      const authorization = bearer(await jwks.sign(goodClaims(), { kid }));
      for (const reply of [await post(stack, authorization), await get(stack, authorization)]) {
        expect(reply.status, JSON.stringify(reply.body)).toBe(200);
        expect(reply.body).toEqual({ data: { job: null } });
      }
      // A subscription to an unknown job: one NOT_FOUND result, then complete (so the operation ran).
      const overSse = await subscribeSse(stack.gateway.url, AuthJobUpdated, { id: SOME_JOB }, { authorization }).done;
      expect(overSse[0]!.errors![0]!.extensions!.code).toBe('NOT_FOUND');
      for (const key of ['authorization', 'Authorization', 'AUTHORIZATION']) {
        const client = wsClient(stack.gateway.url, { connectionParams: { [key]: authorization } });
        const overWs = await subscribeWs(client, AuthJobUpdated, { id: SOME_JOB }).done;
        await client.dispose();
        expect(overWs[0]!.errors![0]!.extensions!.code).toBe('NOT_FOUND');
      }
    }
    // A lowercase scheme is a Bearer token too.
    expect((await post(stack, `bearer ${await jwks.sign(goodClaims())}`)).status).toBe(200);
  });

  it('the start-up log does not say authentication is off', () => {
    expect(logLines.some((line) => line.includes('authentication is off'))).toBe(false);
  });
});

describe('a bad token', () => {
  it.each(badTokens)('(%s) gets 401 UNAUTHENTICATED on POST, GET and SSE, and no provider request', async (_kind, make) => {
    const authorization = await make();
    const before = providerRequests(stack);
    for (const reply of [await post(stack, authorization), await get(stack, authorization), await sse(stack, authorization)]) {
      // Node's HTTP server refuses headers over 16 KB itself (431) before the gateway could say 401.
      if (authorization && authorization.length > 16 * 1024) expect(reply.status).toBe(431);
      else expectUnauthenticated(reply);
    }
    expect(providerRequests(stack)).toBe(before);
  });

  it.each(badTokens)('(%s) closes the WebSocket with 4403 before any operation runs', async (_kind, make) => {
    const authorization = await make();
    const before = providerRequests(stack);
    const refused = await wsRefusal(stack, authorization === null ? undefined : { authorization });
    expect(refused).toEqual({ code: 4403, results: 0 });
    expect(providerRequests(stack)).toBe(before);
  });

  it('runs nothing sent on a WebSocket before its connection_init was accepted, and closes it', async () => {
    const authorization = bearer(await jwks.forge.algNone(goodClaims()));
    const before = providerRequests(stack);
    const socket = new WebSocket(`${stack.gateway.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const messages: string[] = [];
    socket.on('message', (data) => messages.push(String(data)));
    await new Promise((resolve) => socket.once('open', resolve));
    // A client that does not wait for the ack: the subscribe follows the init at once.
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization } }));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: print(AuthJobUpdated), variables: { id: SOME_JOB } } }));
    const code = await new Promise<number>((resolve) => socket.once('close', (c) => resolve(c)));
    // Refused either for the subscribe before the ack (4401) or for the token (4403): never a result.
    expect([4401, 4403]).toContain(code);
    expect(messages).toEqual([]);
    expect(providerRequests(stack)).toBe(before);
  });

  it('a WebSocket that never sends connection_init runs nothing', async () => {
    const before = providerRequests(stack);
    const socket = new WebSocket(`${stack.gateway.url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws');
    const messages: string[] = [];
    socket.on('message', (data) => messages.push(String(data)));
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: print(AuthJobUpdated), variables: { id: SOME_JOB } } }));
    const code = await new Promise<number>((resolve) => socket.once('close', (c) => resolve(c)));
    expect(code).toBe(4401);
    expect(messages).toEqual([]);
    expect(providerRequests(stack)).toBe(before);
  });
});

describe('clock skew', () => {
  it('accepts a token that expired 2 s ago or becomes valid in 2 s, on HTTP and WebSocket', async () => {
    for (const options of [{ expiresIn: -2 }, { notBefore: 2 }]) {
      const authorization = bearer(await jwks.sign(goodClaims(), options));
      expect((await post(stack, authorization)).status).toBe(200);
      const client = wsClient(stack.gateway.url, { connectionParams: { authorization } });
      const results = await subscribeWs(client, AuthJobUpdated, { id: SOME_JOB }).done;
      await client.dispose();
      expect(results[0]!.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    }
  });

  it('refuses a token that expired 60 s ago even once it was accepted earlier (remembered tokens expire too)', async () => {
    // 3 s left of tolerance at most: accepted now, refused once exp + skew has passed.
    const authorization = bearer(await jwks.sign(goodClaims(), { expiresIn: -3 }));
    expect((await post(stack, authorization)).status).toBe(200);
    await sleep(3_100);
    expectUnauthenticated(await post(stack, authorization));
  });
});

describe('unknown kids', () => {
  it('50 tokens with random kids do not make the gateway hammer the JWKS', async () => {
    // The key set was fetched by the tests before (within the 30 s cooldown): at most one more fetch, not 50.
    expect((await post(stack, bearer(await jwks.sign(goodClaims())))).status).toBe(200);
    const before = jwks.gets;
    const tokens = await jwks.forge.randomKids(goodClaims(), 50);
    const replies = await Promise.all(tokens.map((token) => post(stack, bearer(token))));
    for (const reply of replies) expectUnauthenticated(reply);
    expect(jwks.gets - before).toBeLessThanOrEqual(1);
  });
});

describe('a token that expires under a live WebSocket', () => {
  it('closes the socket with 4403 when it expires, ending its subscriptions', async () => {
    stack.hume.timing = { queuedMs: 600_000, runningMs: 0 };
    try {
      const owner = bearer(await jwks.sign(goodClaims('tenant-expiring')));
      const started = await stack.execute(AuthStartJob, { input: { text: ['expiring socket'], models: { language: {} } } }, { authorization: owner });
      if (started.data?.startJob.__typename !== 'StartJobSuccess') throw new Error(JSON.stringify(started));
      const id = started.data.startJob.job.id;
      // Expired 3 s ago: within the 5 s of clock skew allowed for 1 to 2 s more (exp is whole seconds).
      const short = bearer(await jwks.sign(goodClaims('tenant-expiring'), { expiresIn: -3 }));
      let closedWith = 0;
      const client = wsClient(stack.gateway.url, { connectionParams: { authorization: short }, onClose: (code) => (closedWith = code) });
      const first = subscribeWs(client, AuthJobUpdated, { id });
      const second = subscribeWs(client, AuthJobUpdated, { id });
      expect((await first.first).data!.jobUpdated.status).toBe('QUEUED');
      expect((await second.first).data!.jobUpdated.status).toBe('QUEUED');
      const openedAt = Date.now();
      await expect(first.done).rejects.toThrow();
      await expect(second.done).rejects.toThrow();
      expect(closedWith).toBe(4403);
      expect(Date.now() - openedAt).toBeLessThan(4_000);
      await client.dispose();
      // The socket is gone from the server too.
      await eventually(async () => stack.gateway.websocket.connections === 0);
    } finally {
      stack.hume.timing = { queuedMs: 0, runningMs: 0 };
    }
  });
});

describe('key rotation and a failing JWKS (short cooldown)', () => {
  let rotating: JwksServer;
  let gateway: Stack;
  const COOLDOWN_MS = 800;

  beforeAll(async () => {
    rotating = await startJwksServer({ keys: ['RS256'] });
    gateway = await startStack({ phonexia: false, humeExpression: false, env: authEnv(rotating), jwksTuning: { cooldownMs: COOLDOWN_MS } });
  });
  afterAll(async () => {
    await gateway?.close();
    await rotating?.close();
  });

  it('accepts a new key once the JWKS publishes it, and refuses a retired key once the JWKS no longer does', async () => {
    const oldKid = rotating.published[0]!;
    const oldToken = bearer(await rotating.sign(goodClaims(), { kid: oldKid }));
    expect((await post(gateway, oldToken)).status).toBe(200);

    // The issuer makes a new key and signs with it before the JWKS has it: refused.
    const next = await rotating.createKey({ publish: false });
    const newToken = bearer(await rotating.sign(goodClaims(), { key: next }));
    expectUnauthenticated(await post(gateway, newToken));

    // Published: accepted once the cooldown since the last fetch has passed.
    rotating.publish(next);
    await sleep(COOLDOWN_MS + 100);
    expect((await post(gateway, newToken)).status).toBe(200);
    expect((await post(gateway, oldToken)).status).toBe(200);

    // The old key is retired. Once the gateway has fetched the key set again (after the cooldown, on a kid it
    // does not know), the old key's tokens are refused: also one it verified and remembered before.
    rotating.retire(oldKid);
    await sleep(COOLDOWN_MS + 100);
    const newest = await rotating.createKey();
    const fetchesBefore = rotating.gets;
    expect((await post(gateway, bearer(await rotating.sign(goodClaims(), { key: newest })))).status).toBe(200);
    expect(rotating.gets).toBe(fetchesBefore + 1);
    expectUnauthenticated(await post(gateway, oldToken));
    expectUnauthenticated(await post(gateway, bearer(await rotating.sign(goodClaims(), { kid: oldKid }))));
    expect(await wsRefusal(gateway, { authorization: oldToken })).toEqual({ code: 4403, results: 0 });
    expect((await post(gateway, newToken)).status).toBe(200);
  });

  it('a JWKS answering 500 gets 401 for tokens it cannot check, keeps known keys working, and never crashes', async () => {
    const knownKid = rotating.published.at(-1)!;
    const known = bearer(await rotating.sign(goodClaims(), { kid: knownKid }));
    expect((await post(gateway, known)).status).toBe(200);
    rotating.failWith = 500;
    try {
      await sleep(COOLDOWN_MS + 100);
      const unseen = await rotating.createKey();
      const token = bearer(await rotating.sign(goodClaims(), { key: unseen }));
      const before = rotating.gets;
      const reply = await post(gateway, token);
      expectUnauthenticated(reply);
      expect(rotating.gets).toBeGreaterThan(before);
      expect(reply.body.errors![0]!.message).toMatch(/signing keys could not be fetched/);
      expect(await wsRefusal(gateway, { authorization: token })).toEqual({ code: 4403, results: 0 });
      // A JWKS that is down is not hammered either: 20 more tokens with kids the gateway has not seen, one after
      // the other, cost no fetch each.
      const strangers = await rotating.forge.randomKids(goodClaims(), 20);
      const whileDown = rotating.gets;
      const startedAt = Date.now();
      for (const stranger of strangers) expectUnauthenticated(await post(gateway, bearer(stranger)));
      // At most one fetch per retry interval (the 800 ms cooldown here; 5 s in production), not one per token.
      expect(rotating.gets - whileDown).toBeLessThanOrEqual(1 + Math.floor((Date.now() - startedAt) / COOLDOWN_MS));
      expect(rotating.gets - whileDown).toBeLessThan(5);
      // The keys fetched before still verify.
      expect((await post(gateway, bearer(await rotating.sign(goodClaims(), { kid: knownKid })))).status).toBe(200);
      expect((await fetch(`${gateway.gateway.url}/health`)).status).toBe(200);
      rotating.failWith = null;
      await sleep(COOLDOWN_MS + 100);
      expect((await post(gateway, token)).status).toBe(200);
    } finally {
      rotating.failWith = null;
    }
  });
});

describe('without AUTH_JWKS_URL', () => {
  it('every caller is one tenant and the start-up log says authentication is off', async () => {
    const lines: string[] = [];
    const open = await startStack({
      hume: false,
      humeExpression: false,
      logger: createLogger({
        level: 'info',
        destination: new Writable({
          write(chunk, _encoding, done) {
            lines.push(...String(chunk).split('\n').filter(Boolean));
            done();
          },
        }),
      }),
    });
    try {
      const off = lines.map((line) => JSON.parse(line) as { level: number | string; msg: string }).find((line) => line.msg.includes('authentication is off'));
      expect(off, lines.join('\n')).toBeDefined();
      // No token needed, and a token is not even looked at.
      expect((await post(open, null)).status).toBe(200);
      expect((await post(open, 'Bearer garbage')).status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
