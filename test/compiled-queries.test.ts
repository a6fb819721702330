/**
 * Repeated queries are compiled with graphql-jit from their second run (src/compiled-queries.ts). Whatever runs
 * them, a client must see the same answer: the same data for other variables, the same errors (message, code,
 * path, masking) and the same nulls. Each document here runs several times, the first interpreted by graphql-js,
 * the later ones compiled, against the real gateway and the Hume simulator.
 */
import { expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { eventually, useHumeStack, type HumeStack } from './support/hume-stack.js';

const CqStart = graphql(`
  mutation CqStart($input: StartJobInput!) {
    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } }
  }
`);

const CqPage = graphql(`
  query CqPage($id: ID!, $first: Int, $after: String) {
    job(id: $id) {
      id
      status
      predictions {
        source { __typename ... on UrlSource { url } }
        predictions {
          file
          models { face { groupedPredictions { id label predictions(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { frame time box { x y } emotions(top: 2) { name score } } } } } }
        }
      }
    }
  }
`);

const CqJobs = graphql(`
  query CqJobs($id: ID!, $other: ID!) {
    a: job(id: $id) { id status request { urls } }
    b: job(id: $other) { id status }
  }
`);

let stack: HumeStack;
useHumeStack((s) => (stack = s));

async function completedFaceJob(seconds: number): Promise<string> {
  const started = await stack.execute(CqStart, { input: { urls: [`https://media.example/cq-${seconds}.mp4?duration=${seconds}`], models: { face: {} } } });
  if (started.data?.startJob.__typename !== 'StartJobSuccess') throw new Error(JSON.stringify(started));
  const id = started.data.startJob.job.id;
  await eventually(async () => (await stack.execute(CqPage, { id, first: 1 })).data?.job?.status === 'COMPLETED', 10_000);
  return id;
}

it('pages of a job read the same, and follow their variables, interpreted or compiled', async () => {
  const id = await completedFaceJob(20);
  const pageOf = async (first: number, after?: string) => (await stack.execute(CqPage, { id, first, ...(after ? { after } : {}) })).data!.job!;
  const groups = (page: Awaited<ReturnType<typeof pageOf>>) => page.predictions![0]!.predictions![0]!.models.face!.groupedPredictions;

  const first = await pageOf(5);
  // The same variables again, now compiled: the very same answer.
  expect(await pageOf(5)).toEqual(first);
  expect(await pageOf(5)).toEqual(first);
  // Other variables on the compiled document: their own answer, continuing where the cursor says.
  const cursor = groups(first)[0]!.predictions.pageInfo.endCursor!;
  const next = await pageOf(3, cursor);
  const firstFrames = groups(first)[0]!.predictions.nodes.map((n) => n.frame);
  const nextFrames = groups(next)[0]!.predictions.nodes.map((n) => n.frame);
  expect(nextFrames).toHaveLength(3);
  expect(nextFrames[0]).toBeGreaterThan(firstFrames.at(-1)!);
  // ...and matching a single interpreted-equivalent page of 8 from the start.
  const eight = groups(await pageOf(8))[0]!.predictions.nodes.map((n) => n.frame);
  expect(eight).toEqual([...firstFrames, ...nextFrames]);
  expect(groups(next)[0]!.predictions.totalCount).toBe(groups(first)[0]!.predictions.totalCount);
});

it('errors and nulls read the same: an unknown job, a provider failure masked the same way', async () => {
  const id = await completedFaceJob(5);
  const unknown = '00000000-0000-4000-8000-00000000c0c0';
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await stack.execute(CqJobs, { id, other: unknown }));
  expect(runs[0]!.data).toEqual({ a: { id, status: 'COMPLETED', request: { urls: [`https://media.example/cq-5.mp4?duration=5`] } }, b: null });
  for (const run of runs.slice(1)) expect(run).toEqual(runs[0]);

  // A provider failure on one field (an id this gateway has never read, so nothing it knows can answer for it):
  // the same error (message, code, path) and the same partial data, each time.
  const queued = '00000000-0000-4000-8000-00000000c1c1';
  const failing = [];
  for (let i = 0; i < 3; i++) {
    // Reads are retried on a 5xx: the fault outlasts the retries.
    stack.sim.faults.add({ method: 'GET', path: `/v0/batch/jobs/${queued}`, times: Infinity, fault: { kind: 'status', status: 500, body: '{"message":"internal http://10.0.0.7/ db down"}' } });
    failing.push(await stack.execute(CqJobs, { id, other: queued }));
    stack.sim.faults.clear();
  }
  const [firstFailure] = failing;
  expect(firstFailure!.data).toEqual({ a: runs[0]!.data!.a, b: null });
  expect(firstFailure!.errors).toHaveLength(1);
  expect(firstFailure!.errors![0]!.path).toEqual(['b']);
  expect(firstFailure!.errors![0]!.extensions).toMatchObject({ provider: 'HUME', status: 500 });
  expect(JSON.stringify(firstFailure!.errors)).not.toContain('10.0.0.7');
  for (const run of failing.slice(1)) expect(run).toEqual(firstFailure);
});
