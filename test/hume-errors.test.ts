/**
 * Hume under errors, end to end: the real gateway over HTTP against the real Hume simulator on ephemeral ports.
 * Bad input is refused with a typed error naming the field and nothing goes upstream; provider failures become
 * typed errors (mutations) or coded GraphQL errors (queries); a start POST is repeated only when Hume refused it
 * (429/503) or provably never got it. Upstream calls are counted in the simulator's request log.
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startGateway } from '../src/gateway.js';
import { silentLogger } from '../src/logger.js';
import { toUnavailable, type ProviderError } from '../src/providers/http.js';
import { graphql } from './gql/index.js';
import { startHumeStack, useHumeStack, TEST_HUME_KEY, type HumeStack } from './support/hume-stack.js';

const ErrStartJob = graphql(`
  mutation ErrStartJob($input: StartJobInput!) {
    startJob(input: $input) {
      __typename
      ... on StartJobSuccess { job { id status } }
      ... on ValidationError { message fields { field path message } }
      ... on ProviderError { message provider status code retryable }
      ... on RateLimitedError { message provider retryAfterSeconds }
    }
  }
`);

/** Selects only the id, so starting a job reads nothing back from Hume (and caches nothing). */
const ErrStartJobId = graphql(`
  mutation ErrStartJobId($input: StartJobInput!) {
    startJob(input: $input) {
      __typename
      ... on StartJobSuccess { job { id } }
    }
  }
`);

const ErrJob = graphql(`
  query ErrJob($id: ID!) {
    job(id: $id) { id status request { urls } }
  }
`);

const ErrJobPredictions = graphql(`
  query ErrJobPredictions($id: ID!) {
    job(id: $id) { id status predictions { source { __typename } } }
  }
`);

let stack: HumeStack;
useHumeStack((started) => (stack = started));

const START = { method: 'POST', path: '/v0/batch/jobs' } as const;
const posts = () => stack.sim.requests.count(START);
const postTimes = () => stack.sim.requests.matching(START).map((r) => r.at);

async function startJob(input: object) {
  const result = await stack.execute(ErrStartJob, { input: input as never });
  expect(result.errors).toBeUndefined();
  return result.data!.startJob;
}

async function startedJobId(input: object): Promise<string> {
  const result = await stack.execute(ErrStartJobId, { input: input as never });
  const start = result.data?.startJob;
  if (start?.__typename !== 'StartJobSuccess') throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return start.job.id;
}

/** Nothing in a client-visible message may point at Hume's address, carry the key, or look like a stack. */
function expectNothingInternal(message: string) {
  expect(message).not.toContain(TEST_HUME_KEY);
  expect(message).not.toContain(stack.humeUrl);
  expect(message).not.toMatch(/https?:\/\//);
  expect(message).not.toMatch(/127\.0\.0\.1|localhost/);
  expect(message).not.toMatch(/\n\s+at |\.ts:\d+/);
}

/** Runs a start that must be refused with these field paths, and proves nothing reached Hume. */
async function expectRefused(input: object, fields: string[]) {
  const before = stack.sim.requests.count({ method: 'POST' });
  const result = await startJob(input);
  expect(result.__typename).toBe('ValidationError');
  if (result.__typename !== 'ValidationError') return;
  expect(result.fields.map((f) => f.field).sort()).toEqual([...fields].sort());
  for (const f of result.fields) {
    expect(f.path.join('.')).toBe(f.field);
    expect(f.message.length).toBeGreaterThan(0);
  }
  expect(stack.sim.requests.count({ method: 'POST' })).toBe(before);
}

const tiny = (i: number) => ({ name: `f${i}.txt`, type: 'text/plain', data: new TextEncoder().encode(`file ${i}`) });

describe('bad input is refused with a typed error naming the field, and nothing goes upstream', () => {
  it('no input at all', async () => {
    await expectRefused({}, ['input']);
  });

  it('101 urls, 101 texts', async () => {
    await expectRefused({ urls: Array.from({ length: 101 }, (_, i) => `https://media.example/${i}.jpg`) }, ['input.urls']);
    await expectRefused({ text: Array.from({ length: 101 }, (_, i) => `text ${i}`) }, ['input.text']);
    // The limit itself is fine (and goes upstream).
    const before = posts();
    await startedJobId({ text: Array.from({ length: 100 }, (_, i) => `text ${i}`), models: { language: {} } });
    expect(posts()).toBe(before + 1);
  });

  it('101 uploaded files', async () => {
    const before = stack.sim.requests.count({ method: 'POST' });
    const files = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`variables.input.files.${i}`, tiny(i)]));
    const result = await stack.upload(ErrStartJob, { input: { files: Array(101).fill(null) as never } }, files);
    expect(result.errors).toBeUndefined();
    expect(result.data!.startJob).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'input.files' }] });
    expect(stack.sim.requests.count({ method: 'POST' })).toBe(before);
  });

  it('one file over 100 MB, uploaded for real over loopback', async () => {
    const before = stack.sim.requests.count({ method: 'POST' });
    const big = new Uint8Array(100 * 1024 * 1024 + 1);
    const result = await stack.upload(
      ErrStartJob,
      { input: { files: [null, null] as never, models: { face: {} } } },
      {
        'variables.input.files.0': tiny(0),
        'variables.input.files.1': { name: 'huge.mp4', type: 'video/mp4', data: big },
      },
    );
    expect(result.errors).toBeUndefined();
    const start = result.data!.startJob;
    expect(start.__typename).toBe('ValidationError');
    if (start.__typename !== 'ValidationError') return;
    expect(start.fields).toEqual([{ field: 'input.files.1', path: ['input', 'files', '1'], message: expect.stringContaining('100 MB') }]);
    expect(stack.sim.requests.count({ method: 'POST' })).toBe(before);
  });

  it('an empty file', async () => {
    const before = stack.sim.requests.count({ method: 'POST' });
    const result = await stack.upload(
      ErrStartJob,
      { input: { files: [null] as never } },
      { 'variables.input.files.0': { name: 'empty.wav', type: 'audio/wav', data: new Uint8Array(0) } },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.startJob).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'input.files.0', message: expect.stringContaining('empty') }] });
    expect(stack.sim.requests.count({ method: 'POST' })).toBe(before);
  });

  it('model options out of range', async () => {
    const urls = ['https://media.example/clip.mp4'];
    await expectRefused({ urls, models: { face: { probThreshold: 1.5 } } }, ['input.models.face.probThreshold']);
    await expectRefused({ urls, models: { face: { fpsPred: -1 } } }, ['input.models.face.fpsPred']);
    await expectRefused({ urls, models: { prosody: { window: { length: 0.4, step: 0.1 } } } }, [
      'input.models.prosody.window.length',
      'input.models.prosody.window.step',
    ]);
    await expectRefused({ urls, models: {} }, ['input.models']);
  });

  it('transcription options', async () => {
    const urls = ['https://media.example/talk.mp3'];
    await expectRefused({ urls, transcription: { confidenceThreshold: -0.1 } }, ['input.transcription.confidenceThreshold']);
    await expectRefused({ urls, transcription: { language: 'xx' } }, ['input.transcription.language']);
    // Tags are case-sensitive: Hume knows "en", not "EN".
    await expectRefused({ urls, transcription: { language: 'EN' } }, ['input.transcription.language']);
  });

  it('a URL that is not http(s), naming its index', async () => {
    await expectRefused({ urls: ['https://media.example/ok.jpg', 'ftp://media.example/clip.mp4'] }, ['input.urls.1']);
    await expectRefused({ urls: ['not a url'] }, ['input.urls.0']);
  });

  it('reports every problem at once', async () => {
    await expectRefused(
      { urls: ['file:///etc/passwd'], models: { face: { probThreshold: -1 } }, transcription: { language: 'EN' } },
      ['input.urls.0', 'input.models.face.probThreshold', 'input.transcription.language'],
    );
  });
});

describe('a failed start is a typed error, repeated only when Hume refused it or never got it', () => {
  it('500 → ProviderError with the status, never repeated', async () => {
    const before = posts();
    stack.sim.faults.add({ ...START, times: 5, fault: { kind: 'status', status: 500 } });
    const result = await startJob({ text: ['hello'] });
    expect(result).toMatchObject({ __typename: 'ProviderError', provider: 'HUME', status: 500, retryable: true });
    if (result.__typename === 'ProviderError') expectNothingInternal(result.message);
    expect(posts() - before).toBe(1);
  });

  it('400 from Hume → ProviderError with the status, not retryable, never repeated', async () => {
    const before = posts();
    stack.sim.faults.add({ ...START, fault: { kind: 'status', status: 400, body: JSON.stringify({ message: 'models: bad' }) } });
    const result = await startJob({ text: ['hello'] });
    expect(result).toMatchObject({ __typename: 'ProviderError', provider: 'HUME', status: 400, retryable: false });
    expect(posts() - before).toBe(1);
  });

  it('503 once → repeated (Hume refused it) and succeeds', async () => {
    const before = posts();
    stack.sim.faults.add({ ...START, times: 1, fault: { kind: 'status', status: 503 } });
    const id = await startedJobId({ text: ['after a 503'] });
    expect(posts() - before).toBe(2);
    expect((await stack.execute(ErrJob, { id })).data!.job!.id).toBe(id);
  });

  it('429 with Retry-After 1 once → waits for it, then succeeds', async () => {
    const before = posts();
    stack.sim.faults.add({ ...START, times: 1, fault: { kind: 'rate-limit', retryAfterSeconds: 1 } });
    await startedJobId({ text: ['after a 429'] });
    const times = postTimes().slice(before);
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
  });

  it('429 every time → RateLimitedError with the delay after the allowed retries', async () => {
    const before = posts();
    stack.sim.faults.add({ ...START, times: 10, fault: { kind: 'rate-limit', retryAfterSeconds: 1 } });
    const result = await startJob({ text: ['rate limited'] });
    expect(result).toMatchObject({ __typename: 'RateLimitedError', provider: 'HUME', retryAfterSeconds: 1 });
    // maxRetries is 2 in the test stack: three attempts in all.
    expect(posts() - before).toBe(3);
  });

  it('429 asking for longer than the gateway waits → RateLimitedError at once, not asked again early', async () => {
    // The test stack waits at most 2 s between attempts; Hume asks for 5.
    const before = posts();
    stack.sim.faults.add({ ...START, times: 1, fault: { kind: 'rate-limit', retryAfterSeconds: 5 } });
    const result = await startJob({ text: ['come back later'] });
    expect(result).toMatchObject({ __typename: 'RateLimitedError', provider: 'HUME', retryAfterSeconds: 5 });
    expect(posts() - before).toBe(1);
  });

  it('a dropped connection → ProviderError without a status, never repeated (it may have reached Hume)', async () => {
    const before = posts();
    stack.sim.faults.add({ ...START, times: 5, fault: { kind: 'drop' } });
    const result = await startJob({ text: ['dropped'] });
    expect(result).toMatchObject({ __typename: 'ProviderError', provider: 'HUME', status: null });
    if (result.__typename === 'ProviderError') expectNothingInternal(result.message);
    expect(posts() - before).toBe(1);
  });

  it('malformed JSON in the start answer → ProviderError, never repeated', async () => {
    const before = posts();
    stack.sim.faults.add({ ...START, times: 5, fault: { kind: 'malformed-json' } });
    const result = await startJob({ text: ['garbled'] });
    expect(result).toMatchObject({ __typename: 'ProviderError', provider: 'HUME' });
    if (result.__typename === 'ProviderError') expectNothingInternal(result.message);
    expect(posts() - before).toBe(1);
  });

  it('a start answer slower than the headers timeout → ProviderError, never repeated', async () => {
    const slow = await startHumeStack({ headersTimeoutMs: 300 });
    try {
      slow.sim.faults.add({ ...START, times: 5, fault: { kind: 'slow', delayMs: 1000 } });
      const result = await slow.execute(ErrStartJob, { input: { text: ['slow'] } });
      expect(result.errors).toBeUndefined();
      expect(result.data!.startJob).toMatchObject({ __typename: 'ProviderError', provider: 'HUME', status: null });
      expect(slow.sim.requests.count(START)).toBe(1);
    } finally {
      await slow.close();
    }
  });

  it('a failed start frees its idempotency key', async () => {
    stack.sim.faults.add({ ...START, times: 1, fault: { kind: 'status', status: 500 } });
    const input = { text: ['keyed'], idempotencyKey: 'error-test-key' };
    expect((await startJob(input)).__typename).toBe('ProviderError');
    const before = posts();
    await startedJobId(input);
    expect(posts() - before).toBe(1);
  });
});

// Jobs read here start straight at Hume, so the gateway's own tracking of the jobs it started does not read them too.
describe('reads', () => {
  it('a 500 on job details is retried transparently', async () => {
    const id = await stack.startAtHume({ urls: ['https://media.example/retried.mp4'] });
    const path = `/v0/batch/jobs/${id}`;
    stack.sim.faults.add({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 500 } });
    const { data, errors } = await stack.execute(ErrJob, { id });
    expect(errors).toBeUndefined();
    expect(data!.job).toEqual({ id, status: 'COMPLETED', request: { urls: ['https://media.example/retried.mp4'] } });
    expect(stack.sim.requests.count({ method: 'GET', path })).toBe(2);
  });

  it('job details failing for good → a PROVIDER_ERROR GraphQL error, HTTP 200, nothing internal', async () => {
    const id = await stack.startAtHume({ text: ['never readable'] });
    const path = `/v0/batch/jobs/${id}`;
    stack.sim.faults.add({ method: 'GET', path, times: Infinity, fault: { kind: 'status', status: 500 } });
    const response = await fetch(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ query: 'query($id: ID!) { job(id: $id) { id status } }', variables: { id } }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: unknown; errors: Array<{ message: string; path: string[]; extensions: Record<string, unknown> }> };
    expect(body.data).toEqual({ job: null });
    expect(body.errors).toHaveLength(1);
    const [error] = body.errors;
    expect(error!.path).toEqual(['job']);
    expect(error!.extensions).toMatchObject({ code: 'PROVIDER_ERROR', provider: 'HUME', status: 500 });
    expectNothingInternal(error!.message);
    expectNothingInternal(JSON.stringify(error));
    expect(JSON.stringify(body)).not.toContain('stack');
    // Three attempts (maxRetries 2), then the error.
    expect(stack.sim.requests.count({ method: 'GET', path })).toBe(3);
  });

  it('predictions answering malformed JSON for good → a PROVIDER_ERROR GraphQL error on that field only', async () => {
    const id = await stack.startAtHume({ text: ['garbled predictions'], models: { language: {} } });
    const path = `/v0/batch/jobs/${id}/predictions`;
    stack.sim.faults.add({ method: 'GET', path, times: Infinity, fault: { kind: 'malformed-json' } });
    const { data, errors } = await stack.execute(ErrJobPredictions, { id });
    expect(data!.job).toEqual({ id, status: 'COMPLETED', predictions: null });
    expect(errors).toHaveLength(1);
    expect(errors![0]!.path).toEqual(['job', 'predictions']);
    expect(errors![0]!.extensions).toMatchObject({ code: 'PROVIDER_ERROR', provider: 'HUME' });
    expectNothingInternal(errors![0]!.message);
    // A failed read is not cached: once Hume answers properly, the predictions come back.
    stack.sim.faults.clear();
    const again = await stack.execute(ErrJobPredictions, { id });
    expect(again.errors).toBeUndefined();
    expect(again.data!.job!.predictions).toEqual([{ source: { __typename: 'TextSource' } }]);
  });

  it('a 429 on reads with Retry-After is retried after the delay', async () => {
    const id = await stack.startAtHume({ text: ['read rate limited'] });
    const path = `/v0/batch/jobs/${id}`;
    stack.sim.faults.add({ method: 'GET', path, times: 1, fault: { kind: 'rate-limit', retryAfterSeconds: 1 } });
    const { data, errors } = await stack.execute(ErrJob, { id });
    expect(errors).toBeUndefined();
    expect(data!.job!.status).toBe('COMPLETED');
    const times = stack.sim.requests.matching({ method: 'GET', path }).map((r) => r.at);
    expect(times).toHaveLength(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
  });
});

describe('Hume not reachable at all', () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it('connection refused → ProviderError, and the start was retried since it provably never reached Hume', async () => {
    const port = await closedPort();
    const config = loadConfig({ PORT: '0', HUME_API_KEY: TEST_HUME_KEY, HUME_BASE_URL: `http://127.0.0.1:${port}`, SANDBOX: 'false' });
    const retries: Array<{ operation: string; failure: ProviderError }> = [];
    const attempts: Array<{ operation: string; status: number | 'error' }> = [];
    const gateway = await startGateway({
      config,
      logger: silentLogger,
      host: '127.0.0.1',
      clientTuning: { retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 50 } },
      observer: {
        retrying: (_provider, operation, failure) => retries.push({ operation, failure }),
        requestFinished: (_provider, operation, status) => attempts.push({ operation, status }),
      },
    });
    try {
      const response = await fetch(`${gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation($input: StartJobInput!) { startJob(input: $input) { __typename ... on ProviderError { message provider status retryable } } }',
          variables: { input: { text: ['nobody home'] } },
        }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as { data: { startJob: { __typename: string; message: string; provider: string; status: number | null; retryable: boolean } } };
      expect(body.data.startJob).toMatchObject({ __typename: 'ProviderError', provider: 'HUME', status: null, retryable: true });
      expect(body.data.startJob.message).not.toContain(String(port));
      expect(body.data.startJob.message).not.toContain(TEST_HUME_KEY);
      expect(attempts).toEqual([
        { operation: 'startJob', status: 'error' },
        { operation: 'startJob', status: 'error' },
        { operation: 'startJob', status: 'error' },
      ]);
      expect(retries.map((r) => r.operation)).toEqual(['startJob', 'startJob']);
      expect(retries.every((r) => r.failure.name === 'ProviderUnavailableError' && 'mayHaveReachedProvider' in r.failure && !r.failure.mayHaveReachedProvider)).toBe(true);
    } finally {
      await gateway.close();
    }
  });
});

describe('network failures other than the known ones', () => {
  it('are reported by code, never with the address the system error names', () => {
    const timedOut = Object.assign(new Error('connect ETIMEDOUT 10.1.2.3:443'), { code: 'ETIMEDOUT' });
    const failure = toUnavailable('hume', timedOut);
    expect(failure.reason).toBe('request failed (ETIMEDOUT)');
    expect(failure.mayHaveReachedProvider).toBe(true);
    expect(failure.message).not.toContain('10.1.2.3');
    const nested = toUnavailable('hume', Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect EADDRNOTAVAIL 10.1.2.3:443'), { code: 'EADDRNOTAVAIL' }) }));
    expect(nested.reason).toBe('request failed (EADDRNOTAVAIL)');
    expect(toUnavailable('hume', new Error('something at http://10.1.2.3:8000/v0')).reason).not.toContain('10.1.2.3');
  });
});

describe('after all of that', () => {
  it('the gateway still serves', async () => {
    const id = await startedJobId({ text: ['still alive'] });
    const { data, errors } = await stack.execute(ErrJob, { id });
    expect(errors).toBeUndefined();
    expect(data!.job).toMatchObject({ id, status: 'COMPLETED' });
    const health = await fetch(`${stack.gateway.url}/health`);
    expect(health.status).toBe(200);
  });
});
