/** A Hume job's predictions: one entry per input source (URL, uploaded file, text), each with per-file results. */
import type {
  HumeFileError,
  HumeInferencePrediction,
  HumeModelsPredictions,
  HumeSource,
  HumeSourcePredictResult,
} from '../providers/hume-batch/wire.js';
import { builder } from './builder.js';
import {
  BurstModelPredictions,
  FaceModelPredictions,
  FacemeshModelPredictions,
  LanguageModelPredictions,
  NerModelPredictions,
  ProsodyModelPredictions,
} from './prediction.js';

const UrlSource = builder.objectRef<Extract<HumeSource, { type: 'url' }>>('UrlSource').implement({
  fields: (t) => ({ url: t.exposeString('url') }),
});

const FileSource = builder.objectRef<Extract<HumeSource, { type: 'file' }>>('FileSource').implement({
  fields: (t) => ({
    md5sum: t.exposeString('md5sum'),
    filename: t.string({ nullable: true, resolve: (s) => s.filename ?? null }),
    contentType: t.string({ nullable: true, resolve: (s) => s.content_type ?? null }),
  }),
});

const TextSource = builder.objectRef<Extract<HumeSource, { type: 'text' }>>('TextSource').implement({
  description: 'One of the raw text inputs.',
  fields: (t) => ({ type: t.string({ description: 'Always "text".', resolve: () => 'text' }) }),
});

const PredictionSource = builder.unionType('PredictionSource', {
  types: [UrlSource, FileSource, TextSource],
  resolveType: (source) => (source.type === 'url' ? UrlSource : source.type === 'file' ? FileSource : TextSource),
});

const ModelsPredictions = builder.objectRef<HumeModelsPredictions>('ModelsPredictions').implement({
  description: 'Per-model predictions for one file; a model is null when it did not run on this file.',
  fields: (t) => ({
    face: t.field({ type: FaceModelPredictions, nullable: true, resolve: (m) => m.face ?? null }),
    burst: t.field({ type: BurstModelPredictions, nullable: true, resolve: (m) => m.burst ?? null }),
    prosody: t.field({ type: ProsodyModelPredictions, nullable: true, resolve: (m) => m.prosody ?? null }),
    language: t.field({ type: LanguageModelPredictions, nullable: true, resolve: (m) => m.language ?? null }),
    ner: t.field({ type: NerModelPredictions, nullable: true, resolve: (m) => m.ner ?? null }),
    facemesh: t.field({ type: FacemeshModelPredictions, nullable: true, resolve: (m) => m.facemesh ?? null }),
  }),
});

const FilePredictions = builder.objectRef<HumeInferencePrediction>('FilePredictions').implement({
  fields: (t) => ({
    file: t.exposeString('file', { description: 'Path relative to the source (inside an archive), or its name.' }),
    fileType: t.string({ nullable: true, description: 'e.g. video, audio, image, text (not in every answer).', resolve: (p) => p.file_type ?? null }),
    models: t.field({ type: ModelsPredictions, resolve: (p) => p.models }),
  }),
});

const FileError = builder.objectRef<HumeFileError>('FileError').implement({
  description: 'One file of a source that could not be processed; the job still completed.',
  fields: (t) => ({ file: t.exposeString('file'), message: t.exposeString('message') }),
});

export const SourcePredictions = builder.objectRef<HumeSourcePredictResult>('SourcePredictions').implement({
  fields: (t) => ({
    source: t.field({ type: PredictionSource, resolve: (r) => r.source }),
    error: t.string({ nullable: true, description: 'Why the whole source failed (e.g. download failed).', resolve: (r) => r.error ?? null }),
    predictions: t.field({ type: [FilePredictions], nullable: true, description: 'Null when the source failed.', resolve: (r) => r.results?.predictions ?? null }),
    errors: t.field({ type: [FileError], description: 'Files of this source that failed.', resolve: (r) => r.results?.errors ?? [] }),
  }),
});
