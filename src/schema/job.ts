/** `Job` (a batch job), its state union and echoed request, the `job` / `jobs` queries and `jobUpdated`. */
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { isTerminalJobStatus, type Job } from '../domain/job.js';
import { defineLoader } from '../loaders.js';
import { humeBatch } from '../providers/hume-batch/index.js';
import { builder } from './builder.js';
import { JobRequest } from './job-request.js';
import { liveResolver, liveState } from './live.js';
import { pageOfOwnWork } from './own-work.js';
import { configured, providerGraphQLError } from './provider-errors.js';
import { SourcePredictions } from './source-predictions.js';

/** The work index's kind for jobs. */
export const JOB_KIND = 'job';

/** A job another tenant started does not exist for this caller (one started elsewhere: only without authentication). */
export const jobLoader = defineLoader(
  'job',
  async (services, id: string, ctx) => {
    const hume = services.providers.require(humeBatch);
    const [job, owner] = await Promise.all([hume.getJob(id), services.work.ownerOf(JOB_KIND, id)]);
    return job && ctx.sees(owner) ? job : null;
  },
  providerGraphQLError,
);
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
        return ctx.services.providers.require(humeBatch).artifactsLink(ctx.services.publicUrl ?? '', job.id, lifetime);
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

// ---- jobs: the caller's jobs, newest first, over the gateway's own index (Hume's list is the whole account's) ----

/** How much later than Hume's creation time the gateway may have recorded a job. */
const INDEX_SLACK_MS = 60_000;

const JobFilter = builder.inputType('JobFilter', {
  fields: (t) => ({
    status: t.field({ type: [JobStatusEnum], description: 'Any of these statuses.' }),
    createdBefore: t.field({ type: 'DateTime' }),
    createdAfter: t.field({ type: 'DateTime' }),
  }),
});

builder.queryField('jobs', (t) =>
  t.connection(
    {
      type: JobRef,
      description: 'The jobs the caller started through this gateway, newest first.',
      args: { filter: t.arg({ type: JobFilter }) },
      resolve: (_, args, ctx) => {
        configured(ctx.services, humeBatch);
        const statuses = args.filter?.status?.length ? new Set(args.filter.status) : null;
        const before = args.filter?.createdBefore?.getTime() ?? null;
        const after = args.filter?.createdAfter?.getTime() ?? null;
        // The index orders jobs by when the gateway recorded them, a moment after Hume created them: it is only
        // searched near the bounds, which are then applied to Hume's own creation time.
        return pageOfOwnWork(ctx, JOB_KIND, args, {
          load: (id) => ctx.loaders.of(jobLoader).load(id),
          createdBefore: before === null ? null : new Date(before + INDEX_SLACK_MS),
          createdAfter: after === null ? null : new Date(after - INDEX_SLACK_MS),
          keep: (job) => (!statuses || statuses.has(job.status)) && (before === null || job.createdAt < before) && (after === null || job.createdAt > after),
        });
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
    resolve: liveResolver((job: Job) => ({ id: job.id })),
  }),
);
