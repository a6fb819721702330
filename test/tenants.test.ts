/**
 * Tenants (DESIGN.md "Authentication and tenants"): with authentication on, each job, task, analysis and run
 * belongs to the tenant that started it, and for every other tenant it does not exist. Tenant A starts one of each
 * (a Hume batch job, a Phonexia task, a media analysis with all its sides, a Hume expression run); tenant B gets
 * null from the lookups and `_entities`, does not find them in its lists, its subscriptions end as for an unknown
 * id (over WebSocket and SSE), and it gets no artifacts link. A token with the admin scope sees everything. The same
 * holds across two gateway processes sharing one Redis.
 */
import { randomUUID } from 'node:crypto';
import { print, type ExecutionResult } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HumeSimulator } from '../src/simulators/hume-batch/simulator.js';
import { PhonexiaSimulator } from '../src/simulators/phonexia/simulator.js';
import { graphql } from './gql/index.js';
import { jpeg } from './support/expression-media.js';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process.js';
import { TEST_ADMIN_SCOPE, TEST_TENANT_CLAIM, authEnvFor, startJwksServer, type JwksServer } from './support/jwks.js';
import { subscribeSse, subscribeWs, wsClient } from './support/live-clients.js';
import { REDIS_MISSING_MESSAGE, startRedisServer, type RedisServer } from './support/redis-server.js';
import { eventually, startStack, type Stack, type UploadFile } from './support/stack.js';
import { pcmWav } from './support/wav.js';

const TenStartJob = graphql(`
  mutation TenStartJob($input: StartJobInput!) {
    startJob(input: $input) { __typename ... on StartJobSuccess { job { id } } ... on Error { message } }
  }
`);

const TenStartTask = graphql(`
  mutation TenStartTask($input: StartEmotionTaskInput!) {
    startEmotionTask(input: $input) { __typename ... on StartEmotionTaskSuccess { task { id } } ... on Error { message } }
  }
`);

const TenAnalyze = graphql(`
  mutation TenAnalyze($input: AnalyzeMediaInput!) {
    analyzeMedia(input: $input) {
      __typename
      ... on AnalyzeMediaSuccess { analysis { id job { id } emotionTask { id } expressionRun { id } } }
      ... on Error { message }
    }
  }
`);

const TenMeasureImages = graphql(`
  mutation TenMeasureImages($input: MeasureImagesInput!) {
    measureImages(input: $input) { __typename ... on MeasureSuccess { run { id } } ... on Error { message } }
  }
`);

const TenLookups = graphql(`
  query TenLookups($job: ID!, $task: ID!, $analysis: ID!, $run: ID!) {
    job(id: $job) { id }
    emotionTask(id: $task) { id }
    mediaAnalysis(id: $analysis) { id }
    expressionRun(id: $run) { id }
  }
`);

const TenLists = graphql(`
  query TenLists {
    jobs(first: 100) { nodes { id } }
    emotionTasks(first: 100) { nodes { id } }
    mediaAnalyses(first: 100) { nodes { id } }
    expressionRuns(first: 100) { nodes { id } }
  }
`);

const TenArtifacts = graphql(`
  query TenArtifacts($id: ID!) {
    job(id: $id) { id status artifactsUrl }
  }
`);

const TenJobUpdated = graphql(`
  subscription TenJobUpdated($id: ID!) {
    jobUpdated(id: $id) { id }
  }
`);
const TenTaskUpdated = graphql(`
  subscription TenTaskUpdated($id: ID!) {
    emotionTaskUpdated(id: $id) { id }
  }
`);
const TenAnalysisUpdated = graphql(`
  subscription TenAnalysisUpdated($id: ID!) {
    mediaAnalysisUpdated(id: $id) { id }
  }
`);
const TenRunUpdated = graphql(`
  subscription TenRunUpdated($id: ID!) {
    expressionRunUpdated(id: $id) { id }
  }
`);

const TENANT_CLAIM = TEST_TENANT_CLAIM;
const ADMIN_SCOPE = TEST_ADMIN_SCOPE;

const authEnv = authEnvFor;

const wav = (name: string): UploadFile => ({ name, type: 'audio/wav', data: new Uint8Array(pcmWav({ channels: 1, seconds: 1 })) as Uint8Array<ArrayBuffer> });
const image = (name: string): UploadFile => ({ name, type: 'image/jpeg', data: new Uint8Array(jpeg({ width: 64, height: 64 })) as Uint8Array<ArrayBuffer> });

interface Tokens {
  a: string;
  b: string;
  /** Tenant B's operator: a token of tenant B with the admin scope. */
  admin: string;
}

async function tokensOf(jwks: JwksServer): Promise<Tokens> {
  return {
    a: `Bearer ${await jwks.sign({ [TENANT_CLAIM]: 'tenant-a', sub: 'alice' })}`,
    // Tenant B by `sub` alone (no tenant claim): the fallback names the tenant.
    b: `Bearer ${await jwks.sign({ sub: 'tenant-b' })}`,
    admin: `Bearer ${await jwks.sign({ [TENANT_CLAIM]: 'tenant-b', sub: 'operator', scope: `openid ${ADMIN_SCOPE}` })}`,
  };
}

type Kind = 'job' | 'task' | 'analysis' | 'run';
type Work = Record<Kind, string>;

const subscriptions: Record<Kind, { document: TypedDocumentNode<unknown, { id: string }>; field: string; typename: string }> = {
  job: { document: TenJobUpdated as never, field: 'jobUpdated', typename: 'Job' },
  task: { document: TenTaskUpdated as never, field: 'emotionTaskUpdated', typename: 'EmotionTask' },
  analysis: { document: TenAnalysisUpdated as never, field: 'mediaAnalysisUpdated', typename: 'MediaAnalysis' },
  run: { document: TenRunUpdated as never, field: 'expressionRunUpdated', typename: 'ExpressionRun' },
};

/** The one error a subscription to `id` ended with, its id replaced, so an unknown id and another tenant's compare. */
function endingOf(results: ExecutionResult<unknown>[], id: string) {
  expect(results).toHaveLength(1);
  expect(results[0]!.data ?? null).toBeNull();
  expect(results[0]!.errors).toHaveLength(1);
  const error = results[0]!.errors![0]!;
  return JSON.parse(JSON.stringify({ message: error.message, path: error.path, extensions: error.extensions }).split(id).join('<id>'));
}

async function entities(url: string, authorization: string, work: Work) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({
      query: 'query ($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Job { id } ... on EmotionTask { id } ... on MediaAnalysis { id } ... on ExpressionRun { id } } }',
      variables: {
        r: (Object.keys(subscriptions) as Kind[]).map((kind) => ({ __typename: subscriptions[kind].typename, id: work[kind] })),
      },
    }),
  });
  const body = (await response.json()) as { data?: { _entities: Array<{ id: string } | null> }; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data!._entities;
}

describe('tenants on one gateway (in memory)', () => {
  let jwks: JwksServer;
  let stack: Stack;
  let tokens: Tokens;
  /** Tenant A's work: started on its own, and the analysis with its three sides. */
  let work: Work;
  let sides: { job: string; task: string; run: string };

  beforeAll(async () => {
    jwks = await startJwksServer();
    stack = await startStack({ env: authEnv(jwks) });
    tokens = await tokensOf(jwks);
    const a = { authorization: tokens.a };
    const job = await stack.execute(TenStartJob, { input: { text: ['what tenant A said'], models: { language: {} } } }, a);
    const task = await stack.upload(TenStartTask, { input: { file: null as never } }, { 'variables.input.file': wav('a-task.wav') }, a);
    const analysis = await stack.upload(TenAnalyze, { input: { file: null as never } }, { 'variables.input.file': wav('a-analysis.wav') }, a);
    const run = await stack.upload(TenMeasureImages, { input: { files: [null] as never } }, { 'variables.input.files.0': image('a-face.jpg') }, a);
    if (job.data?.startJob.__typename !== 'StartJobSuccess') throw new Error(JSON.stringify(job));
    if (task.data?.startEmotionTask.__typename !== 'StartEmotionTaskSuccess') throw new Error(JSON.stringify(task));
    if (analysis.data?.analyzeMedia.__typename !== 'AnalyzeMediaSuccess') throw new Error(JSON.stringify(analysis));
    if (run.data?.measureImages.__typename !== 'MeasureSuccess') throw new Error(JSON.stringify(run));
    const started = analysis.data.analyzeMedia.analysis;
    work = { job: job.data.startJob.job.id, task: task.data.startEmotionTask.task.id, analysis: started.id, run: run.data.measureImages.run.id };
    if (!started.job || !started.emotionTask || !started.expressionRun) throw new Error(`an analysis side did not start: ${JSON.stringify(started)}`);
    sides = { job: started.job.id, task: started.emotionTask.id, run: started.expressionRun.id };
  });
  afterAll(async () => {
    await stack?.close();
    await jwks?.close();
  });

  const lookups = (authorization: string, ids: Work) => stack.execute(TenLookups, ids, { authorization });
  const lists = async (authorization: string) => {
    const { data, errors } = await stack.execute(TenLists, undefined, { authorization });
    expect(errors).toBeUndefined();
    return {
      jobs: data!.jobs.nodes.map((n) => n.id),
      tasks: data!.emotionTasks.nodes.map((n) => n.id),
      analyses: data!.mediaAnalyses.nodes.map((n) => n.id),
      runs: data!.expressionRuns.nodes.map((n) => n.id),
    };
  };

  it("the owner finds its work by id, in _entities and in its lists, the analysis's sides included", async () => {
    const own = await lookups(tokens.a, work);
    expect(own.errors).toBeUndefined();
    expect(own.data).toEqual({ job: { id: work.job }, emotionTask: { id: work.task }, mediaAnalysis: { id: work.analysis }, expressionRun: { id: work.run } });
    const sideLookup = await lookups(tokens.a, { ...sides, analysis: work.analysis });
    expect(sideLookup.data).toEqual({ job: { id: sides.job }, emotionTask: { id: sides.task }, mediaAnalysis: { id: work.analysis }, expressionRun: { id: sides.run } });
    expect((await entities(stack.gateway.url, tokens.a, work)).map((entity) => entity?.id)).toEqual([work.job, work.task, work.analysis, work.run]);
    const listed = await lists(tokens.a);
    expect(listed.jobs).toEqual(expect.arrayContaining([work.job, sides.job]));
    expect(listed.tasks).toEqual(expect.arrayContaining([work.task, sides.task]));
    expect(listed.analyses).toEqual([work.analysis]);
    expect(listed.runs).toEqual(expect.arrayContaining([work.run, sides.run]));
  });

  it("for another tenant A's work does not exist: lookups and _entities give null, and its lists leave it out", async () => {
    for (const ids of [work, { ...sides, analysis: work.analysis }]) {
      const other = await lookups(tokens.b, ids);
      expect(other.errors).toBeUndefined();
      expect(other.data).toEqual({ job: null, emotionTask: null, mediaAnalysis: null, expressionRun: null });
    }
    expect(await entities(stack.gateway.url, tokens.b, work)).toEqual([null, null, null, null]);
    // B starts a task of its own: its list holds that one only.
    const own = await stack.upload(TenStartTask, { input: { file: null as never } }, { 'variables.input.file': wav('b-task.wav') }, { authorization: tokens.b });
    if (own.data?.startEmotionTask.__typename !== 'StartEmotionTaskSuccess') throw new Error(JSON.stringify(own));
    expect(await lists(tokens.b)).toEqual({ jobs: [], tasks: [own.data.startEmotionTask.task.id], analyses: [], runs: [] });
    // ...and A's list does not show B's.
    expect((await lists(tokens.a)).tasks).not.toContain(own.data.startEmotionTask.task.id);
  });

  it("subscriptions to another tenant's work end as for an unknown id, on WebSocket and SSE", async () => {
    const client = wsClient(stack.gateway.url, { connectionParams: { authorization: tokens.b } });
    try {
      for (const kind of Object.keys(subscriptions) as Kind[]) {
        const { document } = subscriptions[kind];
        const unknown = randomUUID();
        const overWs = async (id: string) => endingOf(await subscribeWs(client, document, { id }).done, id);
        const overSse = async (id: string) => endingOf(await subscribeSse(stack.gateway.url, document, { id }, { authorization: tokens.b }).done, id);
        const expected = await overWs(unknown);
        expect(expected.extensions.code, kind).toBe('NOT_FOUND');
        expect(await overWs(work[kind]), kind).toEqual(expected);
        expect(await overSse(unknown), kind).toEqual(expected);
        expect(await overSse(work[kind]), kind).toEqual(expected);
        if (kind !== 'analysis') expect(await overWs(sides[kind]), `${kind} of the analysis`).toEqual(expected);
      }
    } finally {
      await client.dispose();
    }
  });

  it('the owner (and an admin) can subscribe to it', async () => {
    for (const authorization of [tokens.a, tokens.admin]) {
      const client = wsClient(stack.gateway.url, { connectionParams: { authorization } });
      try {
        for (const kind of Object.keys(subscriptions) as Kind[]) {
          const { document, field } = subscriptions[kind];
          const first = await subscribeWs(client, document, { id: work[kind] }).first;
          expect(first.errors, kind).toBeUndefined();
          expect((first.data as Record<string, { id: string }>)[field]!.id).toBe(work[kind]);
        }
      } finally {
        await client.dispose();
      }
    }
  });

  it('issues the artifacts link to the owner only', async () => {
    const url = await eventually(async () => {
      const { data } = await stack.execute(TenArtifacts, { id: work.job }, { authorization: tokens.a });
      return data?.job?.status === 'COMPLETED' ? data.job.artifactsUrl : undefined;
    }, 10_000);
    expect(url).toMatch(/^\/|^http/);
    const download = await fetch(new URL(url!, stack.gateway.url));
    expect(download.status).toBe(200);
    await download.body?.cancel();
    const other = await stack.execute(TenArtifacts, { id: work.job }, { authorization: tokens.b });
    expect(other).toEqual({ data: { job: null } });
  });

  it('idempotency keys are per tenant: the same key from B starts B its own work', async () => {
    const key = `tenants-${randomUUID()}`;
    const start = (authorization: string) => stack.execute(TenStartJob, { input: { text: ['same key'], models: { language: {} }, idempotencyKey: key } }, { authorization });
    const first = await start(tokens.a);
    const again = await start(tokens.a);
    const other = await start(tokens.b);
    const id = (r: typeof first) => (r.data?.startJob.__typename === 'StartJobSuccess' ? r.data.startJob.job.id : JSON.stringify(r));
    expect(id(again)).toBe(id(first));
    expect(id(other)).not.toBe(id(first));
    expect((await stack.execute(TenArtifacts, { id: id(first) }, { authorization: tokens.b })).data!.job).toBeNull();
  });

  it('idempotency keys of tenants whose names run into each other ("acme" with "eu:k", "acme:eu" with "k") stay apart', async () => {
    const as = async (tenant: string) => `Bearer ${await jwks.sign({ [TENANT_CLAIM]: tenant })}`;
    const suffix = randomUUID();
    const input = { text: ['colliding keys'], models: { language: {} } };
    const first = await stack.execute(TenStartJob, { input: { ...input, idempotencyKey: `eu:${suffix}` } }, { authorization: await as('acme') });
    const other = await stack.execute(TenStartJob, { input: { ...input, idempotencyKey: suffix } }, { authorization: await as('acme:eu') });
    if (first.data?.startJob.__typename !== 'StartJobSuccess') throw new Error(JSON.stringify(first));
    expect(other.data?.startJob.__typename, JSON.stringify(other)).toBe('StartJobSuccess');
    expect(other.data?.startJob.__typename === 'StartJobSuccess' && other.data.startJob.job.id).not.toBe(first.data.startJob.job.id);
  });

  it("a subscription shared by the owner's subscribers is never shared with another tenant (nor an admin's with a tenant named \"*\")", async () => {
    stack.hume.timing = { queuedMs: 600_000, runningMs: 0 };
    const clients: Array<ReturnType<typeof wsClient>> = [];
    const socket = (authorization: string) => {
      const client = wsClient(stack.gateway.url, { connectionParams: { authorization } });
      clients.push(client);
      return client;
    };
    try {
      const started = await stack.execute(TenStartJob, { input: { text: ['a job A watches'], models: { language: {} } } }, { authorization: tokens.a });
      if (started.data?.startJob.__typename !== 'StartJobSuccess') throw new Error(JSON.stringify(started));
      const id = started.data.startJob.job.id;
      // A's and an admin's subscriptions are live (shared streams, one per viewer) while the others subscribe.
      const owners = [subscribeWs(socket(tokens.a), TenJobUpdated, { id }), subscribeWs(socket(tokens.admin), TenJobUpdated, { id })];
      for (const live of owners) expect((await live.first).data).toEqual({ jobUpdated: { id } });
      const star = `Bearer ${await jwks.sign({ [TENANT_CLAIM]: '*' })}`;
      for (const authorization of [tokens.b, star]) {
        const unknown = randomUUID();
        const expected = endingOf(await subscribeWs(socket(authorization), TenJobUpdated, { id: unknown }).done, unknown);
        const live = subscribeWs(socket(authorization), TenJobUpdated, { id });
        // A subscriber that joined a stream it must not see would get the job, and no end (the job is queued).
        const ended = await Promise.race([live.done, new Promise<ExecutionResult<unknown>[]>((resolve) => setTimeout(() => resolve(live.results), 5_000))]);
        expect(ended.map((r) => r.data ?? null), authorization === star ? 'tenant "*"' : 'tenant B').toEqual([null]);
        expect(ended[0]!.errors![0]!.extensions).toEqual(expected.extensions);
        const overSse = await subscribeSse(stack.gateway.url, TenJobUpdated, { id }, { authorization }).done;
        expect(overSse.map((r) => r.data ?? null)).toEqual([null]);
      }
      for (const live of owners) expect(live.results).toHaveLength(1);
    } finally {
      await Promise.all(clients.map((client) => client.dispose()));
      stack.hume.timing = { queuedMs: 0, runningMs: 0 };
    }
  });

  it("a tenant claim with control characters (as the index of every tenant's work is named) is refused", async () => {
    for (const tenant of ['\u0000all', 'tenant-a\u0000', '\u0000']) {
      const authorization = `Bearer ${await jwks.sign({ [TENANT_CLAIM]: tenant })}`;
      const response = await fetch(`${stack.gateway.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({ query: print(TenLists) }),
      });
      const body = (await response.json()) as ExecutionResult;
      expect(response.status, JSON.stringify(tenant)).toBe(401);
      expect(body.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(body.errors![0]!.message).toMatch(/control characters/);
    }
  });

  it('a token with the admin scope sees every tenant\'s work: lookups, _entities and lists', async () => {
    const seen = await lookups(tokens.admin, work);
    expect(seen.data).toEqual({ job: { id: work.job }, emotionTask: { id: work.task }, mediaAnalysis: { id: work.analysis }, expressionRun: { id: work.run } });
    expect((await entities(stack.gateway.url, tokens.admin, work)).map((entity) => entity?.id)).toEqual([work.job, work.task, work.analysis, work.run]);
    const everything = await lists(tokens.admin);
    const mine = await lists(tokens.a);
    const bs = await lists(tokens.b);
    expect(everything.tasks).toEqual(expect.arrayContaining([...mine.tasks, ...bs.tasks]));
    expect(everything.jobs).toEqual(expect.arrayContaining([...mine.jobs, ...bs.jobs]));
    expect(everything.analyses).toEqual(expect.arrayContaining(mine.analyses));
    expect(everything.runs).toEqual(expect.arrayContaining(mine.runs));
    // The scope is what counts, not the tenant: B's operator token names tenant B.
    const { data } = await stack.execute(TenArtifacts, { id: work.job }, { authorization: tokens.admin });
    expect(data!.job!.artifactsUrl).toEqual(expect.any(String));
  });
});

const redis: RedisServer | null = await startRedisServer();
if (!redis) console.warn(`[tenants.test] ${REDIS_MISSING_MESSAGE}`);

describe.skipIf(!redis)('tenants across two replicas sharing one Redis', () => {
  const HUME_KEY = 'tenants-test-hume-key-0123456789';
  let jwks: JwksServer;
  let hume: HumeSimulator;
  let phonexia: PhonexiaSimulator;
  let replicas: GatewayProcess[] = [];
  let tokens: Tokens;

  beforeAll(async () => {
    jwks = await startJwksServer();
    tokens = await tokensOf(jwks);
    hume = new HumeSimulator({ apiKey: HUME_KEY, timing: { queuedMs: 0, runningMs: 0 } });
    phonexia = new PhonexiaSimulator({ timing: { pendingMs: 0, runningMs: 0 } });
    const [humeServer, phonexiaServer] = await Promise.all([hume.listen(0, '127.0.0.1'), phonexia.listen(0, '127.0.0.1')]);
    const env = {
      ...authEnv(jwks),
      HUME_API_KEY: HUME_KEY,
      HUME_BASE_URL: humeServer.url,
      HUME_EXPRESSION_BASE_URL: 'http://127.0.0.1:9',
      PHONEXIA_BASE_URL: phonexiaServer.url,
      REDIS_URL: redis!.url,
      WEBHOOK_SECRET: 'tenants-test-webhook-secret-0123456789',
    };
    replicas = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await hume?.close();
    await phonexia?.close();
    await jwks?.close();
    await redis?.stop();
  });

  async function execute<R, V>(replica: GatewayProcess, document: TypedDocumentNode<R, V>, variables: V, authorization: string): Promise<ExecutionResult<R>> {
    const response = await fetch(`${replica.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return (await response.json()) as ExecutionResult<R>;
  }

  async function startTask(replica: GatewayProcess, authorization: string): Promise<string> {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: print(TenStartTask), variables: { input: { file: null } } }));
    form.append('map', JSON.stringify({ 0: ['variables.input.file'] }));
    form.append('0', new Blob([pcmWav({ channels: 1, seconds: 1 })], { type: 'audio/wav' }), 'replica.wav');
    const response = await fetch(`${replica.url}/graphql`, { method: 'POST', body: form, headers: { authorization, 'apollo-require-preflight': 'true' } });
    const result = (await response.json()) as ExecutionResult<{ startEmotionTask: { __typename: string; task?: { id: string } } }>;
    if (!result.data?.startEmotionTask.task) throw new Error(JSON.stringify(result));
    return result.data.startEmotionTask.task.id;
  }

  it("tenant B on the other replica cannot see A's work; A and the admin see it there", async () => {
    const [one, two] = replicas as [GatewayProcess, GatewayProcess];
    const task = await startTask(one, tokens.a);
    const job = await execute(one, TenStartJob, { input: { text: ['tenant A on replica one'], models: { language: {} } } }, tokens.a);
    if (job.data?.startJob.__typename !== 'StartJobSuccess') throw new Error(JSON.stringify(job));
    const ids = { job: job.data.startJob.job.id, task, analysis: randomUUID(), run: randomUUID() };

    const asB = await execute(two, TenLookups, ids, tokens.b);
    expect(asB.errors).toBeUndefined();
    expect(asB.data).toEqual({ job: null, emotionTask: null, mediaAnalysis: null, expressionRun: null });
    const bLists = await execute(two, TenLists, undefined as never, tokens.b);
    expect(bLists.data!.jobs.nodes).toEqual([]);
    expect(bLists.data!.emotionTasks.nodes).toEqual([]);

    for (const authorization of [tokens.a, tokens.admin]) {
      const seen = await execute(two, TenLookups, ids, authorization);
      expect(seen.data).toMatchObject({ job: { id: ids.job }, emotionTask: { id: task } });
      const listed = await execute(two, TenLists, undefined as never, authorization);
      expect(listed.data!.jobs.nodes.map((n) => n.id)).toContain(ids.job);
      expect(listed.data!.emotionTasks.nodes.map((n) => n.id)).toContain(task);
    }

    // B's subscription on replica two ends as for an unknown id.
    const client = wsClient(two.url, { connectionParams: { authorization: tokens.b } });
    try {
      const unknown = randomUUID();
      const expected = endingOf(await subscribeWs(client, TenTaskUpdated, { id: unknown }).done, unknown);
      expect(expected.extensions.code).toBe('NOT_FOUND');
      expect(endingOf(await subscribeWs(client, TenTaskUpdated, { id: task }).done, task)).toEqual(expected);
      expect(endingOf(await subscribeSse(two.url, TenTaskUpdated, { id: task }, { authorization: tokens.b }).done, task)).toEqual(expected);
    } finally {
      await client.dispose();
    }
  });
});
