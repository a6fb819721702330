/**
 * Once a provider accepted work, the start succeeds whatever the gateway's own store does: the record, the owner
 * and the tracking are written as soon as the store is back. And an idempotency claim a crashed request left
 * behind frees its key within a minute. Over real HTTP against the simulators, with a store that fails on purpose.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimIdempotencyKey, IN_FLIGHT_TTL_MS } from '../src/schema/idempotency.js';
import { MemoryStore } from '../src/store/memory.js';
import type { GatewayStore } from '../src/store/store.js';
import { graphql } from './gql/index.js';
import { eventually, startStack, type Stack } from './support/stack.js';
import { pcmWav } from './support/wav.js';

const AaStartTask = graphql(`
  mutation AaStartTask($input: StartEmotionTaskInput!) {
    startEmotionTask(input: $input) {
      __typename
      ... on StartEmotionTaskSuccess { task { id } }
      ... on Error { message }
    }
  }
`);
const AaTask = graphql(`
  query AaTask($id: ID!) {
    emotionTask(id: $id) { id status }
  }
`);
const AaAnalyze = graphql(`
  mutation AaAnalyze($input: AnalyzeMediaInput!) {
    analyzeMedia(input: $input) {
      __typename
      ... on AnalyzeMediaSuccess { analysis { id } }
      ... on Error { message }
    }
  }
`);
const AaAnalysis = graphql(`
  query AaAnalysis($id: ID!) {
    mediaAnalysis(id: $id) { id status emotionTask { id status } }
  }
`);

/** Writes fail while `failing` holds; everything else passes through to the real store. */
const outage = { failing: false, refused: 0 };
function failingStore(store: GatewayStore): GatewayStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (outage.failing && ['put', 'putIfAbsent', 'addTracked', 'indexAdd', 'acquireLease'].includes(String(property))) {
          outage.refused++;
          return Promise.reject(new Error('store unavailable (test outage)'));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

const wav = { name: 'call.wav', type: 'audio/wav', data: pcmWav({ channels: 2, seconds: 4 }) };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ hume: false, humeExpression: false, wrapStore: failingStore, phonexia: { timing: { pendingMs: 0, runningMs: 300 } } });
});
afterAll(async () => {
  outage.failing = false;
  await stack.close();
});

describe('a store outage after the provider accepted', () => {
  it('startEmotionTask succeeds; the task shows up and is tracked to its end once the store is back', async () => {
    outage.failing = true;
    outage.refused = 0;
    const uploads = stack.phonexia.requests.count({ method: 'POST' });
    const result = await stack.upload(AaStartTask, { input: { file: null } as never }, { 'variables.input.file': wav });
    expect(result.data!.startEmotionTask.__typename).toBe('StartEmotionTaskSuccess');
    const id = (result.data!.startEmotionTask as { task: { id: string } }).task.id;
    expect(stack.phonexia.requests.count({ method: 'POST' })).toBe(uploads + 1);
    expect(outage.refused).toBeGreaterThan(0);
    // Not recorded yet: the gateway does not know it.
    expect((await stack.execute(AaTask, { id })).data!.emotionTask).toBeNull();
    outage.failing = false;
    await eventually(async () => (await stack.execute(AaTask, { id })).data!.emotionTask?.status === 'DONE', 20_000);
    // Uploaded once: a retry of the start was never needed, and none was made.
    expect(stack.phonexia.requests.count({ method: 'POST' })).toBe(uploads + 1);
  });

  it('analyzeMedia succeeds; the analysis shows up once the store is back', async () => {
    outage.failing = true;
    const result = await stack.upload(AaAnalyze, { input: { file: null } as never }, { 'variables.input.file': wav });
    expect(result.data!.analyzeMedia.__typename).toBe('AnalyzeMediaSuccess');
    const id = (result.data!.analyzeMedia as { analysis: { id: string } }).analysis.id;
    expect((await stack.execute(AaAnalysis, { id })).data!.mediaAnalysis).toBeNull();
    outage.failing = false;
    const seen = await eventually(async () => (await stack.execute(AaAnalysis, { id })).data!.mediaAnalysis, 20_000);
    expect(seen.emotionTask).not.toBeNull();
    await eventually(async () => (await stack.execute(AaAnalysis, { id })).data!.mediaAnalysis?.status === 'COMPLETED', 20_000);
  });
});

describe('idempotency claims', () => {
  it('a claim left by a request that crashed frees its key once IN_FLIGHT_TTL_MS (60 s) has passed', async () => {
    let now = 1_000_000;
    const store = new MemoryStore(() => now);
    expect(IN_FLIGHT_TTL_MS).toBe(60_000);
    // What a crashed request leaves: its claim, never renewed again.
    await store.putIfAbsent('idempotency', 'task:t:key-1', { fingerprint: 'f', id: null }, IN_FLIGHT_TTL_MS);
    await expect(claimIdempotencyKey(store, 'task:t', 'key-1', 'f', { waitMs: 0 })).rejects.toThrow(/still in progress/);
    now += IN_FLIGHT_TTL_MS + 1;
    const claim = await claimIdempotencyKey(store, 'task:t', 'key-1', 'f', { waitMs: 0 });
    expect(claim.existingId).toBeUndefined();
    await claim.complete('task-1');
    expect((await claimIdempotencyKey(store, 'task:t', 'key-1', 'f', { waitMs: 0 })).existingId).toBe('task-1');
    await store.close();
  });

  it('a claim whose request is still running is kept alive past its in-flight lifetime', async () => {
    const store = new MemoryStore();
    const claim = await claimIdempotencyKey(store, 'job:t', 'key-2', 'f', { inFlightTtlMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // Renewed while its request runs: a repeat still waits for it rather than starting the work again.
    await expect(claimIdempotencyKey(store, 'job:t', 'key-2', 'f', { waitMs: 0 })).rejects.toThrow(/still in progress/);
    await claim.release();
    expect((await claimIdempotencyKey(store, 'job:t', 'key-2', 'f', { waitMs: 0 })).existingId).toBeUndefined();
    await store.close();
  });
});
