/**
 * The Hume expression side of a media analysis: each selected channel of a PCM WAV measured on its own, so each
 * `AnalysisChannel` shows Hume's utterances beside the other providers' results for that speaker.
 */
import type { ConversionPlan } from '../audio/index.js';
import { humeExpression } from '../providers/hume-expression/index.js';
import { registerAnalysisSide, sideWork, type AnalyzeMediaInputShape } from './analysis-sides.js';
import { AudioMeasurementInput, ExpressionRunRef, RUN_KIND, Utterance, accepted, audioRequest, loadRun, planAudio, validateTimer } from './expression-run.js';

type Planned = Awaited<ReturnType<typeof planAudio>>;

/** The upload is read and planned once per request, whichever of accepts/validate/start asks first. */
const plans = new WeakMap<File, Promise<Planned>>();
const planOf = (input: AnalyzeMediaInputShape) => {
  let planned = plans.get(input.file);
  if (!planned) plans.set(input.file, (planned = planAudio(input.file, input.channels)));
  return planned;
};
const timerOf = (input: AnalyzeMediaInputShape) => (input.expression as { measurementTimerMs?: number | null } | null | undefined)?.measurementTimerMs ?? null;

registerAnalysisSide({
  name: 'HUME_EXPRESSION',
  description: 'Hume expression (v1): speech measurements per utterance, each channel of a PCM WAV on its own.',
  module: humeExpression,
  workKind: RUN_KIND,
  inputFields: (t) => ({ expression: t.field({ type: AudioMeasurementInput, description: 'Hume expression settings.' }) }),
  analysisFields: (t) => ({
    expressionRun: t.field({
      type: ExpressionRunRef,
      nullable: true,
      description: 'The Hume expression run; null when it was not used or could not take the upload.',
      resolve: (a) => {
        const id = sideWork(a, humeExpression);
        return id ? { id } : null;
      },
    }),
  }),
  channelFields: (t) => ({
    utterances: t.field({
      type: [Utterance],
      nullable: true,
      description: "Hume expression's utterances in this channel, with their measurements; null until its run is COMPLETED.",
      resolve: async ({ analysis, channel }, _, ctx) => {
        const id = sideWork(analysis, humeExpression);
        const run = id ? await loadRun(ctx, id) : null;
        return run?.status === 'COMPLETED' ? (run.audio?.find((c) => c.channel === channel)?.utterances ?? null) : null;
      },
    }),
  }),
  accepts: async (input) => {
    const planned = await planOf(input);
    if ('problems' in planned) return planned.problems.map((p) => p.message).join('; ');
    if ('tooLarge' in planned) return planned.tooLarge;
    return null;
  },
  validate: (input) => validateTimer(timerOf(input), ['input', 'expression', 'measurementTimerMs']),
  fingerprint: (input) => ({ channels: input.channels ?? null, measurementTimerMs: timerOf(input) }),
  start: async (ctx, _upload, input, afterAccepted) => {
    const planned = (await planOf(input)) as { bytes: Uint8Array; plan: ConversionPlan };
    const run = await ctx.services.providers.require(humeExpression).measureAudio(planned.bytes, planned.plan, audioRequest(input.file, planned.plan, timerOf(input)));
    return accepted(ctx, run, afterAccepted);
  },
  read: async (ctx, runId) => {
    const run = await loadRun(ctx, runId);
    if (!run) return null;
    return {
      progress: run.status,
      settled: run.status !== 'RUNNING',
      failure: run.status === 'FAILED' ? { message: run.error ?? 'the measurement failed', code: null } : null,
      version: run.status,
    };
  },
  channels: async (ctx, runId) => {
    const run = await loadRun(ctx, runId);
    return run?.status === 'COMPLETED' ? (run.audio ?? []).map((c) => c.channel) : [];
  },
});
