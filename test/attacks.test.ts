/**
 * Issue 10's attacks, each a regression test against the real gateway over real HTTP, SSE and WebSocket: every one
 * is refused with a clear, typed error, nothing reaches a provider (the simulators' request logs), and the gateway
 * goes on serving (/health). How fast and how cheaply each refusal comes is measured by `npm run bench -- attacks`
 * (bench/attacks.ts, BENCHMARKS.md), not here: speed and memory are checked by benchmarks, never by timed tests.
 */
import http from 'node:http';
import { Writable } from 'node:stream';
import { parse, type GraphQLFormattedError } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { graphql } from './gql/index.js';
import { subscribeSse, subscribeWs, wsClient } from './support/live-clients.js';
import { REDIS_MISSING_MESSAGE, startRedisServer } from './support/redis-server.js';
import { eventually, startStack, TEST_HUME_KEY, type Stack } from './support/stack.js';
import { pcmWav } from './support/wav.js';

const AtkStartJob = graphql(`
  mutation AtkStartJob($input: StartJobInput!) {
    startJob(input: $input) {
      __typename
      ... on StartJobSuccess { job { id } }
      ... on StartLimitError { message retryAfterSeconds }
      ... on ProviderError { message provider status code retryable }
    }
  }
`);
const AtkJob = graphql(`
  query AtkJob($id: ID!) {
    job(id: $id) { id status }
  }
`);
const AtkArtifacts = graphql(`
  query AtkArtifacts($id: ID!) {
    job(id: $id) { id status artifactsUrl }
  }
`);
const AtkStartTask = graphql(`
  mutation AtkStartTask($input: StartEmotionTaskInput!) {
    startEmotionTask(input: $input) {
      __typename
      ... on StartEmotionTaskSuccess { task { id } }
      ... on Error { message }
    }
  }
`);
const AtkAnalyze = graphql(`
  mutation AtkAnalyze($input: AnalyzeMediaInput!) {
    analyzeMedia(input: $input) {
      __typename
      ... on AnalyzeMediaSuccess { analysis { id } }
      ... on ValidationError { message fields { path message } }
    }
  }
`);

/** One hour of video with the face model: the job whose predictions the first attack asked for 200 times. */
const HOUR_OF_FACES = { urls: ['https://media.example/attack.mp4?duration=3600'], models: { face: {} } };

const repeat = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join(' ');
const FACE_PAGE = (first: number | string) => `predictions { predictions { models { face { groupedPredictions { predictions(first: ${first}) { nodes { frame } } } } } } }`;

type Transport = 'http' | 'get' | 'sse' | 'ws';

let stack: Stack;
let jobId: string;
const logLines: string[] = [];

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  stack = await startStack({ publicUrl: true, logger: createLogger({ level: 'info', destination: sink }) });
  jobId = await stack.startAtHume(HOUR_OF_FACES);
  await eventually(async () => (await stack.execute(AtkJob, { id: jobId })).data?.job?.status === 'COMPLETED');
});
afterAll(async () => {
  await stack?.close();
});

const upstreamCalls = () => stack.hume.requests.count() + stack.phonexia.requests.count() + stack.expression.requests.count();
const health = async (target = stack) => (await fetch(`${target.gateway.url}/health`)).status;

/** The errors an operation gets on a transport: validation refusals and execution refusals alike. */
async function errorsOn(transport: Transport, query: string, variables: Record<string, unknown> = {}, target = stack): Promise<readonly GraphQLFormattedError[]> {
  const url = `${target.gateway.url}/graphql`;
  if (transport === 'http' || transport === 'get') {
    const response =
      transport === 'http'
        ? await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) })
        : await fetch(`${url}?${new URLSearchParams({ query, variables: JSON.stringify(variables) })}`, { headers: { accept: 'application/json' } });
    const body = (await response.json()) as { errors?: GraphQLFormattedError[] };
    return body.errors ?? [];
  }
  const document = parse(query, { noLocation: true }) as TypedDocumentNode<unknown, Record<string, unknown>>;
  if (transport === 'sse') {
    const collected = subscribeSse(target.gateway.url, document, variables);
    const results = await collected.done;
    return results.flatMap((r) => r.errors ?? []);
  }
  const client = wsClient(target.gateway.url);
  try {
    const results = await subscribeWs(client, document, variables).done;
    return results.flatMap((r) => r.errors ?? []);
  } catch (error) {
    // graphql-ws reports a refused operation with an `error` message carrying the errors.
    return JSON.parse((error as Error).message) as GraphQLFormattedError[];
  } finally {
    await client.dispose();
  }
}

async function expectTooLarge(transport: Transport, query: string, variables: Record<string, unknown> = {}, target = stack) {
  const before = upstreamCalls();
  const errors = await errorsOn(transport, query, variables, target);
  expect(errors.map((e) => e.extensions?.code)).toContain('QUERY_TOO_LARGE');
  expect(upstreamCalls() - before).toBe(0);
  expect(await health(target)).toBe(200);
  return errors;
}

describe('operation limits hold on every transport, before anything runs', () => {
  const deepQuery = `{ ${'... on Query { '.repeat(20)}__typename${' }'.repeat(20)} }`;
  const deepSubscription = `subscription($id: ID!) { jobUpdated(id: $id) { ${'... on Job { '.repeat(20)}id${' }'.repeat(20)} } }`;
  const aliases = (n: number) => `query($id: ID!) { ${repeat(n, (i) => `a${i}: job(id: $id) { id }`)} }`;
  const aliasSubscription = `subscription($id: ID!) { jobUpdated(id: $id) { ${repeat(30, (i) => `a${i}: id`)} } }`;
  const directives = `{ __typename ${repeat(30, () => '@include(if: true)')} }`;
  const tokens = `{ ${repeat(5_001, () => '__typename')} }`;
  // A fragment bomb: 100 bytes a level, 10^5 fields once spread.
  const bomb = `query { ...F5 } fragment F0 on Query { __typename } ${[1, 2, 3, 4, 5].map((n) => `fragment F${n} on Query { ${repeat(10, () => `...F${n - 1}`)} }`).join(' ')}`;
  const items = `query($id: ID!) { a: job(id: $id) { ${FACE_PAGE(6000)} } b: job(id: $id) { ${FACE_PAGE(6000)} } }`;
  const itemsInVariables = `query($id: ID!, $n: Int) { a: job(id: $id) { ${FACE_PAGE('$n')} } b: job(id: $id) { ${FACE_PAGE('$n')} } }`;
  const itemsSubscription = `subscription($id: ID!, $n: Int) { jobUpdated(id: $id) { ${FACE_PAGE('$n')} } }`;
  const entities = (n: number) => `{ _entities(representations: [${repeat(n, (i) => `{__typename:"Job",id:"${i}"}`)}]) { ... on Job { id } } }`;
  const entitiesInVariables = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Job { id } } }';
  const representations = (n: number) => Array.from({ length: n }, (_, i) => ({ __typename: 'Job', id: `job-${i}` }));

  for (const transport of ['http', 'get', 'sse', 'ws'] as const) {
    describe(transport, () => {
      it('depth', async () => {
        const [error] = await expectTooLarge(transport, deepQuery);
        expect(error).toMatchObject({ message: expect.stringContaining('depth limit of 16') });
        expect(error!.message).not.toMatch(/Syntax Error/);
      });
      it('aliases', async () => {
        await expectTooLarge(transport, aliases(21), { id: jobId });
      });
      it('directives', async () => {
        await expectTooLarge(transport, directives);
      });
      it('cost (a fragment bomb)', async () => {
        await expectTooLarge(transport, bomb);
      });
      it('requested items, literal and in variables', async () => {
        await expectTooLarge(transport, items, { id: jobId });
        await expectTooLarge(transport, itemsInVariables, { id: jobId, n: 6000 });
      });
      it('_entities representations, literal and in variables', async () => {
        const [error] = await expectTooLarge(transport, entities(201));
        expect(error).toMatchObject({ extensions: { code: 'QUERY_TOO_LARGE', limit: 200 } });
        // (1,000 representations in variables do not fit in a URL.)
        if (transport !== 'get') await expectTooLarge(transport, entitiesInVariables, { r: representations(1_000) });
      });
      if (transport !== 'get') {
        // A 5,001-token query does not fit in a URL anyway, nor does a 100,000-character one.
        it('tokens', async () => {
          await expectTooLarge(transport, tokens);
        });
        it('query length (one long string is one token)', async () => {
          const [error] = await expectTooLarge(transport, `{ job(id: "${'x'.repeat(100_001)}") { id } }`);
          expect(error).toMatchObject({ extensions: { code: 'QUERY_TOO_LARGE', limit: 100_000 } });
        });
      }
      if (transport === 'sse' || transport === 'ws')
        it('on subscriptions: depth, aliases and requested items (which used to be checked for queries only)', async () => {
          await expectTooLarge(transport, deepSubscription, { id: jobId });
          await expectTooLarge(transport, aliasSubscription, { id: jobId });
          const [error] = await expectTooLarge(transport, itemsSubscription, { id: jobId, n: 20_000 });
          expect(error).toMatchObject({ extensions: { code: 'QUERY_TOO_LARGE', limit: 10_000 } });
        });
    });
  }

  it('within the limits the same shapes run (200 representations, 10,000 items)', async () => {
    const small = await errorsOn('http', entitiesInVariables, { r: representations(3) });
    expect(small.map((e) => e.extensions?.code)).not.toContain('QUERY_TOO_LARGE');
    const page = await errorsOn('http', itemsInVariables, { id: jobId, n: 1000 });
    expect(page).toEqual([]);
  });
});

describe('the attacks of issue 10', () => {
  it('200 aliases of predictions(first: 1000) on a one-hour face job, twice at once: refused, no Hume call', async () => {
    const query = `query($id: ID!) { ${repeat(200, (i) => `a${i}: job(id: $id) { ${FACE_PAGE(1000)} }`)} }`;
    expect(Buffer.byteLength(query)).toBeGreaterThan(16_000);
    const before = upstreamCalls();
    const answers = await Promise.all([errorsOn('http', query, { id: jobId }), errorsOn('http', query, { id: jobId })]);
    for (const errors of answers) expect(errors[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_LARGE' } });
    // 150 aliases likewise, and 10 aliases (within the alias limit) asking for 10,000 items in all.
    await expectTooLarge('http', `query($id: ID!) { ${repeat(150, (i) => `a${i}: job(id: $id) { ${FACE_PAGE(1000)} }`)} }`, { id: jobId });
    await expectTooLarge('http', `query($id: ID!) { ${repeat(11, (i) => `a${i}: job(id: $id) { ${FACE_PAGE(1000)} }`)} }`, { id: jobId });
    expect(upstreamCalls() - before).toBe(0);
    expect(await health()).toBe(200);
  });

  it('a 300-byte multipart request whose map names variables.input.files.1000000000: 400 naming the path, nothing kept', async () => {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: 'mutation($input: StartJobInput!) { startJob(input: $input) { __typename } }', variables: { input: { files: [null] } } }));
    form.append('map', JSON.stringify({ 0: ['variables.input.files.1000000000'] }));
    form.append('0', new Blob(['x']), 'a.mp4');
    const before = upstreamCalls();
    const response = await fetch(`${stack.gateway.url}/graphql`, { method: 'POST', body: form, headers: { 'x-graphql-yoga-csrf': '1' } });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: GraphQLFormattedError[] };
    expect(body.errors[0]!.message).toMatch(/list index 1000000000/);
    expect(upstreamCalls() - before).toBe(0);
    expect(stack.gateway.uploads.inFlight).toBe(0);
    expect(await health()).toBe(200);
  });

  it('5,000 operations with distinct long names: /metrics stays small (names capped in length and count)', async () => {
    const before = (await (await fetch(`${stack.gateway.url}/metrics`)).text()).length;
    for (let batch = 0; batch < 50; batch++)
      await Promise.all(
        Array.from({ length: 100 }, (_, i) => {
          const name = `Op${batch}_${i}_${'x'.repeat(1_000)}`;
          return fetch(`${stack.gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `query ${name} { __typename }` }) }).then((r) => r.text());
        }),
      );
    const text = await (await fetch(`${stack.gateway.url}/metrics`)).text();
    expect(text).toContain('name="other"');
    expect(text).not.toContain('x'.repeat(100));
    // 500 names of 64 characters, a few series each: well under a few MB, against 166 MB before.
    expect(text.length - before).toBeLessThan(3_000_000);
    expect(await health()).toBe(200);
  });

  it('5,000 aliases of job(id): refused before any Hume call; 1,000 _entities representations likewise', async () => {
    const before = upstreamCalls();
    const aliasErrors = await errorsOn('http', `{ ${repeat(5_000, (i) => `a${i}: job(id: "job-${i}") { id }`)} }`);
    expect(aliasErrors[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_LARGE' } });
    const entityErrors = await errorsOn('http', 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Job { id } } }', {
      r: Array.from({ length: 1_000 }, (_, i) => ({ __typename: 'Job', id: `job-${i}` })),
    });
    expect(entityErrors).toEqual([expect.objectContaining({ extensions: { code: 'QUERY_TOO_LARGE', limit: 200 } })]);
    expect(upstreamCalls() - before).toBe(0);
  });

  describe('cross-site requests', () => {
    const startForm = () => {
      const form = new FormData();
      form.append('operations', JSON.stringify({ query: 'mutation($input: StartJobInput!) { startJob(input: $input) { __typename } }', variables: { input: { files: [null] } } }));
      form.append('map', JSON.stringify({ 0: ['variables.input.files.0'] }));
      form.append('0', new Blob([pcmWav({ seconds: 1 })], { type: 'audio/wav' }), 'a.wav');
      return form;
    };
    const post = (body: BodyInit, headers: Record<string, string>) => fetch(`${stack.gateway.url}/graphql`, { method: 'POST', body, headers: { origin: 'https://evil.example', ...headers } });

    it('a multipart POST from another origin without a preflight header starts nothing: 403 CSRF_HEADER_MISSING', async () => {
      const before = upstreamCalls();
      const response = await post(startForm(), {});
      expect(response.status).toBe(403);
      expect(((await response.json()) as { errors: GraphQLFormattedError[] }).errors[0]).toMatchObject({ extensions: { code: 'CSRF_HEADER_MISSING' } });
      // No origin is echoed back with credentials allowed.
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      const preflight = await fetch(`${stack.gateway.url}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
      expect(upstreamCalls() - before).toBe(0);
    });

    it('url-encoded and text/plain POSTs need the header too', async () => {
      const query = 'mutation { startJob(input: { text: ["hi"], models: { language: {} } }) { __typename } }';
      const before = upstreamCalls();
      for (const [type, body] of [
        ['application/x-www-form-urlencoded', new URLSearchParams({ query }).toString()],
        ['text/plain', JSON.stringify({ query })],
      ] as const) {
        const response = await post(body, { 'content-type': type });
        expect(response.status).toBe(403);
        expect(((await response.json()) as { errors: GraphQLFormattedError[] }).errors[0]).toMatchObject({ extensions: { code: 'CSRF_HEADER_MISSING' } });
      }
      expect(upstreamCalls() - before).toBe(0);
    });

    it('either preflight header lets an upload through; JSON POSTs and GET queries need none; GET never runs a mutation', async () => {
      for (const header of ['x-graphql-yoga-csrf', 'apollo-require-preflight']) {
        const response = await post(startForm(), { [header]: '1' });
        expect(((await response.json()) as { data: { startJob: { __typename: string } } }).data.startJob.__typename).toBe('StartJobSuccess');
      }
      const json = await post(JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'application/json' });
      expect(json.status).toBe(200);
      const get = await fetch(`${stack.gateway.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin: 'https://evil.example', accept: 'application/json' } });
      expect(get.status).toBe(200);
      const before = upstreamCalls();
      const mutation = await fetch(`${stack.gateway.url}/graphql?query=${encodeURIComponent('mutation { startJob(input: { text: ["hi"] }) { __typename } }')}`, { headers: { accept: 'application/json' } });
      expect(mutation.status).toBe(405);
      expect(upstreamCalls() - before).toBe(0);
    });
  });

  it('analyzeMedia with a 15 MB idempotency key: 413 before the key is kept; a 300-character key is a ValidationError', async () => {
    const before = upstreamCalls();
    const huge = await stack.upload(AtkAnalyze, { input: { file: null, idempotencyKey: 'k'.repeat(15 * 1024 * 1024) } as never }, { 'variables.input.file': { name: 'a.wav', type: 'audio/wav', data: pcmWav() } }).catch((error: Error) => error);
    expect(String(huge instanceof Error ? huge.message : JSON.stringify(huge))).toMatch(/PAYLOAD_TOO_LARGE|413/);
    const long = await stack.upload(AtkAnalyze, { input: { file: null, idempotencyKey: 'k'.repeat(300) } as never }, { 'variables.input.file': { name: 'a.wav', type: 'audio/wav', data: pcmWav() } });
    expect(long.data?.analyzeMedia).toMatchObject({ __typename: 'ValidationError', fields: [{ path: ['input', 'idempotencyKey'] }] });
    expect(upstreamCalls() - before).toBe(0);
  });

  describe('provider errors reach the caller redacted', () => {
    const START = { method: 'POST', path: '/v0/batch/jobs' };
    const internal = () => `${stack.humeUrl}/v0/batch/jobs`;
    afterEach(() => stack.hume.faults.clear());

    it("a 4xx: the provider's words, with the key and the provider's address taken out", async () => {
      stack.hume.faults.add({ ...START, fault: { kind: 'status', status: 400, body: JSON.stringify({ message: `bad key ${TEST_HUME_KEY} for ${internal()}` }) } });
      const result = await stack.execute(AtkStartJob, { input: { text: ['hi'] } });
      const start = result.data!.startJob;
      expect(start).toMatchObject({ __typename: 'ProviderError', status: 400 });
      if (start.__typename !== 'ProviderError') throw new Error('expected a ProviderError');
      expect(start.message).toContain('bad key [redacted]');
      expect(start.message).not.toContain(TEST_HUME_KEY);
      expect(start.message).not.toContain(stack.humeUrl);
    });

    it("a 5xx: the gateway's own message; the provider's text (redacted) only in the log", async () => {
      logLines.length = 0;
      stack.hume.faults.add({ ...START, times: 5, fault: { kind: 'status', status: 500, body: JSON.stringify({ message: `panic at ${internal()} with ${TEST_HUME_KEY}` }) } });
      const result = await stack.execute(AtkStartJob, { input: { text: ['hi'] } });
      const start = result.data!.startJob;
      expect(start).toMatchObject({ __typename: 'ProviderError', status: 500, retryable: true });
      if (start.__typename !== 'ProviderError') throw new Error('expected a ProviderError');
      expect(start.message).not.toMatch(/panic|127\.0\.0\.1/);
      expect(start.message).not.toContain(TEST_HUME_KEY);
      const logged = logLines.find((line) => line.includes('provider failed'));
      expect(logged).toContain('panic at [redacted]');
      expect(logLines.join('\n')).not.toContain(TEST_HUME_KEY);
    });

    it("a network failure: the gateway's own words, no address", async () => {
      stack.hume.faults.add({ ...START, fault: { kind: 'drop' } });
      const result = await stack.execute(AtkStartJob, { input: { text: ['hi'] } });
      const start = result.data!.startJob;
      expect(start).toMatchObject({ __typename: 'ProviderError', status: null });
      if (start.__typename !== 'ProviderError') throw new Error('expected a ProviderError');
      expect(start.message).not.toMatch(/127\.0\.0\.1|\d+\.\d+\.\d+\.\d+:\d+/);
    });
  });

  it('with PUBLIC_URL, a signed artifacts link is under it whatever Host the caller sends', async () => {
    const link = (await stack.execute(AtkArtifacts, { id: jobId }, { host: 'evil.example', 'x-forwarded-host': 'evil.example' })).data!.job!.artifactsUrl!;
    expect(link.startsWith(`${stack.gateway.url}/`)).toBe(true);
    expect(link).not.toContain('evil.example');
  });

  for (const [kind, type, head] of [
    ['JSON', 'application/json', '{"query":"{ __typename }","pad":"'],
    ['multipart', 'multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ __typename }","pad":"'],
  ] as const)
    it(`a chunked ${kind} body past 2 MB: 413 with Connection: close, and the connection is closed after the answer`, async () => {
      const answer = await new Promise<{ status: number; connection: string | undefined; closed: Promise<void> }>((resolve, reject) => {
        const headers = { 'content-type': type, 'transfer-encoding': 'chunked', 'x-graphql-yoga-csrf': '1' };
        const request = http.request(`${stack.gateway.url}/graphql`, { method: 'POST', headers, agent: false }, (response) => {
          const closed = new Promise<void>((done) => response.socket.once('close', () => done()));
          response.resume();
          resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, closed });
        });
        request.on('error', () => {});
        request.write(head);
        const filler = Buffer.alloc(64 * 1024, 'a');
        let sent = 0;
        const pump = () => {
          while (sent < 8 * 1024 * 1024) {
            sent += filler.length;
            if (!request.write(filler)) return void request.once('drain', pump);
          }
        };
        pump();
        setTimeout(() => reject(new Error('no answer')), 20_000).unref();
      });
      expect(answer.status).toBe(413);
      expect(answer.connection).toBe('close');
      await answer.closed;
      expect(await health()).toBe(200);
    });
});

describe('per-tenant start limit and uploads in flight', () => {
  let tight: Stack;
  beforeAll(async () => {
    tight = await startStack({ env: { START_RATE_LIMIT: '2', MAX_UPLOAD_BYTES_IN_FLIGHT: String(1024 * 1024), GRAPHQL_MAX_ALIASES: '1000', GRAPHQL_MAX_IDS: '5' } });
  });
  afterAll(async () => {
    await tight?.close();
  });

  it('past START_RATE_LIMIT a start is a StartLimitError and reaches no provider', async () => {
    for (let i = 0; i < 2; i++) expect((await tight.execute(AtkStartJob, { input: { text: [`t${i}`], models: { language: {} } } })).data!.startJob.__typename).toBe('StartJobSuccess');
    const posts = () => tight.hume.requests.count({ method: 'POST', path: '/v0/batch/jobs' });
    const before = posts();
    const refused = (await tight.execute(AtkStartJob, { input: { text: ['third'], models: { language: {} } } })).data!.startJob;
    expect(refused).toMatchObject({ __typename: 'StartLimitError', retryAfterSeconds: expect.any(Number) });
    expect(posts() - before).toBe(0);
  });

  it('an upload past MAX_UPLOAD_BYTES_IN_FLIGHT is refused with 503 UPLOAD_CAPACITY, with or without a Content-Length', async () => {
    const before = tight.phonexia.requests.count();
    const file = { name: 'big.wav', type: 'audio/wav', data: pcmWav({ seconds: 90 }) };
    expect(file.data.length).toBeGreaterThan(1024 * 1024);
    const declared = await tight.upload(AtkStartTask, { input: { file: null } as never }, { 'variables.input.file': file });
    expect(declared.errors?.[0]).toMatchObject({ extensions: { code: 'UPLOAD_CAPACITY' } });
    // Chunked (no Content-Length): counted as the file arrives.
    const boundary = 'capacity';
    const operations = JSON.stringify({ query: 'mutation($input: StartEmotionTaskInput!) { startEmotionTask(input: $input) { __typename } }', variables: { input: { file: null } } });
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.input.file"]}\r\n--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
    );
    const body = Buffer.concat([head, file.data, Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const chunked = await fetch(`${tight.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'x-graphql-yoga-csrf': '1' },
      body: new ReadableStream({
        start(controller) {
          for (let offset = 0; offset < body.length; offset += 64 * 1024) controller.enqueue(body.subarray(offset, offset + 64 * 1024));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(503);
    expect(((await chunked.json()) as { errors: GraphQLFormattedError[] }).errors[0]).toMatchObject({ extensions: { code: 'UPLOAD_CAPACITY' } });
    expect(tight.gateway.uploads.inFlight).toBe(0);
    expect(tight.phonexia.requests.count() - before).toBe(0);
    expect(await health(tight)).toBe(200);
  });

  it('past GRAPHQL_MAX_IDS distinct ids (aliases allowed), each id past the cap is a QUERY_TOO_LARGE error and never looked up', async () => {
    const before = tight.hume.requests.count();
    const result = await errorsOn('http', `{ ${repeat(8, (i) => `a${i}: job(id: "job-${i}") { id }`)} }`, {}, tight);
    const tooLarge = result.filter((e) => e.extensions?.code === 'QUERY_TOO_LARGE');
    expect(tooLarge).toHaveLength(3);
    expect(tooLarge[0]!.message).toMatch(/more than 5 distinct ids/);
    expect(tight.hume.requests.count() - before).toBeLessThanOrEqual(5 * 3);
  });
});

const redis = await startRedisServer();
if (!redis) console.warn(`[attacks.test] ${REDIS_MISSING_MESSAGE}`);

describe.skipIf(!redis)('the start limit shared by two replicas through Redis', () => {
  let a: Stack;
  let b: Stack;
  beforeAll(async () => {
    const env = { START_RATE_LIMIT: '3', REDIS_URL: redis!.url, WEBHOOK_SECRET: 'attacks-shared-secret-0123456789' };
    [a, b] = await Promise.all([startStack({ env, phonexia: false, humeExpression: false }), startStack({ env, phonexia: false, humeExpression: false })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  it("a tenant's starts count on both: two on A and one on B use the limit, the next on either is refused", async () => {
    const start = (target: Stack, text: string) => target.execute(AtkStartJob, { input: { text: [text], models: { language: {} } } }).then((r) => r.data!.startJob.__typename);
    expect(await start(a, 'one')).toBe('StartJobSuccess');
    expect(await start(a, 'two')).toBe('StartJobSuccess');
    expect(await start(b, 'three')).toBe('StartJobSuccess');
    const posts = () => a.hume.requests.count({ method: 'POST', path: '/v0/batch/jobs' }) + b.hume.requests.count({ method: 'POST', path: '/v0/batch/jobs' });
    const before = posts();
    expect(await start(b, 'four')).toBe('StartLimitError');
    expect(await start(a, 'five')).toBe('StartLimitError');
    expect(posts() - before).toBe(0);
  });
});
