/**
 * Predictions of a completed job: per input source, per file, per model, per group (a face or a speaker), a
 * series of predictions. A series is indexed rather than an array, so a long video's tens of thousands of frames
 * can be held compactly and paged without materialising every prediction.
 */
import type { Score } from './scores.js';

export interface TimeInterval {
  /** Seconds from the start of the media. */
  begin: number;
  end: number;
}

export interface PositionInterval {
  begin: number;
  end: number;
}

export interface BoundingBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface FacePrediction {
  frame: number;
  time: number;
  prob: number;
  box: BoundingBox;
  emotions: Score[];
  facs: Score[] | null;
  descriptions: Score[] | null;
}

export interface BurstPrediction {
  time: TimeInterval;
  emotions: Score[];
  descriptions: Score[] | null;
}

export interface ProsodyPrediction {
  text: string | null;
  time: TimeInterval;
  confidence: number | null;
  speakerConfidence: number | null;
  emotions: Score[];
}

export interface LanguagePrediction {
  text: string;
  position: PositionInterval;
  time: TimeInterval | null;
  confidence: number | null;
  speakerConfidence: number | null;
  emotions: Score[];
  sentiment: Score[] | null;
  toxicity: Score[] | null;
}

export interface NerPrediction {
  entity: string;
  position: PositionInterval;
  entityConfidence: number;
  support: number;
  uri: string;
  linkWord: string;
  time: TimeInterval | null;
  confidence: number | null;
  speakerConfidence: number | null;
  emotions: Score[];
}

export interface FacemeshPrediction {
  emotions: Score[];
}

/** Positions in a series, in series order. */
export interface IndexSelection {
  readonly length: number;
  /** The series index of the k-th selected prediction. */
  at(k: number): number;
}

export interface PredictionSeries<P> {
  readonly length: number;
  at(index: number): P;
  /**
   * The predictions overlapping [from, to] seconds (either bound may be open), in series order. Predictions
   * without a time (text input) match only when both bounds are open.
   */
  select(from: number | null, to: number | null): IndexSelection;
}

export interface PredictionGroup<P> {
  /** Unique among all groups of all jobs (normalising client caches key on it). */
  id: string;
  /** The provider's label: "unknown", or a face or speaker id when identification was requested. */
  label: string;
  predictions: PredictionSeries<P>;
}

export interface TranscriptionMetadata {
  confidence: number;
  detectedLanguage: string | null;
}

export interface ModelPredictions<P> {
  metadata: TranscriptionMetadata | null;
  groups: PredictionGroup<P>[];
}

/** A model is null when it did not run on the file. */
export interface FileModels {
  face: ModelPredictions<FacePrediction> | null;
  burst: ModelPredictions<BurstPrediction> | null;
  prosody: ModelPredictions<ProsodyPrediction> | null;
  language: ModelPredictions<LanguagePrediction> | null;
  ner: ModelPredictions<NerPrediction> | null;
  facemesh: ModelPredictions<FacemeshPrediction> | null;
}

export interface FilePredictions {
  /** Path relative to the source (inside an archive), or its name. */
  file: string;
  fileType: string | null;
  models: FileModels;
}

export type PredictionSource =
  | { kind: 'url'; url: string }
  | { kind: 'file'; md5sum: string; filename: string | null; contentType: string | null }
  | { kind: 'text' };

export interface SourcePredictions {
  source: PredictionSource;
  /** Why the whole source failed. */
  error: string | null;
  /** Null when the source failed. */
  files: FilePredictions[] | null;
  /** Files of this source that failed. */
  errors: Array<{ file: string; message: string }>;
}
