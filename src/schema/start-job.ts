/**
 * `startJob`: its input types, the validation that runs before anything goes to Hume, idempotency, and the
 * mapping from GraphQL input to the gateway's job settings.
 */
import type { GatewayContext } from '../context.js';
import type { JobSpec, ModelSettings } from '../domain/job.js';
import { humeBatch } from '../providers/hume-batch/index.js';
import { humeLanguageTags } from '../providers/hume-batch/wire.js';
import { builder } from './builder.js';
import { startErrorTypes } from './errors.js';
import { JOB_KIND, JobRef } from './job.js';
import { GranularityEnum } from './job-request.js';
import { InputValidationError, providerNotConfigured, toUpstreamError, type FieldProblem } from './provider-errors.js';
import { startOnce } from './starts.js';
import { fingerprint, toMediaUploads, validateIdempotencyKey } from './uploads.js';

export const HUME_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
const MAX_ITEMS = 100;

// ---- input types ----

export const FaceModelInput = builder.inputType('FaceModelInput', {
  fields: (t) => ({
    fpsPred: t.float({ description: 'Frames per second sampled from video (default 3; 0 = every frame).' }),
    probThreshold: t.float({ description: 'Drop faces detected below this probability, 0 to 1 (default 0.99).' }),
    identifyFaces: t.boolean({ description: 'Group predictions per face (face_0, face_1, ...).' }),
    minFaceSize: t.int({ description: 'Minimum face box side in pixels (default 60).' }),
    facs: t.boolean({ description: 'Include FACS 2.0 action unit scores.' }),
    descriptions: t.boolean({ description: 'Include face description scores.' }),
    saveFaces: t.boolean({ description: 'Put detected face crops in the artifacts ZIP.' }),
  }),
});

const WindowInput = builder.inputType('WindowInput', {
  fields: (t) => ({
    length: t.float({ description: 'Window length in seconds, at least 0.5 (default 4).' }),
    step: t.float({ description: 'Step between windows in seconds, at least 0.5 (default 1).' }),
  }),
});

export const ProsodyModelInput = builder.inputType('ProsodyModelInput', {
  fields: (t) => ({
    granularity: t.field({ type: GranularityEnum }),
    window: t.field({ type: WindowInput, description: 'Sliding windows instead of granularity.' }),
    identifySpeakers: t.boolean(),
  }),
});

export const LanguageModelInput = builder.inputType('LanguageModelInput', {
  fields: (t) => ({
    granularity: t.field({ type: GranularityEnum }),
    sentiment: t.boolean({ description: 'Include sentiment levels 1-9.' }),
    toxicity: t.boolean({ description: 'Include the six toxicity scores.' }),
    identifySpeakers: t.boolean(),
  }),
});

export const NerModelInput = builder.inputType('NerModelInput', {
  fields: (t) => ({ identifySpeakers: t.boolean() }),
});

export const ModelsInput = builder.inputType('ModelsInput', {
  description: 'Which Hume models run. Omit the whole input to run every model with its defaults.',
  fields: (t) => ({
    face: t.field({ type: FaceModelInput }),
    prosody: t.field({ type: ProsodyModelInput }),
    language: t.field({ type: LanguageModelInput }),
    ner: t.field({ type: NerModelInput }),
    burst: t.boolean({ description: 'Vocal bursts.' }),
    facemesh: t.boolean({ description: 'Anonymised facial expression from face mesh.' }),
  }),
});

const TranscriptionInput = builder.inputType('TranscriptionInput', {
  fields: (t) => ({
    enabled: t.boolean({ defaultValue: true, description: 'False switches transcription off (prosody then ignores granularity).' }),
    language: t.string({ description: `BCP-47 tag, one of: ${humeLanguageTags.join(', ')}. Omit for automatic detection.` }),
    identifySpeakers: t.boolean(),
    confidenceThreshold: t.float({ description: 'Discard transcripts below this confidence, 0 to 1 (default 0.5).' }),
  }),
});

export const StartJobInput = builder.inputType('StartJobInput', {
  fields: (t) => ({
    urls: t.stringList({ description: 'Public media or archive URLs (at most 100).' }),
    text: t.stringList({ description: 'Raw text for the language and NER models (at most 100).' }),
    files: t.field({ type: ['File'], description: 'Uploaded media or archives (at most 100, 100 MB each).' }),
    models: t.field({ type: ModelsInput }),
    transcription: t.field({ type: TranscriptionInput }),
    notify: t.boolean({ description: 'E-mail the Hume account owner when the job ends.' }),
    idempotencyKey: t.string({ description: 'Repeating a start with the same key returns the first job instead of starting another.' }),
  }),
});

export type ModelsInputShape = typeof ModelsInput.$inferInput;
type StartJobInputShape = typeof StartJobInput.$inferInput;

// ---- validation: every problem, each naming its field ----

const inRange = (value: number | null | undefined, min: number, max: number) => value === null || value === undefined || (value >= min && value <= max);

export function validateModels(models: ModelsInputShape | null | undefined, path: string[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!models) return problems;
  const at = (...rest: string[]) => [...path, ...rest];
  const chosen = [models.face, models.prosody, models.language, models.ner].some((m) => m) || models.burst || models.facemesh;
  if (!chosen) problems.push({ path: path, message: 'choose at least one model, or omit models to run them all' });
  const face = models.face;
  if (face) {
    if (face.fpsPred !== null && face.fpsPred !== undefined && face.fpsPred < 0) problems.push({ path: at('face', 'fpsPred'), message: 'must be 0 or more' });
    if (!inRange(face.probThreshold, 0, 1)) problems.push({ path: at('face', 'probThreshold'), message: 'must be between 0 and 1' });
    if (face.minFaceSize !== null && face.minFaceSize !== undefined && face.minFaceSize < 0) problems.push({ path: at('face', 'minFaceSize'), message: 'must be 0 or more' });
  }
  const window = models.prosody?.window;
  if (window) {
    for (const key of ['length', 'step'] as const) {
      const value = window[key];
      if (value !== null && value !== undefined && !(value >= 0.5)) problems.push({ path: at('prosody', 'window', key), message: 'must be at least 0.5 seconds' });
    }
  }
  return problems;
}

function validate(input: StartJobInputShape): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const urls = input.urls ?? [];
  const text = input.text ?? [];
  const files = input.files ?? [];
  if (urls.length + text.length + files.length === 0)
    problems.push({ path: ['input'], message: 'give at least one of urls, text or files' });
  for (const [name, list] of [['urls', urls], ['text', text], ['files', files]] as const)
    if (list.length > MAX_ITEMS) problems.push({ path: ['input', name], message: `at most ${MAX_ITEMS} ${name} per job (use an archive for more)` });
  urls.forEach((raw, i) => {
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      problems.push({ path: ['input', 'urls', String(i)], message: 'must be an absolute http or https URL' });
  });
  text.forEach((entry, i) => {
    if (entry.trim() === '') problems.push({ path: ['input', 'text', String(i)], message: 'must not be empty' });
  });
  files.forEach((file, i) => {
    if (file.size > HUME_MAX_UPLOAD_BYTES) problems.push({ path: ['input', 'files', String(i)], message: `"${file.name}" is larger than 100 MB` });
    if (file.size === 0) problems.push({ path: ['input', 'files', String(i)], message: `"${file.name}" is empty` });
  });
  problems.push(...validateModels(input.models, ['input', 'models']));
  const transcription = input.transcription;
  if (transcription) {
    if (!inRange(transcription.confidenceThreshold, 0, 1))
      problems.push({ path: ['input', 'transcription', 'confidenceThreshold'], message: 'must be between 0 and 1' });
    const language = transcription.language;
    if (language !== null && language !== undefined && !(humeLanguageTags as readonly string[]).includes(language))
      problems.push({ path: ['input', 'transcription', 'language'], message: `"${language}" is not a supported language tag (${humeLanguageTags.join(', ')})` });
  }
  problems.push(...validateIdempotencyKey(input.idempotencyKey));
  return problems;
}

// ---- GraphQL input -> the gateway's job settings ----

export function toModelSettings(models: ModelsInputShape): ModelSettings {
  const { face, prosody, language, ner } = models;
  return {
    face: face
      ? {
          fpsPred: face.fpsPred ?? null,
          probThreshold: face.probThreshold ?? null,
          identifyFaces: face.identifyFaces ?? null,
          minFaceSize: face.minFaceSize ?? null,
          facs: face.facs ?? false,
          descriptions: face.descriptions ?? false,
          saveFaces: face.saveFaces ?? null,
        }
      : null,
    burst: models.burst ?? false,
    prosody: prosody
      ? {
          granularity: prosody.granularity ?? null,
          window: prosody.window ? { length: prosody.window.length ?? null, step: prosody.window.step ?? null } : null,
          identifySpeakers: prosody.identifySpeakers ?? null,
        }
      : null,
    language: language
      ? {
          granularity: language.granularity ?? null,
          sentiment: language.sentiment ?? false,
          toxicity: language.toxicity ?? false,
          identifySpeakers: language.identifySpeakers ?? null,
        }
      : null,
    ner: ner ? { identifySpeakers: ner.identifySpeakers ?? null } : null,
    facemesh: models.facemesh ?? false,
  };
}

function toJobSpec(input: StartJobInputShape): JobSpec {
  const transcription = input.transcription;
  return {
    models: input.models ? toModelSettings(input.models) : null,
    transcription: !transcription
      ? null
      : transcription.enabled === false
        ? 'off'
        : {
            language: transcription.language ?? null,
            identifySpeakers: transcription.identifySpeakers ?? null,
            confidenceThreshold: transcription.confidenceThreshold ?? null,
          },
    urls: input.urls ?? [],
    text: input.text ?? [],
    notify: input.notify ?? null,
  };
}

export async function startHumeJob(ctx: GatewayContext, input: StartJobInputShape): Promise<{ id: string }> {
  const problems = validate(input);
  if (problems.length > 0) throw new InputValidationError(problems);
  const hume = ctx.services.providers.get(humeBatch);
  if (!hume) throw providerNotConfigured(humeBatch.identity);
  const spec = toJobSpec(input);
  const uploads = toMediaUploads(input.files ?? []);
  return startOnce(ctx, {
    kind: JOB_KIND,
    idempotencyKey: input.idempotencyKey,
    fingerprint: () => fingerprint(spec, uploads.map((u) => u.data), uploads.map((u) => u.filename)),
    start: (afterAccepted) => hume.startJob(spec, uploads, afterAccepted),
    mapError: (error) => toUpstreamError(error, { payloadTooLarge: false }),
  });
}

builder.mutationField('startJob', (t) =>
  t.field({
    type: JobRef,
    description: 'Starts a Hume batch job over URLs, raw text and uploaded files.',
    errors: {
      types: startErrorTypes,
      union: { name: 'StartJobResult' },
      result: { name: 'StartJobSuccess' },
      dataField: { name: 'job' },
    },
    args: { input: t.arg({ type: StartJobInput, required: true }) },
    resolve: (_, { input }, ctx) => startHumeJob(ctx, input),
  }),
);
