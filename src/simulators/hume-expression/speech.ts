/**
 * Speech detection and the measurement schedule of §3.4, shared by the upload and the realtime session so both
 * give the same measurements for the same audio (§3.4 rule 5): the upload feeds its whole file and finishes,
 * a session feeds its frames as they come and finishes on `session.close`.
 *
 * Voice-activity detection (the simulator's own, simple and predictable for tests):
 * - 20 ms frames (320 samples); a frame is voiced when its RMS is at least 300 (about −41 dBFS);
 * - an utterance starts at the start of its first voiced frame and ends at the end of its last one;
 * - silences shorter than 300 ms inside speech are bridged (the utterance goes on);
 * - the audio ending mid-speech ends the utterance at the end of the audio.
 *
 * Schedule within an utterance starting at S and ending at E, with timer T (ms of utterance time, bridged gaps
 * included): an `interval` measurement ends at each S + kT ≤ E (k ≥ 1); then a `speech_ended` one ends at E,
 * unless the previous measurement ended less than 1000 ms before E; an utterance without intervals always gets
 * its `speech_ended`. Each covers the last 10 s: start = max(S, end − 10000).
 */
import { createHash } from 'node:crypto';
import { SAMPLE_RATE } from './audio.js';

export const FRAME_MS = 20;
const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;
export const VOICED_RMS = 300;
export const MAX_BRIDGED_GAP_MS = 300;
export const WINDOW_MS = 10_000;
export const MIN_SPEECH_ENDED_GAP_MS = 1000;
/** Frame fingerprints kept for measurement seeds: a 10 s window plus a bridged gap, with room to spare. */
const FINGERPRINT_RING = 1024;

export type Trigger = 'interval' | 'speech_ended';

export type SpeechEvent =
  | { type: 'utterance.start'; utterance_id: number; audio_start_ms: number }
  | {
      type: 'measurement';
      utterance_id: number;
      trigger: Trigger;
      audio_start_ms: number;
      audio_end_ms: number;
      /** Digest of the audio the measurement covers: the scores' seed. */
      seed: Buffer;
    }
  | { type: 'utterance.end'; utterance_id: number; audio_start_ms: number; audio_end_ms: number };

interface Utterance {
  id: number;
  startMs: number;
  /** End of the last voiced frame so far. */
  lastVoicedEndMs: number;
  nextTickMs: number;
  lastMeasurementEndMs: number | undefined;
  silenceMs: number;
}

export class SpeechTracker {
  private readonly timerMs: number;
  /** Samples of a frame not yet complete. */
  private partial = new Int16Array(FRAME_SAMPLES);
  private partialLength = 0;
  private frames = 0;
  private samplesSeen = 0;
  private readonly fingerprints = new Uint32Array(FINGERPRINT_RING);
  private utterance: Utterance | undefined;
  private nextUtteranceId = 0;
  private finished = false;

  constructor(timerMs: number) {
    this.timerMs = timerMs;
  }

  /** Milliseconds of audio received so far. */
  get receivedMs(): number {
    return Math.round((this.samplesSeen * 1000) / SAMPLE_RATE);
  }

  push(samples: Int16Array): SpeechEvent[] {
    if (this.finished) throw new Error('SpeechTracker: push after finish');
    const events: SpeechEvent[] = [];
    this.samplesSeen += samples.length;
    let i = 0;
    if (this.partialLength > 0) {
      const take = Math.min(FRAME_SAMPLES - this.partialLength, samples.length);
      this.partial.set(samples.subarray(0, take), this.partialLength);
      this.partialLength += take;
      i = take;
      if (this.partialLength === FRAME_SAMPLES) {
        this.frame(this.partial, events);
        this.partialLength = 0;
      }
    }
    for (; i + FRAME_SAMPLES <= samples.length; i += FRAME_SAMPLES) this.frame(samples.subarray(i, i + FRAME_SAMPLES), events);
    if (i < samples.length) {
      this.partial.set(samples.subarray(i), 0);
      this.partialLength = samples.length - i;
    }
    return events;
  }

  /** End of the audio: a short last frame counts with its real length, and open speech ends here. */
  finish(): SpeechEvent[] {
    if (this.finished) return [];
    this.finished = true;
    const events: SpeechEvent[] = [];
    if (this.partialLength > 0) this.frame(this.partial.subarray(0, this.partialLength), events);
    this.partialLength = 0;
    if (this.utterance) this.endUtterance(events);
    return events;
  }

  private frame(samples: Int16Array, events: SpeechEvent[]): void {
    const startMs = this.frames * FRAME_MS;
    // Only the last frame of the audio can be short; its end is rounded to whole milliseconds.
    const endMs = startMs + Math.round((samples.length * 1000) / SAMPLE_RATE);
    let energy = 0;
    let hash = 0x811c9dc5; // FNV-1a over the samples: a cheap fingerprint of the frame's content
    for (let k = 0; k < samples.length; k++) {
      const s = samples[k]!;
      energy += s * s;
      hash = Math.imul(hash ^ (s & 0xff), 0x01000193);
      hash = Math.imul(hash ^ ((s >> 8) & 0xff), 0x01000193);
    }
    this.fingerprints[this.frames % FINGERPRINT_RING] = hash >>> 0;
    this.frames++;
    const voiced = Math.sqrt(energy / samples.length) >= VOICED_RMS;
    const u = this.utterance;
    if (voiced) {
      if (!u) {
        const id = this.nextUtteranceId++;
        this.utterance = { id, startMs, lastVoicedEndMs: endMs, nextTickMs: startMs + this.timerMs, lastMeasurementEndMs: undefined, silenceMs: 0 };
        events.push({ type: 'utterance.start', utterance_id: id, audio_start_ms: startMs });
      } else {
        u.lastVoicedEndMs = endMs;
        u.silenceMs = 0;
      }
      this.emitIntervals(events);
    } else if (u) {
      u.silenceMs += endMs - startMs;
      if (u.silenceMs >= MAX_BRIDGED_GAP_MS) this.endUtterance(events);
    }
  }

  /** Ticks up to the last voiced frame; a tick inside a bridged gap comes out once speech resumes. */
  private emitIntervals(events: SpeechEvent[]): void {
    const u = this.utterance!;
    while (u.nextTickMs <= u.lastVoicedEndMs) {
      this.measure(u, 'interval', u.nextTickMs, events);
      u.nextTickMs += this.timerMs;
    }
  }

  private endUtterance(events: SpeechEvent[]): void {
    const u = this.utterance!;
    const end = u.lastVoicedEndMs;
    if (u.lastMeasurementEndMs === undefined || end - u.lastMeasurementEndMs >= MIN_SPEECH_ENDED_GAP_MS) this.measure(u, 'speech_ended', end, events);
    events.push({ type: 'utterance.end', utterance_id: u.id, audio_start_ms: u.startMs, audio_end_ms: end });
    this.utterance = undefined;
  }

  private measure(u: Utterance, trigger: Trigger, endMs: number, events: SpeechEvent[]): void {
    const startMs = Math.max(u.startMs, endMs - WINDOW_MS);
    u.lastMeasurementEndMs = endMs;
    events.push({ type: 'measurement', utterance_id: u.id, trigger, audio_start_ms: startMs, audio_end_ms: endMs, seed: this.seedOf(startMs, endMs) });
  }

  /** Seeded by the content of the covered frames and the window's length, not by where the window lies. */
  private seedOf(startMs: number, endMs: number): Buffer {
    const first = Math.floor(startMs / FRAME_MS);
    const last = Math.min(Math.ceil(endMs / FRAME_MS), this.frames) - 1;
    const digest = createHash('sha256');
    const word = Buffer.alloc(4);
    for (let f = Math.max(first, this.frames - FINGERPRINT_RING); f <= last; f++) {
      word.writeUInt32LE(this.fingerprints[f % FINGERPRINT_RING]!);
      digest.update(word);
    }
    word.writeUInt32LE(endMs - startMs);
    return digest.update(word).digest();
  }
}
