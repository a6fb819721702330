/** `Job` (a batch job), its state union and echoed request, the `job` / `jobs` queries and `jobUpdated`. */
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { isTerminalJobStatus, type Job, type JobListQuery, type JobStatus } from '../domain/job.js';
import { defineLoader } from '../loaders.js';
import { humeBatch } from '../providers/hume-batch/index.js';
import { builder } from './builder.js';
import { JobRequest } from './job-request.js';
import { liveState } from './live.js';
import { configured, providerGraphQLError } from './provider-errors.js';
import { SourcePredictions } from './source-predictions.js';

export const jobLoader = defineLoader('job', (services, id: string) => services.providers.require(humeBatch).getJob(id), providerGraphQLError);
const predictionsLoader = defineLoader('jobPredictions', (services, id: string) => services.providers.require(humeBatch).getPredictions(id), providerGraphQLError);

/** A job is known by its id; everything else is read through the operation's loader, so it is fetched once. */
export interface JobParent {
  id: string;
}

export async function loadJob(ctx: GatewayContext, id: string): Promise<Job> {
  const job = await ctx.loaders.of(jobLoader).load(id);
  if (!job) throw new GraphQLError(`job ${id} no longer exists at Hume`, { extensions: { code: 'NOT_FOUND' } });
  return job;
}

export const JobStatusEnum = builder.enumType('JobStatus', { values: ['QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'] as const });

const date = (ms: number | null) => (ms === null ? null : new Date(ms));
/** A state's timestamp that its status guarantees. */
const at = (ms: number | null) => new Date(ms ?? 0);

const JobQueued = builder.objectRef<Job>('JobQueued').implement({
  fields: (t) => ({ createdAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.createdAt) }) }),
});

const JobInProgress = builder.objectRef<Job>('JobInProgress').implement({
  fields: (t) => ({
    createdAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.createdAt) }),
    startedAt: t.field({ type: 'DateTime', resolve: (s) => at(s.startedAt) }),
  }),
});

const JobCompleted = builder.objectRef<Job>('JobCompleted').implement({
  fields: (t) => ({
    createdAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.createdAt) }),
    startedAt: t.field({ type: 'DateTime', resolve: (s) => at(s.startedAt) }),
    endedAt: t.field({ type: 'DateTime', resolve: (s) => at(s.endedAt) }),
    numPredictions: t.int({ resolve: (s) => s.numPredictions ?? 0 }),
    numErrors: t.int({ resolve: (s) => s.numErrors ?? 0 }),
  }),
});

const JobFailed = builder.objectRef<Job>('JobFailed').implement({
  fields: (t) => ({
    createdAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.createdAt) }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => date(s.startedAt) }),
    endedAt: t.field({ type: 'DateTime', resolve: (s) => at(s.endedAt) }),
    message: t.string({ resolve: (s) => s.message ?? '' }),
  }),
});

const stateTypes = { QUEUED: JobQueued, IN_PROGRESS: JobInProgress, COMPLETED: JobCompleted, FAILED: JobFailed };

const JobState = builder.unionType('JobState', {
  types: [JobQueued, JobInProgress, JobCompleted, JobFailed],
  resolveType: (job) => stateTypes[job.status],
});

export const JobRef = builder.objectRef<JobParent>('Job');

JobRef.implement({
  description: 'A Hume Expression Measurement batch job.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "Hume's job_id." }),
    status: t.field({ type: JobStatusEnum, resolve: async (job, _, ctx) => (await loadJob(ctx, job.id)).status }),
    state: t.field({ type: JobState, resolve: (job, _, ctx) => loadJob(ctx, job.id) }),
    request: t.field({ type: JobRequest, resolve: async (job, _, ctx) => (await loadJob(ctx, job.id)).request }),
    predictions: t.field({
      type: [SourcePredictions],
      nullable: true,
      description: 'One entry per input source; null until the job is COMPLETED.',
      resolve: async (job, _, ctx) => {
        const details = await loadJob(ctx, job.id);
        return details.status === 'COMPLETED' ? ctx.loaders.of(predictionsLoader).load(job.id) : null;
      },
    }),
    artifactsUrl: t.string({
      nullable: true,
      description: "A signed, expiring gateway link that streams the job's artifacts ZIP (CSVs per model). Null until COMPLETED.",
      args: { expiresInSeconds: t.arg.int({ defaultValue: 900, description: 'Link lifetime, 60 to 86400 seconds.' }) },
      resolve: async (job, { expiresInSeconds }, ctx) => {
        const lifetime = expiresInSeconds ?? 900;
        if (lifetime < 60 || lifetime > 86_400)
          throw new GraphQLError('expiresInSeconds must be between 60 and 86400', { extensions: { code: 'BAD_USER_INPUT' } });
        const details = await loadJob(ctx, job.id);
        if (details.status !== 'COMPLETED') return null;
        return ctx.services.providers.require(humeBatch).artifactsLink(ctx.services.publicUrl ?? ctx.origin, job.id, lifetime);
      },
    }),
  }),
});

builder.asEntity(JobRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async ({ id }, ctx) => ((await ctx.loaders.of(jobLoader).load(id)) ? { id } : null),
});

builder.queryField('job', (t) =>
  t.field({
    type: JobRef,
    nullable: true,
    description: 'A Hume job by id; null when Hume does not know it.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_, { id }, ctx) => ((await ctx.loaders.of(jobLoader).load(String(id))) ? { id: String(id) } : null),
  }),
);

// ---- jobs: a Relay connection over Hume's list endpoint, which has no cursor of its own ----

const SortField = builder.enumType('JobSortField', { values: ['CREATED', 'STARTED', 'ENDED'] as const });
const SortDirection = builder.enumType('SortDirection', { values: ['ASC', 'DESC'] as const });

const JobFilter = builder.inputType('JobFilter', {
  fields: (t) => ({
    status: t.field({ type: [JobStatusEnum], description: 'Any of these statuses.' }),
    createdBefore: t.field({ type: 'DateTime' }),
    createdAfter: t.field({ type: 'DateTime' }),
  }),
});

const JobOrder = builder.inputType('JobOrder', {
  fields: (t) => ({
    field: t.field({ type: SortField, defaultValue: 'CREATED' }),
    direction: t.field({ type: SortDirection, defaultValue: 'DESC' }),
  }),
});

const MAX_JOBS_PAGE = 100;

/** Cursor: keyset (created time + id) when sorting by creation, else an offset (Hume can only bound created). */
type JobCursor = { t: number; id: string } | { o: number };

const encodeCursor = (cursor: JobCursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(raw: string): JobCursor {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as JobCursor;
    if (('t' in value && Number.isFinite(value.t) && typeof value.id === 'string') || ('o' in value && Number.isInteger(value.o) && value.o >= 0))
      return value;
  } catch {
    // fall through
  }
  throw new GraphQLError('after is not a cursor from this connection', { extensions: { code: 'BAD_USER_INPUT' } });
}

interface JobsArgs {
  first?: number | null;
  after?: string | null;
  filter?: { status?: JobStatus[] | null; createdBefore?: Date | null; createdAfter?: Date | null } | null;
  orderBy?: { field?: 'CREATED' | 'STARTED' | 'ENDED' | null; direction?: 'ASC' | 'DESC' | null } | null;
}

/**
 * The jobs after a keyset cursor. Hume can only bound the creation time, so the answer starts with the jobs of the
 * cursor's millisecond; the cursor job is found among them by id. When that millisecond holds more jobs than the
 * answer did (the cursor job, or a full page after it, lies past its end), ask again with a larger limit.
 */
async function listAfterCursor(ctx: GatewayContext, query: JobListQuery, cursor: { t: number; id: string }, first: number): Promise<Job[]> {
  const hume = ctx.services.providers.require(humeBatch);
  for (;;) {
    const jobs = await hume.listJobs(query);
    const full = jobs.length >= query.limit;
    const position = jobs.findIndex((job) => job.id === cursor.id);
    if (position >= 0) {
      const rest = jobs.slice(position + 1);
      if (rest.length > first || !full) return rest;
      // A page, plus one to tell whether there is a next, after the cursor.
      query.limit = position + 1 + first + 1;
    } else if (full && jobs.at(-1)?.createdAt === cursor.t) {
      query.limit *= 4;
    } else {
      // The cursor job is gone (or left the filter): go on after its millisecond.
      return jobs.filter((job) => job.createdAt !== cursor.t);
    }
  }
}

async function listJobsPage(ctx: GatewayContext, args: JobsArgs) {
  const first = args.first ?? 20;
  if (first < 0 || first > MAX_JOBS_PAGE) throw new GraphQLError(`first must be between 0 and ${MAX_JOBS_PAGE}`, { extensions: { code: 'BAD_USER_INPUT' } });
  const hume = ctx.services.providers.require(humeBatch);
  const field = args.orderBy?.field ?? 'CREATED';
  const descending = (args.orderBy?.direction ?? 'DESC') === 'DESC';
  const cursor = args.after ? decodeCursor(args.after) : undefined;
  const before = args.filter?.createdBefore?.getTime() ?? null;
  const after = args.filter?.createdAfter?.getTime() ?? null;
  const query: JobListQuery = { limit: 0, statuses: args.filter?.status ?? null, createdBefore: before, createdAfter: after, sortBy: field, descending };

  let offset = 0;
  let jobs: Job[];
  if (field === 'CREATED' && cursor && 't' in cursor) {
    // Include the cursor's millisecond (the bound is exclusive) and skip past the cursor job itself.
    if (descending) query.createdBefore = Math.min(cursor.t + 1, before ?? Infinity);
    else query.createdAfter = Math.max(cursor.t - 1, after ?? -Infinity);
    // Slack for jobs created in the same millisecond as the cursor, which the bound cannot tell apart.
    query.limit = first + 1 + 10;
    jobs = await listAfterCursor(ctx, query, cursor, first);
  } else {
    if (cursor && 'o' in cursor) offset = cursor.o;
    query.limit = offset + first + 1;
    jobs = await hume.listJobs(query);
  }
  // The bound Hume could not apply is applied here.
  jobs = jobs.filter((job) => (before === null || job.createdAt < before) && (after === null || job.createdAt > after));
  const window = jobs.slice(offset, offset + first);
  const loader = ctx.loaders.of(jobLoader);
  for (const job of window) loader.prime(job.id, job);

  const edges = window.map((job, index) => ({
    cursor: encodeCursor(field === 'CREATED' ? { t: job.createdAt, id: job.id } : { o: offset + index + 1 }),
    node: { id: job.id },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage: jobs.length > offset + first,
      hasPreviousPage: cursor !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

builder.queryField('jobs', (t) =>
  t.connection(
    {
      type: JobRef,
      description: "Hume jobs, newest first by default, paged with Relay cursors over Hume's list endpoint.",
      args: {
        filter: t.arg({ type: JobFilter }),
        orderBy: t.arg({ type: JobOrder }),
      },
      resolve: async (_, args, ctx) => {
        try {
          return await listJobsPage(ctx, args as JobsArgs);
        } catch (error) {
          throw providerGraphQLError(error);
        }
      },
    },
    { name: 'JobConnection' },
    { name: 'JobEdge' },
  ),
);

builder.subscriptionField('jobUpdated', (t) =>
  t.field({
    type: JobRef,
    description: 'The job now, then every change of its status; completes after COMPLETED or FAILED.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_, { id }, ctx) => {
      const jobId = String(id);
      const hume = configured(ctx.services, humeBatch);
      let following = false;
      return liveState(ctx, {
        events: ctx.services.events.subscribe('jobUpdated', jobId),
        read: async () => {
          const job = await ctx.loaders.of(jobLoader).load(jobId);
          // A job started elsewhere (another client of the same Hume account) is followed from now on.
          if (job && !following && !isTerminalJobStatus(job.status)) {
            following = true;
            await hume.follow(jobId);
          }
          return job;
        },
        version: (job) => job.status,
        isTerminal: (job) => isTerminalJobStatus(job.status),
        unknownMessage: `job ${jobId} is unknown to Hume`,
      });
    },
    resolve: (job: Job) => ({ id: job.id }),
  }),
);
