/**
 * Live status over real WebSocket (graphql-transport-ws) and SSE clients against the real gateway and simulators:
 * callbacks, polling, the safety net, races, late subscribers, unknown ids and forged or replayed callbacks.
 */
import { humeBatch } from '../src/providers/hume-batch/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusEvent } from '../src/events.js';
import { graphql } from './gql/index.js';
import { subscribeSse, subscribeWs, wsClient } from './support/live-clients.js';
import { eventually, startStack, type Stack } from './support/stack.js';
import { pcmWav } from './support/wav.js';

const StartJob = graphql(`
  mutation LiveStartJob($input: StartJobInput!) {
    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } }
  }
`);

const JobUpdated = graphql(`
  subscription JobUpdated($id: ID!) {
    jobUpdated(id: $id) { id status request { callbackEnabled } state { __typename } }
  }
`);

const StartTask = graphql(`
  mutation LiveStartTask($input: StartEmotionTaskInput!) {
    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }
  }
`);

const TaskUpdated = graphql(`
  subscription EmotionTaskUpdated($id: ID!) {
    emotionTaskUpdated(id: $id) { id status channels { channel dominantEmotion { name } } }
  }
`);

const Analyze = graphql(`
  mutation LiveAnalyze($input: AnalyzeMediaInput!) {
    analyzeMedia(input: $input) { __typename ... on AnalyzeMediaSuccess { analysis { id } } }
  }
`);

const AnalysisUpdated = graphql(`
  subscription MediaAnalysisUpdated($id: ID!) {
    mediaAnalysisUpdated(id: $id) { id status job { status } emotionTask { status } }
  }
`);

const wav = { name: 'clip.wav', type: 'audio/wav', data: pcmWav({ channels: 2, seconds: 3 }) };

async function startJob(stack: Stack, text = 'live status please'): Promise<string> {
  const result = await stack.execute(StartJob, { input: { text: [text], models: { language: {} } } });
  const start = result.data?.startJob;
  if (start?.__typename !== 'StartJobSuccess') throw new Error(JSON.stringify(result));
  return start.job.id;
}

/** Every status event the gateway publishes for a job, collected in process (to prove nothing extra went out). */
function recordEvents(stack: Stack, topic: 'jobUpdated' | 'emotionTaskUpdated', id: string) {
  const seen: StatusEvent[] = [];
  const iterator = stack.gateway.services.events.subscribe(topic, id)[Symbol.asyncIterator]();
  void (async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      seen.push(next.value as StatusEvent);
    }
  })();
  return { seen, stop: () => void iterator.return?.() };
}

describe('with callbacks (PUBLIC_URL set)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ publicUrl: true, safetyNetGapMs: 200, resyncMs: 60_000 });
  });
  afterAll(async () => stack.close());

  it('streams a queued job from its current state to COMPLETED over WebSocket, then completes', async () => {
    // Queued until the subscriber has seen it so, then finished: a busy machine cannot let it end unwatched.
    stack.hume.timing = { queuedMs: 60_000, runningMs: 0 };
    const id = await startJob(stack);
    const client = wsClient(stack.gateway.url);
    const live = subscribeWs(client, JobUpdated, { id });
    await live.first;
    expect(stack.hume.finishNow(id)).toBe(true);
    const results = await live.done;
    await client.dispose();
    expect(results.map((r) => r.data!.jobUpdated.status)).toEqual(['QUEUED', 'COMPLETED']);
    expect(results.at(-1)!.data!.jobUpdated.state.__typename).toBe('JobCompleted');
    expect(results[0]!.data!.jobUpdated.request.callbackEnabled).toBe(true);
  });

  it('delivers a completion the moment Hume calls back (job finished on demand)', async () => {
    stack.hume.timing = { queuedMs: 0, runningMs: 600_000 };
    const id = await startJob(stack);
    const client = wsClient(stack.gateway.url);
    const live = subscribeWs(client, JobUpdated, { id });
    expect((await live.first).data!.jobUpdated.status).toBe('IN_PROGRESS');
    expect(stack.hume.finishNow(id)).toBe(true);
    const results = await live.done;
    await client.dispose();
    expect(results.map((r) => r.data!.jobUpdated.status)).toEqual(['IN_PROGRESS', 'COMPLETED']);
  });

  it('gives a late subscriber the final state and completion at once', async () => {
    stack.hume.timing = { queuedMs: 0, runningMs: 0 };
    const id = await startJob(stack);
    await eventually(async () => (await stack.gateway.services.providers.require(humeBatch).getJob(id))?.status === 'COMPLETED');
    const client = wsClient(stack.gateway.url);
    const results = await subscribeWs(client, JobUpdated, { id }).done;
    await client.dispose();
    expect(results.map((r) => r.data!.jobUpdated.status)).toEqual(['COMPLETED']);
  });

  it('never misses a completion that races the subscription (many runs)', async () => {
    const client = wsClient(stack.gateway.url);
    for (let run = 0; run < 25; run++) {
      stack.hume.timing = { queuedMs: 0, runningMs: run % 5 };
      const id = await startJob(stack, `race ${run}`);
      const results = await subscribeWs(client, JobUpdated, { id }).done;
      const statuses = results.map((r) => r.data!.jobUpdated.status);
      expect(statuses.at(-1), `run ${run}`).toBe('COMPLETED');
      expect(statuses.filter((s) => s === 'COMPLETED')).toHaveLength(1);
    }
    await client.dispose();
  });

  it('still completes when the callback is dropped (safety net)', async () => {
    stack.hume.timing = { queuedMs: 50, runningMs: 50 };
    stack.hume.dropCallbacks = true;
    try {
      const id = await startJob(stack);
      const client = wsClient(stack.gateway.url);
      const results = await subscribeWs(client, JobUpdated, { id }).done;
      await client.dispose();
      expect(results.at(-1)!.data!.jobUpdated.status).toBe('COMPLETED');
      // This job's callback was the one dropped (not merely some earlier job's).
      expect(stack.hume.callbacks.filter((c) => (c.body as { job_id?: string }).job_id === id).map((c) => c.error)).toEqual(['dropped']);
    } finally {
      stack.hume.dropCallbacks = false;
    }
  });

  it('ends a subscription to an unknown job the same way on WebSocket and SSE: one NOT_FOUND result, then complete', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const client = wsClient(stack.gateway.url);
    // `done` resolves on `complete`; a graphql-ws `error` message would reject it instead.
    const overWs = await subscribeWs(client, JobUpdated, { id }).done;
    await client.dispose();
    const overSse = await subscribeSse(stack.gateway.url, JobUpdated, { id }).done;
    for (const results of [overWs, overSse]) {
      expect(results).toHaveLength(1);
      expect(results[0]!.data).toBeNull();
      expect(results[0]!.errors).toHaveLength(1);
      expect(results[0]!.errors![0]).toMatchObject({ message: `job ${id} is unknown to Hume`, extensions: { code: 'NOT_FOUND' } });
    }
  });

  it('refuses forged callbacks and publishes nothing for replays or foreign tokens', async () => {
    stack.hume.timing = { queuedMs: 0, runningMs: 0 };
    const a = await startJob(stack, 'job a');
    const callback = await eventually(async () => stack.hume.callbacks.find((c) => (c.body as { job_id?: string }).job_id === a && c.status === 202));
    await eventually(async () => (await stack.gateway.services.store.get('hume-job-status', `${a}:COMPLETED`)) === true);
    const b = await startJob(stack, 'job b');
    await eventually(async () => (await stack.gateway.services.store.get('hume-job-status', `${b}:COMPLETED`)) === true);
    const eventsA = recordEvents(stack, 'jobUpdated', a);
    const eventsB = recordEvents(stack, 'jobUpdated', b);
    const hookBase = `${stack.gateway.url}/webhooks/hume/`;
    const post = (url: string, body: string, type = 'application/json') =>
      fetch(url, { method: 'POST', headers: { 'content-type': type }, body }).then((r) => r.status);

    const [nonce, signature] = callback.url.slice(hookBase.length).split('.');
    const forged = `${nonce}.${signature!.slice(0, -2)}${signature!.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await post(`${hookBase}${forged}`, JSON.stringify({ job_id: a, status: 'COMPLETED' }))).toBe(404);
    expect(await post(`${hookBase}not-a-token`, '{}')).toBe(404);
    expect(await fetch(callback.url).then((r) => r.status)).toBe(405);
    expect(await post(callback.url, 'job_id=1', 'text/plain')).toBe(415);
    // A replay, a body naming another job, a malformed body and a huge one: accepted, and only re-read job a.
    expect(await post(callback.url, JSON.stringify(callback.body), 'application/json; charset=utf-8')).toBe(202);
    expect(await post(callback.url, JSON.stringify({ job_id: b, status: 'COMPLETED' }))).toBe(202);
    expect(await post(callback.url, '{"job_id": ')).toBe(202);
    expect(await post(callback.url, JSON.stringify({ pad: 'x'.repeat(8 * 1024 * 1024) }))).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(eventsA.seen).toEqual([]);
    expect(eventsB.seen).toEqual([]);
    eventsA.stop();
    eventsB.stop();
    // The gateway is still healthy.
    expect(await fetch(`${stack.gateway.url}/health`).then((r) => r.status)).toBe(200);
  });

  it('streams an emotion task over SSE and completes', async () => {
    stack.phonexia.timing = { pendingMs: 100, runningMs: 100 };
    const started = await stack.upload(StartTask, { input: { file: null } as never }, { 'variables.input.file': wav });
    const task = started.data!.startEmotionTask;
    if (task.__typename !== 'StartEmotionTaskSuccess') throw new Error(JSON.stringify(started));
    const results = await subscribeSse(stack.gateway.url, TaskUpdated, { id: task.task.id }).done;
    const statuses = results.map((r) => r.data!.emotionTaskUpdated.status);
    expect(statuses.at(-1)).toBe('DONE');
    expect(new Set(statuses).size).toBe(statuses.length);
    expect(results.at(-1)!.data!.emotionTaskUpdated.channels).toHaveLength(2);
  });

  it('ends an SSE subscription to a foreign task with an error', async () => {
    const results = await subscribeSse(stack.gateway.url, TaskUpdated, { id: '0f6d2c1e-6a43-4c2f-9a55-3b7c0e2d9a10' }).done;
    expect(results.at(-1)!.errors?.[0]?.message).toMatch(/not started through this gateway/);
  });

  it('streams a media analysis until both sides are done', async () => {
    stack.hume.timing = { queuedMs: 50, runningMs: 150 };
    stack.phonexia.timing = { pendingMs: 50, runningMs: 50 };
    const started = await stack.upload(Analyze, { input: { file: null, models: { burst: true } } as never }, { 'variables.input.file': wav });
    const analysis = started.data!.analyzeMedia;
    if (analysis.__typename !== 'AnalyzeMediaSuccess') throw new Error(JSON.stringify(started));
    const client = wsClient(stack.gateway.url);
    const results = await subscribeWs(client, AnalysisUpdated, { id: analysis.analysis.id }).done;
    await client.dispose();
    const last = results.at(-1)!.data!.mediaAnalysisUpdated;
    expect(last).toMatchObject({ status: 'COMPLETED', job: { status: 'COMPLETED' }, emotionTask: { status: 'DONE' } });
  });

  it('shares one execution among identical subscriptions', async () => {
    stack.hume.timing = { queuedMs: 200, runningMs: 0 };
    const id = await startJob(stack);
    const before = stack.hume.requests.count({ method: 'GET', path: `/v0/batch/jobs/${id}` });
    const clients = Array.from({ length: 20 }, () => wsClient(stack.gateway.url));
    const runs = clients.map((client) => subscribeWs(client, JobUpdated, { id }));
    const all = await Promise.all(runs.map((r) => r.done));
    for (const results of all) expect(results.at(-1)!.data!.jobUpdated.status).toBe('COMPLETED');
    // 20 subscribers, yet the job was read about as often as for one (a few reads, not 20 x a few).
    expect(stack.hume.requests.count({ method: 'GET', path: `/v0/batch/jobs/${id}` }) - before).toBeLessThan(10);
    await Promise.all(clients.map((c) => c.dispose()));
  });
});

describe('without PUBLIC_URL (polling)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ hume: { timing: { queuedMs: 100, runningMs: 300 } } });
  });
  afterAll(async () => stack.close());

  it('follows a job by polling and completes the subscription', async () => {
    const id = await startJob(stack);
    const client = wsClient(stack.gateway.url);
    const results = await subscribeWs(client, JobUpdated, { id }).done;
    await client.dispose();
    expect(results[0]!.data!.jobUpdated.request.callbackEnabled).toBe(false);
    expect(results.at(-1)!.data!.jobUpdated.status).toBe('COMPLETED');
    expect(stack.hume.callbacks).toEqual([]);
  });

});

describe('shutdown', () => {
  it('closes WebSocket subscribers with 1001', async () => {
    // A stack of its own: the gateway goes down here, and no other test may depend on it.
    const stack = await startStack({ hume: { timing: { queuedMs: 60_000, runningMs: 0 } } });
    try {
      const id = await startJob(stack);
      let code = 0;
      const client = wsClient(stack.gateway.url, { onClose: (c) => (code = c) });
      const live = subscribeWs(client, JobUpdated, { id });
      live.done.catch(() => {}); // the socket closing ends it; the close code is what is checked
      await live.first;
      await stack.gateway.close();
      await eventually(async () => code !== 0);
      expect(code).toBe(1001);
    } finally {
      await stack.close();
    }
  });
});
