/**
 * Replicas as real processes sharing one Redis (a redis-server of this file's own on a free port): a callback
 * that lands on another replica than the subscriber's, a replica SIGKILLed while it polls, a graceful restart in
 * the middle of a task, and a subscriber whose Redis connections are cut again and again while it waits.
 *
 * The provider simulators run in this process, so the test sees every request and callback; the gateways are
 * `node --import tsx src/main.ts` processes with short leases (1 s) and re-reads (2 s).
 */
import { Redis } from 'ioredis';
import { print, type ExecutionResult } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HumeSimulator } from '../src/simulators/hume-batch/simulator.js';
import { PhonexiaSimulator } from '../src/simulators/phonexia/simulator.js';
import { graphql } from './gql/index.js';
import { freePort, startGatewayProcess, type GatewayProcess } from './support/gateway-process.js';
import { subscribeWs, wsClient } from './support/live-clients.js';
import { REDIS_MISSING_MESSAGE, startRedisServer } from './support/redis-server.js';
import { pcmWav } from './support/wav.js';

const redis = await startRedisServer();
if (!redis) console.warn(`[replicas.test] ${REDIS_MISSING_MESSAGE}`);

const HUME_KEY = 'replicas-test-hume-key-0123456789';
const LEASE_MS = 1_000;
const RESYNC_MS = 2_000;
/** Key layout of src/store/redis.ts under its default prefix. */
const PREFIX = 'emotion-gateway:';
const TASK_PATH = '/api/technology/emotion-recognition/';

const StartJob = graphql(`
  mutation ReplicaStartJob($input: StartJobInput!) {
    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } ... on Error { message } }
  }
`);

const JobUpdated = graphql(`
  subscription ReplicaJobUpdated($id: ID!) {
    jobUpdated(id: $id) { id status request { callbackEnabled } }
  }
`);

const StartTask = graphql(`
  mutation ReplicaStartTask($input: StartEmotionTaskInput!) {
    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } ... on Error { message } }
  }
`);

const TaskUpdated = graphql(`
  subscription ReplicaTaskUpdated($id: ID!) {
    emotionTaskUpdated(id: $id) { id status channels { channel dominantEmotion { name } } }
  }
`);

const wav = pcmWav({ channels: 2, seconds: 2 });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(check: () => Promise<T | null | undefined | false> | T | null | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

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

async function execute<R, V>(gateway: GatewayProcess, document: TypedDocumentNode<R, V>, variables: V): Promise<ExecutionResult<R>> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as ExecutionResult<R>;
}

async function startJob(gateway: GatewayProcess): Promise<string> {
  const result = await execute(gateway, StartJob, { input: { text: ['a callback for another replica'], models: { language: {} } } });
  const start = result.data?.startJob;
  if (start?.__typename !== 'StartJobSuccess') throw new Error(`startJob failed: ${JSON.stringify(result)}`);
  return start.job.id;
}

/** startEmotionTask as a GraphQL multipart request (the file at `variables.input.file`). */
async function startTask(gateway: GatewayProcess): Promise<string> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: print(StartTask), variables: { input: { file: null } } }));
  form.append('map', JSON.stringify({ 0: ['variables.input.file'] }));
  form.append('0', new Blob([wav], { type: 'audio/wav' }), 'call.wav');
  const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', body: form, headers: { 'x-graphql-yoga-csrf': '1' } });
  const result = (await response.json()) as ExecutionResult<{ startEmotionTask: { __typename: string; task?: { id: string } } }>;
  const start = result.data?.startEmotionTask;
  if (start?.__typename !== 'StartEmotionTaskSuccess' || !start.task) throw new Error(`startEmotionTask failed: ${JSON.stringify(result)}`);
  return start.task.id;
}

describe.skipIf(!redis)('replicas (gateway processes sharing Redis)', () => {
  let hume: HumeSimulator;
  let phonexia: PhonexiaSimulator;
  let humeUrl: string;
  let phonexiaUrl: string;
  /** The test's own connection, for inspecting keys and cutting the gateways' connections. */
  let admin: Redis;
  let adminId: number;
  const secret = 'replicas-test-webhook-secret-0123456789';
  /** Processes a failure report shows: the shared pair while it runs, and those the current test started. */
  let shared: GatewayProcess[] = [];
  let ownProcesses: GatewayProcess[] = [];

  beforeAll(async () => {
    hume = new HumeSimulator({ apiKey: HUME_KEY });
    phonexia = new PhonexiaSimulator();
    humeUrl = (await hume.listen(0, '127.0.0.1')).url;
    phonexiaUrl = (await phonexia.listen(0, '127.0.0.1')).url;
    admin = new Redis(redis!.url, { maxRetriesPerRequest: 1 });
    adminId = Number(await admin.client('ID'));
  });

  afterAll(async () => {
    await admin?.quit().catch(() => {});
    await hume?.close();
    await phonexia?.close();
    await redis?.stop();
  });

  beforeEach((context) => {
    ownProcesses = [];
    // A failure shows what the gateways said.
    context.onTestFailed(() => {
      for (const p of [...shared, ...ownProcesses]) console.error(`--- gateway process pid ${p.pid} (${p.url}) output ---\n${p.logs() || '(nothing)'}`);
    });
  });

  afterEach(async () => {
    // Stopped after each test, so no replica of one test adopts another test's work.
    await Promise.all(ownProcesses.map((p) => p.stop()));
  });

  function baseEnv(): Record<string, string> {
    return {
      HUME_API_KEY: HUME_KEY,
      HUME_BASE_URL: humeUrl,
      PHONEXIA_BASE_URL: phonexiaUrl,
      REDIS_URL: redis!.url,
      WEBHOOK_SECRET: secret,
      TRACKING_LEASE_MS: String(LEASE_MS),
      SUBSCRIPTION_RESYNC_MS: String(RESYNC_MS),
    };
  }

  /** A gateway process of the current test: stopped after it. */
  async function gateway(extra: Record<string, string> = {}): Promise<GatewayProcess> {
    const started = await startGatewayProcess({ ...baseEnv(), ...extra });
    ownProcesses.push(started);
    return started;
  }

  const leaseKey = (taskId: string) => `${PREFIX}lease:phonexia-task:${taskId}`;
  const trackedKey = `${PREFIX}tracked:phonexia-task`;
  const taskGets = (taskId: string) => phonexia.requests.matching({ method: 'GET', path: TASK_PATH + taskId });

  /** Records every holder the task's lease has had, until stopped. */
  function watchLease(taskId: string) {
    const owners: string[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        const owner = await admin.get(leaseKey(taskId));
        if (owner !== null && owners.at(-1) !== owner) owners.push(owner);
        await sleep(50);
      }
    })();
    return {
      owners,
      stop: async () => {
        running = false;
        await loop;
      },
    };
  }

  /** `id=` of every connected client of a type, from CLIENT LIST. */
  async function clientIds(type: 'normal' | 'pubsub'): Promise<number[]> {
    const list = String(await admin.call('CLIENT', 'LIST', 'TYPE', type));
    return list
      .split('\n')
      .map((line) => /(?:^|\s)id=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined)
      .map(Number);
  }

  async function allClientIds(): Promise<Set<number>> {
    const ids = [...(await clientIds('normal')), ...(await clientIds('pubsub'))].filter((id) => id !== adminId);
    return new Set(ids);
  }

  describe('two replicas, each with its own PUBLIC_URL', () => {
    let a: GatewayProcess;
    let b: GatewayProcess;
    /** B's Redis connections: the only gateway connections that are never cut. */
    let spared: Set<number>;

    beforeAll(async () => {
      // B first, so that its connections are known before A's exist (the last test cuts only A's).
      const [portA, portB] = await Promise.all([freePort(), freePort()]);
      b = await startGatewayProcess({ ...baseEnv(), PORT: String(portB), PUBLIC_URL: `http://127.0.0.1:${portB}` });
      shared.push(b);
      let known = new Set<number>();
      await eventually(async () => {
        const now = await allClientIds();
        const stable = now.size > 0 && now.size === known.size && [...now].every((id) => known.has(id));
        known = now;
        if (!stable) await sleep(300);
        return stable;
      }, "B's Redis connections to settle");
      spared = known;
      a = await startGatewayProcess({ ...baseEnv(), PORT: String(portA), PUBLIC_URL: `http://127.0.0.1:${portA}` });
      shared.push(a);
    }, 40_000);

    afterAll(async () => {
      await Promise.all(shared.map((p) => p.stop()));
      shared = [];
    });

    it('delivers a completion whose Hume callback reached another replica', async () => {
      // The job runs until the subscriber on A has seen it running: a loaded machine cannot make it finish first.
      hume.timing = { queuedMs: 300, runningMs: 600_000 };

      const id = await startJob(b);
      const client = wsClient(a.url);
      try {
        const live = subscribeWs(client, JobUpdated, { id });
        await within(live.first, 10_000, 'the first result on A');
        expect(hume.finishNow(id)).toBe(true);
        const results = await within(live.done, 15_000, 'the subscription on A to complete');
        const statuses = results.map((r) => r.data?.jobUpdated.status);
        expect(results.every((r) => r.errors === undefined)).toBe(true);
        expect(statuses[0]).toMatch(/QUEUED|IN_PROGRESS/);
        expect(statuses.at(-1)).toBe('COMPLETED');
        expect(new Set(statuses).size).toBe(statuses.length);
        expect(results[0]!.data!.jobUpdated.request.callbackEnabled).toBe(true);
      } finally {
        await client.dispose();
      }

      const callbacks = await eventually(() => {
        const found = hume.callbacks.filter((c) => (c.body as { job_id?: string }).job_id === id);
        return found.length > 0 && found;
      }, 'the callback to be recorded');
      for (const callback of callbacks) expect(callback.url.startsWith(`${b.url}/webhooks/hume/`), callback.url).toBe(true);
      expect(callbacks.some((c) => c.status !== undefined && c.status >= 200 && c.status < 300), JSON.stringify(callbacks.map((c) => c.status ?? c.error))).toBe(true);
    }, 30_000);

    it("still completes a subscription while that replica's Redis connections are cut again and again", async () => {
      const timing = { pendingMs: 300, runningMs: 2_700 };
      phonexia.timing = timing;

      const startedAt = Date.now();
      const id = await startTask(b);
      const finishAt = startedAt + timing.pendingMs + timing.runningMs;
      const client = wsClient(a.url);
      const killed = { normal: 0, pubsub: 0, rounds: 0 };
      let cutting = true;
      let cutter: Promise<void> = Promise.resolve();
      try {
        const live = subscribeWs(client, TaskUpdated, { id });
        await within(live.first, 10_000, 'the first result on A');
        // Both of A's connection kinds exist now (A's subscriber is in pub/sub mode for this subscription).
        expect((await clientIds('pubsub')).some((cid) => !spared.has(cid))).toBe(true);

        // Cut A's connections every 200 ms from a second before the task finishes until 1.5 s after.
        cutter = (async () => {
          await sleep(Math.max(0, finishAt - 1_000 - Date.now()));
          const until = finishAt + 1_500;
          while (cutting && Date.now() < until) {
            killed.rounds++;
            for (const type of ['pubsub', 'normal'] as const) {
              for (const cid of await clientIds(type)) {
                if (cid === adminId || spared.has(cid)) continue;
                killed[type] += Number(await admin.client('KILL', 'ID', String(cid)));
              }
            }
            await sleep(200);
          }
        })();

        const results = await within(live.done, 20_000, 'the subscription on A to complete');
        await cutter;
        const statuses = results.map((r) => r.data?.emotionTaskUpdated.status);
        expect(results.every((r) => r.errors === undefined), JSON.stringify(results.map((r) => r.errors))).toBe(true);
        expect(statuses.at(-1)).toBe('DONE');
        // The cuts happened, hit both kinds of A's connections, and A noticed its reconnections.
        expect(killed.rounds).toBeGreaterThanOrEqual(8);
        expect(killed.pubsub).toBeGreaterThan(0);
        expect(killed.normal).toBeGreaterThan(0);
        expect(a.logs()).toContain('backend reconnected');
        // B's connections were spared.
        const remaining = await allClientIds();
        expect([...spared].every((cid) => remaining.has(cid))).toBe(true);
      } finally {
        cutting = false;
        await cutter.catch(() => {});
        await client.dispose();
      }
    }, 40_000);
  });

  it('moves polling to a surviving replica when the polling one is SIGKILLed', async () => {
    const [a, b] = await Promise.all([gateway(), gateway()]);
    phonexia.timing = { pendingMs: 500, runningMs: 4_000 };

    const id = await startTask(a);
    const lease = watchLease(id);
    const client = wsClient(b.url);
    try {
      const holderA = await eventually(() => admin.get(leaseKey(id)), 'A to hold the lease');
      const live = subscribeWs(client, TaskUpdated, { id });
      await eventually(() => live.results.some((r) => r.data?.emotionTaskUpdated.status === 'RUNNING'), 'B to see RUNNING', 10_000);
      expect(await admin.get(leaseKey(id))).toBe(holderA);

      const killedAt = Date.now();
      a.kill();
      expect((await within(a.exited, 5_000, 'A to die')).signal).toBe('SIGKILL');

      const results = await within(live.done, 20_000, 'the subscription on B to complete');
      const statuses = results.map((r) => r.data?.emotionTaskUpdated.status);
      expect(results.every((r) => r.errors === undefined)).toBe(true);
      expect(statuses.at(-1)).toBe('DONE');
      expect(results.at(-1)!.data!.emotionTaskUpdated.channels).toHaveLength(2);
      await lease.stop();

      // Phonexia was still asked after A died (only B was left to ask) ...
      expect(taskGets(id).filter((r) => r.at > killedAt).length).toBeGreaterThan(0);
      // ... and B took over the lease: the work moved, it was not merely re-read by B's subscription.
      expect(lease.owners[0]).toBe(holderA);
      expect(lease.owners.length).toBeGreaterThanOrEqual(2);
      expect(lease.owners.at(-1)).not.toBe(holderA);
      // The adopter ran the task to its end: no longer tracked, lease released.
      await eventually(async () => (await admin.sismember(trackedKey, id)) === 0, 'the task to leave the tracked set');
      // The lease is released just after the set entry goes (two separate Redis calls).
      await eventually(async () => (await admin.get(leaseKey(id))) === null, 'the lease to be released');
    } finally {
      await lease.stop();
      await client.dispose();
    }
  }, 40_000);

  it('hands a task over on a graceful restart and the new process finishes it', async () => {
    const port = await freePort();
    const bootStarted = Date.now();
    const first = await gateway({ PORT: String(port) });
    // Long enough to outlast a stop and a start even on a slow (or busy) machine, so the restart is mid-task.
    const bootMs = Date.now() - bootStarted;
    const timing = { pendingMs: 300, runningMs: Math.min(15_000, Math.max(4_000, 2 * bootMs + 2_000)) };
    phonexia.timing = timing;

    const startedAt = Date.now();
    const id = await startTask(first);
    const finishAt = startedAt + timing.pendingMs + timing.runningMs;
    const oldHolder = await eventually(() => admin.get(leaseKey(id)), 'the first process to hold the lease');
    await eventually(() => taskGets(id).length > 0, 'the first process to poll');

    expect(await within(first.stop(), 12_000, 'the first process to exit')).toBe(0);
    const stoppedAt = Date.now();
    // Handed over at once (released, not left to lapse), and still tracked: the work is not finished.
    expect(await admin.get(leaseKey(id))).toBeNull();
    expect(await admin.sismember(trackedKey, id)).toBe(1);

    const lease = watchLease(id);
    const second = await gateway({ PORT: String(port) });
    const client = wsClient(second.url);
    try {
      const results = await within(
        subscribeWs(client, TaskUpdated, { id }).done,
        timing.runningMs + 10_000,
        'the subscription on the new process to complete',
      );
      const statuses = results.map((r) => r.data?.emotionTaskUpdated.status);
      expect(results.every((r) => r.errors === undefined)).toBe(true);
      // Still running when the new process came up, then done.
      expect(statuses).toEqual(['RUNNING', 'DONE']);
      await lease.stop();

      // The new process polled the task while it ran ...
      expect(taskGets(id).filter((r) => r.at > stoppedAt && r.at < finishAt).length).toBeGreaterThan(0);
      // ... as the adopter of its work (a new lease holder), and finished it.
      expect(lease.owners.length).toBeGreaterThanOrEqual(1);
      expect(lease.owners).not.toContain(oldHolder);
      await eventually(async () => (await admin.sismember(trackedKey, id)) === 0, 'the task to leave the tracked set');
    } finally {
      await lease.stop();
      await client.dispose();
    }
  }, 60_000);

});
