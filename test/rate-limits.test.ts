/**
 * A provider's "wait" holds back the whole gateway (per provider, per replica): once a provider answers 429 with
 * Retry-After, nothing goes to it until the time has passed, whoever asks (trackers, queries, subscriptions,
 * retries). Reads inside the window answer from what the gateway knows; starts say when to retry. Counted on the
 * simulators' request logs, over real HTTP and WebSocket.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { eventually, startStack, type Stack } from './support/stack.js';
import { subscribeWs, wsClient } from './support/live-clients.js';
import { pcmWav } from './support/wav.js';
import { humeBatch } from '../src/providers/hume-batch/index.js';
import { humeExpression } from '../src/providers/hume-expression/index.js';
import { phonexia } from '../src/providers/phonexia/index.js';

const RlStartTask = graphql(`
  mutation RlStartTask($input: StartEmotionTaskInput!) {
    startEmotionTask(input: $input) {
      __typename
      ... on StartEmotionTaskSuccess { task { id } }
      ... on RateLimitedError { provider retryAfterSeconds }
    }
  }
`);
const RlTask = graphql(`
  query RlTask($id: ID!) {
    emotionTask(id: $id) { id status }
  }
`);
const RlTaskLive = graphql(`
  subscription RlTaskLive($id: ID!) {
    emotionTaskUpdated(id: $id) { status }
  }
`);
const RlStartJob = graphql(`
  mutation RlStartJob($input: StartJobInput!) {
    startJob(input: $input) {
      __typename
      ... on StartJobSuccess { job { id } }
      ... on RateLimitedError { provider retryAfterSeconds }
    }
  }
`);
const RlJob = graphql(`
  query RlJob($id: ID!) {
    job(id: $id) { id status }
  }
`);
const RlJobLive = graphql(`
  subscription RlJobLive($id: ID!) {
    jobUpdated(id: $id) { status }
  }
`);
const RlMeasure = graphql(`
  mutation RlMeasure($input: MeasureAudioInput!) {
    measureAudio(input: $input) {
      __typename
      ... on MeasureSuccess { run { id status } }
      ... on RateLimitedError { provider retryAfterSeconds }
    }
  }
`);
const RlRun = graphql(`
  query RlRun($id: ID!) {
    expressionRun(id: $id) { id status }
  }
`);

const RlAnalyze = graphql(`
  mutation RlAnalyze($input: AnalyzeMediaInput!) {
    analyzeMedia(input: $input) {
      __typename
      ... on AnalyzeMediaSuccess { analysis { id emotionTask { id } expressionRun { id } failures { provider stage status code } } }
    }
  }
`);

const wav = { name: 'call.wav', type: 'audio/wav', data: pcmWav({ channels: 1, seconds: 4 }) };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ phonexia: { timing: { pendingMs: 0, runningMs: 60_000 } }, hume: { timing: { queuedMs: 0, runningMs: 60_000 } } });
});
afterAll(async () => {
  await stack.close();
});
afterEach(() => {
  stack.hume.faults.clear();
  stack.phonexia.faults.clear();
  stack.expression.faults.clear();
});

describe('Phonexia', () => {
  it('after a 429 on a poll, no request of any kind reaches Phonexia until Retry-After has passed', async () => {
    const started = await stack.upload(RlStartTask, { input: { file: null } as never }, { 'variables.input.file': wav });
    if (started.data?.startEmotionTask.__typename !== 'StartEmotionTaskSuccess') throw new Error(JSON.stringify(started));
    const id = started.data.startEmotionTask.task.id;
    const path = `/api/technology/emotion-recognition/${id}`;
    const polls = () => stack.phonexia.requests.matching({ method: 'GET', path });
    const before = polls().length;
    stack.phonexia.faults.add({ method: 'GET', path, times: 1, fault: { kind: 'rate-limit', retryAfterSeconds: 2 } });
    // The next poll (tracker) or query meets the 429; the recorded request after it is the one that got the fault.
    const client = wsClient(stack.gateway.url);
    let closedAt: number;
    try {
      // A query gets there first if the tracker has not.
      await stack.execute(RlTask, { id });
      closedAt = polls()[before]!.at;
      // Inside the window: a subscription's first read, concurrent queries, and the tracker's schedule.
      const live = subscribeWs(client, RlTaskLive, { id });
      const reads = await Promise.all(Array.from({ length: 5 }, () => stack.execute(RlTask, { id })));
      // The task as the gateway last saw it (still running at Phonexia), not an error.
      const known = (await stack.gateway.services.providers.require(phonexia).tasks.get(id))!.status.toUpperCase();
      expect(['PENDING', 'RUNNING']).toContain(known);
      for (const read of reads) expect(read.data!.emotionTask).toEqual({ id, status: known });
      expect((await live.first).data!.emotionTaskUpdated.status).toBe(known);
      const windowEnd = closedAt + 2000;
      while (Date.now() < windowEnd + 200) await new Promise((resolve) => setTimeout(resolve, 100));
      live.stop();
    } finally {
      await client.dispose();
    }
    const inWindow = polls().filter((r) => r.at > closedAt && r.at < closedAt + 2000);
    expect(inWindow).toEqual([]);
    // And the gateway asks again once the time has passed.
    await eventually(async () => polls().some((r) => r.at >= closedAt + 2000), 10_000);
  });

  it('a start that meets the closed gate returns RateLimitedError with the time left, and uploads nothing', async () => {
    const adapter = stack.gateway.services.providers.require(phonexia);
    adapter.client.gate.hold(3_000);
    const uploads = stack.phonexia.requests.count({ method: 'POST' });
    const result = await stack.upload(RlStartTask, { input: { file: null } as never }, { 'variables.input.file': wav });
    expect(result.data!.startEmotionTask).toMatchObject({ __typename: 'RateLimitedError', provider: 'PHONEXIA' });
    const left = (result.data!.startEmotionTask as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(left).toBeGreaterThanOrEqual(1);
    expect(left).toBeLessThanOrEqual(3);
    expect(stack.phonexia.requests.count({ method: 'POST' })).toBe(uploads);
    adapter.client.gate.reset();
  });
});

describe('Hume batch', () => {
  it('after a 429 on a read, queries, a subscription and the tracker wait out Retry-After; reads answer the job as last seen', async () => {
    const started = await stack.execute(RlStartJob, { input: { text: ['held back'] } });
    if (started.data?.startJob.__typename !== 'StartJobSuccess') throw new Error(JSON.stringify(started));
    const id = started.data.startJob.job.id;
    const path = `/v0/batch/jobs/${id}`;
    const reads = () => stack.hume.requests.matching({ method: 'GET', path });
    // Seen once, so the gateway knows its last state.
    expect((await stack.execute(RlJob, { id })).data!.job).toEqual({ id, status: 'IN_PROGRESS' });
    const before = reads().length;
    stack.hume.faults.add({ method: 'GET', path, times: 1, fault: { kind: 'rate-limit', retryAfterSeconds: 2 } });
    // This query meets the 429, waits the 2 s (its client retry honours Retry-After) and then answers.
    const held = stack.execute(RlJob, { id });
    const closedAt = await eventually(async () => reads()[before]?.at, 5_000);
    const client = wsClient(stack.gateway.url);
    try {
      const live = subscribeWs(client, RlJobLive, { id });
      const concurrent = await Promise.all(Array.from({ length: 5 }, () => stack.execute(RlJob, { id })));
      for (const read of concurrent) expect(read.data!.job).toEqual({ id, status: 'IN_PROGRESS' });
      expect((await live.first).data!.jobUpdated.status).toBe('IN_PROGRESS');
      expect((await held).data!.job).toEqual({ id, status: 'IN_PROGRESS' });
      live.stop();
    } finally {
      await client.dispose();
    }
    expect(reads().filter((r) => r.at > closedAt && r.at < closedAt + 2000)).toEqual([]);
  });

  it('a start that meets the closed gate returns RateLimitedError and sends nothing', async () => {
    const adapter = stack.gateway.services.providers.require(humeBatch);
    adapter.client.gate.hold(3_000);
    const posts = stack.hume.requests.count({ method: 'POST', path: '/v0/batch/jobs' });
    const result = await stack.execute(RlStartJob, { input: { text: ['not now'] } });
    expect(result.data!.startJob).toMatchObject({ __typename: 'RateLimitedError', provider: 'HUME' });
    expect(stack.hume.requests.count({ method: 'POST', path: '/v0/batch/jobs' })).toBe(posts);
    adapter.client.gate.reset();
  });
});

describe('Hume expression', () => {
  it('a measurement that meets a 429 waits Retry-After and then completes; a new one inside the window is refused at once', async () => {
    const uploads = () => stack.expression.requests.matching({ method: 'POST', path: '/v1/expression/audio/file' });
    const before = uploads().length;
    stack.expression.faults.add({ method: 'POST', path: '/v1/expression/audio/file', times: 1, fault: { kind: 'rate-limit', retryAfterSeconds: 2 } });
    const first = await stack.upload(RlMeasure, { input: { file: null } as never }, { 'variables.input.file': wav });
    if (first.data?.measureAudio.__typename !== 'MeasureSuccess') throw new Error(JSON.stringify(first));
    const id = first.data.measureAudio.run.id;
    const closedAt = await eventually(async () => uploads()[before]?.at, 10_000);
    await eventually(async () => stack.gateway.services.providers.require(humeExpression).client.gate.remainingMs() > 0 || undefined, 5_000);
    const second = await stack.upload(RlMeasure, { input: { file: null } as never }, { 'variables.input.file': wav });
    expect(second.data!.measureAudio).toMatchObject({ __typename: 'RateLimitedError', provider: 'HUME_EXPRESSION' });
    expect((await stack.execute(RlRun, { id })).data!.expressionRun).toEqual({ id, status: 'RUNNING' });
    await eventually(async () => (await stack.execute(RlRun, { id })).data!.expressionRun?.status === 'COMPLETED', 15_000);
    const sent = uploads().slice(before);
    // The refused upload, then exactly one more, after the wait.
    expect(sent).toHaveLength(2);
    expect(sent[1]!.at - closedAt).toBeGreaterThanOrEqual(2000);
  });

  it('an analyzeMedia inside the window records the Hume expression side as RATE_LIMITED and uploads nothing to Hume; the other side starts', async () => {
    const uploads = () => stack.expression.requests.matching({ method: 'POST', path: '/v1/expression/audio/file' });
    stack.expression.faults.add({ method: 'POST', path: '/v1/expression/audio/file', times: 1, fault: { kind: 'rate-limit', retryAfterSeconds: 3 } });
    const first = await stack.upload(RlMeasure, { input: { file: null } as never }, { 'variables.input.file': wav });
    expect(first.data?.measureAudio.__typename).toBe('MeasureSuccess');
    await eventually(async () => stack.gateway.services.providers.require(humeExpression).client.gate.remainingMs() > 0 || undefined, 10_000);
    const sentBefore = uploads().length;
    const result = await stack.upload(RlAnalyze, { input: { file: null, providers: ['PHONEXIA', 'HUME_EXPRESSION'] } as never }, { 'variables.input.file': wav });
    if (result.data?.analyzeMedia.__typename !== 'AnalyzeMediaSuccess') throw new Error(JSON.stringify(result));
    const { analysis } = result.data.analyzeMedia;
    expect(analysis.expressionRun).toBeNull();
    expect(analysis.emotionTask?.id).toBeTruthy();
    expect(analysis.failures).toEqual([{ provider: 'HUME_EXPRESSION', stage: 'START', status: 429, code: 'RATE_LIMITED' }]);
    expect(uploads().length).toBe(sentBefore);
  });
});
