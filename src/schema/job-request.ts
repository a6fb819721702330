/** The request a job runs with, as the provider echoes it with its defaults filled in: what will run, on what. */
import type {
  FaceSettings,
  JobFile,
  JobRequest as JobRequestShape,
  LanguageSettings,
  ModelSettings,
  NerSettings,
  ProsodySettings,
  TranscriptionSettings,
  WindowSettings,
} from '../domain/job.js';
import { builder } from './builder.js';

export const GranularityEnum = builder.enumType('Granularity', {
  values: {
    WORD: { value: 'word' },
    SENTENCE: { value: 'sentence' },
    UTTERANCE: { value: 'utterance', description: 'Between word and sentence, split at natural pauses.' },
    CONVERSATIONAL_TURN: { value: 'conversational_turn', description: 'One output per change of speaker.' },
  } as const,
});

const FaceConfig = builder.objectRef<FaceSettings>('FaceConfig').implement({
  fields: (t) => ({
    fpsPred: t.exposeFloat('fpsPred', { nullable: true }),
    probThreshold: t.exposeFloat('probThreshold', { nullable: true }),
    identifyFaces: t.exposeBoolean('identifyFaces', { nullable: true }),
    minFaceSize: t.exposeFloat('minFaceSize', { nullable: true }),
    facs: t.exposeBoolean('facs', { description: 'FACS scores requested.' }),
    descriptions: t.exposeBoolean('descriptions', { description: 'Face descriptions requested.' }),
    saveFaces: t.exposeBoolean('saveFaces', { nullable: true }),
  }),
});

const WindowConfig = builder.objectRef<WindowSettings>('WindowConfig').implement({
  fields: (t) => ({
    length: t.exposeFloat('length', { nullable: true }),
    step: t.exposeFloat('step', { nullable: true }),
  }),
});

const ProsodyConfig = builder.objectRef<ProsodySettings>('ProsodyConfig').implement({
  fields: (t) => ({
    granularity: t.field({ type: GranularityEnum, nullable: true, resolve: (c) => c.granularity }),
    window: t.field({ type: WindowConfig, nullable: true, resolve: (c) => c.window }),
    identifySpeakers: t.exposeBoolean('identifySpeakers', { nullable: true }),
  }),
});

const LanguageConfig = builder.objectRef<LanguageSettings>('LanguageConfig').implement({
  fields: (t) => ({
    granularity: t.field({ type: GranularityEnum, nullable: true, resolve: (c) => c.granularity }),
    sentiment: t.exposeBoolean('sentiment'),
    toxicity: t.exposeBoolean('toxicity'),
    identifySpeakers: t.exposeBoolean('identifySpeakers', { nullable: true }),
  }),
});

const NerConfig = builder.objectRef<NerSettings>('NerConfig').implement({
  fields: (t) => ({ identifySpeakers: t.exposeBoolean('identifySpeakers', { nullable: true }) }),
});

const ModelsConfig = builder.objectRef<ModelSettings>('ModelsConfig').implement({
  description: 'The models the job runs; a model that does not run is null (burst and facemesh: false).',
  fields: (t) => ({
    face: t.field({ type: FaceConfig, nullable: true, resolve: (m) => m.face }),
    burst: t.exposeBoolean('burst'),
    prosody: t.field({ type: ProsodyConfig, nullable: true, resolve: (m) => m.prosody }),
    language: t.field({ type: LanguageConfig, nullable: true, resolve: (m) => m.language }),
    ner: t.field({ type: NerConfig, nullable: true, resolve: (m) => m.ner }),
    facemesh: t.exposeBoolean('facemesh'),
  }),
});

const TranscriptionConfig = builder.objectRef<TranscriptionSettings>('TranscriptionConfig').implement({
  fields: (t) => ({
    language: t.exposeString('language', { nullable: true, description: 'BCP-47 tag; null means automatic detection.' }),
    identifySpeakers: t.exposeBoolean('identifySpeakers', { nullable: true }),
    confidenceThreshold: t.exposeFloat('confidenceThreshold', { nullable: true }),
  }),
});

const JobFileRef = builder.objectRef<JobFile>('JobFile').implement({
  fields: (t) => ({
    filename: t.exposeString('filename', { nullable: true }),
    md5sum: t.exposeString('md5sum', { description: 'Hex MD5 of the uploaded bytes, as Hume received them.' }),
    contentType: t.exposeString('contentType', { nullable: true }),
  }),
});

export const JobRequest = builder.objectRef<JobRequestShape>('JobRequest').implement({
  fields: (t) => ({
    models: t.field({ type: ModelsConfig, nullable: true, resolve: (r) => r.models }),
    transcription: t.field({ type: TranscriptionConfig, nullable: true, description: 'Null when transcription was switched off.', resolve: (r) => r.transcription }),
    transcriptionEnabled: t.boolean({ resolve: (r) => r.transcription !== null }),
    urls: t.exposeStringList('urls'),
    text: t.exposeStringList('text'),
    files: t.field({ type: [JobFileRef], resolve: (r) => r.files }),
    notify: t.exposeBoolean('notify'),
    callbackEnabled: t.exposeBoolean('callbackEnabled', { description: 'Whether Hume calls the gateway back on completion (the gateway polls otherwise).' }),
  }),
});
