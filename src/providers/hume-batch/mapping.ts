/** Hume batch wire types <-> the gateway's domain types (jobs, settings, predictions). */
import type {
  FaceSettings,
  Granularity,
  Job,
  JobRequest,
  JobSpec,
  LanguageSettings,
  ModelSettings,
  NerSettings,
  ProsodySettings,
  TranscriptionSettings,
} from '../../domain/job.js';
import type { FileModels, ModelPredictions, SourcePredictions } from '../../domain/predictions.js';
import type { CompactModel, CompactPredictions, ModelName } from './predictions/compact.js';
import { CompactSeries, type ModelPredictionTypes } from './predictions/series.js';
import type {
  HumeFaceConfig,
  HumeInferenceBaseRequest,
  HumeJob,
  HumeLanguageConfig,
  HumeLanguageTag,
  HumeModels,
  HumeNerConfig,
  HumeProsodyConfig,
  HumeTranscription,
} from './wire.js';

const on = (feature: unknown) => feature !== null && feature !== undefined;
const orNull = <T>(value: T | null | undefined): T | null => (value === undefined ? null : value);

// ---- the echoed request and the job ----

function faceSettings(c: HumeFaceConfig): FaceSettings {
  return {
    fpsPred: orNull(c.fps_pred),
    probThreshold: orNull(c.prob_threshold),
    identifyFaces: orNull(c.identify_faces),
    minFaceSize: orNull(c.min_face_size),
    facs: on(c.facs),
    descriptions: on(c.descriptions),
    saveFaces: orNull(c.save_faces),
  };
}

const prosodySettings = (c: HumeProsodyConfig): ProsodySettings => ({
  granularity: orNull(c.granularity),
  window: c.window ? { length: orNull(c.window.length), step: orNull(c.window.step) } : null,
  identifySpeakers: orNull(c.identify_speakers),
});

const languageSettings = (c: HumeLanguageConfig): LanguageSettings => ({
  granularity: orNull(c.granularity),
  sentiment: on(c.sentiment),
  toxicity: on(c.toxicity),
  identifySpeakers: orNull(c.identify_speakers),
});

const nerSettings = (c: HumeNerConfig): NerSettings => ({ identifySpeakers: orNull(c.identify_speakers) });

export function modelSettings(m: HumeModels): ModelSettings {
  return {
    face: m.face ? faceSettings(m.face) : null,
    burst: on(m.burst),
    prosody: m.prosody ? prosodySettings(m.prosody) : null,
    language: m.language ? languageSettings(m.language) : null,
    ner: m.ner ? nerSettings(m.ner) : null,
    facemesh: on(m.facemesh),
  };
}

const transcriptionSettings = (t: HumeTranscription): TranscriptionSettings => ({
  language: orNull(t.language),
  identifySpeakers: orNull(t.identify_speakers),
  confidenceThreshold: orNull(t.confidence_threshold),
});

export function toJob(wire: HumeJob): Job {
  const r = wire.request;
  const request: JobRequest = {
    models: r.models ? modelSettings(r.models) : null,
    // Absent means Hume's default (on); only an explicit null switches it off.
    transcription: r.transcription === null ? null : transcriptionSettings(r.transcription ?? {}),
    urls: r.urls ?? [],
    text: r.text ?? [],
    files: (r.files ?? []).map((f) => ({ filename: orNull(f.filename), md5sum: f.md5sum, contentType: orNull(f.content_type) })),
    notify: r.notify ?? false,
    callbackEnabled: typeof r.callback_url === 'string' && r.callback_url !== '',
  };
  const s = wire.state;
  return {
    id: wire.job_id,
    status: s.status,
    createdAt: s.created_timestamp_ms,
    startedAt: s.status === 'QUEUED' ? null : orNull(s.started_timestamp_ms),
    endedAt: s.status === 'COMPLETED' || s.status === 'FAILED' ? s.ended_timestamp_ms : null,
    numPredictions: s.status === 'COMPLETED' ? s.num_predictions : null,
    numErrors: s.status === 'COMPLETED' ? s.num_errors : null,
    message: s.status === 'FAILED' ? s.message : null,
    request,
  };
}

// ---- a start request ----

const defined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
const feature = (enabled: boolean) => (enabled ? {} : undefined);
const given = <T>(value: T | null) => value ?? undefined;

export function toHumeModels(models: ModelSettings): HumeModels {
  const wire: HumeModels = {};
  if (models.face)
    wire.face = defined({
      fps_pred: given(models.face.fpsPred),
      prob_threshold: given(models.face.probThreshold),
      identify_faces: given(models.face.identifyFaces),
      min_face_size: given(models.face.minFaceSize),
      facs: feature(models.face.facs),
      descriptions: feature(models.face.descriptions),
      save_faces: given(models.face.saveFaces),
    });
  if (models.prosody)
    wire.prosody = defined({
      granularity: given(models.prosody.granularity),
      window: models.prosody.window ? defined({ length: given(models.prosody.window.length), step: given(models.prosody.window.step) }) : undefined,
      identify_speakers: given(models.prosody.identifySpeakers),
    });
  if (models.language)
    wire.language = defined({
      granularity: given(models.language.granularity),
      sentiment: feature(models.language.sentiment),
      toxicity: feature(models.language.toxicity),
      identify_speakers: given(models.language.identifySpeakers),
    });
  if (models.ner) wire.ner = defined({ identify_speakers: given(models.ner.identifySpeakers) });
  if (models.burst) wire.burst = {};
  if (models.facemesh) wire.facemesh = {};
  return wire;
}

export function toHumeRequest(spec: JobSpec): HumeInferenceBaseRequest {
  const request: HumeInferenceBaseRequest = {};
  if (spec.models) request.models = toHumeModels(spec.models);
  if (spec.transcription === 'off') {
    // An explicit null on the wire is Hume's way to switch transcription off.
    request.transcription = null;
  } else if (spec.transcription) {
    request.transcription = defined({
      language: given(spec.transcription.language) as HumeLanguageTag | undefined,
      identify_speakers: given(spec.transcription.identifySpeakers),
      confidence_threshold: given(spec.transcription.confidenceThreshold),
    });
  }
  if (spec.urls.length) request.urls = spec.urls;
  if (spec.text.length) request.text = spec.text;
  if (spec.notify !== null) request.notify = spec.notify;
  return request;
}

// ---- predictions ----

/** A group id unique across jobs: job, source, file, model and the provider's own group label. */
export function groupId(jobId: string, source: number, file: string, model: string, label: string): string {
  return Buffer.from(JSON.stringify([jobId, source, file, model, label])).toString('base64url');
}

function modelPredictions<M extends ModelName>(
  compact: CompactModel | undefined,
  place: { jobId: string; source: number; file: string },
  model: M,
): ModelPredictions<ModelPredictionTypes[M]> | null {
  if (!compact) return null;
  return {
    metadata: compact.metadata ? { confidence: compact.metadata.confidence, detectedLanguage: orNull(compact.metadata.detected_language) } : null,
    groups: compact.groups.map((group) => ({
      id: groupId(place.jobId, place.source, place.file, model, group.label),
      label: group.label,
      predictions: new CompactSeries(model, group.columns),
    })),
  };
}

/** The domain view of a job's predictions over their compact form: a few objects, the series read on demand. */
export function toSourcePredictions(jobId: string, compact: CompactPredictions): SourcePredictions[] {
  return compact.map((entry, sourceIndex) => {
    const s = entry.source;
    return {
      source:
        s.type === 'url'
          ? { kind: 'url', url: s.url }
          : s.type === 'file'
            ? { kind: 'file', md5sum: s.md5sum, filename: orNull(s.filename), contentType: orNull(s.content_type) }
            : { kind: 'text' },
      error: entry.error,
      files:
        entry.files?.map((file) => {
          const place = { jobId, source: sourceIndex, file: file.file };
          const m = file.models;
          const models: FileModels = {
            face: modelPredictions(m.face, place, 'face'),
            burst: modelPredictions(m.burst, place, 'burst'),
            prosody: modelPredictions(m.prosody, place, 'prosody'),
            language: modelPredictions(m.language, place, 'language'),
            ner: modelPredictions(m.ner, place, 'ner'),
            facemesh: modelPredictions(m.facemesh, place, 'facemesh'),
          };
          return { file: file.file, fileType: file.fileType, models };
        }) ?? null,
      errors: entry.errors,
    };
  });
}

export type { Granularity };
