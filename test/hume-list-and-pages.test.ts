/**
 * Paging, end to end: the `jobs` Relay connection over the gateway's own index of the caller's jobs (newest first,
 * filters, cursors, jobs that Hume gives one millisecond), and group predictions paged as connections with a time
 * window, up to a 3-hour video. Each part starts its own stack, so each lists only its own jobs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import type { FacePageQueryVariables, PageJobsQueryVariables } from './gql/graphql.js';
import { startHumeStack, type HumeStack } from './support/hume-stack.js';

const PageStartJob = graphql(`
  mutation PageStartJob($input: StartJobInput!) {
    startJob(input: $input) {
      __typename
      ... on StartJobSuccess { job { id } }
    }
  }
`);

const PageJobs = graphql(`
  query PageJobs($first: Int, $after: String, $filter: JobFilter) {
    jobs(first: $first, after: $after, filter: $filter) {
      edges { cursor node { id } }
      nodes {
        id
        status
        state {
          __typename
          ... on JobCompleted { createdAt }
          ... on JobFailed { createdAt }
        }
      }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
`);

const FacePage = graphql(`
  query FacePage($id: ID!, $first: Int, $after: String, $timeFrom: Float, $timeTo: Float) {
    job(id: $id) {
      predictions {
        predictions {
          models {
            face {
              groupedPredictions {
                id
                predictions(first: $first, after: $after, timeFrom: $timeFrom, timeTo: $timeTo) {
                  totalCount
                  pageInfo { hasNextPage endCursor }
                  nodes { frame time }
                }
              }
            }
          }
        }
      }
    }
  }
`);

const LongVideo = graphql(`
  query LongVideo($id: ID!) {
    job(id: $id) {
      status
      predictions {
        error
        errors { message }
        predictions {
          models {
            face {
              groupedPredictions {
                start: predictions(first: 10) {
                  totalCount
                  pageInfo { hasNextPage }
                  nodes { frame time emotions { name score } }
                }
                end: predictions(first: 10, timeFrom: 10799) {
                  totalCount
                  nodes { frame time emotions(top: 3) { name score } }
                }
              }
            }
          }
        }
      }
    }
  }
`);


async function startedJobId(stack: HumeStack, input: object): Promise<string> {
  const result = await stack.execute(PageStartJob, { input: input as never });
  const start = result.data?.startJob;
  if (start?.__typename !== 'StartJobSuccess') throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return start.job.id;
}

async function jobsPage(stack: HumeStack, variables: PageJobsQueryVariables) {
  const { data, errors } = await stack.execute(PageJobs, variables);
  expect(errors).toBeUndefined();
  return data!.jobs;
}

/** Pages through `jobs` with the given page size until hasNextPage is false; returns the ids in order. */
async function pageThrough(stack: HumeStack, variables: Omit<PageJobsQueryVariables, 'first' | 'after'>, first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 100; page++) {
    const connection = await jobsPage(stack, { ...variables, first, after });
    expect(connection.nodes.length).toBeLessThanOrEqual(first);
    expect(connection.edges.map((e) => e.node.id)).toEqual(connection.nodes.map((n) => n.id));
    expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
    ids.push(...connection.nodes.map((n) => n.id));
    if (!connection.pageInfo.hasNextPage) return ids;
    expect(connection.nodes).toHaveLength(first);
    expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1)!.cursor);
    after = connection.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("jobs: a Relay connection over the gateway's index", () => {
  let stack: HumeStack;
  /** In start order (oldest first). */
  const started: string[] = [];
  const failing = new Set<string>();
  const createdAt = new Map<string, number>();

  beforeAll(async () => {
    stack = await startHumeStack();
    for (let i = 0; i < 7; i++) {
      const fails = i % 3 === 1;
      const id = await startedJobId(stack, { urls: [`https://media.example/${fails ? 'job-fails' : 'ok'}-${i}.mp4`] });
      started.push(id);
      if (fails) failing.add(id);
      // Distinct creation times, so the time filters have something to tell apart.
      await sleep(5);
    }
    const { data } = await stack.execute(PageJobs, { first: 100 });
    for (const node of data!.jobs.nodes) {
      if (node.state.__typename !== 'JobCompleted' && node.state.__typename !== 'JobFailed') throw new Error('not terminal');
      createdAt.set(node.id, Date.parse(node.state.createdAt));
    }
  });
  afterAll(async () => {
    await stack.close();
  });

  it('pages through every job, newest first, without duplicates', async () => {
    const ids = await pageThrough(stack, {}, 2);
    expect(ids).toEqual([...started].reverse());
    const times = ids.map((id) => createdAt.get(id)!);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('lists only jobs started through the gateway, not the rest of the Hume account', async () => {
    const elsewhere = await stack.startAtHume({ text: ['started by another client of the account'] });
    const ids = await pageThrough(stack, {}, 50);
    expect(ids).not.toContain(elsewhere);
    expect(ids).toEqual([...started].reverse());
  });

  it('filters by status', async () => {
    const failed = await pageThrough(stack, { filter: { status: ['FAILED'] } }, 1);
    expect(failed).toEqual(started.filter((id) => failing.has(id)).reverse());
    const completed = await pageThrough(stack, { filter: { status: ['COMPLETED'] } }, 2);
    expect(completed).toEqual(started.filter((id) => !failing.has(id)).reverse());
    const both = await pageThrough(stack, { filter: { status: ['COMPLETED', 'FAILED'] } }, 4);
    expect(both).toEqual([...started].reverse());
    expect(await pageThrough(stack, { filter: { status: ['QUEUED'] } }, 2)).toEqual([]);
  });

  it('filters by creation time, in both orders', async () => {
    const pivot = createdAt.get(started[2]!)!;
    const end = createdAt.get(started[5]!)!;
    const iso = (ms: number) => new Date(ms).toISOString();
    const after = started.slice(3);
    const before = started.slice(0, 2);
    expect(await pageThrough(stack, { filter: { createdAfter: iso(pivot) } }, 2)).toEqual([...after].reverse());
    expect(await pageThrough(stack, { filter: { createdBefore: iso(pivot) } }, 1)).toEqual([...before].reverse());
    const between = { createdAfter: iso(pivot), createdBefore: iso(end) };
    expect(await pageThrough(stack, { filter: between }, 1)).toEqual([started[4], started[3]]);
    expect(await pageThrough(stack, { filter: { ...between, status: ['FAILED'] } }, 1)).toEqual([started[4]]);
  });

  it('refuses a page over 100 and a cursor it did not make', async () => {
    const tooMany = await stack.execute(PageJobs, { first: 101 });
    expect(tooMany.data).toBeNull();
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(tooMany.errors![0]!.message).toContain('first');
    const negative = await stack.execute(PageJobs, { first: -1 });
    expect(negative.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    for (const garbage of ['garbage', 'eyJ4IjoxfQ', Buffer.from('{"s":"x","m":1}').toString('base64url'), Buffer.from('{"s":1}').toString('base64url')]) {
      const { data, errors } = await stack.execute(PageJobs, { first: 2, after: garbage });
      expect(data).toBeNull();
      expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
  });
});

describe('jobs Hume created in the same millisecond', () => {
  let stack: HumeStack;
  const started: string[] = [];

  beforeAll(async () => {
    // A frozen clock: every job gets the same created_timestamp_ms, so only the cursor's job id tells pages apart.
    const frozen = Date.now();
    stack = await startHumeStack({ now: () => frozen });
    for (let i = 0; i < 25; i++) started.push(await startedJobId(stack, { text: [`tie ${i}`] }));
  });
  afterAll(async () => {
    await stack.close();
  });

  it('pages through all of them without losing or repeating one', async () => {
    expect(await pageThrough(stack, {}, 2)).toEqual([...started].reverse());
    expect(await pageThrough(stack, {}, 3)).toEqual([...started].reverse());
    expect(await pageThrough(stack, {}, 1)).toEqual([...started].reverse());
  });
});

async function facePage(stack: HumeStack, variables: FacePageQueryVariables) {
  const { data, errors } = await stack.execute(FacePage, variables);
  expect(errors).toBeUndefined();
  return data!.job!.predictions![0]!.predictions![0]!.models.face!.groupedPredictions[0]!.predictions;
}

describe('group predictions: pages and time windows', () => {
  let stack: HumeStack;

  beforeAll(async () => {
    stack = await startHumeStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it('pages through 1800 face frames of a 10-minute video', async () => {
    const id = await startedJobId(stack, { urls: ['https://media.example/long.mp4?duration=600'], models: { face: { fpsPred: 3 } } });
    const frames: number[] = [];
    let after: string | null = null;
    for (let page = 0; ; page++) {
      expect(page).toBeLessThan(20);
      const connection = await facePage(stack, { id, first: 100, after });
      expect(connection.totalCount).toBe(1800);
      frames.push(...connection.nodes.map((n) => n.frame));
      if (!connection.pageInfo.hasNextPage) break;
      expect(connection.nodes).toHaveLength(100);
      after = connection.pageInfo.endCursor!;
    }
    expect(frames).toHaveLength(1800);
    for (let i = 1; i < frames.length; i++) expect(frames[i]!).toBeGreaterThan(frames[i - 1]!);
    // The predictions were fetched once and kept.
    expect(stack.sim.requests.count({ method: 'GET', path: `/v0/batch/jobs/${id}/predictions` })).toBe(1);

    const window = await stack.execute(FacePage, { id, timeFrom: 60, timeTo: 61 });
    expect(window.errors).toBeUndefined();
    const kept = window.data!.job!.predictions![0]!.predictions![0]!.models.face!.groupedPredictions[0]!.predictions;
    expect(kept.totalCount).toBe(kept.nodes.length);
    for (const node of kept.nodes) {
      expect(node.time).toBeGreaterThanOrEqual(60);
      expect(node.time).toBeLessThanOrEqual(61);
    }
    // 3 fps: 60, 60.33, 60.67 and 61 seconds.
    expect(kept.nodes.map((n) => n.frame)).toEqual([1800, 1810, 1820, 1830]);

    const tooMany = await stack.execute(FacePage, { id, first: 1001 });
    expect(tooMany.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(tooMany.errors![0]!.path).toEqual(['job', 'predictions', 0, 'predictions', 0, 'models', 'face', 'groupedPredictions', 0, 'predictions']);
    for (const garbage of ['not a cursor!', 'garbage', Buffer.from('OffsetConnection:abc').toString('base64')]) {
      const bad = await stack.execute(FacePage, { id, first: 10, after: garbage });
      expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
    const maximum = await stack.execute(FacePage, { id, first: 1000 });
    expect(maximum.errors).toBeUndefined();
    expect(maximum.data!.job!.predictions![0]!.predictions![0]!.models.face!.groupedPredictions[0]!.predictions.nodes).toHaveLength(1000);
  });

  it('serves a page of a 3-hour video (32,400 frames) with every emotion', async () => {
    const id = await startedJobId(stack, { urls: ['https://media.example/three-hours.mp4?duration=10800'], models: { face: { fpsPred: 3 } } });
    const { data, errors } = await stack.execute(LongVideo, { id });
    expect(errors).toBeUndefined();
    const source = data!.job!.predictions![0]!;
    expect(source.error).toBeNull();
    expect(source.errors).toEqual([]);
    const group = source.predictions![0]!.models.face!.groupedPredictions[0]!;
    expect(group.start.totalCount).toBe(32_400);
    expect(group.start.pageInfo.hasNextPage).toBe(true);
    expect(group.start.nodes).toHaveLength(10);
    expect(group.start.nodes.map((n) => n.frame)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
    for (const node of group.start.nodes) expect(node.emotions).toHaveLength(48);
    expect(group.end.totalCount).toBe(3);
    expect(group.end.nodes.map((n) => n.frame)).toEqual([323_970, 323_980, 323_990]);
    expect(group.end.nodes[0]!.emotions).toHaveLength(3);
    expect(stack.sim.requests.count({ method: 'GET', path: `/v0/batch/jobs/${id}/predictions` })).toBe(1);
  });
});
