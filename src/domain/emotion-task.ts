/** A speech emotion recognition task on one media file (the `EmotionTask` of the contract). */
import type { Score } from './scores.js';

export type EmotionTaskStatus = 'pending' | 'running' | 'done' | 'failed' | 'rejected';
export type ChannelMode = 'split' | 'mix';

export const isTerminalTaskStatus = (status: EmotionTaskStatus) => status === 'done' || status === 'failed' || status === 'rejected';

export interface ChannelEmotions {
  /** 0-based input channel; 0 in mix mode. */
  channel: number;
  /** Seconds of speech used, after silence was removed. */
  speechLength: number;
  /** Every emotion the provider scores, in its documented order. */
  emotions: Score[];
}

export interface TaskErrorDetail {
  location: Array<string | number>;
  message: string;
  type: string;
}

export interface TaskError {
  type: string;
  message: string;
  details: TaskErrorDetail[];
}

/** What the gateway sent (the provider does not echo it). */
export interface EmotionTaskRequest {
  fileName: string;
  fileSize: number;
  contentType: string;
  channelMode: ChannelMode;
  /** Selected channels; null means all. */
  channels: number[] | null;
  rangeFrom: number | null;
  rangeTo: number | null;
  maxSpeechLength: number | null;
}

export interface EmotionTask {
  id: string;
  status: EmotionTaskStatus;
  /** Set once done. */
  channels: ChannelEmotions[] | null;
  error: TaskError | null;
  request: EmotionTaskRequest;
  createdAt: number;
  updatedAt: number;
  /** The provider has expired the task; what is shown is the last result the gateway saw. */
  resultExpired: boolean;
}
