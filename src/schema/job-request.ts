/** The request Hume echoes for a job, with its defaults filled in: what will run, on what. */
import type {
  HumeFaceConfig,
  HumeFile,
  HumeInferenceRequest,
  HumeLanguageConfig,
  HumeModels,
  HumeNerConfig,
  HumeProsodyConfig,
  HumeTranscription,
  HumeWindow,
} from '../providers/hume-batch/wire.js';
import { builder } from './builder.js';

export const GranularityEnum = builder.enumType('Granularity', {
  values: {
    WORD: { value: 'word' },
    SENTENCE: { value: 'sentence' },
    UTTERANCE: { value: 'utterance', description: 'Between word and sentence, split at natural pauses.' },
    CONVERSATIONAL_TURN: { value: 'conversational_turn', description: 'One output per change of speaker.' },
  } as const,
});

const on = (feature: unknown) => feature !== null && feature !== undefined;

const FaceConfig = builder.objectRef<HumeFaceConfig>('FaceConfig').implement({
  fields: (t) => ({
    fpsPred: t.float({ nullable: true, resolve: (c) => c.fps_pred ?? null }),
    probThreshold: t.float({ nullable: true, resolve: (c) => c.prob_threshold ?? null }),
    identifyFaces: t.boolean({ nullable: true, resolve: (c) => c.identify_faces ?? null }),
    minFaceSize: t.float({ nullable: true, resolve: (c) => c.min_face_size ?? null }),
    facs: t.boolean({ description: 'FACS scores requested.', resolve: (c) => on(c.facs) }),
    descriptions: t.boolean({ description: 'Face descriptions requested.', resolve: (c) => on(c.descriptions) }),
    saveFaces: t.boolean({ nullable: true, resolve: (c) => c.save_faces ?? null }),
  }),
});

const WindowConfig = builder.objectRef<HumeWindow>('WindowConfig').implement({
  fields: (t) => ({
    length: t.float({ nullable: true, resolve: (w) => w.length ?? null }),
    step: t.float({ nullable: true, resolve: (w) => w.step ?? null }),
  }),
});

const ProsodyConfig = builder.objectRef<HumeProsodyConfig>('ProsodyConfig').implement({
  fields: (t) => ({
    granularity: t.field({ type: GranularityEnum, nullable: true, resolve: (c) => c.granularity ?? null }),
    window: t.field({ type: WindowConfig, nullable: true, resolve: (c) => c.window ?? null }),
    identifySpeakers: t.boolean({ nullable: true, resolve: (c) => c.identify_speakers ?? null }),
  }),
});

const LanguageConfig = builder.objectRef<HumeLanguageConfig>('LanguageConfig').implement({
  fields: (t) => ({
    granularity: t.field({ type: GranularityEnum, nullable: true, resolve: (c) => c.granularity ?? null }),
    sentiment: t.boolean({ resolve: (c) => on(c.sentiment) }),
    toxicity: t.boolean({ resolve: (c) => on(c.toxicity) }),
    identifySpeakers: t.boolean({ nullable: true, resolve: (c) => c.identify_speakers ?? null }),
  }),
});

const NerConfig = builder.objectRef<HumeNerConfig>('NerConfig').implement({
  fields: (t) => ({ identifySpeakers: t.boolean({ nullable: true, resolve: (c) => c.identify_speakers ?? null }) }),
});

const ModelsConfig = builder.objectRef<HumeModels>('ModelsConfig').implement({
  description: 'The models the job runs; a model that does not run is null (burst and facemesh: false).',
  fields: (t) => ({
    face: t.field({ type: FaceConfig, nullable: true, resolve: (m) => m.face ?? null }),
    burst: t.boolean({ resolve: (m) => on(m.burst) }),
    prosody: t.field({ type: ProsodyConfig, nullable: true, resolve: (m) => m.prosody ?? null }),
    language: t.field({ type: LanguageConfig, nullable: true, resolve: (m) => m.language ?? null }),
    ner: t.field({ type: NerConfig, nullable: true, resolve: (m) => m.ner ?? null }),
    facemesh: t.boolean({ resolve: (m) => on(m.facemesh) }),
  }),
});

const TranscriptionConfig = builder.objectRef<HumeTranscription>('TranscriptionConfig').implement({
  fields: (t) => ({
    language: t.string({ nullable: true, description: 'BCP-47 tag; null means automatic detection.', resolve: (c) => c.language ?? null }),
    identifySpeakers: t.boolean({ nullable: true, resolve: (c) => c.identify_speakers ?? null }),
    confidenceThreshold: t.float({ nullable: true, resolve: (c) => c.confidence_threshold ?? null }),
  }),
});

const JobFile = builder.objectRef<HumeFile>('JobFile').implement({
  fields: (t) => ({
    filename: t.string({ nullable: true, resolve: (f) => f.filename ?? null }),
    md5sum: t.exposeString('md5sum', { description: 'Hex MD5 of the uploaded bytes, as Hume received them.' }),
    contentType: t.string({ nullable: true, resolve: (f) => f.content_type ?? null }),
  }),
});

export const JobRequest = builder.objectRef<HumeInferenceRequest>('JobRequest').implement({
  fields: (t) => ({
    models: t.field({ type: ModelsConfig, nullable: true, resolve: (r) => r.models ?? null }),
    transcription: t.field({
      type: TranscriptionConfig,
      nullable: true,
      description: 'Null when transcription was switched off.',
      resolve: (r) => r.transcription ?? null,
    }),
    transcriptionEnabled: t.boolean({ resolve: (r) => r.transcription !== null }),
    urls: t.stringList({ resolve: (r) => r.urls ?? [] }),
    text: t.stringList({ resolve: (r) => r.text ?? [] }),
    files: t.field({ type: [JobFile], resolve: (r) => r.files ?? [] }),
    notify: t.boolean({ resolve: (r) => r.notify ?? false }),
    callbackEnabled: t.boolean({
      description: 'Whether Hume calls the gateway back on completion (the gateway polls otherwise).',
      resolve: (r) => typeof r.callback_url === 'string' && r.callback_url !== '',
    }),
  }),
});
