/**
 * Upstream call counts: within one operation a job (and its predictions) named many times is read from Hume once;
 * across operations only what can no longer change (terminal jobs, completed predictions) is reused. The real
 * gateway over HTTP against the real Hume simulator; calls are counted in the simulator's request log. Jobs are
 * started straight at Hume (as by another client of the account), so only the queries under test read them.
 */
import { describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { eventually, useHumeStack, type HumeStack } from './support/hume-stack.js';

const LoadSameJob = graphql(`
  query LoadSameJob($id: ID!) {
    a: job(id: $id) { id status state { __typename } request { urls } }
    b: job(id: $id) {
      status
      state { __typename ... on JobInProgress { createdAt startedAt } }
      request { models { face { fpsPred } } }
    }
    c: job(id: $id) { request { text } predictions { error } artifactsUrl }
    jobs(first: 10) { nodes { id status state { __typename } } }
  }
`);

const LoadPredictionsTwice = graphql(`
  query LoadPredictionsTwice($id: ID!) {
    a: job(id: $id) { status predictions { source { __typename } } }
    b: job(id: $id) { predictions { error errors { file } } }
    c: job(id: $id) {
      first: predictions { predictions { models { language { groupedPredictions { id predictions(first: 1) { totalCount } } } } } }
      second: predictions { predictions { file } }
    }
  }
`);

const LoadTwoJobs = graphql(`
  query LoadTwoJobs($x: ID!, $y: ID!) {
    x1: job(id: $x) { id status predictions { error } }
    y1: job(id: $y) { id status predictions { error } }
    x2: job(id: $x) { state { __typename } predictions { source { __typename } } }
    y2: job(id: $y) { state { __typename } predictions { source { __typename } } }
  }
`);

const LoadStatus = graphql(`
  query LoadStatus($id: ID!) {
    job(id: $id) { id status }
  }
`);

const LoadList = graphql(`
  query LoadList {
    jobs(first: 100) { nodes { id status } }
  }
`);

let stack: HumeStack;
useHumeStack((started) => (stack = started));

/** Jobs start straight at Hume: the gateway's own tracking of jobs it started would add reads of its own. */
const startedJobId = (request: Record<string, unknown>) => stack.startAtHume(request);
/** Records a job started at Hume directly in the gateway's index, as a start through the gateway would. */
const ownedByDefaultTenant = (id: string) => stack.gateway.services.work.record('job', id, 'default', Date.now());

const details = (id: string) => stack.sim.requests.count({ method: 'GET', path: `/v0/batch/jobs/${id}` });
const predictions = (id: string) => stack.sim.requests.count({ method: 'GET', path: `/v0/batch/jobs/${id}/predictions` });
const allRequests = () => stack.sim.requests.entries.length;

describe('within one operation', () => {
  it('a running job named by aliases, nested fields and a list is read from Hume once', async () => {
    stack.sim.timing = { queuedMs: 0, runningMs: 60_000 };
    const id = await startedJobId({ urls: ['https://media.example/running.mp4'], models: { face: {} } });
    // Listed as if started through the gateway (which would also follow it, and so read it on its own).
    await ownedByDefaultTenant(id);
    expect(details(id)).toBe(0);
    const lists = stack.sim.requests.count({ method: 'GET', path: '/v0/batch/jobs' });

    const { data, errors } = await stack.execute(LoadSameJob, { id });
    expect(errors).toBeUndefined();
    expect(data!.a).toEqual({ id, status: 'IN_PROGRESS', state: { __typename: 'JobInProgress' }, request: { urls: ['https://media.example/running.mp4'] } });
    expect(data!.b!.status).toBe('IN_PROGRESS');
    expect(data!.b!.request.models!.face!.fpsPred).toBe(3);
    expect(data!.c).toEqual({ request: { text: [] }, predictions: null, artifactsUrl: null });
    expect(data!.jobs.nodes).toContainEqual({ id, status: 'IN_PROGRESS', state: { __typename: 'JobInProgress' } });

    expect(details(id)).toBe(1);
    expect(predictions(id)).toBe(0);
    // The list is the gateway's own index: Hume's account-wide list is not asked.
    expect(stack.sim.requests.count({ method: 'GET', path: '/v0/batch/jobs' }) - lists).toBe(0);
  });

  it('the predictions of a completed job named under several aliases are read once', async () => {
    const id = await startedJobId({ text: ['one read of the predictions, please'], models: { language: {} } });
    const { data, errors } = await stack.execute(LoadPredictionsTwice, { id });
    expect(errors).toBeUndefined();
    expect(data!.a).toEqual({ status: 'COMPLETED', predictions: [{ source: { __typename: 'TextSource' } }] });
    expect(data!.b!.predictions).toEqual([{ error: null, errors: [] }]);
    const language = data!.c!.first![0]!.predictions![0]!.models.language!;
    expect(language.groupedPredictions[0]!.predictions.totalCount).toBe(6); // one prediction per word of "one read of the predictions, please"
    expect(data!.c!.second![0]!.predictions).toHaveLength(1);
    expect(details(id)).toBe(1);
    expect(predictions(id)).toBe(1);
  });

  it('two different jobs cost one call each', async () => {
    const x = await startedJobId({ text: ['job x'], models: { language: {} } });
    const y = await startedJobId({ text: ['job y'], models: { language: {} } });
    const { data, errors } = await stack.execute(LoadTwoJobs, { x, y });
    expect(errors).toBeUndefined();
    expect(data!.x1).toEqual({ id: x, status: 'COMPLETED', predictions: [{ error: null }] });
    expect(data!.y1).toEqual({ id: y, status: 'COMPLETED', predictions: [{ error: null }] });
    for (const id of [x, y]) {
      expect(details(id)).toBe(1);
      expect(predictions(id)).toBe(1);
    }
  });

  it('two different running jobs cost one details call each', async () => {
    stack.sim.timing = { queuedMs: 60_000, runningMs: 0 };
    const x = await startedJobId({ text: ['queued x'] });
    const y = await startedJobId({ text: ['queued y'] });
    const { data, errors } = await stack.execute(LoadTwoJobs, { x, y });
    expect(errors).toBeUndefined();
    expect(data!.x2).toEqual({ state: { __typename: 'JobQueued' }, predictions: null });
    expect(data!.y2).toEqual({ state: { __typename: 'JobQueued' }, predictions: null });
    expect([details(x), details(y), predictions(x), predictions(y)]).toEqual([1, 1, 0, 0]);
  });
});

describe('across operations', () => {
  it('a completed job and its predictions are kept: the second operation makes no upstream call', async () => {
    const id = await startedJobId({ text: ['kept across requests'], models: { language: {} } });
    const first = await stack.execute(LoadPredictionsTwice, { id });
    expect(first.errors).toBeUndefined();
    expect([details(id), predictions(id)]).toEqual([1, 1]);

    const before = allRequests();
    const second = await stack.execute(LoadPredictionsTwice, { id });
    expect(second).toEqual(first);
    expect(allRequests()).toBe(before);
  });

  it('a failed job is kept too', async () => {
    const id = await startedJobId({ urls: ['https://media.example/job-fails.mp4'] });
    expect((await stack.execute(LoadStatus, { id })).data!.job!.status).toBe('FAILED');
    const before = allRequests();
    expect((await stack.execute(LoadStatus, { id })).data!.job!.status).toBe('FAILED');
    expect(allRequests()).toBe(before);
  });

  it('a terminal job read for a list needs no details call later', async () => {
    const id = await startedJobId({ text: ['listed first'] });
    await ownedByDefaultTenant(id);
    const { data } = await stack.execute(LoadList);
    expect(data!.jobs.nodes).toContainEqual({ id, status: 'COMPLETED' });
    expect(details(id)).toBe(1);
    expect((await stack.execute(LoadStatus, { id })).data!.job).toEqual({ id, status: 'COMPLETED' });
    expect(details(id)).toBe(1);
  });

  it('a running job is read again by every operation, and its new status is seen', async () => {
    stack.sim.timing = { queuedMs: 0, runningMs: 2_000 };
    const id = await startedJobId({ text: ['changes while we watch'] });
    expect((await stack.execute(LoadStatus, { id })).data!.job!.status).toBe('IN_PROGRESS');
    expect(details(id)).toBe(1);
    expect((await stack.execute(LoadStatus, { id })).data!.job!.status).toBe('IN_PROGRESS');
    expect(details(id)).toBe(2);

    await eventually(async () => (await stack.execute(LoadStatus, { id })).data!.job!.status === 'COMPLETED', 10_000);
    const reads = details(id);
    expect(reads).toBeGreaterThan(2);
    // Now terminal: kept.
    expect((await stack.execute(LoadStatus, { id })).data!.job!.status).toBe('COMPLETED');
    expect(details(id)).toBe(reads);
  });

  it('a job that is not there is asked about again each time (a miss is not kept)', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    expect((await stack.execute(LoadStatus, { id })).data!.job).toBeNull();
    expect((await stack.execute(LoadStatus, { id })).data!.job).toBeNull();
    expect(details(id)).toBe(2);
  });
});
