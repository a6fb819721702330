/**
 * Synchronous expression measurements (speech and faces) as the gateway runs them: the caller gets a run at once,
 * the gateway converts and uploads in the background and keeps the results (the provider stores none). One run
 * may be several provider runs: one per audio channel.
 */
import type { Score } from './scores.js';

export type ExpressionRunStatus = 'RUNNING' | 'COMPLETED' | 'FAILED';
export type ExpressionRunKind = 'AUDIO' | 'IMAGES';
export type MeasurementTrigger = 'INTERVAL' | 'SPEECH_ENDED';

export const isTerminalRunStatus = (status: ExpressionRunStatus) => status !== 'RUNNING';

export interface AudioMeasurement {
  trigger: MeasurementTrigger;
  /** Milliseconds from the start of the uploaded file. */
  startMs: number;
  endMs: number;
  emotions: Score[];
  voiceAttributes: Score[];
}

export interface Utterance {
  startMs: number;
  endMs: number;
  measurements: AudioMeasurement[];
}

export interface AudioChannelMeasurements {
  /** 0-based channel of the uploaded file. */
  channel: number;
  /** The provider's run id for this channel's upload. */
  providerRunId: string | null;
  utterances: Utterance[];
}

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FaceMeasurement {
  /** Follows a face across the images of one request; null for a face listed but not measured. */
  faceId: string | null;
  box: FaceBox | null;
  confidence: number | null;
  /** False for a face detected but not measured (beyond the largest few): no scores then. */
  measured: boolean;
  emotions: Score[];
  descriptions: Score[] | null;
}

export interface ImageMeasurement {
  fileName: string;
  faces: FaceMeasurement[];
}

export interface AudioRunRequest {
  kind: 'AUDIO';
  fileName: string;
  fileSize: number;
  /** The source as read, e.g. "PCM WAV, 24-bit integer, 2 channels, 48,000 Hz, 61.2 s". */
  sourceFormat: string;
  channels: number[];
  /** As the caller chose it; null for Hume's default (3000 ms), which is then left to Hume (no config part). */
  measurementTimerMs: number | null;
  durationMs: number;
}

export interface ImagesRunRequest {
  kind: 'IMAGES';
  files: Array<{ fileName: string; fileSize: number }>;
  threshold: number | null;
  minSize: number | null;
}

export interface ExpressionRun {
  id: string;
  kind: ExpressionRunKind;
  status: ExpressionRunStatus;
  request: AudioRunRequest | ImagesRunRequest;
  createdAt: number;
  updatedAt: number;
  /** Set for audio runs once COMPLETED. */
  audio: AudioChannelMeasurements[] | null;
  /** Set for image runs once COMPLETED, in upload order. */
  images: ImageMeasurement[] | null;
  /** Why it FAILED, in words. */
  error: string | null;
}
