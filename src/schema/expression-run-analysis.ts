/**
 * The Hume expression side of a media analysis: each selected channel of a PCM WAV measured on its own, so each
 * `AnalysisChannel` shows Hume's utterances beside the other providers' results for that speaker.
 */
import type { ConversionPlan } from '../audio/index.js';
import { humeExpression } from '../providers/hume-expression/index.js';
import { registerAnalysisSide, sideWork, type AnalyzeMediaInputShape } from './analysis-sides.js';
import { AudioMeasurementInput, ExpressionRunRef, RUN_KIND, Utterance, accepted, adapterFor, audioRequest, loadRun, planAudio, validateTimer } from './expression-run.js';

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
  // Only what makes the file itself unreadable here (not a PCM WAV, too long) means this side cannot take it; a
  // channel the file does not have is bad input like any other, refused under its own field by validate.
  accepts: async (input) => {
    const planned = await planOf(input);
    if ('problems' in planned) {
      const unreadable = planned.problems.filter((p) => p.path.join('.') === 'input.file');
      return unreadable.length > 0 ? unreadable.map((p) => p.message).join('; ') : null;
    }
    if ('tooLarge' in planned) return planned.tooLarge;
    return null;
  },
  validate: async (input) => {
    const timer = validateTimer(timerOf(input), ['input', 'expression', 'measurementTimerMs']);
    // A negative or fractional channel is already refused by analyzeMedia itself, for every side.
    if (!(input.channels ?? []).every((c) => Number.isInteger(c) && c >= 0)) return timer;
    const planned = await planOf(input);
    const channelProblems = 'problems' in planned ? planned.problems.filter((p) => p.path.join('.') !== 'input.file') : [];
    return [...channelProblems, ...timer];
  },
  fingerprint: (input) => ({ channels: input.channels ?? null, measurementTimerMs: timerOf(input) }),
  start: async (ctx, _upload, input, afterAccepted) => {
    const planned = (await planOf(input)) as { bytes: Uint8Array; plan: ConversionPlan };
    // A closed rate gate refuses this side as it refuses measureAudio, rather than starting a run that waits.
    const run = await adapterFor(ctx).measureAudio(planned.bytes, planned.plan, audioRequest(input.file, planned.plan, timerOf(input)));
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
