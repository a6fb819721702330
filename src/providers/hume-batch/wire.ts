/**
 * Hume batch API wire types (snake_case, as on the wire), read from providers/hume-batch.md §3-§4.
 * Responses may carry fields these types lack (`file_type`, older `user_id`): parsing keeps them and ignores them.
 */

export type HumeJobStatus = 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
export type HumeGranularity = 'word' | 'sentence' | 'utterance' | 'conversational_turn';

/** Bcp47Tag: exactly these 29 values, case-sensitive (§3.3). */
export const humeLanguageTags = [
  'zh', 'da', 'nl', 'en', 'en-AU', 'en-IN', 'en-NZ', 'en-GB', 'fr', 'fr-CA', 'de', 'hi', 'hi-Latn', 'id', 'it', 'ja',
  'ko', 'no', 'pl', 'pt', 'pt-BR', 'pt-PT', 'ru', 'es', 'es-419', 'sv', 'ta', 'tr', 'uk',
] as const;
export type HumeLanguageTag = (typeof humeLanguageTags)[number];

/** `{}` switches a feature on; it takes no options. */
export type Unconfigurable = Record<string, never>;

export interface HumeFaceConfig {
  fps_pred?: number;
  prob_threshold?: number;
  identify_faces?: boolean;
  min_face_size?: number;
  facs?: Unconfigurable | null;
  descriptions?: Unconfigurable | null;
  save_faces?: boolean;
}

export interface HumeWindow {
  length?: number;
  step?: number;
}

export interface HumeProsodyConfig {
  granularity?: HumeGranularity;
  window?: HumeWindow | null;
  identify_speakers?: boolean;
}

export interface HumeLanguageConfig {
  granularity?: HumeGranularity;
  sentiment?: Unconfigurable | null;
  toxicity?: Unconfigurable | null;
  identify_speakers?: boolean;
}

export interface HumeNerConfig {
  identify_speakers?: boolean;
}

export interface HumeModels {
  face?: HumeFaceConfig | null;
  burst?: Unconfigurable | null;
  prosody?: HumeProsodyConfig | null;
  language?: HumeLanguageConfig | null;
  ner?: HumeNerConfig | null;
  facemesh?: Unconfigurable | null;
}

export interface HumeTranscription {
  language?: HumeLanguageTag | null;
  identify_speakers?: boolean;
  confidence_threshold?: number;
}

/** Body of a JSON start, and the `json` part of a multipart start. `transcription: null` disables it. */
export interface HumeInferenceBaseRequest {
  models?: HumeModels;
  transcription?: HumeTranscription | null;
  urls?: string[];
  text?: string[];
  callback_url?: string;
  notify?: boolean;
}

export interface HumeFile {
  filename?: string | null;
  md5sum: string;
  content_type?: string | null;
}

/** The echoed, normalised request of a job. */
export interface HumeInferenceRequest {
  models?: HumeModels | null;
  transcription?: HumeTranscription | null;
  urls?: string[] | null;
  text?: string[] | null;
  callback_url?: string | null;
  notify?: boolean | null;
  files: HumeFile[];
}

export type HumeState =
  | { status: 'QUEUED'; created_timestamp_ms: number }
  | { status: 'IN_PROGRESS'; created_timestamp_ms: number; started_timestamp_ms: number }
  | {
      status: 'COMPLETED';
      created_timestamp_ms: number;
      started_timestamp_ms: number;
      ended_timestamp_ms: number;
      num_predictions: number;
      num_errors: number;
    }
  | {
      status: 'FAILED';
      created_timestamp_ms: number;
      started_timestamp_ms?: number | null;
      ended_timestamp_ms: number;
      message: string;
    };

export interface HumeJob {
  job_id: string;
  request: HumeInferenceRequest;
  state: HumeState;
  type?: string;
}

export interface HumeStartResponse {
  job_id: string;
}

export interface HumeListQuery {
  limit?: number;
  status?: HumeJobStatus[];
  when?: 'created_before' | 'created_after';
  timestamp_ms?: number;
  sort_by?: 'created' | 'started' | 'ended';
  direction?: 'asc' | 'desc';
}

// ---- predictions (§4.3) ----

export interface HumeScore {
  name: string;
  score: number;
}

export interface HumeTimeInterval {
  begin: number;
  end: number;
}

export interface HumePositionInterval {
  begin: number;
  end: number;
}

export interface HumeBoundingBox {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface HumeFacePrediction {
  frame: number;
  time: number;
  prob: number;
  box: HumeBoundingBox;
  emotions: HumeScore[];
  facs?: HumeScore[] | null;
  descriptions?: HumeScore[] | null;
}

export interface HumeBurstPrediction {
  time: HumeTimeInterval;
  emotions: HumeScore[];
  descriptions: HumeScore[];
}

export interface HumeProsodyPrediction {
  text?: string | null;
  time: HumeTimeInterval;
  confidence?: number | null;
  speaker_confidence?: number | null;
  emotions: HumeScore[];
}

export interface HumeLanguagePrediction {
  text: string;
  position: HumePositionInterval;
  time?: HumeTimeInterval | null;
  confidence?: number | null;
  speaker_confidence?: number | null;
  emotions: HumeScore[];
  sentiment?: HumeScore[] | null;
  toxicity?: HumeScore[] | null;
}

export interface HumeNerPrediction {
  entity: string;
  position: HumePositionInterval;
  entity_confidence: number;
  support: number;
  uri: string;
  link_word: string;
  time?: HumeTimeInterval | null;
  confidence?: number | null;
  speaker_confidence?: number | null;
  emotions: HumeScore[];
}

export interface HumeFacemeshPrediction {
  emotions: HumeScore[];
}

export interface HumeGroup<P> {
  id: string;
  predictions: P[];
}

export interface HumeTranscriptionMetadata {
  confidence: number;
  detected_language?: string | null;
}

export interface HumeModelPredictions<P, M = null> {
  metadata?: M | null;
  grouped_predictions: HumeGroup<P>[];
}

export interface HumeModelsPredictions {
  face?: HumeModelPredictions<HumeFacePrediction> | null;
  burst?: HumeModelPredictions<HumeBurstPrediction> | null;
  prosody?: HumeModelPredictions<HumeProsodyPrediction, HumeTranscriptionMetadata> | null;
  language?: HumeModelPredictions<HumeLanguagePrediction, HumeTranscriptionMetadata> | null;
  ner?: HumeModelPredictions<HumeNerPrediction, HumeTranscriptionMetadata> | null;
  facemesh?: HumeModelPredictions<HumeFacemeshPrediction> | null;
}

export interface HumeInferencePrediction {
  file: string;
  /** Not in Hume's SDK types but present in real responses. */
  file_type?: string | null;
  models: HumeModelsPredictions;
}

export interface HumeFileError {
  file: string;
  message: string;
}

export type HumeSource =
  | { type: 'url'; url: string }
  | { type: 'file'; md5sum: string; filename?: string | null; content_type?: string | null }
  | { type: 'text' };

export interface HumeSourcePredictResult {
  source: HumeSource;
  results?: { predictions: HumeInferencePrediction[]; errors: HumeFileError[] } | null;
  error?: string | null;
}

export type HumePredictions = HumeSourcePredictResult[];
