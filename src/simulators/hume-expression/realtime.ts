/**
 * Realtime sessions (§5): one WebSocket connection each, recorded as a run whose ID is the `session_id`.
 *
 * Protocol (message shapes are §5's constructed ones, UNVERIFIED upstream):
 * - server first sends `{"type":"session.created","session_id","config"}` with the default configuration;
 * - `session.update` carries the new configuration under `config` (or `session`, both accepted); it *replaces*
 *   the configuration (omitted fields take their defaults) and is answered by `session.updated` with the full
 *   configuration. An invalid one gets `error config_invalid` and the session keeps its configuration
 *   (UNVERIFIED); one after the first accepted media frame ends the session with `config_invalid` (§5.1);
 * - malformed or unknown text messages get `error message_invalid`; the session continues;
 * - `session.close` → remaining results, then `session.closed` {reason: "client_closed", received, produced},
 *   close 1000. Sessions the server ends also get `session.closed` (reason = the error code) after the `error`;
 * - close codes (§5.1's suggestion): 1000 orderly, 1008 config_invalid, 1009 message_too_large, 1011
 *   internal_error. The run ends `ended` for orderly ends and client closes, `errored` for server-ended sessions
 *   and lost connections (close_code 1011 when there was no close frame, null when the client's frame had no code).
 * Audio: binary frames of s16le samples; empty, odd-length or > 320,000 bytes (10 s) → `invalid_audio_frame`
 * (continues); any message > 1,048,576 bytes → `message_too_large` (ends). Accepted frames are not acknowledged.
 * Video: one JPEG per binary frame, exactly one reply each, in order: `measurement.result` {frame_id, faces}
 * (frame_id counts results from 0) or `error`; not a JPEG / over 8,294,400 pixels → `invalid_image_frame`; any
 * message > 2,000,000 bytes → `message_too_large` (ends); a JPEG whose comment holds `internal-error` fails its
 * measurement (`internal_error`, logged as `inference_failed`), five in a row end the session.
 * Send rate (off unless enabled): audio may run at most 1 s ahead of wall-clock time since its first frame,
 * video at most 3 frames in any second; faster frames get `rate_limited` and are not measured.
 */
import type { WebSocket } from 'ws';
import { SAMPLE_RATE, BYTES_PER_SAMPLE, samplesOf } from './audio.js';
import { ConfigError, DEFAULT_AUDIO_CONFIG, DEFAULT_FACE_CONFIG, audioConfigFrom, videoConfigFrom, type AudioConfig, type FaceConfig } from './config.js';
import { JsonSyntaxError, parseJson, type JsonNode } from './json.js';
import { FaceTracker, imageDigest, listFaces } from './faces.js';
import { inspectJpeg, JpegError } from './jpeg.js';
import type { Vocabularies } from './labels.js';
import type { Run, RunStore } from './runs.js';
import { audioScores } from './scores.js';
import { SpeechTracker, type SpeechEvent } from './speech.js';

export const MAX_AUDIO_MESSAGE_BYTES = 1_048_576;
export const MAX_AUDIO_FRAME_BYTES = 320_000;
export const MAX_VIDEO_MESSAGE_BYTES = 2_000_000;
export const MAX_PIXELS = 8_294_400;
const AUDIO_RATE_BURST_MS = 1000;
const VIDEO_FRAMES_PER_SECOND = 3;
const FAILURES_ENDING_VIDEO_SESSION = 5;

export const CLOSE = { normal: 1000, policy: 1008, tooLarge: 1009, internal: 1011 } as const;

export interface SessionContext {
  runs: RunStore;
  vocabularies: Vocabularies;
  now: () => number;
  enforceSendRate: () => boolean;
}

type Outgoing = Record<string, unknown> & { type: string };

abstract class Session {
  protected locked = false;
  protected closing = false;

  constructor(
    protected readonly ws: WebSocket,
    protected readonly run: Run,
    protected readonly ctx: SessionContext,
    private readonly maxMessageBytes: number,
  ) {
    ws.on('message', (data, isBinary) => this.receive(data as Buffer | Buffer[] | ArrayBuffer, isBinary));
    ws.on('close', (code) => this.closed(code));
    ws.on('error', (err: Error & { code?: string }) => {
      // ws itself ends the connection on protocol errors before the session sees the message: a message far
      // over the limit (its maxPayload, 1009), a text message that is not UTF-8 (1007), a bad frame (1002).
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.ctx.runs.logEvent(this.run, 'message_too_large', 'a message exceeded the size limit');
        this.ctx.runs.end(this.run, 'errored', CLOSE.tooLarge);
      } else {
        this.ctx.runs.logEvent(this.run, 'message_invalid', `the connection failed: ${err.message}`);
        this.ctx.runs.end(this.run, 'errored', err.code === 'WS_ERR_INVALID_UTF8' ? 1007 : 1002);
      }
    });
  }

  /** Called at the end of a subclass constructor, once its configuration fields exist. */
  protected start(): void {
    this.run.config = this.configView();
    this.send({ type: 'session.created', session_id: this.run.id, config: this.configView() });
  }

  protected abstract configView(): unknown;
  protected abstract applyConfig(node: JsonNode): void;
  protected abstract media(frame: Buffer): void;
  protected abstract flush(): void;
  protected abstract totals(): { received: unknown; produced: unknown };

  protected send(message: Outgoing): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }

  protected error(code: string, message: string, eventKind?: string): void {
    if (eventKind) this.ctx.runs.logEvent(this.run, eventKind, message);
    this.send({ type: 'error', code, message });
  }

  /** Server-side end after an error: `error`, `session.closed`, close frame. */
  protected fail(code: string, message: string, closeCode: number, eventKind = code): void {
    this.error(code, message, eventKind);
    this.end(code, closeCode, 'errored');
  }

  protected end(reason: string, closeCode: number, status: 'ended' | 'errored'): void {
    if (this.closing) return;
    this.closing = true;
    this.send({ type: 'session.closed', reason, ...this.totals() });
    this.ctx.runs.end(this.run, status, closeCode);
    this.ws.close(closeCode);
  }

  private receive(raw: Buffer | Buffer[] | ArrayBuffer, isBinary: boolean): void {
    if (this.closing) return;
    try {
      const data = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
      this.ctx.runs.heardFrom(this.run);
      if (data.length > this.maxMessageBytes) {
        return this.fail('message_too_large', `message of ${data.length} bytes is over the ${this.maxMessageBytes}-byte limit`, CLOSE.tooLarge);
      }
      if (isBinary) return this.media(data);
      this.text(data.toString('utf8'));
    } catch {
      this.fail('internal_error', 'the session failed; open a new one', CLOSE.internal);
    }
  }

  private text(text: string): void {
    let node: JsonNode;
    try {
      node = parseJson(text);
    } catch (err) {
      if (!(err instanceof JsonSyntaxError)) throw err;
      return this.error('message_invalid', `the message is not valid JSON: ${err.message}`, 'message_invalid');
    }
    const type = node.kind === 'object' ? node.entries.find((e) => e.key === 'type')?.value : undefined;
    if (!type || type.kind !== 'string') return this.error('message_invalid', 'a text message must be a JSON object with a string `type`', 'message_invalid');
    switch (type.value) {
      case 'session.update':
        return this.update(node);
      case 'session.close':
        this.flush();
        return this.end('client_closed', CLOSE.normal, 'ended');
      default:
        return this.error('message_invalid', `unknown message type "${type.value}"`, 'message_invalid');
    }
  }

  private update(message: JsonNode): void {
    if (this.locked) {
      return this.fail('config_invalid', 'session.update after the first media frame: the configuration is locked', CLOSE.policy);
    }
    const entries = message.kind === 'object' ? message.entries.filter((e) => e.key === 'config' || e.key === 'session') : [];
    if (entries.length !== 1) {
      return this.error('message_invalid', 'session.update needs exactly one configuration object, under `config` (or `session`)', 'message_invalid');
    }
    try {
      this.applyConfig(entries[0]!.value);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      return this.error('config_invalid', `the session config is not valid: ${err.message}`, 'config_invalid');
    }
    this.send({ type: 'session.updated', config: this.configView() });
  }

  private closed(code: number): void {
    if (this.run.state !== 'live') return;
    // 1006: the connection was lost without a close frame; 1005: the client's close frame had no code.
    if (code === 1006) this.ctx.runs.end(this.run, 'errored', CLOSE.internal);
    else this.ctx.runs.end(this.run, 'ended', code === 1005 ? null : code);
  }
}

export class AudioSession extends Session {
  private config: AudioConfig = { ...DEFAULT_AUDIO_CONFIG };
  private tracker: SpeechTracker | undefined;
  private firstFrameMs = 0;
  private utterances = 0;
  private measurements = 0;

  constructor(ws: WebSocket, run: Run, ctx: SessionContext) {
    super(ws, run, ctx, MAX_AUDIO_MESSAGE_BYTES);
    run.received.audio_ms = 0;
    this.start();
  }

  protected configView(): AudioConfig {
    return { ...this.config };
  }

  protected applyConfig(node: JsonNode): void {
    this.config = audioConfigFrom(node);
    this.run.config = this.configView();
  }

  protected media(frame: Buffer): void {
    if (frame.length === 0 || frame.length % BYTES_PER_SAMPLE !== 0 || frame.length > MAX_AUDIO_FRAME_BYTES) {
      const why = frame.length === 0 ? 'is empty' : frame.length % 2 ? `has an odd length (${frame.length} bytes)` : `holds more than 10 s of audio (${frame.length} bytes)`;
      return this.error('invalid_audio_frame', `the audio frame ${why}`, 'invalid_audio_frame');
    }
    const frameMs = (frame.length / BYTES_PER_SAMPLE / SAMPLE_RATE) * 1000;
    const tracker = this.tracker;
    if (tracker && this.ctx.enforceSendRate()) {
      const allowance = this.ctx.now() - this.firstFrameMs + AUDIO_RATE_BURST_MS;
      if (tracker.receivedMs + frameMs > allowance) {
        return this.error('rate_limited', 'audio sent faster than real time; wait and resend the same frame', 'rate_limited');
      }
    }
    if (!tracker) {
      this.locked = true;
      this.firstFrameMs = this.ctx.now();
      this.tracker = new SpeechTracker(this.config.measurement_timer_ms);
    }
    this.deliver(this.tracker!.push(samplesOf(frame)));
    this.run.received.audio_ms = this.tracker!.receivedMs;
  }

  protected flush(): void {
    if (this.tracker) this.deliver(this.tracker.finish());
  }

  protected totals() {
    return { received: { audio_ms: this.tracker?.receivedMs ?? 0 }, produced: { utterances: this.utterances, measurements: this.measurements } };
  }

  private deliver(events: SpeechEvent[]): void {
    for (const event of events) {
      if (event.type === 'measurement') {
        const { seed, type: _type, ...span } = event;
        this.measurements++;
        this.send({ type: 'measurement.result', ...span, ...audioScores(seed, this.ctx.vocabularies) });
      } else {
        if (event.type === 'utterance.start') this.utterances++;
        this.send(event);
      }
    }
  }
}

export class VideoSession extends Session {
  private face: Pick<FaceConfig, 'threshold' | 'min_size'> = { threshold: DEFAULT_FACE_CONFIG.threshold, min_size: DEFAULT_FACE_CONFIG.min_size };
  private readonly tracker = new FaceTracker();
  private recentFrames: number[] = [];
  private frames = 0;
  private results = 0;
  private errors = 0;
  private failuresInARow = 0;

  constructor(ws: WebSocket, run: Run, ctx: SessionContext) {
    super(ws, run, ctx, MAX_VIDEO_MESSAGE_BYTES);
    run.received.frames = 0;
    this.start();
  }

  protected configView() {
    return { face: { ...this.face } };
  }

  protected applyConfig(node: JsonNode): void {
    const { face } = videoConfigFrom(node, 'realtime');
    this.face = { threshold: face.threshold, min_size: face.min_size };
    this.run.config = this.configView();
  }

  protected media(frame: Buffer): void {
    this.frames++;
    this.run.received.frames = this.frames;
    const reject = (code: string, message: string, kind: string) => {
      this.errors++;
      this.error(code, message, kind);
    };
    if (this.ctx.enforceSendRate()) {
      const now = this.ctx.now();
      this.recentFrames = this.recentFrames.filter((t) => now - t < 1000);
      if (this.recentFrames.length >= VIDEO_FRAMES_PER_SECOND) return reject('rate_limited', 'more than 3 frames in one second; this frame was not measured', 'rate_limited');
      this.recentFrames.push(now);
    }
    let info;
    try {
      info = inspectJpeg(frame);
    } catch (err) {
      if (!(err instanceof JpegError)) throw err;
      return reject('invalid_image_frame', `the frame is not a valid JPEG: ${err.message}`, 'invalid_image_frame');
    }
    if (info.width * info.height > MAX_PIXELS) {
      return reject('invalid_image_frame', `the frame has ${info.width * info.height} pixels (${info.width}x${info.height}), over the ${MAX_PIXELS} limit`, 'invalid_image_frame');
    }
    this.locked = true;
    if (info.comments.includes('internal-error')) {
      // The failing frame's one reply; the fifth failure in a row also ends the session.
      const last = ++this.failuresInARow >= FAILURES_ENDING_VIDEO_SESSION;
      reject('internal_error', last ? `measuring this frame failed, the ${FAILURES_ENDING_VIDEO_SESSION}th failure in a row: the session ends` : 'measuring this frame failed; resend it if needed', 'inference_failed');
      if (last) this.end('internal_error', CLOSE.internal, 'errored');
      return;
    }
    this.failuresInARow = 0;
    const digest = imageDigest(frame, info.width, info.height);
    const faces = listFaces(digest, info.width, info.height, info.comments, this.face, this.tracker, this.ctx.vocabularies);
    this.send({ type: 'measurement.result', frame_id: this.results++, faces });
  }

  protected flush(): void {
    // Replies go out as frames arrive, so nothing is pending at session.close.
  }

  protected totals() {
    return { received: { frames: this.frames }, produced: { results: this.results, errors: this.errors } };
  }
}
