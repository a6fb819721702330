/** Hume expression answers (normalised by wire.ts) -> the gateway's domain measurements. */
import type { AudioChannelMeasurements, FaceMeasurement, ImageMeasurement } from '../../domain/expression-run.js';
import type { Score } from '../../domain/scores.js';
import type { ExpressionScore, ImageMeasurementResult, SpeechMeasurementResult } from './wire.js';

/** Hume's `probability` is the gateway's score; names are kept exactly as Hume gives them. */
const scores = (list: readonly ExpressionScore[]): Score[] => list.map((s) => ({ name: s.name, score: s.probability }));

export function toAudioChannel(channel: number, result: SpeechMeasurementResult): AudioChannelMeasurements {
  return {
    channel,
    providerRunId: result.runId,
    utterances: result.utterances.map((u) => ({
      startMs: u.startMs,
      endMs: u.endMs,
      measurements: u.measurements.map((m) => ({
        trigger: m.trigger === 'interval' ? 'INTERVAL' : 'SPEECH_ENDED',
        startMs: m.startMs,
        endMs: m.endMs,
        emotions: scores(m.expressions),
        voiceAttributes: scores(m.voiceAttributes),
      })),
    })),
  };
}

export function toImageMeasurements(result: ImageMeasurementResult): ImageMeasurement[] {
  return result.images.map((image) => ({
    fileName: image.fileName,
    faces: image.faces.map(
      (face): FaceMeasurement => ({
        faceId: face.faceId,
        box: face.box,
        confidence: face.confidence,
        measured: face.expressions !== null,
        emotions: face.expressions ? scores(face.expressions) : [],
        descriptions: face.descriptions ? scores(face.descriptions) : null,
      }),
    ),
  }));
}
