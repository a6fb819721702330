/**
 * Phonexia emotion tasks end to end: the real gateway over HTTP against the real Phonexia simulator, uploads as
 * GraphQL multipart requests. Uploads and polls are counted on the simulator.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { eventually, startStack, type Stack } from './support/stack.js';
import { pcmWav } from './support/wav.js';

const StartEmotionTask = graphql(`
  mutation StartEmotionTask($input: StartEmotionTaskInput!) {
    startEmotionTask(input: $input) {
      __typename
      ... on StartEmotionTaskSuccess { task { id status } }
      ... on ValidationError { message fields { field message } }
      ... on ProviderError { message provider status code retryable }
      ... on RateLimitedError { message provider retryAfterSeconds }
      ... on PayloadTooLargeError { message provider maxBytes }
    }
  }
`);

const EmotionTaskQuery = graphql(`
  query EmotionTask($id: ID!) {
    emotionTask(id: $id) {
      id
      status
      resultExpired
      createdAt
      updatedAt
      channels { channel speechLength emotions { name score } top: emotions(top: 1) { name score } dominantEmotion { name score } }
      error { type message details { location message type } }
      request { fileName fileSize contentType channelMode channels rangeFrom rangeTo maxSpeechLength }
    }
  }
`);

const stereo = { name: 'call.wav', type: 'audio/wav', data: pcmWav({ channels: 2, seconds: 10 }) };
const mono = { name: 'memo.wav', type: 'audio/wav', data: pcmWav({ channels: 1, seconds: 6 }) };

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({ hume: false });
});
afterAll(async () => {
  await stack.close();
});
afterEach(() => {
  stack.phonexia.faults.clear();
});

async function start(input: Record<string, unknown>, file = stereo) {
  const result = await stack.upload(StartEmotionTask, { input: { ...input, file: null } as never }, { 'variables.input.file': file });
  expect(result.errors).toBeUndefined();
  return result.data!.startEmotionTask;
}

async function startedId(input: Record<string, unknown>, file = stereo): Promise<string> {
  const result = await start(input, file);
  if (result.__typename !== 'StartEmotionTaskSuccess') throw new Error(JSON.stringify(result));
  return result.task.id;
}

async function finished(id: string) {
  return eventually(async () => {
    const { data } = await stack.execute(EmotionTaskQuery, { id });
    const task = data?.emotionTask;
    return task && ['DONE', 'FAILED', 'REJECTED'].includes(task.status) ? task : undefined;
  });
}

const uploadsBefore = () => stack.phonexia.uploads.length;
const postsBefore = () => stack.phonexia.requests.count({ method: 'POST' });

describe('emotion tasks', () => {
  it('splits a stereo file into two channels with probabilities summing to 1', async () => {
    const id = await startedId({});
    const task = await finished(id);
    expect(task.status).toBe('DONE');
    expect(task.channels!.map((c) => c.channel)).toEqual([0, 1]);
    for (const channel of task.channels!) {
      expect(channel.emotions.map((e) => e.name)).toEqual(['angry', 'happy', 'neutral', 'sad']);
      expect(channel.emotions.reduce((sum, e) => sum + e.score, 0)).toBeCloseTo(1, 6);
      const best = channel.emotions.reduce((a, b) => (b.score > a.score ? b : a));
      expect(channel.dominantEmotion).toEqual(best);
      expect(channel.top).toEqual([best]);
      expect(channel.speechLength).toBe(7); // the simulator finds speech in 70 % of the 10 s
    }
    expect(task.request).toEqual({
      fileName: 'call.wav',
      fileSize: stereo.data.length,
      contentType: 'audio/wav',
      channelMode: 'SPLIT',
      channels: null,
      rangeFrom: null,
      rangeTo: null,
      maxSpeechLength: null,
    });
    expect(task.error).toBeNull();
    // The gateway's request id reached Phonexia as the correlation id.
    const upload = stack.phonexia.uploads.find((u) => u.taskId === id)!;
    expect(upload.md5).toBe(createHash('md5').update(stereo.data).digest('hex'));
    // No x-request-id was sent: the gateway made one.
    expect(upload.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('shows no dominant emotion for a channel without speech', async () => {
    // Channel 1 silent throughout: the appliance finds no speech in it, so it has no scores.
    const call = pcmWav({ channels: 2, seconds: 4 });
    const samples = new DataView(call.buffer, 44);
    for (let frame = 0; frame < samples.byteLength / 4; frame++) samples.setInt16(frame * 4 + 2, 0, true);
    const task = await finished(await startedId({}, { name: 'one-sided.wav', type: 'audio/wav', data: call }));
    const [speaking, silent] = task.channels!;
    expect(speaking!.speechLength).toBeGreaterThan(0);
    expect(speaking!.dominantEmotion).not.toBeNull();
    expect(silent).toMatchObject({ channel: 1, speechLength: 0, dominantEmotion: null, top: [{ score: 0 }] });
    expect(silent!.emotions).toEqual([
      { name: 'angry', score: 0 },
      { name: 'happy', score: 0 },
      { name: 'neutral', score: 0 },
      { name: 'sad', score: 0 },
    ]);
  });

  it('passes the request id as the correlation id', async () => {
    const result = await stack.upload(StartEmotionTask, { input: { file: null } as never }, { 'variables.input.file': mono }, { 'x-request-id': 'req-abc-123' });
    const started = result.data!.startEmotionTask;
    if (started.__typename !== 'StartEmotionTaskSuccess') throw new Error(JSON.stringify(started));
    expect(stack.phonexia.uploads.find((u) => u.taskId === started.task.id)!.correlationId).toBe('req-abc-123');
  });

  it('mixes channels into one result, selects channels and passes ranges', async () => {
    const mixed = await finished(await startedId({ channelMode: 'MIX' }));
    expect(mixed.channels!.map((c) => c.channel)).toEqual([0]);
    expect(mixed.request.channelMode).toBe('MIX');

    const selectedId = await startedId({ channels: [1], rangeFrom: 1, rangeTo: 7.5, maxSpeechLength: 2 });
    const selected = await finished(selectedId);
    expect(selected.channels!.map((c) => c.channel)).toEqual([1]);
    expect(selected.channels![0]!.speechLength).toBeLessThanOrEqual(2);
    expect(selected.request).toMatchObject({ channels: [1], rangeFrom: 1, rangeTo: 7.5, maxSpeechLength: 2 });
    expect(stack.phonexia.uploads.find((u) => u.taskId === selectedId)!.query).toEqual({
      channel_mode: 'split',
      channels: '1',
      range_from: '1',
      range_to: '7.5',
      max_speech_length: '2',
    });
  });

  it('reports a rejected file and a failed task with their errors', async () => {
    const rejected = await finished(await startedId({}, { name: 'notes.wav', type: 'audio/wav', data: new TextEncoder().encode('not audio at all') as Uint8Array<ArrayBuffer> }));
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.channels).toBeNull();
    expect(rejected.error).toMatchObject({ type: 'task.validation-error', details: [{ location: ['body', 'file'] }] });

    const missingChannel = await finished(await startedId({ channels: [3] }));
    expect(missingChannel.status).toBe('REJECTED');

    const failed = await finished(await startedId({}, { ...mono, name: 'task-fails.wav' }));
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatchObject({ type: 'internal' });
  });

  it('refuses bad input with a ValidationError naming the field and uploads nothing', async () => {
    const uploads = uploadsBefore();
    const posts = postsBefore();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ channels: [-1] }, 'input.channels.0'],
      [{ rangeFrom: -0.5 }, 'input.rangeFrom'],
      [{ rangeFrom: 5, rangeTo: 5 }, 'input.rangeTo'],
      [{ rangeTo: 0 }, 'input.rangeTo'],
      [{ maxSpeechLength: 0 }, 'input.maxSpeechLength'],
      [{ idempotencyKey: '' }, 'input.idempotencyKey'],
    ];
    for (const [input, field] of cases) {
      const result = await start(input);
      expect(result, JSON.stringify(input)).toMatchObject({ __typename: 'ValidationError', fields: [{ field }] });
    }
    const empty = await start({}, { name: 'empty.wav', type: 'audio/wav', data: new Uint8Array(0) });
    expect(empty).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'input.file' }] });
    expect(stack.phonexia.uploads.length).toBe(uploads);
    expect(stack.phonexia.requests.count({ method: 'POST' })).toBe(posts);
  });

  it('turns 413, 507 and 403 into typed errors', async () => {
    stack.phonexia.faults.add({ method: 'POST', fault: { kind: 'status', status: 413 } });
    expect(await start({})).toMatchObject({ __typename: 'PayloadTooLargeError', provider: 'PHONEXIA' });
    stack.phonexia.faults.add({ method: 'POST', fault: { kind: 'status', status: 507 } });
    expect(await start({})).toMatchObject({ __typename: 'ProviderError', provider: 'PHONEXIA', status: 507, code: 'storage.capacity-exceeded' });
    stack.phonexia.faults.add({ method: 'POST', fault: { kind: 'status', status: 403 } });
    expect(await start({})).toMatchObject({ __typename: 'ProviderError', status: 403, code: 'request.forbidden', retryable: false });
  });

  it('retries a 429 on start after Retry-After, and reports a persistent 429 as RateLimitedError', async () => {
    const posts = postsBefore();
    stack.phonexia.faults.add({ method: 'POST', fault: { kind: 'rate-limit', retryAfterSeconds: 0 } });
    expect((await start({})).__typename).toBe('StartEmotionTaskSuccess');
    expect(stack.phonexia.requests.count({ method: 'POST' }) - posts).toBe(2);

    stack.phonexia.faults.add({ method: 'POST', times: 5, fault: { kind: 'rate-limit', retryAfterSeconds: 0 } });
    expect(await start({})).toMatchObject({ __typename: 'RateLimitedError', provider: 'PHONEXIA', retryAfterSeconds: 0 });
  });

  it('never repeats a start whose answer was lost', async () => {
    const posts = postsBefore();
    stack.phonexia.faults.add({ method: 'POST', fault: { kind: 'drop' } });
    expect(await start({})).toMatchObject({ __typename: 'ProviderError', provider: 'PHONEXIA', status: null });
    expect(stack.phonexia.requests.count({ method: 'POST' }) - posts).toBe(1);
  });

  it('keeps polling through 429s and keeps the result after Phonexia expires the task', async () => {
    stack.phonexia.timing = { pendingMs: 100, runningMs: 100 };
    try {
      const id = await startedId({});
      stack.phonexia.faults.add({ method: 'GET', path: new RegExp(id), times: 3, fault: { kind: 'rate-limit', retryAfterSeconds: 0 } });
      const done = await finished(id);
      expect(done.status).toBe('DONE');
      stack.phonexia.expire(id);
      const after = await stack.execute(EmotionTaskQuery, { id });
      expect(after.data!.emotionTask).toMatchObject({ status: 'DONE', channels: done.channels });
    } finally {
      stack.phonexia.timing = { pendingMs: 0, runningMs: 0 };
    }
  });

  it('fails a task Phonexia lost before it finished', async () => {
    stack.phonexia.timing = { pendingMs: 60_000, runningMs: 0 };
    try {
      const id = await startedId({});
      stack.phonexia.expire(id);
      const lost = await finished(id);
      expect(lost).toMatchObject({ status: 'FAILED', error: { type: 'resource.not-found' } });
    } finally {
      stack.phonexia.timing = { pendingMs: 0, runningMs: 0 };
    }
  });

  it('refuses a sample name as the file outside sandbox mode', async () => {
    const uploads = uploadsBefore();
    const response = await fetch(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { startEmotionTask(input: { file: "sample:stereo-call.wav" }) { __typename } }' }),
    });
    const result = (await response.json()) as { errors?: Array<{ message: string }> };
    expect(result.errors?.[0]?.message).toMatch(/File must be an uploaded file/);
    expect(stack.phonexia.uploads.length).toBe(uploads);
  });

  it('answers null for a task this gateway never started', async () => {
    const { data, errors } = await stack.execute(EmotionTaskQuery, { id: '0f6d2c1e-6a43-4c2f-9a55-3b7c0e2d9a10' });
    expect(errors).toBeUndefined();
    expect(data!.emotionTask).toBeNull();
  });

  it('returns the same task for a repeated idempotency key', async () => {
    const posts = postsBefore();
    const a = await startedId({ idempotencyKey: 'upload-7' });
    const b = await startedId({ idempotencyKey: 'upload-7' });
    expect(a).toBe(b);
    expect(stack.phonexia.requests.count({ method: 'POST' }) - posts).toBe(1);
  });
});
