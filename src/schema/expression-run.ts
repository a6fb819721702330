/**
 * `ExpressionRun` (Hume expression measurements of speech or faces), its queries, `measureAudio`, `measureImages` and
 * `expressionRunUpdated`. Hume measures synchronously, but not for the caller: a mutation answers at once with a
 * RUNNING run, the gateway converts and uploads in the background, keeps the results and announces the end.
 */
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { AudioChannelError, AudioFormatError, planSpeechConversion, readIntoSharedMemory, readWavHeader, type ConversionPlan } from '../audio/index.js';
import {
  isTerminalRunStatus,
  type AudioChannelMeasurements as AudioChannelShape,
  type AudioMeasurement as AudioMeasurementShape,
  type AudioRunRequest,
  type ExpressionRun,
  type FaceBox,
  type FaceMeasurement as FaceMeasurementShape,
  type ImageMeasurement as ImageMeasurementShape,
  type ImagesRunRequest,
  type Utterance as UtteranceShape,
} from '../domain/expression-run.js';
import { readJpeg } from '../images/jpeg.js';
import { defineLoader } from '../loaders.js';
import {
  HUME_EXPRESSION_MAX_IMAGE_BYTES,
  HUME_EXPRESSION_MAX_IMAGE_PIXELS,
  HUME_EXPRESSION_MAX_REQUEST_BYTES,
  MULTIPART_OVERHEAD_BYTES,
  humeExpression,
} from '../providers/hume-expression/index.js';
import { builder } from './builder.js';
import { uploadStartErrorTypes } from './errors.js';
import { startOnce, type AfterAccepted } from './starts.js';
import { bookkeepAfterAcceptance } from '../tracking/after-acceptance.js';
import { liveResolver, liveState } from './live.js';
import { pageOfOwnWork } from './own-work.js';
import { LabelScore, PredictionInterface, TOP_DESCRIPTION, maybeTop, topScores } from './prediction.js';
import { InputValidationError, UploadTooLargeError, UpstreamRateLimitError, providerGraphQLError, providerNotConfigured, type FieldProblem } from './provider-errors.js';
import { fingerprint, validateIdempotencyKey, validateUpload } from './uploads.js';

/** The work index's kind for runs. */
export const RUN_KIND = 'expression-run';

/** A run of another tenant does not exist for this caller. */
export const runLoader = defineLoader(
  'expressionRun',
  async (services, id: string, ctx): Promise<ExpressionRun | null> => {
    const adapter = services.providers.get(humeExpression);
    if (!adapter) return null;
    if (!ctx.sees(await services.work.ownerOf(RUN_KIND, id))) return null;
    return adapter.getRun(id);
  },
  providerGraphQLError,
);

export const loadRun = (ctx: GatewayContext, id: string) => ctx.loaders.of(runLoader).load(id);

const ExpressionRunStatusEnum = builder.enumType('ExpressionRunStatus', { values: ['RUNNING', 'COMPLETED', 'FAILED'] as const });
const ExpressionRunKindEnum = builder.enumType('ExpressionRunKind', {
  values: { AUDIO: { description: 'Speech in an audio file.' }, IMAGES: { description: 'Faces in JPEG images.' } } as const,
});
const MeasurementTriggerEnum = builder.enumType('MeasurementTrigger', {
  values: {
    INTERVAL: { description: 'Taken every measurementTimerMs of speech within an utterance.' },
    SPEECH_ENDED: { description: 'Taken when the utterance ended (skipped when the previous one ended less than a second before).' },
  } as const,
});

export const AudioMeasurement = builder.objectRef<AudioMeasurementShape>('AudioMeasurement').implement({
  description: 'Scores for the most recent (up to 10 s) of an utterance.',
  interfaces: [PredictionInterface],
  fields: (t) => ({
    trigger: t.field({ type: MeasurementTriggerEnum, resolve: (m) => m.trigger }),
    startMs: t.exposeInt('startMs', { description: "Milliseconds from the start of the uploaded file (Hume's audio_start_ms)." }),
    endMs: t.exposeInt('endMs', { description: "Hume's audio_end_ms." }),
    voiceAttributes: t.field({
      type: [LabelScore],
      description: 'How the voice and the recording sound (sparse: only scores above their cutoff).',
      args: { top: t.arg.int({ description: TOP_DESCRIPTION }) },
      resolve: (m, { top }) => topScores(m.voiceAttributes, top),
    }),
  }),
});

export const Utterance = builder.objectRef<UtteranceShape>('Utterance').implement({
  description: 'One continuous stretch of speech.',
  fields: (t) => ({
    startMs: t.exposeInt('startMs'),
    endMs: t.exposeInt('endMs'),
    measurements: t.field({ type: [AudioMeasurement], resolve: (u) => u.measurements }),
  }),
});

const AudioChannelMeasurements = builder.objectRef<AudioChannelShape>('AudioChannelMeasurements').implement({
  fields: (t) => ({
    channel: t.exposeInt('channel', { description: '0-based channel of the uploaded file, measured on its own.' }),
    humeRunId: t.exposeID('providerRunId', { nullable: true, description: "Hume's run id for this channel's upload." }),
    utterances: t.field({ type: [Utterance], resolve: (c) => c.utterances }),
  }),
});

const FaceBoxRef = builder.objectRef<FaceBox>('FaceBox').implement({
  description: 'Face bounding box in pixels: top-left corner, width and height.',
  fields: (t) => ({ x: t.exposeFloat('x'), y: t.exposeFloat('y'), width: t.exposeFloat('width'), height: t.exposeFloat('height') }),
});

export const FaceMeasurement = builder.objectRef<FaceMeasurementShape>('FaceMeasurement').implement({
  description: 'One face in an image. Only the largest faces are measured; others are listed with their box only.',
  interfaces: [PredictionInterface],
  fields: (t) => ({
    faceId: t.exposeString('faceId', { nullable: true, description: 'Follows a face across the images of one run; null when not measured.' }),
    measured: t.exposeBoolean('measured', { description: 'False for a face detected but not measured (emotions are then empty).' }),
    box: t.field({ type: FaceBoxRef, nullable: true, resolve: (f) => f.box }),
    confidence: t.exposeFloat('confidence', { nullable: true, description: 'Face detection confidence.' }),
    descriptions: t.field({
      type: [LabelScore],
      nullable: true,
      description: 'Visible facial actions (smile, frown, ...); null when not measured.',
      args: { top: t.arg.int({ description: TOP_DESCRIPTION }) },
      resolve: (f, { top }) => maybeTop(f.descriptions, top),
    }),
  }),
});

const ImageMeasurement = builder.objectRef<ImageMeasurementShape>('ImageMeasurement').implement({
  fields: (t) => ({
    fileName: t.exposeString('fileName'),
    faces: t.field({ type: [FaceMeasurement], description: 'Measured faces first (largest first), then the others; empty when none.', resolve: (i) => i.faces }),
  }),
});

const AudioRunRequestRef = builder.objectRef<AudioRunRequest>('AudioMeasurementRequest').implement({
  fields: (t) => ({
    fileName: t.exposeString('fileName'),
    fileSize: t.exposeInt('fileSize', { description: 'Bytes.' }),
    sourceFormat: t.exposeString('sourceFormat', { description: 'The file as the gateway read it, e.g. "PCM WAV, 16-bit integer, 2 channels, 44,100 Hz, 12.0 s".' }),
    channels: t.exposeIntList('channels', { description: 'The channels measured, each on its own.' }),
    measurementTimerMs: t.int({ description: "The timer in effect: the one chosen, else Hume's default (3000).", resolve: (r) => r.measurementTimerMs ?? DEFAULT_TIMER_MS }),
    durationMs: t.exposeInt('durationMs'),
  }),
});

const ImagesRunRequestRef = builder.objectRef<ImagesRunRequest>('ImageMeasurementRequest').implement({
  fields: (t) => ({
    fileNames: t.stringList({ resolve: (r) => r.files.map((f) => f.fileName) }),
    threshold: t.exposeFloat('threshold', { nullable: true }),
    minSize: t.exposeInt('minSize', { nullable: true }),
  }),
});

const ExpressionRunRequest = builder.unionType('ExpressionRunRequest', {
  types: [AudioRunRequestRef, ImagesRunRequestRef],
  resolveType: (request) => (request.kind === 'AUDIO' ? AudioRunRequestRef : ImagesRunRequestRef),
});

export interface ExpressionRunParent {
  id: string;
}

async function runOf(ctx: GatewayContext, id: string): Promise<ExpressionRun> {
  const run = await loadRun(ctx, id);
  if (!run) throw new GraphQLError(`expression run ${id} is unknown`, { extensions: { code: 'NOT_FOUND' } });
  return run;
}

export const ExpressionRunRef = builder.objectRef<ExpressionRunParent>('ExpressionRun');

ExpressionRunRef.implement({
  description: 'Hume expression measurements of one upload (one Hume run per audio channel), kept by the gateway.',
  fields: (t) => ({
    id: t.exposeID('id', { description: "The gateway's id (one run may be several Hume runs: one per channel)." }),
    kind: t.field({ type: ExpressionRunKindEnum, resolve: async (r, _, ctx) => (await runOf(ctx, r.id)).kind }),
    status: t.field({ type: ExpressionRunStatusEnum, resolve: async (r, _, ctx) => (await runOf(ctx, r.id)).status }),
    audio: t.field({
      type: [AudioChannelMeasurements],
      nullable: true,
      description: 'Per measured channel; null for images and until COMPLETED.',
      resolve: async (r, _, ctx) => {
        const run = await runOf(ctx, r.id);
        return run.status === 'COMPLETED' ? run.audio : null;
      },
    }),
    images: t.field({
      type: [ImageMeasurement],
      nullable: true,
      description: 'In upload order; null for audio and until COMPLETED.',
      resolve: async (r, _, ctx) => {
        const run = await runOf(ctx, r.id);
        return run.status === 'COMPLETED' ? run.images : null;
      },
    }),
    error: t.string({ nullable: true, description: 'Why it FAILED, in words.', resolve: async (r, _, ctx) => (await runOf(ctx, r.id)).error }),
    request: t.field({ type: ExpressionRunRequest, resolve: async (r, _, ctx) => (await runOf(ctx, r.id)).request }),
    createdAt: t.field({ type: 'DateTime', resolve: async (r, _, ctx) => new Date((await runOf(ctx, r.id)).createdAt) }),
    updatedAt: t.field({ type: 'DateTime', resolve: async (r, _, ctx) => new Date((await runOf(ctx, r.id)).updatedAt) }),
  }),
});

builder.asEntity(ExpressionRunRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async ({ id }, ctx) => ((await loadRun(ctx, id)) ? { id } : null),
});

builder.queryField('expressionRun', (t) =>
  t.field({
    type: ExpressionRunRef,
    nullable: true,
    description: 'A run started through this gateway by the caller; null when unknown.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_, { id }, ctx) => ((await loadRun(ctx, String(id))) ? { id: String(id) } : null),
  }),
);

// ---- expressionRuns: newest first, over the gateway's own index of the caller's runs ----

const ExpressionRunFilter = builder.inputType('ExpressionRunFilter', {
  fields: (t) => ({
    status: t.field({ type: [ExpressionRunStatusEnum], description: 'Any of these statuses.' }),
    kind: t.field({ type: ExpressionRunKindEnum }),
  }),
});

builder.queryField('expressionRuns', (t) =>
  t.connection(
    {
      type: ExpressionRunRef,
      description: "The caller's expression runs, newest first.",
      args: { filter: t.arg({ type: ExpressionRunFilter }) },
      resolve: (_, args, ctx) => {
        const statuses = args.filter?.status?.length ? new Set(args.filter.status) : null;
        const kind = args.filter?.kind ?? null;
        return pageOfOwnWork(ctx, RUN_KIND, args, {
          load: (id) => loadRun(ctx, id),
          keep: (run) => (!statuses || statuses.has(run.status)) && (!kind || run.kind === kind),
        });
      },
    },
    { name: 'ExpressionRunConnection' },
    { name: 'ExpressionRunEdge' },
  ),
);

// ---- measureAudio / measureImages ----

export const AudioMeasurementInput = builder.inputType('AudioMeasurementInput', {
  fields: (t) => ({
    measurementTimerMs: t.int({ description: 'Milliseconds of speech between measurements within an utterance, 3000 to 10000 (default 3000).' }),
  }),
});

const MeasureAudioInput = builder.inputType('MeasureAudioInput', {
  fields: (t) => ({
    file: t.field({
      type: 'File',
      required: true,
      description: 'Any PCM WAV (8/16/24/32-bit integer or 32-bit float, any rate, any channel count); converted by the gateway to 16 kHz mono 16-bit per channel.',
    }),
    channels: t.intList({ description: 'Which channels, each measured on its own (one Hume upload per channel); default all.' }),
    measurementTimerMs: t.int({ description: 'Milliseconds of speech between measurements within an utterance, 3000 to 10000 (default 3000).' }),
    idempotencyKey: t.string({ description: 'Repeating a measurement with the same key returns the first run instead of starting another.' }),
  }),
});

const FaceMeasurementInput = builder.inputType('FaceMeasurementInput', {
  fields: (t) => ({
    threshold: t.float({ description: 'Faces detected with less confidence are skipped, 0 to 1 (default 0.9).' }),
    minSize: t.int({ description: "Faces whose box's shorter side is below this many pixels are skipped (default 60)." }),
  }),
});

const MeasureImagesInput = builder.inputType('MeasureImagesInput', {
  fields: (t) => ({
    files: t.field({ type: ['File'], required: true, description: 'JPEG images, at most 2 MB and 8.3 megapixels each, 25 MB in all.' }),
    face: t.field({ type: FaceMeasurementInput }),
    idempotencyKey: t.string({ description: 'Repeating a measurement with the same key returns the first run instead of starting another.' }),
  }),
});

const DEFAULT_TIMER_MS = 3000;
const MAX_AUDIO_UPLOAD_BYTES = 1024 * 1024 * 1024;
const MAX_IMAGES = 100;

export function validateTimer(value: number | null | undefined, path: string[]): FieldProblem[] {
  if (value === null || value === undefined) return [];
  return Number.isInteger(value) && value >= 3000 && value <= 10000 ? [] : [{ path, message: 'must be a whole number of milliseconds from 3000 to 10000' }];
}

/** The provider configured, or the typed error a start mutation returns (also the analyzeMedia side's). */
export function adapterFor(ctx: GatewayContext) {
  const adapter = ctx.services.providers.get(humeExpression);
  if (!adapter) throw providerNotConfigured(humeExpression.identity);
  // Nothing would be sent now, but the run would start into a closed gate: say so at once instead.
  const waitMs = adapter.client.gate.remainingMs();
  if (waitMs > 0) throw new UpstreamRateLimitError(humeExpression.identity, Math.ceil(waitMs / 1000));
  return adapter;
}

/**
 * Reads a WAV upload and plans its conversion, or says (naming the field) why it cannot be measured: not a PCM WAV,
 * a channel it does not have, or a converted channel over Hume's 25 MB request limit.
 */
export async function planAudio(file: File, channels: number[] | null | undefined): Promise<{ bytes: Uint8Array; plan: ConversionPlan } | { problems: FieldProblem[] } | { tooLarge: string }> {
  const bytes = await readIntoSharedMemory(file);
  let plan: ConversionPlan;
  try {
    plan = planSpeechConversion(readWavHeader(bytes), channels?.length ? channels : undefined);
  } catch (error) {
    if (error instanceof AudioFormatError) return { problems: [{ path: ['input', 'file'], message: `"${file.name}": ${error.message}` }] };
    if (error instanceof AudioChannelError) return { problems: [{ path: ['input', 'channels'], message: error.message }] };
    throw error;
  }
  if (plan.outputBytes + MULTIPART_OVERHEAD_BYTES > HUME_EXPRESSION_MAX_REQUEST_BYTES) {
    const minutes = (plan.durationMs / 60_000).toFixed(1);
    return { tooLarge: `"${file.name}" is ${minutes} minutes long: one channel at 16 kHz is ${plan.outputBytes} bytes, over Hume's 25 MB per request (about 13 minutes)` };
  }
  return { bytes, plan };
}

export function audioRequest(file: File, plan: ConversionPlan, timer: number | null | undefined): AudioRunRequest {
  return {
    kind: 'AUDIO',
    fileName: file.name || 'audio.wav',
    fileSize: file.size,
    sourceFormat: plan.source.description,
    channels: plan.channels,
    measurementTimerMs: timer ?? null,
    durationMs: Math.round(plan.durationMs),
  };
}

/** The run is the gateway's from here: its bookkeeping (owner, idempotency key, analysis link) follows as for a provider's acceptance. */
export async function accepted(ctx: GatewayContext, run: ExpressionRun, afterAccepted: AfterAccepted): Promise<string> {
  await bookkeepAfterAcceptance(
    { provider: humeExpression.identity.id, runId: run.id, requestId: ctx.requestId },
    afterAccepted.map((step) => () => step(run.id)),
    (message, fields) => ctx.services.logger.error(message, fields),
  );
  return run.id;
}

builder.mutationField('measureAudio', (t) =>
  t.field({
    type: ExpressionRunRef,
    description: 'Measures the speech in a WAV file with Hume expression, each channel on its own. Answers at once with a RUNNING run.',
    errors: { types: uploadStartErrorTypes, union: { name: 'MeasureResult' }, result: { name: 'MeasureSuccess' }, dataField: { name: 'run' } },
    args: { input: t.arg({ type: MeasureAudioInput, required: true }) },
    resolve: async (_, { input }, ctx) => {
      const problems = [
        ...validateUpload(input.file, MAX_AUDIO_UPLOAD_BYTES, '1 GB'),
        ...validateTimer(input.measurementTimerMs, ['input', 'measurementTimerMs']),
        ...validateIdempotencyKey(input.idempotencyKey),
      ];
      input.channels?.forEach((channel, i) => {
        if (!Number.isInteger(channel) || channel < 0) problems.push({ path: ['input', 'channels', String(i)], message: 'must be a non-negative integer' });
      });
      if (problems.length > 0) throw new InputValidationError(problems);
      const planned = await planAudio(input.file, input.channels);
      if ('problems' in planned) throw new InputValidationError(planned.problems);
      if ('tooLarge' in planned) throw new UploadTooLargeError(humeExpression.identity, HUME_EXPRESSION_MAX_REQUEST_BYTES, planned.tooLarge);
      const adapter = adapterFor(ctx);
      const request = audioRequest(input.file, planned.plan, input.measurementTimerMs);
      return startOnce(ctx, {
        kind: RUN_KIND,
        idempotencyKey: input.idempotencyKey,
        fingerprint: () => fingerprint(request, [planned.bytes]),
        start: async (afterAccepted) => accepted(ctx, await adapter.measureAudio(planned.bytes, planned.plan, request), afterAccepted),
        mapError: (error) => error,
      });
    },
  }),
);

builder.mutationField('measureImages', (t) =>
  t.field({
    type: ExpressionRunRef,
    description: 'Measures the faces in JPEG images with Hume expression. Answers at once with a RUNNING run.',
    errors: { types: uploadStartErrorTypes, union: { name: 'MeasureResult' }, result: { name: 'MeasureSuccess' }, dataField: { name: 'run' } },
    args: { input: t.arg({ type: MeasureImagesInput, required: true }) },
    resolve: async (_, { input }, ctx) => {
      const problems: FieldProblem[] = [...validateIdempotencyKey(input.idempotencyKey)];
      const files = input.files ?? [];
      if (files.length === 0) problems.push({ path: ['input', 'files'], message: 'give at least one JPEG image' });
      if (files.length > MAX_IMAGES) problems.push({ path: ['input', 'files'], message: `at most ${MAX_IMAGES} images per run` });
      const threshold = input.face?.threshold ?? null;
      const minSize = input.face?.minSize ?? null;
      if (threshold !== null && !(threshold >= 0 && threshold <= 1)) problems.push({ path: ['input', 'face', 'threshold'], message: 'must be between 0 and 1' });
      if (minSize !== null && !(Number.isInteger(minSize) && minSize >= 1)) problems.push({ path: ['input', 'face', 'minSize'], message: 'must be a whole number of pixels, at least 1' });
      const images: Array<{ fileName: string; data: Blob; bytes: Uint8Array }> = [];
      if (files.length <= MAX_IMAGES)
        for (const [i, file] of files.entries()) {
          const path = ['input', 'files', String(i)];
          const sized = validateUpload(file, HUME_EXPRESSION_MAX_IMAGE_BYTES, '2 MB (the Hume expression limit per image)', path);
          if (sized.length > 0) {
            problems.push(...sized);
            continue;
          }
          const bytes = new Uint8Array(await file.arrayBuffer());
          const jpeg = readJpeg(bytes);
          if ('problem' in jpeg) problems.push({ path, message: `"${file.name}" ${jpeg.problem}; only JPEG images can be measured` });
          else if (jpeg.width * jpeg.height > HUME_EXPRESSION_MAX_IMAGE_PIXELS)
            problems.push({ path, message: `"${file.name}" is ${jpeg.width}x${jpeg.height}, over 8,294,400 pixels (e.g. 3840x2160)` });
          else images.push({ fileName: file.name || `image-${i}.jpg`, data: new Blob([bytes], { type: 'image/jpeg' }), bytes });
        }
      if (problems.length > 0) throw new InputValidationError(problems);
      const total = images.reduce((sum, image) => sum + image.bytes.length + 256, MULTIPART_OVERHEAD_BYTES);
      if (total > HUME_EXPRESSION_MAX_REQUEST_BYTES)
        throw new UploadTooLargeError(humeExpression.identity, HUME_EXPRESSION_MAX_REQUEST_BYTES, `The images come to ${total} bytes with their framing, over Hume's 25 MB per request`);
      const adapter = adapterFor(ctx);
      const request: ImagesRunRequest = { kind: 'IMAGES', files: images.map((image) => ({ fileName: image.fileName, fileSize: image.bytes.length })), threshold, minSize };
      return startOnce(ctx, {
        kind: RUN_KIND,
        idempotencyKey: input.idempotencyKey,
        fingerprint: () => fingerprint(request, images.map((image) => image.bytes)),
        start: async (afterAccepted) => accepted(ctx, await adapter.measureImages(images, request), afterAccepted),
        mapError: (error) => error,
      });
    },
  }),
);

builder.subscriptionField('expressionRunUpdated', (t) =>
  t.field({
    type: ExpressionRunRef,
    description: 'The run now, then every change; completes after COMPLETED or FAILED.',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_, { id }, ctx) => {
      const runId = String(id);
      return liveState(ctx, {
        events: ctx.services.events.subscribe('expressionRunUpdated', runId),
        read: () => loadRun(ctx, runId),
        version: (run) => run.status,
        isTerminal: (run) => isTerminalRunStatus(run.status),
        unknownMessage: `expression run ${runId} is unknown`,
      });
    },
    resolve: liveResolver((run: ExpressionRun) => ({ id: run.id })),
  }),
);
