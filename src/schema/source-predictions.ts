/** A job's predictions: one entry per input source (URL, uploaded file, text), each with per-file results. */
import type { FileModels, FilePredictions as FilePredictionsShape, PredictionSource as SourceShape, SourcePredictions as SourcePredictionsShape } from '../domain/predictions.js';
import { builder } from './builder.js';
import {
  BurstModelPredictions,
  FaceModelPredictions,
  FacemeshModelPredictions,
  LanguageModelPredictions,
  NerModelPredictions,
  ProsodyModelPredictions,
} from './prediction.js';

const UrlSource = builder.objectRef<Extract<SourceShape, { kind: 'url' }>>('UrlSource').implement({
  fields: (t) => ({ url: t.exposeString('url') }),
});

const FileSource = builder.objectRef<Extract<SourceShape, { kind: 'file' }>>('FileSource').implement({
  fields: (t) => ({
    md5sum: t.exposeString('md5sum'),
    filename: t.exposeString('filename', { nullable: true }),
    contentType: t.exposeString('contentType', { nullable: true }),
  }),
});

const TextSource = builder.objectRef<Extract<SourceShape, { kind: 'text' }>>('TextSource').implement({
  description: 'One of the raw text inputs.',
  fields: (t) => ({ type: t.string({ description: 'Always "text".', resolve: () => 'text' }) }),
});

const PredictionSource = builder.unionType('PredictionSource', {
  types: [UrlSource, FileSource, TextSource],
  resolveType: (source) => (source.kind === 'url' ? UrlSource : source.kind === 'file' ? FileSource : TextSource),
});

const ModelsPredictions = builder.objectRef<FileModels>('ModelsPredictions').implement({
  description: 'Per-model predictions for one file; a model is null when it did not run on this file.',
  fields: (t) => ({
    face: t.field({ type: FaceModelPredictions, nullable: true, resolve: (m) => m.face }),
    burst: t.field({ type: BurstModelPredictions, nullable: true, resolve: (m) => m.burst }),
    prosody: t.field({ type: ProsodyModelPredictions, nullable: true, resolve: (m) => m.prosody }),
    language: t.field({ type: LanguageModelPredictions, nullable: true, resolve: (m) => m.language }),
    ner: t.field({ type: NerModelPredictions, nullable: true, resolve: (m) => m.ner }),
    facemesh: t.field({ type: FacemeshModelPredictions, nullable: true, resolve: (m) => m.facemesh }),
  }),
});

const FilePredictions = builder.objectRef<FilePredictionsShape>('FilePredictions').implement({
  fields: (t) => ({
    file: t.exposeString('file', { description: 'Path relative to the source (inside an archive), or its name.' }),
    fileType: t.exposeString('fileType', { nullable: true, description: 'e.g. video, audio, image, text (not in every answer).' }),
    models: t.field({ type: ModelsPredictions, resolve: (p) => p.models }),
  }),
});

const FileError = builder.objectRef<{ file: string; message: string }>('FileError').implement({
  description: 'One file of a source that could not be processed; the job still completed.',
  fields: (t) => ({ file: t.exposeString('file'), message: t.exposeString('message') }),
});

export const SourcePredictions = builder.objectRef<SourcePredictionsShape>('SourcePredictions').implement({
  fields: (t) => ({
    source: t.field({ type: PredictionSource, resolve: (r) => r.source }),
    error: t.exposeString('error', { nullable: true, description: 'Why the whole source failed (e.g. download failed).' }),
    predictions: t.field({ type: [FilePredictions], nullable: true, description: 'Null when the source failed.', resolve: (r) => r.files }),
    errors: t.field({ type: [FileError], description: 'Files of this source that failed.', resolve: (r) => r.errors }),
  }),
});
