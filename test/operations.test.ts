/**
 * Operating the gateway: Prometheus metrics, readiness, and structured logs that carry the request id (also sent
 * to Phonexia as the correlation id) and never a provider key or file contents.
 */
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startGateway } from '../src/gateway.js';
import { createLogger, silentLogger } from '../src/logger.js';
import { graphql } from './gql/index.js';
import { TEST_HUME_KEY, eventually, startStack, type Stack } from './support/stack.js';
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
afterEach(() => {
  stack.hume.faults.clear();
  stack.hume.timing = { queuedMs: 0, runningMs: 0 };
});

const metrics = () => fetch(`${stack.gateway.url}/metrics`).then((r) => r.text());

/** Prometheus text -> value of each series (`name{labels}` as printed), so every count is compared exactly. */
async function series(): Promise<Map<string, number>> {
  const text = await metrics();
  expect(text).not.toContain(TEST_HUME_KEY);
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return values;
}

describe('metrics', () => {
  it('counts operations and provider calls, retries and 429s, and the work it follows', async () => {
    // Queued for a minute, so the job is still followed when the metrics are read.
    stack.hume.timing = { queuedMs: 60_000, runningMs: 0 };
    stack.hume.faults.add({ method: 'POST', fault: { kind: 'status', status: 503 } });
    stack.hume.faults.add({ method: 'POST', fault: { kind: 'rate-limit', retryAfterSeconds: 0 } });
    const started = await stack.execute(StartJob, { input: { text: ['metrics please'] } });
    const start = started.data!.startJob;
    if (start.__typename !== 'StartJobSuccess') throw new Error(JSON.stringify(started));

    const hume = 'provider="hume",operation="startJob"';
    const values = await series();
    // One mutation; three start POSTs behind it: 503 and 429 (both retried), then 200.
    expect(values.get('graphql_operations_total{type="mutation",name="OpsStartJob",outcome="ok"}')).toBe(1);
    expect(values.get('graphql_operations_total{type="mutation",name="OpsStartJob",outcome="error"}') ?? 0).toBe(0);
    expect(values.get(`provider_requests_total{${hume},status="503"}`)).toBe(1);
    expect(values.get(`provider_requests_total{${hume},status="429"}`)).toBe(1);
    expect(values.get(`provider_requests_total{${hume},status="200"}`)).toBe(1);
    expect(values.get(`provider_errors_total{${hume}}`)).toBe(2);
    expect(values.get(`provider_retries_total{${hume},reason="503"}`)).toBe(1);
    expect(values.get(`provider_retries_total{${hume},reason="429"}`)).toBe(1);
    expect(values.get(`provider_rate_limited_total{${hume}}`)).toBe(1);
    expect(values.get(`provider_request_duration_seconds_count{${hume}}`)).toBe(3);
    expect(values.get('tracked_work{kind="hume-job"}')).toBe(1);
    expect(values.get('websocket_connections')).toBe(0);

    // Once the job is over, it is no longer followed.
    expect(stack.hume.finishNow(start.job.id)).toBe(true);
    await eventually(async () => (await series()).get('tracked_work{kind="hume-job"}') === 0);
  });
});

describe('readiness', () => {
  it('is ready when the providers answer, and not when one is unreachable', async () => {
    const ready = await fetch(`${stack.gateway.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: expect.arrayContaining([expect.objectContaining({ name: 'hume', ok: true }), expect.objectContaining({ name: 'phonexia', ok: true })]) });

    const down = await startStack({ hume: false });
    try {
      await down.phonexia.close();
      const answer = await fetch(`${down.gateway.url}/ready`);
      expect(answer.status).toBe(503);
      expect(await answer.json()).toMatchObject({ ready: false, checks: expect.arrayContaining([expect.objectContaining({ name: 'phonexia', ok: false })]) });
      expect((await fetch(`${down.gateway.url}/health`)).status).toBe(200);
    } finally {
      await down.close();
    }
  });
});

describe('readiness with rejected credentials', () => {
  it('is not ready when a provider rejects the gateway\'s key (401/403), and says which provider', async () => {
    // A gateway with the wrong key in front of the real simulators (which take only TEST_HUME_KEY).
    const wrongKey = 'not-the-key-0123456789';
    const config = loadConfig({
      PORT: '0',
      SANDBOX: 'false',
      HUME_API_KEY: wrongKey,
      HUME_BASE_URL: stack.humeUrl,
      HUME_EXPRESSION_BASE_URL: stack.expressionUrl,
      PHONEXIA_BASE_URL: stack.phonexiaUrl,
    });
    const rejected = await startGateway({ config, logger: silentLogger, host: '127.0.0.1' });
    try {
      // Phonexia (or the proxy in front of it) refuses the gateway's headers.
      stack.phonexia.faults.add({ method: 'GET', path: '/api/system/status', times: Infinity, fault: { kind: 'status', status: 403 } });
      const answer = await fetch(`${rejected.url}/ready`);
      expect(answer.status).toBe(503);
      const body = (await answer.json()) as { ready: boolean; checks: Array<{ name: string; ok: boolean; detail?: string }> };
      expect(body.ready).toBe(false);
      const byName = Object.fromEntries(body.checks.map((c) => [c.name, c]));
      expect(byName.hume).toEqual({ name: 'hume', ok: false, detail: 'credentials rejected (HTTP 401)' });
      expect(byName['hume-expression']).toEqual({ name: 'hume-expression', ok: false, detail: 'credentials rejected (HTTP 401)' });
      expect(byName.phonexia).toEqual({ name: 'phonexia', ok: false, detail: 'credentials rejected (HTTP 403)' });
      expect(JSON.stringify(body)).not.toContain(wrongKey);
    } finally {
      stack.phonexia.faults.clear();
      await rejected.close();
    }
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
