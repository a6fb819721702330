/**
 * Phonexia Speech Platform 4 Emotion Recognition wire types (snake_case, as on the wire), read from
 * providers/phonexia-emotion.md §1-§4. Answers may carry fields these types lack; parsing ignores them.
 * Whether absent `result`/`error` are omitted or sent as `null` is undocumented, so both are typed.
 */

/** `TaskInfoState` (§2.2). */
export const phonexiaTaskStates = ['pending', 'running', 'rejected', 'failed', 'done'] as const;
export type TaskState = (typeof phonexiaTaskStates)[number];

/** The four emotion classes (§3.1). Order on the wire is unspecified: look scores up by name. */
export const phonexiaEmotions = ['angry', 'happy', 'neutral', 'sad'] as const;
export type Emotion = (typeof phonexiaEmotions)[number];

export interface TaskInfo {
  task_id: string;
  state: TaskState;
}

export interface EmotionScore {
  emotion: Emotion;
  /** 0.0-1.0; the scores of one channel sum to about 1. */
  probability: number;
}

export interface EmotionChannel {
  /** 0-based input channel; 0 for `channel_mode=mix`. */
  channel_number: number;
  /** Seconds of speech used, after VAD and `max_speech_length`. */
  speech_length: number;
  scores: EmotionScore[];
}

export interface EmotionResult {
  channels: EmotionChannel[];
}

/** One entry of an error's `detail` (§4.1); also used inside task errors (§2.3). */
export interface ErrorDetail {
  location: Array<string | number>;
  message: string;
  type: string;
  context?: Record<string, unknown>;
}

/** `TaskErrorType` (§2.3). */
export type TaskErrorType = 'internal' | 'task.validation-error';

/** The `error` of a `rejected` or `failed` task. */
export interface TaskError {
  type: TaskErrorType;
  message: string;
  detail?: ErrorDetail[];
}

/** 202 answer to the start POST (§1.4). */
export interface StartTaskResponse {
  task: TaskInfo;
}

/** 200 answer to the poll GET (§2.1): `result` only when done, `error` only when rejected or failed. */
export interface EmotionTaskResponse {
  task: TaskInfo;
  result?: EmotionResult | null;
  error?: TaskError | null;
}

/** Error `type` values of non-2xx answers (§4.1). */
export type HttpErrorType =
  | 'internal'
  | 'resource.not-found'
  | 'method.invalid'
  | 'request.conflict'
  | 'request.forbidden'
  | 'request.invalid'
  | 'request.validation-error'
  | 'request.rate-limit-exceeded'
  | 'request.size-limit-exceeded'
  | 'storage.capacity-exceeded';

/** Body of every non-2xx answer (§4.1). */
export interface HttpErrorBody {
  type: HttpErrorType;
  message: string;
  detail: ErrorDetail[];
}

/** Start query parameters (§1.2); unset ones are not sent and the appliance applies its defaults. */
export interface PhonexiaStartParams {
  /** Default `split`. */
  channel_mode?: 'split' | 'mix';
  /** 0-based channel indices; sent comma-separated without spaces. Empty or unset = all channels. */
  channels?: number[];
  /** Seconds, >= 0. */
  range_from?: number;
  /** Seconds, > 0 (and after `range_from`). */
  range_to?: number;
  /** Seconds of speech, > 0. */
  max_speech_length?: number;
}
