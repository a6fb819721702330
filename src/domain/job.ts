/**
 * A batch job over URLs, uploaded files and raw text, run by a provider's models (the `Job` of the contract), and
 * the settings it runs with. The same settings type describes what a caller asks for (unset = null, the provider's
 * default) and what the provider echoes back (its defaults filled in).
 */

export type JobStatus = 'QUEUED' | 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
export type Granularity = 'word' | 'sentence' | 'utterance' | 'conversational_turn';

export const isTerminalJobStatus = (status: JobStatus) => status === 'COMPLETED' || status === 'FAILED';

export interface FaceSettings {
  fpsPred: number | null;
  probThreshold: number | null;
  identifyFaces: boolean | null;
  minFaceSize: number | null;
  facs: boolean;
  descriptions: boolean;
  saveFaces: boolean | null;
}

export interface WindowSettings {
  length: number | null;
  step: number | null;
}

export interface ProsodySettings {
  granularity: Granularity | null;
  window: WindowSettings | null;
  identifySpeakers: boolean | null;
}

export interface LanguageSettings {
  granularity: Granularity | null;
  sentiment: boolean;
  toxicity: boolean;
  identifySpeakers: boolean | null;
}

export interface NerSettings {
  identifySpeakers: boolean | null;
}

/** A model that does not run is null (burst and facemesh: false). */
export interface ModelSettings {
  face: FaceSettings | null;
  burst: boolean;
  prosody: ProsodySettings | null;
  language: LanguageSettings | null;
  ner: NerSettings | null;
  facemesh: boolean;
}

export interface TranscriptionSettings {
  /** BCP-47 tag; null means automatic detection. */
  language: string | null;
  identifySpeakers: boolean | null;
  confidenceThreshold: number | null;
}

export interface JobFile {
  filename: string | null;
  md5sum: string;
  contentType: string | null;
}

/** What a job runs, on what. */
export interface JobRequest {
  /** Null: every model the provider runs by default. */
  models: ModelSettings | null;
  /** Null when transcription is switched off. */
  transcription: TranscriptionSettings | null;
  urls: string[];
  text: string[];
  files: JobFile[];
  notify: boolean;
  /** Whether the provider calls the gateway back on completion. */
  callbackEnabled: boolean;
}

/** What a caller asks for when starting a job. */
export interface JobSpec {
  models: ModelSettings | null;
  /** Null: the provider's default; `'off'`: switched off. */
  transcription: TranscriptionSettings | 'off' | null;
  urls: string[];
  text: string[];
  notify: boolean | null;
}

export interface Job {
  id: string;
  status: JobStatus;
  /** Epoch milliseconds. */
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  /** COMPLETED only. */
  numPredictions: number | null;
  numErrors: number | null;
  /** FAILED only: why. */
  message: string | null;
  request: JobRequest;
}
