/**
 * The gateway as an Apollo Federation v2 subgraph: its SDL is composed with a second subgraph that extends `Job`
 * and `EmotionTask` (a review per item), and a real Hive Gateway in the test runs federated queries over both.
 * Upstream calls are counted on the simulators: entities resolve through the loaders, once per distinct id.
 */
import { phonexia } from '../src/providers/phonexia/index.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphSdl } from '../src/schema/index.js';
import { graphql } from './gql/index.js';
import { eventually, startStack, type Stack } from './support/stack.js';
import { pcmWav } from './support/wav.js';

const StartTask = graphql(`
  mutation FederationStartTask($input: StartEmotionTaskInput!) {
    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } }
  }
`);

/** The second subgraph: reviews of jobs and tasks, owned by another team. */
const reviewsSdl = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
  type Review { rating: Int! comment: String }
  type Job @key(fields: "id") { id: ID! review: Review }
  type EmotionTask @key(fields: "id") { id: ID! review: Review }
  type Query { reviewedJobs: [Job!]! reviewedTasks: [EmotionTask!]! }
`;

async function serve(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

let stack: Stack;
let reviews: { url: string; close(): Promise<void> };
let gateway: { url: string; close(): Promise<void> };
const jobIds: string[] = [];
let taskId: string;

beforeAll(async () => {
  // Jobs that stay queued: nothing is cached, so every read of one is a real Hume call to count.
  stack = await startStack({ hume: { timing: { queuedMs: 600_000, runningMs: 0 } } });
  for (const text of ['first', 'second', 'third']) jobIds.push(await stack.startAtHume({ text: [text], models: { language: {} } }));
  const task = await stack.upload(StartTask, { input: { file: null } as never }, { 'variables.input.file': { name: 'a.wav', type: 'audio/wav', data: pcmWav() } });
  if (task.data?.startEmotionTask.__typename !== 'StartEmotionTaskSuccess') throw new Error(JSON.stringify(task));
  taskId = task.data.startEmotionTask.task.id;
  await eventually(async () => (await stack.gateway.services.providers.require(phonexia).tasks.get(taskId))?.status === 'done');

  // The reviews subgraph lists the first job twice, as a page of reviews might.
  const reviewed = [jobIds[0]!, jobIds[1]!, jobIds[0]!, jobIds[2]!];
  const schema = buildSubgraphSchema({
    typeDefs: parse(reviewsSdl),
    resolvers: {
      Query: { reviewedJobs: () => reviewed.map((id) => ({ id })), reviewedTasks: () => [{ id: taskId }] },
      Job: { review: ({ id }: { id: string }) => ({ rating: jobIds.indexOf(id) + 3, comment: `job ${jobIds.indexOf(id)}` }) },
      EmotionTask: { review: () => ({ rating: 5, comment: 'clear audio' }) },
    } as never,
  });
  reviews = await serve(createYoga({ schema, graphqlEndpoint: '/graphql' }) as never);

  // The emotion subgraph's SDL is fetched the federated way, through `_service { sdl }`.
  const service = await fetch(`${stack.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  }).then((r) => r.json() as Promise<{ data: { _service: { sdl: string } } }>);
  const composed = composeServices([
    { name: 'emotion', typeDefs: parse(service.data._service.sdl), url: `${stack.gateway.url}/graphql` },
    { name: 'reviews', typeDefs: parse(reviewsSdl), url: `${reviews.url}/graphql` },
  ]);
  if (composed.errors?.length) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  gateway = await serve(createGatewayRuntime({ supergraph: composed.supergraphSdl!, logging: false }) as never);
});

afterAll(async () => {
  await gateway?.close();
  await reviews?.close();
  await stack?.close();
});

async function federated(query: string) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

describe('federation', () => {
  it('serves the same SDL in _service as the committed contract, with @link and @key', async () => {
    const committed = readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8');
    expect(committed.trim()).toBe(subgraphSdl().trim());
    expect(committed).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])');
    for (const entity of ['Job', 'EmotionTask', 'MediaAnalysis'])
      expect(committed).toMatch(new RegExp(`type ${entity}\\s+@key\\(fields: "id"\\)`));
  });

  it('runs a query that takes fields from both subgraphs, one Hume call per distinct job', async () => {
    const before = Object.fromEntries(jobIds.map((id) => [id, stack.hume.requests.count({ method: 'GET', path: `/v0/batch/jobs/${id}` })]));
    const result = await federated('{ reviewedJobs { id status review { rating comment } request { text } } }');
    expect(result.errors).toBeUndefined();
    const jobs = result.data!.reviewedJobs as Array<{ id: string; status: string; review: { rating: number }; request: { text: string[] } }>;
    expect(jobs.map((j) => j.id)).toEqual([jobIds[0], jobIds[1], jobIds[0], jobIds[2]]);
    expect(jobs.map((j) => j.request.text[0])).toEqual(['first', 'second', 'first', 'third']);
    expect(jobs.map((j) => j.review.rating)).toEqual([3, 4, 3, 5]);
    for (const job of jobs) expect(job.status).toBe('QUEUED');
    for (const id of jobIds) expect(stack.hume.requests.count({ method: 'GET', path: `/v0/batch/jobs/${id}` }) - before[id]!, id).toBe(1);
  });

  it('resolves EmotionTask entities and extends them with the other subgraph', async () => {
    const result = await federated('{ reviewedTasks { id status review { rating comment } channels { channel dominantEmotion { name } } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data!.reviewedTasks).toEqual([
      { id: taskId, status: 'DONE', review: { rating: 5, comment: 'clear audio' }, channels: [{ channel: 0, dominantEmotion: { name: expect.stringMatching(/^(angry|happy|neutral|sad)$/) } }] },
    ]);
  });

  it('resolves many representations in one _entities call with one upstream call per distinct id', async () => {
    // Started at Hume directly, so the gateway's own tracking adds no reads to the count.
    const id = await stack.startAtHume({ text: ['still running'] });
    const path = `/v0/batch/jobs/${id}`;
    const before = stack.hume.requests.count({ method: 'GET', path });
    const representations = Array.from({ length: 6 }, () => ({ __typename: 'Job', id }));
    const response = await fetch(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Job { id status } } }',
        variables: { r: [...representations, { __typename: 'Job', id: '00000000-0000-4000-8000-000000000000' }] },
      }),
    }).then((r) => r.json() as Promise<{ data: { _entities: Array<{ id: string; status: string } | null> } }>);
    expect(response.data._entities.slice(0, 6)).toEqual(Array(6).fill({ id, status: 'QUEUED' }));
    expect(response.data._entities[6]).toBeNull();
    expect(stack.hume.requests.count({ method: 'GET', path }) - before).toBe(1);
  });
});
