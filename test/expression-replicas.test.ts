/**
 * Hume expression runs across replicas: two real gateway processes sharing a redis-server of this file's own, the
 * Hume expression simulator in this process (so the test sees every upload). A run lives in the memory of the
 * replica that took the upload: when it finishes there, a subscriber on the other replica sees it; when that
 * replica is SIGKILLed mid-measurement, the survivor adopts the run once the lease lapses and fails it, saying to
 * start it again, rather than leaving it RUNNING forever; and when a replica that stalled past its lease comes back
 * and finishes the run anyway, the first outcome (the survivor's FAILED) stays the run's on both.
 */
import { print, type ExecutionResult } from 'graphql';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HumeExpressionSimulator } from '../src/simulators/hume-expression/simulator.js';
import { graphql } from './gql/index.js';
import type { ExprReplicaMeasureAudioMutation } from './gql/graphql.js';
import { toneWav } from './support/expression-media.js';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process.js';
import { subscribeWs, wsClient } from './support/live-clients.js';
import { REDIS_MISSING_MESSAGE, startRedisServer } from './support/redis-server.js';
import { UploadTap } from './support/upload-tap.js';

const redis = await startRedisServer();
if (!redis) console.warn(`[expression-replicas.test] ${REDIS_MISSING_MESSAGE}`);

const KEY = 'expression-replicas-test-key-0123456789';
const LEASE_MS = 1_000;
const AUDIO_PATH = '/v1/expression/audio/file';

const MeasureAudio = graphql(`
  mutation ExprReplicaMeasureAudio($input: MeasureAudioInput!) {
    measureAudio(input: $input) { __typename ... on MeasureSuccess { run { id status } } ... on Error { message } }
  }
`);

const RunUpdated = graphql(`
  subscription ExprReplicaRunUpdated($id: ID!) {
    expressionRunUpdated(id: $id) { id status error audio { channel utterances { startMs endMs } } }
  }
`);

/** A promise that must settle in time: a failure is a failure, never a hang. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function eventually<T>(check: () => T | null | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** measureAudio as a GraphQL multipart request to one replica. */
async function measure(gateway: GatewayProcess, name: string, wav = toneWav({ totalMs: 2000, channels: [[{ startMs: 200, endMs: 1500 }], [{ startMs: 800, endMs: 1800 }]] })): Promise<string> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: print(MeasureAudio), variables: { input: { file: null } } }));
  form.append('map', JSON.stringify({ 0: ['variables.input.file'] }));
  form.append('0', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), name);
  const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', body: form, headers: { 'x-graphql-yoga-csrf': '1' } });
  const result = (await response.json()) as ExecutionResult<ExprReplicaMeasureAudioMutation>;
  const start = result.data?.measureAudio;
  if (start?.__typename !== 'MeasureSuccess') throw new Error(`measureAudio failed: ${JSON.stringify(result)}`);
  expect(start.run.status).toBe('RUNNING');
  return start.run.id;
}

describe.skipIf(!redis)('Hume expression runs across replicas (gateway processes sharing Redis)', () => {
  let sim: HumeExpressionSimulator;
  let tap: UploadTap;
  let a: GatewayProcess;
  let b: GatewayProcess;

  beforeAll(async () => {
    sim = new HumeExpressionSimulator({ apiKey: KEY });
    const { url } = await sim.listen(0, '127.0.0.1');
    tap = new UploadTap(sim.server);
    const env = {
      HUME_API_KEY: KEY,
      HUME_EXPRESSION_BASE_URL: url,
      REDIS_URL: redis!.url,
      WEBHOOK_SECRET: 'expression-replicas-webhook-secret-0123456789',
      TRACKING_LEASE_MS: String(LEASE_MS),
      SUBSCRIPTION_RESYNC_MS: '2000',
    };
    [a, b] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    tap?.detach();
    await sim?.close();
    await redis?.stop();
  });

  beforeEach((context) => {
    // A failure shows what the gateways said.
    context.onTestFailed(() => {
      for (const p of [a, b]) if (p) console.error(`--- gateway process pid ${p.pid} (${p.url}) output ---\n${p.logs() || '(nothing)'}`);
    });
  });

  afterEach(() => {
    tap.release();
    sim.timing = { measureDelayMs: 0 };
  });

  it('shows a subscriber on replica B a run that replica A measured and finished', async () => {
    // Hume answers only once B's subscriber has seen the run RUNNING.
    tap.hold();
    const from = tap.uploads.length;
    const id = await measure(a, 'on-a.wav');
    const client = wsClient(b.url);
    try {
      const live = subscribeWs(client, RunUpdated, { id });
      expect((await within(live.first, 10_000, 'the first result on B')).data?.expressionRunUpdated.status).toBe('RUNNING');
      await eventually(() => tap.uploads.length > from, "A's first upload to reach Hume");
      tap.release();
      const results = await within(live.done, 15_000, 'the subscription on B to complete');
      expect(results.every((r) => r.errors === undefined), JSON.stringify(results.map((r) => r.errors))).toBe(true);
      expect(results.map((r) => r.data!.expressionRunUpdated.status)).toEqual(['RUNNING', 'COMPLETED']);
      expect(results[1]!.data!.expressionRunUpdated.audio!.map((c) => [c.channel, c.utterances.length])).toEqual([
        [0, 1],
        [1, 1],
      ]);
      expect(tap.uploads.slice(from).filter((u) => u.path === AUDIO_PATH)).toHaveLength(2);
    } finally {
      await client.dispose();
    }
  }, 30_000);

  it("keeps the survivor's FAILED when a stalled replica comes back and finishes the run it had lost", async () => {
    // A takes a one-channel upload; Hume's answer is held while A is frozen (SIGSTOP) past its lease, B adopts the
    // run and fails it; then A thaws and receives Hume's answer. The first outcome must stay the run's.
    tap.hold();
    const from = tap.uploads.length;
    const wav = toneWav({ totalMs: 2000, channels: [[{ startMs: 200, endMs: 1500 }]] });
    const id = await measure(a, 'stalled.wav', wav);
    const client = wsClient(b.url);
    try {
      const live = subscribeWs(client, RunUpdated, { id });
      expect((await within(live.first, 10_000, 'the first result on B')).data?.expressionRunUpdated.status).toBe('RUNNING');
      await eventually(() => tap.uploads.length > from, "A's upload to reach Hume");
      process.kill(a.pid, 'SIGSTOP');
      let results: ExecutionResult<{ expressionRunUpdated: { status: string; error: string | null } }>[];
      try {
        results = await within(live.done, 20_000, 'B to fail the run it adopted');
      } finally {
        tap.release();
        process.kill(a.pid, 'SIGCONT');
      }
      expect(results.map((r) => r.data!.expressionRunUpdated.status)).toEqual(['RUNNING', 'FAILED']);
      const failedBy = results[1]!.data!.expressionRunUpdated.error;
      const readOn = async (replica: GatewayProcess) => {
        const response = await fetch(`${replica.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: 'query($id: ID!) { expressionRun(id: $id) { status error audio { channel } } }', variables: { id } }),
        });
        return ((await response.json()) as ExecutionResult<{ expressionRun: { status: string; error: string | null; audio: unknown } }>).data?.expressionRun;
      };
      // A is done with the run once it logs dropping its outcome (the fix) or once its own outcome shows on A (the
      // bug; B keeps showing FAILED from its cache of finished runs, so the replicas would disagree).
      const deadline = Date.now() + 30_000;
      while (!/already ended elsewhere; this outcome is dropped/.test(a.logs()) && (await readOn(a))?.error === failedBy) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for A to receive Hume's answer; A shows ${JSON.stringify(await readOn(a))}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      for (const replica of [a, b]) expect(await readOn(replica), `on ${replica === a ? 'A' : 'B'}`).toEqual({ status: 'FAILED', error: failedBy, audio: null });
    } finally {
      await client.dispose();
    }
  }, 60_000);

  it('fails a run whose replica was SIGKILLed mid-measurement once its lease lapses, and the subscriber on the survivor sees it', async () => {
    // Hume takes far longer than the test to measure: the upload is in flight when A dies.
    sim.timing = { measureDelayMs: 60_000 };
    const uploadsBefore = sim.requests.count({ method: 'POST', path: AUDIO_PATH });
    const id = await measure(a, 'doomed.wav');
    const client = wsClient(b.url);
    try {
      const live = subscribeWs(client, RunUpdated, { id });
      expect((await within(live.first, 10_000, 'the first result on B')).data?.expressionRunUpdated.status).toBe('RUNNING');
      await eventually(() => sim.requests.count({ method: 'POST', path: AUDIO_PATH }) > uploadsBefore, "A's upload to reach Hume");

      a.kill();
      expect((await within(a.exited, 5_000, 'A to die')).signal).toBe('SIGKILL');

      const results = await within(live.done, 20_000, 'the subscription on B to complete');
      expect(results.every((r) => r.errors === undefined), JSON.stringify(results.map((r) => r.errors))).toBe(true);
      expect(results.map((r) => r.data!.expressionRunUpdated.status)).toEqual(['RUNNING', 'FAILED']);
      const failed = results[1]!.data!.expressionRunUpdated;
      expect(failed.audio).toBeNull();
      expect(failed.error).toMatch(/stopped before it finished; start the measurement again/);
      // B had no bytes to send: it failed the run without uploading anything itself.
      expect(sim.requests.count({ method: 'POST', path: AUDIO_PATH })).toBe(uploadsBefore + 1);
    } finally {
      await client.dispose();
    }
  }, 40_000);
});
