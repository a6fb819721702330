import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProviderHttpError, ProviderUnavailableError, type RetryPolicy } from '../src/providers/http.js';
import {
  PHONEXIA,
  PhonexiaClient,
  taskUrl,
  type PhonexiaClientOptions,
  type PhonexiaTask,
  type PhonexiaUpload,
} from '../src/providers/phonexia/client.js';
import type { PhonexiaStartParams } from '../src/providers/phonexia/wire.js';
import { PhonexiaSimulator, type PhonexiaSimulatorOptions } from '../src/simulators/phonexia/simulator.js';
import type { RunningServer } from '../src/simulators/kit.js';
import { pcmWav } from './support/wav.js';

const START = '/api/technology/emotion-recognition';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Fast retries so the tests do not wait on backoff; Retry-After still applies (capped at 2 s). */
const FAST_RETRY: RetryPolicy = { maxRetries: 2, baseDelayMs: 10, maxDelayMs: 2000 };

const makeWav = (channels: number, seconds: number) => new Blob([pcmWav({ channels, seconds })], { type: 'audio/wav' });

const mono = { filename: 'mono.wav', contentType: 'audio/wav', data: makeWav(1, 4) };
const stereo = { filename: 'call.wav', contentType: 'audio/wav', data: makeWav(2, 10) };

/** A tiny server for answers the simulator never gives (missing headers, explicit nulls). */
async function tinyServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => handler(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('PhonexiaClient against the simulator', () => {
  let sim: PhonexiaSimulator;
  let server: RunningServer;
  let client: PhonexiaClient;
  let clock = 0;
  const extra: Array<{ close(): Promise<unknown> }> = [];

  async function setup(simOptions: PhonexiaSimulatorOptions = {}, clientOptions: Partial<PhonexiaClientOptions> = {}): Promise<void> {
    await teardown();
    clock = 1_700_000_000_000;
    sim = new PhonexiaSimulator({ now: () => clock, ...simOptions });
    server = await sim.listen(0);
    client = new PhonexiaClient({ baseUrl: server.url, retry: FAST_RETRY, ...clientOptions });
  }

  async function teardown(): Promise<void> {
    await client?.close();
    await sim?.close();
    for (const closable of extra.splice(0)) await closable.close();
  }

  /** Starts a task, moves the simulator's clock past processing and reads the task. */
  async function run(upload: PhonexiaUpload = stereo, params: PhonexiaStartParams = {}): Promise<PhonexiaTask> {
    const started = await client.startTask(upload, params);
    clock += 1_000;
    const task = await client.getTask(started.location);
    if (!task) throw new Error('task vanished');
    return task;
  }

  beforeEach(() => setup());
  afterEach(() => teardown());

  it('starts a task and polls it to done (split, two channels), scores by name', async () => {
    const started = await client.startTask(stereo, {});
    expect(started).toEqual({ taskId: expect.stringMatching(UUID), state: 'pending', location: `${server.url}${START}/${started.taskId}` });
    expect(started.location).toBe(taskUrl(server.url, started.taskId));

    expect(await client.getTask(started.location)).toEqual({ taskId: started.taskId, state: 'pending', channels: null, error: null });
    clock += 20;
    expect((await client.getTask(started.location))?.state).toBe('running');
    clock += 50;
    const done = await client.getTask(started.location);
    expect(done?.state).toBe('done');
    expect(done?.error).toBeNull();
    expect(done?.channels?.map((c) => c.channel)).toEqual([0, 1]);
    expect(done?.channels?.[0]?.speechLength).toBe(7); // 70 % of 10 s

    // The simulator's order is happy, neutral, sad, angry: the client must map by name.
    const raw = (await (await fetch(started.location)).json()) as {
      result: { channels: Array<{ scores: Array<{ emotion: string; probability: number }> }> };
    };
    for (const [i, channel] of raw.result.channels.entries()) {
      const expected = Object.fromEntries(channel.scores.map((s) => [s.emotion, s.probability]));
      expect(done?.channels?.[i]?.scores).toEqual(expected);
      expect(Object.keys(done?.channels?.[i]?.scores ?? {})).toEqual(['angry', 'happy', 'neutral', 'sad']);
    }
  });

  it('sends parameters in the query: mix, channel selection, ranges; unset ones omitted', async () => {
    const plain = await run(stereo, {});
    expect(sim.uploads[0]?.query).toEqual({});
    expect(plain.channels).toHaveLength(2);

    const mix = await run(stereo, { channel_mode: 'mix' });
    expect(sim.uploads[1]?.query).toEqual({ channel_mode: 'mix' });
    expect(mix.channels?.map((c) => c.channel)).toEqual([0]);

    const selected = await run(stereo, { channel_mode: 'split', channels: [1], range_from: 2, range_to: 6, max_speech_length: 2.5 });
    expect(sim.uploads[2]?.query).toEqual({ channel_mode: 'split', channels: '1', range_from: '2', range_to: '6', max_speech_length: '2.5' });
    expect(selected.channels).toEqual([{ channel: 1, speechLength: 2.5, scores: expect.any(Object) }]);

    await client.startTask(stereo, { channels: [0, 1], range_from: 0 });
    const post = sim.requests.matching({ method: 'POST' }).at(-1);
    expect(post?.query).toEqual({ channels: ['0,1'], range_from: ['0'] });
    expect(sim.uploads[3]?.filename).toBe('call.wav');
  });

  it('reports rejected and failed tasks with their error', async () => {
    const garbage = { filename: 'notes.txt', contentType: 'text/plain', data: new Blob(['not audio at all']) };
    const rejected = await run(garbage);
    expect(rejected).toEqual({
      taskId: expect.stringMatching(UUID),
      state: 'rejected',
      channels: null,
      error: {
        type: 'task.validation-error',
        message: 'Task validation error.',
        details: [{ location: ['body', 'file'], message: 'Media file could not be decoded.', type: 'media.invalid' }],
      },
    });

    const badChannel = await run(mono, { channels: [3] });
    expect(badChannel.state).toBe('rejected');
    expect(badChannel.error?.details[0]).toMatchObject({ location: ['query', 'channels'], type: 'channels.invalid' });

    const failed = await run({ ...mono, filename: 'task-fails.wav' });
    expect(failed).toMatchObject({ state: 'failed', channels: null, error: { type: 'internal', details: [] } });
  });

  it('returns null for an expired or unknown task', async () => {
    const started = await client.startTask(mono, {});
    sim.expire(started.taskId);
    expect(await client.getTask(started.location)).toBeNull();
    expect(sim.requests.count({ method: 'GET' })).toBe(1); // a 404 is an answer, not retried
  });

  it('turns 413, 422, 507 and 403 into ProviderHttpError with the Phonexia body', async () => {
    await setup({ maxFileSize: 1000 });
    const tooLarge = await caught(client.startTask(mono, {}));
    expect(tooLarge).toBeInstanceOf(ProviderHttpError);
    expect(tooLarge).toMatchObject({
      provider: PHONEXIA,
      status: 413,
      providerMessage: 'Request size limit exceeded.',
      body: { type: 'request.size-limit-exceeded', detail: [{ type: 'media.too-large', location: ['body', 'file'] }] },
    });

    await setup();
    const invalid = await caught(client.startTask(mono, { range_from: 5, range_to: 2 }));
    expect(invalid).toMatchObject({ status: 422, body: { type: 'request.validation-error', detail: [{ location: ['query', 'range_to'] }] } });

    await setup({ storageCapacityBytes: 100 });
    expect(await caught(client.startTask(mono, {}))).toMatchObject({ status: 507, body: { type: 'storage.capacity-exceeded' } });

    await setup({ licensedConcurrency: 0 });
    const forbidden = await caught(client.startTask(mono, {}));
    expect(forbidden).toMatchObject({ status: 403, providerMessage: 'Request is forbidden.', body: { type: 'request.forbidden' } });
    expect(sim.requests.count({ method: 'POST' })).toBe(1); // a refusal other than 429/503 is not retried
  });

  it('sends the configured headers and the correlation id, with a fresh x-request-id per attempt', async () => {
    await setup({ requiredHeaders: { authorization: 'Bearer proxy-token' } });
    const denied = await caught(client.startTask(mono, {}));
    expect(denied).toMatchObject({ status: 403, body: { type: 'request.forbidden', detail: [{ location: ['header', 'authorization'] }] } });

    await setup({ requiredHeaders: { authorization: 'Bearer proxy-token' } }, { headers: { Authorization: 'Bearer proxy-token', 'X-Tenant': 'a' } });
    const started = await client.startTask(mono, {}, { correlationId: 'corr-42' });
    sim.faults.add({ method: 'GET', fault: { kind: 'status', status: 503 } });
    await client.getTask(started.location, { correlationId: 'corr-42' });

    const entries = sim.requests.entries;
    expect(entries.map((e) => e.method)).toEqual(['POST', 'GET', 'GET']);
    for (const entry of entries) {
      expect(entry.headers).toMatchObject({ authorization: 'Bearer proxy-token', 'x-tenant': 'a', 'x-correlation-id': 'corr-42' });
      expect(entry.headers['x-request-id']).toMatch(UUID);
    }
    expect(new Set(entries.map((e) => e.headers['x-request-id'])).size).toBe(3);
    expect(sim.uploads[0]?.correlationId).toBe('corr-42');
  });

  it('retries a start refused with 429 (rate-limit fault) once, then succeeds', async () => {
    const retries: number[] = [];
    await setup({}, { observer: { retrying: (_p, _op, failure) => retries.push((failure as ProviderHttpError).status) } });
    sim.faults.add({ method: 'POST', path: START, fault: { kind: 'rate-limit', retryAfterSeconds: 0 } });
    const started = await client.startTask(mono, {});
    expect(started.taskId).toMatch(UUID);
    expect(sim.requests.count({ method: 'POST', path: START })).toBe(2);
    expect(sim.uploads).toHaveLength(1);
    expect(retries).toEqual([429]);
  });

  it('honours Retry-After on a 429', async () => {
    sim.faults.add({ method: 'POST', path: START, fault: { kind: 'rate-limit', retryAfterSeconds: 1 } });
    const began = Date.now();
    await client.startTask(mono, {});
    expect(Date.now() - began).toBeGreaterThanOrEqual(900);
    expect(sim.requests.count({ method: 'POST' })).toBe(2);
  });

  it('falls back to X-RateLimit-Reset when Retry-After is absent, and exposes the delay when retries run out', async () => {
    await setup({}, { retry: { maxRetries: 0, baseDelayMs: 10, maxDelayMs: 2000 } });
    const reset = Math.ceil(Date.now() / 1000) + 30;
    sim.faults.add({ method: 'POST', fault: { kind: 'status', status: 429, headers: { 'x-ratelimit-reset': String(reset) } } });
    const error = await caught(client.startTask(mono, {}));
    expect(error).toMatchObject({ status: 429, body: { type: 'request.rate-limit-exceeded' } });
    const retryAfterMs = (error as ProviderHttpError).retryAfterMs ?? 0;
    expect(retryAfterMs).toBeGreaterThan(25_000);
    expect(retryAfterMs).toBeLessThanOrEqual(31_000);
  });

  it('does not retry a start answered 500', async () => {
    sim.faults.add({ method: 'POST', fault: { kind: 'status', status: 500 } });
    const error = await caught(client.startTask(mono, {}));
    expect(error).toMatchObject({ status: 500, body: { type: 'internal' } });
    expect(sim.requests.count({ method: 'POST' })).toBe(1);
  });

  it('does not retry a start whose connection dropped (it may have reached the appliance)', async () => {
    sim.faults.add({ method: 'POST', fault: { kind: 'drop' } });
    const error = await caught(client.startTask(mono, {}));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).mayHaveReachedProvider).toBe(true);
    expect(sim.requests.count({ method: 'POST' })).toBe(1);
  });

  it('retries a poll after a 503 and after a dropped connection', async () => {
    const started = await client.startTask(mono, {});
    clock += 1_000;
    sim.faults.add({ method: 'GET', fault: { kind: 'status', status: 503 } });
    sim.faults.add({ method: 'GET', fault: { kind: 'drop' } });
    const task = await client.getTask(started.location);
    expect(task?.state).toBe('done');
    expect(sim.requests.count({ method: 'GET' })).toBe(3);
  });

  it('gives up on a poll once the retries are spent', async () => {
    const started = await client.startTask(mono, {});
    sim.faults.add({ method: 'GET', times: 3, fault: { kind: 'status', status: 502 } });
    expect(await caught(client.getTask(started.location))).toMatchObject({ status: 502 });
    expect(sim.requests.count({ method: 'GET' })).toBe(3);
  });

  it('turns malformed JSON into ProviderUnavailableError', async () => {
    sim.faults.add({ method: 'POST', fault: { kind: 'malformed-json' } });
    const start = await caught(client.startTask(mono, {}));
    expect(start).toBeInstanceOf(ProviderUnavailableError);
    expect(start).toMatchObject({ provider: PHONEXIA, reason: 'answer is not valid JSON', mayHaveReachedProvider: true });
    expect(sim.requests.count({ method: 'POST' })).toBe(1);

    const started = await client.startTask(mono, {});
    sim.faults.add({ method: 'GET', times: 3, fault: { kind: 'malformed-json' } });
    expect(await caught(client.getTask(started.location))).toMatchObject({ reason: 'answer is not valid JSON' });
  });

  it('retries a start that never connected, then reports it as never sent', async () => {
    const closed = await tinyServer(() => undefined);
    const url = closed.url;
    await closed.close();
    const retries: string[] = [];
    const refused = new PhonexiaClient({ baseUrl: url, retry: FAST_RETRY, observer: { retrying: (_p, op) => retries.push(op) } });
    extra.push(refused);
    const error = await caught(refused.startTask(mono, {}));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect((error as ProviderUnavailableError).mayHaveReachedProvider).toBe(false);
    expect(retries).toEqual(['startTask', 'startTask']);
  });
});

describe('PhonexiaClient with answers the simulator does not give', () => {
  const TASK_ID = '0f6d2c1e-6a43-4c2f-9a55-3b7c0e2d9a10';
  const closables: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    for (const c of closables.splice(0)) await c.close();
  });

  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, clientOptions: Partial<PhonexiaClientOptions> = {}) {
    const server = await tinyServer(handler);
    const client = new PhonexiaClient({ baseUrl: `${server.url}/`, retry: FAST_RETRY, ...clientOptions });
    closables.push(server, client);
    return { server, client };
  }

  it('falls back to X-Location, resolved against the base URL', async () => {
    const { server, client } = await serve((_req, res) =>
      json(res, 202, { task: { task_id: TASK_ID, state: 'pending' } }, { 'x-location': `${START}/${TASK_ID}` }),
    );
    expect(await client.startTask(mono, {})).toEqual({ taskId: TASK_ID, state: 'pending', location: `${server.url}${START}/${TASK_ID}` });
  });

  it('prefers Location over X-Location and keeps an absolute Location', async () => {
    const { client } = await serve((_req, res) =>
      json(res, 202, { task: { task_id: TASK_ID, state: 'pending' } }, { location: `http://elsewhere.test:8000${START}/${TASK_ID}`, 'x-location': '/wrong' }),
    );
    expect((await client.startTask(mono, {})).location).toBe(`http://elsewhere.test:8000${START}/${TASK_ID}`);
  });

  it('builds the poll URL from the task id when both headers are missing', async () => {
    const { server, client } = await serve((_req, res) => json(res, 202, { task: { task_id: TASK_ID, state: 'pending' } }));
    expect(await client.startTask(mono, {})).toEqual({ taskId: TASK_ID, state: 'pending', location: `${server.url}${START}/${TASK_ID}` });
  });

  it('refuses a 202 without a task id', async () => {
    const { client } = await serve((_req, res) => json(res, 202, { task: { state: 'pending' } }, { location: `${START}/${TASK_ID}` }));
    const error = await caught(client.startTask(mono, {}));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ reason: 'start answer has no task id', mayHaveReachedProvider: true });
  });

  it('tolerates null result/error and unknown fields; missing emotions are 0, unknown ones ignored', async () => {
    const answers: unknown[] = [
      { task: { task_id: TASK_ID, state: 'running', extra: true }, result: null, error: null, processed_audio_length: 3 },
      {
        task: { task_id: TASK_ID, state: 'done' },
        error: null,
        result: {
          channels: [
            {
              channel_number: 0,
              speech_length: 12.5,
              confidence: 'high',
              scores: [
                { emotion: 'sad', probability: 0.1 },
                { emotion: 'bored', probability: 0.3 },
                { emotion: 'angry', probability: 0.6 },
              ],
            },
            { channel_number: 1, speech_length: 0, scores: [] },
          ],
        },
      },
      { task: { task_id: TASK_ID, state: 'failed' }, result: null, error: { type: 'internal', message: 'Boom.', detail: null } },
    ];
    const { server, client } = await serve((_req, res) => json(res, 200, answers.shift()));
    const location = taskUrl(server.url, TASK_ID);
    expect(await client.getTask(location)).toEqual({ taskId: TASK_ID, state: 'running', channels: null, error: null });
    expect(await client.getTask(location)).toEqual({
      taskId: TASK_ID,
      state: 'done',
      error: null,
      channels: [
        { channel: 0, speechLength: 12.5, scores: { angry: 0.6, happy: 0, neutral: 0, sad: 0.1 } },
        { channel: 1, speechLength: 0, scores: { angry: 0, happy: 0, neutral: 0, sad: 0 } },
      ],
    });
    expect(await client.getTask(location)).toEqual({
      taskId: TASK_ID,
      state: 'failed',
      channels: null,
      error: { type: 'internal', message: 'Boom.', details: [] },
    });
  });

  it('sends the configured headers only to the base URL origin', async () => {
    const seen: Array<string | undefined> = [];
    const other = await tinyServer((req, res) => {
      seen.push(req.headers.authorization);
      json(res, 200, { task: { task_id: TASK_ID, state: 'pending' } });
    });
    closables.push(other);
    const { server, client } = await serve(
      (req, res) => {
        seen.push(req.headers.authorization);
        json(res, 200, { task: { task_id: TASK_ID, state: 'pending' } });
      },
      { headers: { Authorization: 'Bearer secret' } },
    );
    await client.getTask(taskUrl(server.url, TASK_ID));
    await client.getTask(taskUrl(other.url, TASK_ID));
    expect(seen).toEqual(['Bearer secret', undefined]);
  });
});
