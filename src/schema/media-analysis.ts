/**
 * `MediaAnalysis`: one upload analysed by both providers (Hume job + Phonexia task), its query and `analyzeMedia`.
 * The upload is read once and the same bytes go to both; a side that fails to start is reported, the other kept.
 */
import type { GatewayContext } from '../context.js';
import type { MediaAnalysisRecord, StartFailure } from '../tracking/media-analyses.js';
import { builder } from './builder.js';
import { ProviderEnum, startErrorTypes } from './errors.js';
import { ChannelModeEnum, EmotionTaskRef, channelRequest, toPhonexiaError, validateChannelOptions, validateUpload } from './emotion-task.js';
import { claimIdempotencyKey } from './idempotency.js';
import { liveState } from './live.js';
import { isTerminalTask } from '../tracking/emotion-tasks.js';
import { JobRef } from './job.js';
import { InputValidationError, UpstreamError, UpstreamRateLimitError, toUpstreamError, type ProviderName } from './provider-errors.js';
import { HUME_MAX_UPLOAD_BYTES, ModelsInput, afterProviderAccepted, fingerprint, readUploads, toHumeModels, validateModels } from './start-job.js';
import type { HumeInferenceBaseRequest } from '../providers/hume-batch/wire.js';

export const AnalysisStatusEnum = builder.enumType('AnalysisStatus', {
  values: {
    RUNNING: { description: 'At least one side is still working and none has failed.' },
    COMPLETED: { description: 'Both providers finished successfully.' },
    FAILED: { description: 'At least one side failed to start or failed while processing; see failures.' },
  } as const,
});

const FailureStageEnum = builder.enumType('AnalysisFailureStage', {
  values: { START: { description: 'The provider refused or could not take the upload.' }, PROCESSING: { description: 'The provider failed the work.' } } as const,
});

interface Failure {
  provider: ProviderName;
  stage: 'START' | 'PROCESSING';
  message: string;
  status: number | null;
  code: string | null;
}

const AnalysisFailure = builder.objectRef<Failure>('AnalysisFailure').implement({
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (f) => f.provider }),
    stage: t.field({ type: FailureStageEnum, resolve: (f) => f.stage }),
    message: t.exposeString('message'),
    status: t.exposeInt('status', { nullable: true, description: "The provider's HTTP status when it refused the start." }),
    code: t.exposeString('code', { nullable: true }),
  }),
});

/** Both sides read once per operation (through the loaders), then combined. */
export async function analysisState(ctx: GatewayContext, record: MediaAnalysisRecord) {
  const failures: Failure[] = [];
  const started = (provider: ProviderName, failure: StartFailure | null) => {
    if (failure) failures.push({ provider, stage: 'START', ...failure });
  };
  started('HUME', record.humeStartFailure);
  started('PHONEXIA', record.phonexiaStartFailure);
  const [job, task] = await Promise.all([
    record.jobId ? ctx.loaders.humeJob.load(record.jobId) : null,
    record.taskId ? ctx.loaders.emotionTask.load(record.taskId) : null,
  ]);
  if (job?.state.status === 'FAILED') failures.push({ provider: 'HUME', stage: 'PROCESSING', message: job.state.message, status: null, code: null });
  if (task && (task.status === 'failed' || task.status === 'rejected'))
    failures.push({ provider: 'PHONEXIA', stage: 'PROCESSING', message: task.error?.message ?? `task ${task.status}`, status: null, code: task.error?.type ?? task.status });
  const status = failures.length > 0 ? 'FAILED' : job?.state.status === 'COMPLETED' && task?.status === 'done' ? 'COMPLETED' : 'RUNNING';
  // Settled when neither side can change any more (a side that never started counts as settled).
  const settled = (!job || job.state.status === 'COMPLETED' || job.state.status === 'FAILED') && (!task || isTerminalTask(task.status));
  return {
    status: status as 'RUNNING' | 'COMPLETED' | 'FAILED',
    failures,
    settled,
    version: `${status}:${job?.state.status ?? '-'}:${task?.status ?? '-'}`,
  };
}

export const MediaAnalysisRef = builder.objectRef<MediaAnalysisRecord>('MediaAnalysis');

MediaAnalysisRef.implement({
  description: 'One upload analysed by Hume (the requested models) and Phonexia (emotion recognition).',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: AnalysisStatusEnum, resolve: async (a, _, ctx) => (await analysisState(ctx, a)).status }),
    failures: t.field({ type: [AnalysisFailure], description: 'Which side failed, and why.', resolve: async (a, _, ctx) => (await analysisState(ctx, a)).failures }),
    job: t.field({ type: JobRef, nullable: true, description: 'Null when Hume did not take the upload.', resolve: (a) => (a.jobId ? { id: a.jobId } : null) }),
    emotionTask: t.field({
      type: EmotionTaskRef,
      nullable: true,
      description: 'Null when Phonexia did not take the upload.',
      resolve: (a) => (a.taskId ? { id: a.taskId } : null),
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => new Date(a.createdAt) }),
  }),
});

builder.queryField('mediaAnalysis', (t) =>
  t.field({
    type: MediaAnalysisRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, ctx) => ctx.loaders.mediaAnalysis.load(String(id)),
  }),
);

const AnalyzeMediaInput = builder.inputType('AnalyzeMediaInput', {
  fields: (t) => ({
    file: t.field({ type: 'File', required: true, description: 'The media file, sent to both providers (at most 100 MB).' }),
    models: t.field({ type: ModelsInput, description: 'Hume models; all of them when omitted.' }),
    channelMode: t.field({ type: ChannelModeEnum }),
    channels: t.intList(),
    rangeFrom: t.float(),
    rangeTo: t.float(),
    maxSpeechLength: t.float(),
    idempotencyKey: t.string(),
  }),
});

function startFailure(error: unknown): StartFailure {
  if (error instanceof UpstreamRateLimitError) return { message: error.message, status: 429, code: 'RATE_LIMITED' };
  if (error instanceof UpstreamError) return { message: error.message, status: error.status, code: error.code };
  if (error instanceof Error) return { message: error.message, status: null, code: null };
  return { message: String(error), status: null, code: null };
}

builder.mutationField('analyzeMedia', (t) =>
  t.field({
    type: MediaAnalysisRef,
    description: 'Sends one upload to both providers at once. A side that fails to start is reported in failures; the other goes on.',
    errors: {
      types: startErrorTypes,
      union: { name: 'AnalyzeMediaResult' },
      result: { name: 'AnalyzeMediaSuccess' },
      dataField: { name: 'analysis' },
    },
    args: { input: t.arg({ type: AnalyzeMediaInput, required: true }) },
    resolve: async (_, { input }, ctx) => {
      // The smaller of the two providers' limits applies: the same bytes go to both.
      const problems = [
        ...validateUpload(input.file, HUME_MAX_UPLOAD_BYTES, '100 MB (the Hume limit)'),
        ...validateModels(input.models, ['input', 'models']),
        ...validateChannelOptions(input),
      ];
      if (problems.length > 0) throw new InputValidationError(problems);
      const { hume, emotionTasks } = ctx.services;
      const [upload] = await readUploads([input.file]);
      const request = channelRequest(input.file, input);
      const humeRequest: HumeInferenceBaseRequest = input.models ? { models: toHumeModels(input.models) } : {};
      const claim = input.idempotencyKey
        ? await claimIdempotencyKey(ctx.services.store, 'media-analysis', input.idempotencyKey, fingerprint({ humeRequest, request }, [upload!]))
        : undefined;
      if (claim?.existingId) return (await ctx.services.analyses.get(claim.existingId))!;

      const startHume = async () => {
        if (!hume) throw new UpstreamError('HUME', 'Hume is not configured on this gateway', null, 'NOT_CONFIGURED', false);
        const callback = ctx.services.humeCallbacks?.prepare() ?? null;
        const jobId = await hume.startJob(callback ? { ...humeRequest, callback_url: callback.url } : humeRequest, [upload!]);
        await afterProviderAccepted(ctx, jobId, [callback?.bind(jobId), ctx.services.onJobStarted?.(jobId)]);
        return jobId;
      };
      const startPhonexia = async () => {
        if (!emotionTasks) throw new UpstreamError('PHONEXIA', 'Phonexia is not configured on this gateway', null, 'NOT_CONFIGURED', false);
        return (await emotionTasks.start(upload!, request, ctx.requestId)).id;
      };
      const [jobResult, taskResult] = await Promise.allSettled([startHume(), startPhonexia()]);
      const record = await ctx.services.analyses.create({
        jobId: jobResult.status === 'fulfilled' ? jobResult.value : null,
        taskId: taskResult.status === 'fulfilled' ? taskResult.value : null,
        humeStartFailure: jobResult.status === 'rejected' ? startFailure(toUpstreamError(jobResult.reason)) : null,
        phonexiaStartFailure: taskResult.status === 'rejected' ? startFailure(toPhonexiaError(taskResult.reason)) : null,
      });
      await claim?.complete(record.id);
      return record;
    },
  }),
);

builder.subscriptionField('mediaAnalysisUpdated', (t) =>
  t.field({
    type: MediaAnalysisRef,
    description:
      'The analysis now, then every change of it or of either side; completes once both sides are finished (an analysis can be FAILED while the other side still runs).',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_, { id }, ctx) => {
      const analysisId = String(id);
      let settled = false;
      return liveState(ctx, {
        events: ctx.services.events.subscribe('mediaAnalysisUpdated', analysisId),
        read: async () => {
          const record = await ctx.loaders.mediaAnalysis.load(analysisId);
          if (!record) return null;
          const state = await analysisState(ctx, record);
          settled = state.settled;
          return { record, version: state.version };
        },
        version: (read) => read.version,
        isTerminal: () => settled,
        unknownMessage: `media analysis ${analysisId} is unknown`,
      });
    },
    resolve: (read: { record: MediaAnalysisRecord }) => read.record,
  }),
);
