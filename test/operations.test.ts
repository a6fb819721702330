/**
 * Operating the gateway: Prometheus metrics, readiness, and structured logs that carry the request id (also sent
 * to Phonexia as the correlation id) and never a provider key or file contents.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';
import { graphql } from './gql/index.js';
import { TEST_HUME_KEY, startStack, type Stack } from './support/stack.js';
import { pcmWav } from './support/wav.js';

const StartJob = graphql(`
  mutation OpsStartJob($input: StartJobInput!) {
    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } ... on Error { message } }
  }
`);
const StartTask = graphql(`
  mutation OpsStartTask($input: StartEmotionTaskInput!) {
    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }
  }
`);

const lines: string[] = [];
const sink = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ logger: createLogger({ level: 'info', destination: sink }) });
});
afterAll(async () => stack.close());

const metrics = () => fetch(`${stack.gateway.url}/metrics`).then((r) => r.text());

describe('metrics', () => {
  it('counts operations and provider calls, retries and 429s', async () => {
    stack.hume.faults.add({ method: 'POST', fault: { kind: 'status', status: 503 } });
    stack.hume.faults.add({ method: 'POST', fault: { kind: 'rate-limit', retryAfterSeconds: 0 } });
    const started = await stack.execute(StartJob, { input: { text: ['metrics please'] } });
    expect(started.data!.startJob.__typename).toBe('StartJobSuccess');
    const text = await metrics();
    expect(text).toMatch(/graphql_operations_total\{type="mutation",name="OpsStartJob",outcome="ok"\} 1/);
    expect(text).toMatch(/provider_requests_total\{provider="hume",operation="startJob",status="503"\} 1/);
    expect(text).toMatch(/provider_requests_total\{provider="hume",operation="startJob",status="200"\} 1/);
    expect(text).toMatch(/provider_retries_total\{provider="hume",operation="startJob",reason="503"\} 1/);
    expect(text).toMatch(/provider_rate_limited_total\{provider="hume",operation="startJob"\} 1/);
    expect(text).toMatch(/provider_request_duration_seconds_bucket\{le="[\d.]+",provider="hume",operation="startJob"\}/);
    expect(text).toMatch(/tracked_work\{kind="hume-job"\} \d/);
    expect(text).toMatch(/websocket_connections 0/);
    expect(text).not.toContain(TEST_HUME_KEY);
  });
});

describe('readiness', () => {
  it('is ready when the providers answer, and not when one is unreachable', async () => {
    const ready = await fetch(`${stack.gateway.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: expect.arrayContaining([expect.objectContaining({ name: 'hume', ok: true }), expect.objectContaining({ name: 'phonexia', ok: true })]) });

    const down = await startStack({ hume: false });
    await down.phonexia.close();
    const answer = await fetch(`${down.gateway.url}/ready`);
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ ready: false, checks: expect.arrayContaining([expect.objectContaining({ name: 'phonexia', ok: false })]) });
    expect((await fetch(`${down.gateway.url}/health`)).status).toBe(200);
    await down.close();
  });
});

describe('logs', () => {
  it('log each operation as JSON with its request id, which Phonexia gets as the correlation id', async () => {
    const audio = pcmWav({ seconds: 1 });
    const result = await stack.upload(StartTask, { input: { file: null } as never }, { 'variables.input.file': { name: 'secret-words.wav', type: 'audio/wav', data: audio } }, { 'x-request-id': 'trace-42' });
    const started = result.data!.startEmotionTask;
    if (started.__typename !== 'StartEmotionTaskSuccess') throw new Error(JSON.stringify(result));
    const upload = stack.phonexia.uploads.find((u) => u.taskId === started.task.id)!;
    expect(upload.correlationId).toBe('trace-42');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(expect.objectContaining({ msg: 'graphql operation', requestId: 'trace-42', operation: 'OpsStartTask' }));
    const everything = lines.join('\n');
    expect(everything).not.toContain(TEST_HUME_KEY);
    // No file contents: not the raw bytes, not base64 of them.
    expect(everything).not.toContain(Buffer.from(audio.subarray(44, 300)).toString('base64'));
    expect(everything).not.toContain(Buffer.from(audio.subarray(44, 300)).toString('latin1'));
  });
});
