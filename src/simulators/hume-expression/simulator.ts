/**
 * Hume Expression Measurement **v1** simulator (`/v1/expression/...`), written from
 * /work/shared/providers/hume-expression-v1.md only (it must not import anything from src/providers/: the
 * gateway's client is a second, independent reading of the same reference).
 *
 * Routes: `POST /v1/expression/audio/file`, `POST /v1/expression/video/file`, `GET /v1/expression/run`,
 * `GET /v1/expression/run/{run_id}`, `GET /v1/expression/run/{run_id}/events`, and the WebSockets
 * `/v1/expression/audio/realtime` and `/v1/expression/video/realtime` (realtime.ts) on the same port. Control
 * routes under `/_simulator/` come from the shared kit.
 *
 * Choices where the reference is UNVERIFIED (the rest are in the other files' headers):
 * - Auth (§2): `X-Hume-Api-Key: <apiKey>` or `Authorization: Bearer <accessToken>`. Missing, wrong, or both at
 *   once → 401 from the "gateway", `{"message": "Unauthorized"}` (+ `request_id` when an API key was presented);
 *   both-at-once is a 401 rather than a 400 because the gateway refuses credentials before the service sees the
 *   request, and gateway errors have no `code`. The WebSocket handshake is checked the same way, answered 401
 *   before the upgrade.
 * - Successful uploads answer 200. Error codes beyond the documented `message_invalid`, `config_invalid` and
 *   `internal_error`: 400 `audio_invalid` (not s16le 16 kHz mono), 400 `image_invalid` (not a JPEG, or over
 *   8,294,400 pixels), 413 `image_too_large` (image over 2,000,000 bytes), 413 `request_too_large` (body over
 *   25,000,000 bytes, decimal MB: "a little over 13 minutes" of 32 kB/s audio), 404 `run_not_found`, 400
 *   `query_invalid` / `cursor_invalid` for run-list parameters. Unknown paths: the gateway's 404
 *   `{"message": "Not Found"}`; a known path with another method: 405 `{"message": "Method Not Allowed"}`; a plain
 *   GET on a realtime path: 426 Upgrade Required.
 * - Runs (§6): an audio upload becomes a run once its audio is decoded (format errors leave none); an image upload
 *   once its body and config are read, so an image that fails its checks leaves an `errored` run. `measureDelayMs`
 *   holds the upload that long after recording it, so the run reads `live` meanwhile.
 * - Multipart: exactly one `file` part for audio, one or more for video, at most one `config`; other part names
 *   are refused (`message_invalid`), which catches v0 habits such as a `json` part.
 *
 * Deterministic triggers:
 * - an upload file name (audio or image) containing `internal-error` → the run is recorded, then ends `errored`,
 *   and the answer is 500 `internal_error`;
 * - an image file name or JPEG comment containing `crowd` → 40 candidate faces; `no-faces` → none;
 * - realtime video: a frame whose JPEG comment contains `internal-error` → that frame's reply is
 *   `internal_error`; the fifth in a row ends the session (close 1011).
 *
 * `POST /_simulator/settings` accepts `{timing?: {measureDelayMs}, userId?: string, enforceSendRate?: boolean}`.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { applyFault, FaultInjector, handleControl, listen, RequestLog, sendJson, sleep, type FaultResponders, type RunningServer } from '../kit.js';
import { AudioFormatError, decodeUploadedAudio, SAMPLE_RATE } from './audio.js';
import { audioConfigFrom, ConfigError, DEFAULT_AUDIO_CONFIG, defaultVideoConfig, parseConfigText, videoConfigFrom, type AudioConfig, type VideoConfig } from './config.js';
import { faultBody, GatewayError, ServiceError } from './errors.js';
import { FaceStateError, FaceTracker, imageDigest, listFaces } from './faces.js';
import { readForm, type FilePart } from './form.js';
import { inspectJpeg, JpegError } from './jpeg.js';
import { DEFAULT_VOCABULARIES, type Vocabularies } from './labels.js';
import { AudioSession, MAX_AUDIO_MESSAGE_BYTES, MAX_PIXELS, MAX_VIDEO_MESSAGE_BYTES, VideoSession, type SessionContext } from './realtime.js';
import { QueryError, RunStore, type Run } from './runs.js';
import { audioScores } from './scores.js';
import { SpeechTracker } from './speech.js';

export interface HumeExpressionSimulatorTiming {
  /** How long an upload takes to measure once its run is recorded (the run is `live` meanwhile). Default 0. */
  measureDelayMs?: number;
}

export interface HumeExpressionSimulatorOptions {
  /** The accepted `X-Hume-Api-Key`. */
  apiKey: string;
  /** The accepted `Authorization: Bearer` token; without it every bearer token is refused. */
  accessToken?: string;
  /** The `user_id` recorded on runs. Default `sim-user`. */
  userId?: string;
  /** Clock for run timestamps, the 5-minute silence rule and send rates. Default `Date.now`. */
  now?: () => number;
  timing?: HumeExpressionSimulatorTiming;
  /** Realtime send-rate limits (§5.2, §5.3). Default off. */
  enforceSendRate?: boolean;
  /** Runs kept (oldest dropped first). Default 10,000. */
  maxRuns?: number;
  /** Events of one kind logged per run before the kind is capped. Default 100. */
  eventCapPerKind?: number;
  /** The label lists, swappable for the real ones. */
  vocabularies?: Vocabularies;
}

export const MAX_BODY_BYTES = 25_000_000;
export const MAX_IMAGE_BYTES = 2_000_000;
const MAX_CONFIG_BYTES = 65_536;
/** How long a connection refused for its size stays open (unread) so the client can read the 413. */
const LINGER_MS = 2_000;
/** ws refuses frames beyond this on its own (1009, no `error` message); below it the session answers itself. */
const WS_SLACK_BYTES = 1_048_576;

const PATHS = {
  audioFile: '/v1/expression/audio/file',
  videoFile: '/v1/expression/video/file',
  audioRealtime: '/v1/expression/audio/realtime',
  videoRealtime: '/v1/expression/video/realtime',
  runs: '/v1/expression/run',
} as const;
const RUN_PATH = /^\/v1\/expression\/run\/([^/]+)(\/events)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const FAULT_RESPONDERS: FaultResponders = { errorBody: faultBody };

export class HumeExpressionSimulator {
  readonly requests = new RequestLog();
  readonly faults = new FaultInjector();
  readonly runs: RunStore;
  readonly server: http.Server;
  timing: Required<HumeExpressionSimulatorTiming>;
  userId: string;
  enforceSendRate: boolean;

  private readonly apiKey: string;
  private readonly accessToken: string | undefined;
  private readonly now: () => number;
  private readonly vocabularies: Vocabularies;
  private readonly audioSockets = new WebSocketServer({ noServer: true, maxPayload: MAX_AUDIO_MESSAGE_BYTES + WS_SLACK_BYTES });
  private readonly videoSockets = new WebSocketServer({ noServer: true, maxPayload: MAX_VIDEO_MESSAGE_BYTES + WS_SLACK_BYTES });
  private readonly sessionContext: SessionContext;

  constructor(options: HumeExpressionSimulatorOptions) {
    this.apiKey = options.apiKey;
    this.accessToken = options.accessToken;
    this.userId = options.userId ?? 'sim-user';
    this.now = options.now ?? Date.now;
    this.timing = { measureDelayMs: options.timing?.measureDelayMs ?? 0 };
    this.enforceSendRate = options.enforceSendRate ?? false;
    this.vocabularies = options.vocabularies ?? DEFAULT_VOCABULARIES;
    this.runs = new RunStore(this.now, { maxRuns: options.maxRuns ?? 10_000, eventCapPerKind: options.eventCapPerKind ?? 100 });
    this.sessionContext = { runs: this.runs, vocabularies: this.vocabularies, now: this.now, enforceSendRate: () => this.enforceSendRate };
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => void this.upgrade(req, socket, head));
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<RunningServer> {
    const running = await listen(this.server, port, host);
    return { ...running, close: () => this.close() };
  }

  async close(): Promise<void> {
    for (const wss of [this.audioSockets, this.videoSockets]) for (const ws of wss.clients) ws.terminate();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  // --- HTTP ---------------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://simulator.local');
      if (await handleControl(req, res, url, this.requests, this.faults, (body) => this.applySettings(body))) return;
      this.requests.record(req, url);
      const fault = this.faults.take(req.method ?? 'GET', url.pathname);
      if (fault && (await applyFault(fault, res, FAULT_RESPONDERS))) return;
      this.authenticate(req);
      await this.route(req, res, url);
    } catch (err) {
      this.answerError(req, res, err);
    }
  }

  private answerError(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    // A body left unread (early refusal) must not be read to its end, and the connection must not be reused.
    // Node ends a `connection: close` answer with socket.destroySoon(), which resets the connection while the
    // client is still sending, and the client may then lose the answer. So this socket lingers instead: the
    // answer and a FIN go out, the request stays paused (the client's writes stall), the socket goes later.
    const unread = !req.complete;
    const headers: Record<string, string> = unread ? { connection: 'close' } : {};
    if (unread) {
      req.pause();
      const socket = req.socket;
      socket.destroySoon = () => {
        socket.end();
        setTimeout(() => socket.destroy(), LINGER_MS).unref();
      };
    }
    if (err instanceof ServiceError) sendJson(res, err.status, err.body(), { ...err.headers, ...headers });
    else if (err instanceof GatewayError) sendJson(res, err.status, err.body(), { ...err.headers, ...headers });
    else sendJson(res, 500, faultBody(500), headers);
  }

  private authenticate(req: IncomingMessage): void {
    const key = req.headers['x-hume-api-key'];
    const authorization = req.headers.authorization;
    if (key !== undefined && authorization !== undefined) {
      throw new GatewayError(401, 'Unauthorized: send exactly one credential, X-Hume-Api-Key or Authorization: Bearer', true);
    }
    if (key !== undefined) {
      if (key !== this.apiKey) throw new GatewayError(401, 'Unauthorized', true);
      return;
    }
    if (authorization !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (!match || this.accessToken === undefined || match[1] !== this.accessToken) throw new GatewayError(401, 'Unauthorized');
      return;
    }
    throw new GatewayError(401, 'Unauthorized');
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const method = req.method ?? 'GET';
    const only = (allowed: string) => {
      if (method !== allowed) throw new GatewayError(405, 'Method Not Allowed', false, { allow: allowed });
    };
    switch (path) {
      case PATHS.audioFile:
        only('POST');
        return this.measureAudioUpload(req, res);
      case PATHS.videoFile:
        only('POST');
        return this.measureImageUpload(req, res);
      case PATHS.audioRealtime:
      case PATHS.videoRealtime:
        only('GET');
        throw new GatewayError(426, 'Upgrade Required: this path takes a WebSocket connection', false, { upgrade: 'websocket' });
      case PATHS.runs:
        only('GET');
        return sendJson(res, 200, this.queried(() => this.runs.list(url.searchParams)));
    }
    const match = RUN_PATH.exec(path);
    if (!match) throw new GatewayError(404, 'Not Found');
    only('GET');
    const run = this.runOf(match[1]!);
    if (match[2]) return sendJson(res, 200, this.queried(() => this.runs.events(run, url.searchParams)));
    sendJson(res, 200, this.runs.view(run));
  }

  private runOf(rawId: string): Run {
    let id = rawId;
    try {
      id = decodeURIComponent(rawId);
    } catch {
      // not a UUID either way
    }
    const run = UUID.test(id) ? this.runs.get(id) : undefined;
    if (!run) throw new ServiceError(404, 'run_not_found', `no run with run_id "${id}"`);
    return run;
  }

  private queried<T>(read: () => T): T {
    try {
      return read();
    } catch (err) {
      if (err instanceof QueryError) throw new ServiceError(400, err.code, err.message);
      throw err;
    }
  }

  // --- uploads ------------------------------------------------------------------------------------------------------

  private async readUpload(req: IncomingMessage, maxFileBytes: number) {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) throw tooLarge();
    const form = await readForm(req, { maxBodyBytes: MAX_BODY_BYTES, maxFileBytes, maxConfigBytes: MAX_CONFIG_BYTES });
    if (form.kind === 'too-large') throw tooLarge();
    if (form.kind === 'invalid') throw new ServiceError(400, 'message_invalid', form.reason);
    return form;
  }

  private async measureAudioUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await this.readUpload(req, MAX_BODY_BYTES);
    if (form.files.length !== 1) {
      throw new ServiceError(400, 'message_invalid', `the body must have exactly one file part, found ${form.files.length}`);
    }
    const config: AudioConfig = form.config === undefined ? { ...DEFAULT_AUDIO_CONFIG } : configFrom(form.config, audioConfigFrom);
    const file = form.files[0]!;
    let samples: Int16Array;
    try {
      samples = decodeUploadedAudio(file.data, file.mimeType);
    } catch (err) {
      if (err instanceof AudioFormatError) throw new ServiceError(400, 'audio_invalid', err.message);
      throw err;
    }
    const run = this.runs.start({ userId: this.userId, endpoint: 'audio', mode: 'file', config });
    run.received.audio_ms = Math.round((samples.length * 1000) / SAMPLE_RATE);
    await this.measuring(file.filename, run);
    const body = measureAudio(samples, config, this.vocabularies, run.id);
    this.runs.end(run, 'ended');
    sendJson(res, 200, body);
  }

  private async measureImageUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await this.readUpload(req, MAX_IMAGE_BYTES);
    if (form.files.length === 0) throw new ServiceError(400, 'message_invalid', 'the body must have at least one file part');
    const config: VideoConfig = form.config === undefined ? defaultVideoConfig() : configFrom(form.config, (node) => videoConfigFrom(node, 'file'));
    let tracker: FaceTracker;
    try {
      tracker = config.face_state === null ? new FaceTracker() : FaceTracker.fromState(config.face_state);
    } catch (err) {
      if (err instanceof FaceStateError) throw new ServiceError(400, 'config_invalid', `the config part is not valid: ${err.message}`);
      throw err;
    }
    const { face_state: _state, ...recorded } = config;
    const run = this.runs.start({ userId: this.userId, endpoint: 'video', mode: 'file', config: recorded });
    run.received.images = form.files.length;
    const images = form.files.map((file, index) => this.checkImage(file, index, run));
    await this.measuring(form.files.map((f) => f.filename).join('\n'), run);
    const results = images.map(({ file, width, height, comments }) => ({
      faces: listFaces(imageDigest(file.data, width, height), width, height, `${file.filename}\n${comments}`, config.face, tracker, this.vocabularies),
    }));
    this.runs.end(run, 'ended');
    sendJson(res, 200, { run_id: run.id, results, ...(config.face.return_face_state ? { face_state: tracker.state() } : {}) });
  }

  /** The per-image checks; the first failure ends the run `errored` and answers for the whole request. */
  private checkImage(file: FilePart, index: number, run: Run) {
    const name = `file part ${index + 1}${file.filename ? ` (${file.filename})` : ''}`;
    const refuse = (status: number, code: string, message: string): never => {
      this.runs.end(run, 'errored');
      throw new ServiceError(status, code, message);
    };
    if (file.size > MAX_IMAGE_BYTES) refuse(413, 'image_too_large', `${name} is ${file.size} bytes, over the ${MAX_IMAGE_BYTES}-byte limit per image`);
    let info;
    try {
      info = inspectJpeg(file.data);
    } catch (err) {
      if (!(err instanceof JpegError)) throw err;
      return refuse(400, 'image_invalid', `${name} is not a valid JPEG: ${err.message}`);
    }
    const pixels = info.width * info.height;
    if (pixels > MAX_PIXELS) refuse(400, 'image_invalid', `${name} has ${pixels} pixels (${info.width}x${info.height}), over the ${MAX_PIXELS}-pixel limit`);
    return { file, ...info };
  }

  /** The measuring time, and the `internal-error` trigger once the run exists. */
  private async measuring(hints: string, run: Run): Promise<void> {
    if (this.timing.measureDelayMs > 0) await sleep(this.timing.measureDelayMs);
    if (hints.includes('internal-error')) {
      this.runs.end(run, 'errored');
      throw new ServiceError(500, 'internal_error', 'the measurement failed; the request may be retried');
    }
  }

  // --- WebSocket ----------------------------------------------------------------------------------------------------

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => undefined); // a client vanishing mid-handshake must not take the server down
    try {
      const url = new URL(req.url ?? '/', 'http://simulator.local');
      this.requests.record(req, url);
      const fault = this.faults.take(req.method ?? 'GET', url.pathname);
      if (fault) {
        if (fault.kind === 'slow') await sleep(fault.delayMs);
        else if (fault.kind === 'drop') return void socket.destroy();
        else if (fault.kind === 'malformed-json') return refuseUpgrade(socket, 200, '{"this is": not json');
        else if (fault.kind === 'rate-limit') {
          return refuseUpgrade(socket, 429, JSON.stringify(faultBody(429)), { 'retry-after': String(fault.retryAfterSeconds) });
        } else return refuseUpgrade(socket, fault.status, fault.body ?? JSON.stringify(faultBody(fault.status)), fault.headers);
      }
      this.authenticate(req);
      const endpoint = url.pathname === PATHS.audioRealtime ? 'audio' : url.pathname === PATHS.videoRealtime ? 'video' : undefined;
      if (!endpoint) throw new GatewayError(404, 'Not Found');
      const wss = endpoint === 'audio' ? this.audioSockets : this.videoSockets;
      wss.handleUpgrade(req, socket, head, (ws) => {
        const run = this.runs.start({ userId: this.userId, endpoint, mode: 'realtime', config: null });
        if (endpoint === 'audio') new AudioSession(ws, run, this.sessionContext);
        else new VideoSession(ws, run, this.sessionContext);
      });
    } catch (err) {
      if (err instanceof GatewayError || err instanceof ServiceError) refuseUpgrade(socket, err.status, JSON.stringify(err.body()), err.headers);
      else refuseUpgrade(socket, 500, JSON.stringify(faultBody(500)));
    }
  }

  // --- control ------------------------------------------------------------------------------------------------------

  private applySettings(body: unknown): void {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new Error('settings must be a JSON object');
    const { timing, userId, enforceSendRate } = body as Record<string, unknown>;
    if (timing !== undefined) {
      const delay = (timing as { measureDelayMs?: unknown } | null)?.measureDelayMs;
      if (typeof timing !== 'object' || timing === null || (delay !== undefined && (typeof delay !== 'number' || !(delay >= 0)))) {
        throw new Error('timing.measureDelayMs must be a number >= 0');
      }
      if (typeof delay === 'number') this.timing = { measureDelayMs: delay };
    }
    if (userId !== undefined) {
      if (typeof userId !== 'string' || userId === '') throw new Error('userId must be a non-empty string');
      this.userId = userId;
    }
    if (enforceSendRate !== undefined) {
      if (typeof enforceSendRate !== 'boolean') throw new Error('enforceSendRate must be a boolean');
      this.enforceSendRate = enforceSendRate;
    }
  }
}

const tooLarge = () => new ServiceError(413, 'request_too_large', `the request body is larger than ${MAX_BODY_BYTES} bytes (25 MB)`);

function configFrom<T>(text: string, read: (node: ReturnType<typeof parseConfigText>) => T): T {
  try {
    return read(parseConfigText(text));
  } catch (err) {
    if (err instanceof ConfigError) throw new ServiceError(400, 'config_invalid', `the config part is not valid: ${err.message}`);
    throw err;
  }
}

/** The upload's answer (§3.5): utterances and a flat, chronological list of measurements. */
export function measureAudio(samples: Int16Array, config: AudioConfig, vocabularies: Vocabularies, runId: string) {
  const tracker = new SpeechTracker(config.measurement_timer_ms);
  const events = [...tracker.push(samples), ...tracker.finish()];
  const utterances: Array<{ utterance_id: number; audio_start_ms: number; audio_end_ms: number }> = [];
  const measurements: unknown[] = [];
  for (const event of events) {
    if (event.type === 'utterance.end') {
      utterances.push({ utterance_id: event.utterance_id, audio_start_ms: event.audio_start_ms, audio_end_ms: event.audio_end_ms });
    } else if (event.type === 'measurement') {
      const { seed, type: _type, ...span } = event;
      measurements.push({ ...span, ...audioScores(seed, vocabularies) });
    }
  }
  return { run_id: runId, utterances, measurements };
}

function refuseUpgrade(socket: Duplex, status: number, body: string, headers: Record<string, string> = {}): void {
  const lines = [
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
