/** The batch-job side of a media analysis: the upload as one file of a job running the requested models. */
import { isTerminalJobStatus } from '../domain/job.js';
import { humeBatch } from '../providers/hume-batch/index.js';
import { registerAnalysisSide, sideWork } from './analysis-sides.js';
import { JOB_KIND, JobRef, jobLoader } from './job.js';
import { HUME_MAX_UPLOAD_BYTES, ModelsInput, toModelSettings, validateModels, type ModelsInputShape } from './start-job.js';
import { validateUpload } from './uploads.js';

const modelsOf = (input: Record<string, unknown>) => (input.models as ModelsInputShape | null | undefined) ?? null;

registerAnalysisSide({
  name: 'HUME_BATCH',
  description: 'Hume batch (v0) jobs: the models in `models` (all of them when omitted). Only where HUME_BASE_URL is configured.',
  workKind: JOB_KIND,
  module: humeBatch,
  inputFields: (t) => ({ models: t.field({ type: ModelsInput, description: 'Hume batch models; all of them when omitted.' }) }),
  analysisFields: (t) => ({
    job: t.field({
      type: JobRef,
      nullable: true,
      description: 'The Hume batch job; null when it was not used or did not take the upload.',
      resolve: (a) => {
        const id = sideWork(a, humeBatch);
        return id ? { id } : null;
      },
    }),
  }),
  validate: (input) => [
    ...validateUpload(input.file, HUME_MAX_UPLOAD_BYTES, '100 MB (the Hume batch limit)'),
    ...validateModels(modelsOf(input), ['input', 'models']),
  ],
  fingerprint: (input) => {
    const models = modelsOf(input);
    return models ? toModelSettings(models) : null;
  },
  start: (ctx, upload, input, afterAccepted) => {
    const models = modelsOf(input);
    const spec = { models: models ? toModelSettings(models) : null, transcription: null, urls: [], text: [], notify: null };
    return ctx.services.providers.require(humeBatch).startJob(spec, [upload], afterAccepted);
  },
  read: async (ctx, jobId) => {
    const job = await ctx.loaders.of(jobLoader).load(jobId);
    if (!job) return null;
    return {
      progress: job.status === 'COMPLETED' ? 'COMPLETED' : job.status === 'FAILED' ? 'FAILED' : 'RUNNING',
      settled: isTerminalJobStatus(job.status),
      failure: job.status === 'FAILED' ? { message: job.message ?? 'the job failed', code: null } : null,
      version: job.status,
    };
  },
});
