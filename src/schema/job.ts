/** `Job` (a Hume batch job), its state union and echoed request, and the `job` / `jobs` queries. */
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { artifactsLink } from '../artifacts.js';
import type { HumeJob, HumeJobStatus, HumeListQuery, HumeState } from '../providers/hume-batch/wire.js';
import { builder } from './builder.js';
import { JobRequest } from './job-request.js';
import { liveState } from './live.js';
import { isTerminalJob } from '../providers/hume-batch/source.js';
import { SourcePredictions } from './source-predictions.js';

/** A job is known by its id; everything else is read through the operation's loader, so it is fetched once. */
export interface JobParent {
  id: string;
}

export async function loadJob(ctx: GatewayContext, id: string): Promise<HumeJob> {
  const job = await ctx.loaders.humeJob.load(id);
  if (!job) throw new GraphQLError(`job ${id} no longer exists at Hume`, { extensions: { code: 'NOT_FOUND' } });
  return job;
}

export const JobStatusEnum = builder.enumType('JobStatus', { values: ['QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'] as const });

type StateOf<S extends HumeJobStatus> = Extract<HumeState, { status: S }>;
const ms = (value: number | null | undefined) => (value === null || value === undefined ? null : new Date(value));

const JobQueued = builder.objectRef<StateOf<'QUEUED'>>('JobQueued').implement({
  fields: (t) => ({ createdAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.created_timestamp_ms) }) }),
});

const JobInProgress = builder.objectRef<StateOf<'IN_PROGRESS'>>('JobInProgress').implement({
  fields: (t) => ({
    createdAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.created_timestamp_ms) }),
    startedAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.started_timestamp_ms) }),
  }),
});

const JobCompleted = builder.objectRef<StateOf<'COMPLETED'>>('JobCompleted').implement({
  fields: (t) => ({
    createdAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.created_timestamp_ms) }),
    startedAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.started_timestamp_ms) }),
    endedAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.ended_timestamp_ms) }),
    numPredictions: t.exposeInt('num_predictions'),
    numErrors: t.exposeInt('num_errors'),
  }),
});

const JobFailed = builder.objectRef<StateOf<'FAILED'>>('JobFailed').implement({
  fields: (t) => ({
    createdAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.created_timestamp_ms) }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => ms(s.started_timestamp_ms) }),
    endedAt: t.field({ type: 'DateTime', resolve: (s) => new Date(s.ended_timestamp_ms) }),
    message: t.exposeString('message'),
  }),
});

const stateTypes = { QUEUED: JobQueued, IN_PROGRESS: JobInProgress, COMPLETED: JobCompleted, FAILED: JobFailed };

const JobState = builder.unionType('JobState', {
  types: [JobQueued, JobInProgress, JobCompleted, JobFailed],
  resolveType: (state) => stateTypes[state.status],
});

export const JobRef = builder.objectRef<JobParent>('Job');

JobRef.implement({
  description: 'A Hume Expression Measurement batch job.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "Hume's job_id." }),
    status: t.field({ type: JobStatusEnum, resolve: async (job, _, ctx) => (await loadJob(ctx, job.id)).state.status }),
    state: t.field({ type: JobState, resolve: async (job, _, ctx) => (await loadJob(ctx, job.id)).state }),
    request: t.field({ type: JobRequest, resolve: async (job, _, ctx) => (await loadJob(ctx, job.id)).request }),
    predictions: t.field({
      type: [SourcePredictions],
      nullable: true,
      description: 'One entry per input source; null until the job is COMPLETED.',
      resolve: async (job, _, ctx) => {
        const details = await loadJob(ctx, job.id);
        return details.state.status === 'COMPLETED' ? ctx.loaders.humePredictions.load(job.id) : null;
      },
    }),
    artifactsUrl: t.string({
      nullable: true,
      description:
        'A signed, expiring gateway link that streams the job\'s artifacts ZIP (CSVs per model). Null until COMPLETED.',
      args: { expiresInSeconds: t.arg.int({ defaultValue: 900, description: 'Link lifetime, 60 to 86400 seconds.' }) },
      resolve: async (job, { expiresInSeconds }, ctx) => {
        const lifetime = expiresInSeconds ?? 900;
        if (lifetime < 60 || lifetime > 86_400)
          throw new GraphQLError('expiresInSeconds must be between 60 and 86400', { extensions: { code: 'BAD_USER_INPUT' } });
        const details = await loadJob(ctx, job.id);
        if (details.state.status !== 'COMPLETED') return null;
        return artifactsLink(ctx.services.signer, ctx.services.publicUrl ?? ctx.origin, job.id, lifetime);
      },
    }),
  }),
});

builder.queryField('job', (t) =>
  t.field({
    type: JobRef,
    nullable: true,
    description: 'A Hume job by id; null when Hume does not know it.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_, { id }, ctx) => ((await ctx.loaders.humeJob.load(String(id))) ? { id: String(id) } : null),
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
  filter?: { status?: HumeJobStatus[] | null; createdBefore?: Date | null; createdAfter?: Date | null } | null;
  orderBy?: { field?: 'CREATED' | 'STARTED' | 'ENDED' | null; direction?: 'ASC' | 'DESC' | null } | null;
}

/**
 * The jobs after a keyset cursor. Hume can only bound the creation time, so the answer starts with the jobs of the
 * cursor's millisecond; the cursor job is found among them by id. When that millisecond holds more jobs than the
 * answer did (the cursor job, or a full page after it, lies past its end), ask again with a larger limit.
 */
async function listAfterCursor(ctx: GatewayContext, query: HumeListQuery, cursor: { t: number; id: string }, first: number): Promise<HumeJob[]> {
  const hume = ctx.services.hume!;
  for (;;) {
    const jobs = await hume.listJobs(query);
    const limit = query.limit ?? jobs.length;
    const full = jobs.length >= limit;
    const at = jobs.findIndex((job) => job.job_id === cursor.id);
    if (at >= 0) {
      const rest = jobs.slice(at + 1);
      if (rest.length > first || !full) return rest;
      // A page, plus one to tell whether there is a next, after the cursor.
      query.limit = at + 1 + first + 1;
    } else if (full && jobs.at(-1)?.state.created_timestamp_ms === cursor.t) {
      query.limit = limit * 4;
    } else {
      // The cursor job is gone (or left the filter): go on after its millisecond.
      return jobs.filter((job) => job.state.created_timestamp_ms !== cursor.t);
    }
  }
}

async function listJobsPage(ctx: GatewayContext, args: JobsArgs) {
  const first = args.first ?? 20;
  if (first < 0 || first > MAX_JOBS_PAGE)
    throw new GraphQLError(`first must be between 0 and ${MAX_JOBS_PAGE}`, { extensions: { code: 'BAD_USER_INPUT' } });
  const hume = ctx.services.hume;
  if (!hume) throw new GraphQLError('Hume is not configured on this gateway', { extensions: { code: 'PROVIDER_ERROR', provider: 'HUME' } });
  const field = args.orderBy?.field ?? 'CREATED';
  const descending = (args.orderBy?.direction ?? 'DESC') === 'DESC';
  const cursor = args.after ? decodeCursor(args.after) : undefined;
  const before = args.filter?.createdBefore?.getTime();
  const after = args.filter?.createdAfter?.getTime();
  const query: HumeListQuery = {
    sort_by: field === 'CREATED' ? 'created' : field === 'STARTED' ? 'started' : 'ended',
    direction: descending ? 'desc' : 'asc',
  };
  if (args.filter?.status?.length) query.status = args.filter.status;

  let skipUntilId: string | undefined;
  let offset = 0;
  // Slack for jobs created in the same millisecond as the cursor, which the bound cannot tell apart.
  const tieSlack = 10;
  if (field === 'CREATED' && cursor && 't' in cursor) {
    // Include the cursor's millisecond and skip past the cursor job itself.
    if (descending) Object.assign(query, { when: 'created_before', timestamp_ms: Math.min(cursor.t + 1, before ?? Infinity) });
    else Object.assign(query, { when: 'created_after', timestamp_ms: Math.max(cursor.t - 1, after ?? -Infinity) });
    skipUntilId = cursor.id;
    query.limit = first + 1 + tieSlack;
  } else {
    if (cursor && 'o' in cursor) offset = cursor.o;
    if (descending && before !== undefined) Object.assign(query, { when: 'created_before', timestamp_ms: before });
    else if (!descending && after !== undefined) Object.assign(query, { when: 'created_after', timestamp_ms: after });
    else if (before !== undefined) Object.assign(query, { when: 'created_before', timestamp_ms: before });
    else if (after !== undefined) Object.assign(query, { when: 'created_after', timestamp_ms: after });
    query.limit = offset + first + 1;
  }

  let jobs =
    skipUntilId !== undefined && cursor && 't' in cursor
      ? await listAfterCursor(ctx, query, { t: cursor.t, id: skipUntilId }, first)
      : await hume.listJobs(query);
  // The bound Hume could not apply is applied here.
  jobs = jobs.filter(
    (job) =>
      (before === undefined || job.state.created_timestamp_ms < before) && (after === undefined || job.state.created_timestamp_ms > after),
  );
  const window = jobs.slice(offset, offset + first);
  for (const job of window) ctx.loaders.humeJob.prime(job.job_id, job);

  const edges = window.map((job, index) => ({
    cursor: encodeCursor(field === 'CREATED' ? { t: job.state.created_timestamp_ms, id: job.job_id } : { o: offset + index + 1 }),
    node: { id: job.job_id },
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
      resolve: (_, args, ctx) => listJobsPage(ctx, args as JobsArgs),
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
      if (!ctx.services.hume) throw new GraphQLError('Hume is not configured on this gateway', { extensions: { code: 'PROVIDER_ERROR', provider: 'HUME' } });
      let following = false;
      return liveState(ctx, {
        events: ctx.services.events.subscribe('jobUpdated', jobId),
        read: async () => {
          const job = await ctx.loaders.humeJob.load(jobId);
          // A job started elsewhere (another client of the same Hume account) is followed from now on.
          if (job && !following && !isTerminalJob(job)) {
            following = true;
            await ctx.services.humeJobs?.track(jobId);
          }
          return job;
        },
        version: (job) => job.state.status,
        isTerminal: isTerminalJob,
        unknownMessage: `job ${jobId} is unknown to Hume`,
      });
    },
    resolve: (job: HumeJob) => ({ id: job.job_id }),
  }),
);
