/**
 * Phonexia task tracking cost and latency, counted on the simulator (not timed): the gateway and the simulator share
 * a virtual clock, so a task of T seconds runs in milliseconds while every poll is a real HTTP request.
 */
import { phonexia } from '../src/providers/phonexia/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { nextPollDelay } from '../src/tracking/poll-schedule.js';
import { graphql } from './gql/index.js';
import { startStack, type Stack } from './support/stack.js';
import { VirtualClock } from './support/virtual-clock.js';
import { pcmWav } from './support/wav.js';

const StartTask = graphql(`
  mutation StartTrackedTask($input: StartEmotionTaskInput!) {
    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }
  }
`);

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

/** Runs one task of `seconds` to completion; returns the polls it cost and how late the gateway saw it finish. */
async function trackTask(seconds: number): Promise<{ polls: number; lateMs: number }> {
  const clock = new VirtualClock();
  stack = await startStack({ hume: false, clock, phonexia: { timing: { pendingMs: 1000, runningMs: seconds * 1000 - 1000 }, taskTtlMs: 10 * 24 * 3600_000 } });
  const result = await stack.upload(StartTask, { input: { file: null } as never }, { 'variables.input.file': { name: 'a.wav', type: 'audio/wav', data: pcmWav() } });
  const started = result.data!.startEmotionTask;
  if (started.__typename !== 'StartEmotionTaskSuccess') throw new Error(JSON.stringify(result));
  const id = started.task.id;
  const tracker = stack.gateway.services.providers.require(phonexia).tasks;
  for (const deadline = Date.now() + 20_000; tracker.tracked.includes(id); ) {
    if (Date.now() > deadline) throw new Error('task still tracked');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const record = (await tracker.get(id))!;
  expect(record.status).toBe('done');
  const polls = stack.phonexia.requests.count({ method: 'GET', path: `/api/technology/emotion-recognition/${id}` });
  await stack.close();
  stack = undefined;
  return { polls, lateMs: record.updatedAt - (record.createdAt + seconds * 1000) };
}

describe('polling schedule', () => {
  it('never waits longer than max(0.5 s, 10 % of the task age), and jitter only shortens', () => {
    for (const age of [0, 100, 4_999, 5_000, 60_000, 600_000, 3_600_000]) {
      for (const random of [0, 0.5, 0.999]) {
        const delay = nextPollDelay(age, () => random);
        expect(delay).toBeLessThanOrEqual(Math.max(500, age * 0.1));
        expect(delay).toBeGreaterThanOrEqual(Math.max(500, Math.min(age * 0.1, 600_000)) * 0.8 - 1);
      }
    }
  });
});

describe('task tracking', () => {
  it('sees a finished task within max(0.5 s, 10 % of T), with polls growing with log T', async () => {
    const runs = [];
    for (const seconds of [10, 60, 600, 6000]) {
      const run = await trackTask(seconds);
      expect(run.lateMs, `T=${seconds}s`).toBeGreaterThanOrEqual(0);
      expect(run.lateMs, `T=${seconds}s`).toBeLessThanOrEqual(Math.max(500, seconds * 100));
      runs.push({ seconds, ...run });
    }
    const polls = Object.fromEntries(runs.map((r) => [r.seconds, r.polls]));
    // A 10-minute task costs tens of polls, not hundreds.
    expect(polls[600]).toBeLessThan(100);
    // Each tenfold longer task adds about the same number of polls: logarithmic, not linear, growth.
    const perDecade = polls[600]! - polls[60]!;
    expect(polls[6000]! - polls[600]!).toBeLessThanOrEqual(perDecade * 1.5 + 3);
    expect(polls[6000]!).toBeLessThan(polls[600]! * 2);
  });
});
