/**
 * Phonexia Speech Platform 4 — Emotion Recognition REST simulator.
 *
 * Follows /work/shared/providers/phonexia-emotion.md: `POST /api/technology/emotion-recognition` (multipart,
 * part `file`) → 202 + `Location`/`X-Location`; `GET /api/technology/emotion-recognition/{task_id}` → task
 * state `pending` → `running` → `done` | `failed`, or `rejected`. Error bodies use the documented
 * `{type, message, detail[]}` shape. Control routes (`/_simulator/...`) come from the shared kit;
 * `POST /_simulator/settings` accepts `{timing?: {pendingMs, runningMs}, taskTtlMs?}`.
 *
 * Task outcome triggers (decided at upload, shown when the task leaves `pending` / `running`):
 * - file not decodable as WAV (see simulator-media.ts)  → `rejected`, detail type `media.invalid`, location ["body","file"]
 * - a requested channel index ≥ the file's channel count → `rejected`, detail type `channels.invalid`, location [<src>,"channels"]
 * - `range_from` ≥ media duration                        → `rejected`, detail type `range.invalid`, location [<src>,"range_from"]
 * - uploaded filename contains `task-fails`              → `failed` after running, error type `internal`
 * - otherwise                                            → `done` with a deterministic result
 * (<src> is "query", or "body","config" when the value came from the multipart `config` field.)
 *
 * Results are deterministic from (file md5, channel, parameters): four scores per channel in the web-export
 * order happy, neutral, sad, angry (deliberately not alphabetical: clients must look scores up by name),
 * probabilities with 4 decimals whose ten-thousandths sum to exactly 10000; `speech_length` = 70 % of the
 * processed window (range_from .. min(range_to, duration)), capped by `max_speech_length`, 2 decimals.
 *
 * State is computed lazily from timestamps (`now`), so tests can drive it with a fake clock.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import busboy from 'busboy';
import {
  FaultInjector,
  RequestLog,
  applyFault,
  handleControl,
  listen,
  sendJson,
  type FaultResponders,
  type RunningServer,
} from '../kit.js';
import { WavHeaderReader, type MediaProbe } from './media.js';

export interface PhonexiaSimulatorTiming {
  pendingMs: number;
  runningMs: number;
}

export interface PhonexiaSimulatorOptions {
  /** Default { pendingMs: 20, runningMs: 50 }. */
  timing?: PhonexiaSimulatorTiming;
  /** A task that reached a terminal state expires (GET → 404) this long afterwards; default 10 minutes. */
  taskTtlMs?: number;
  /** Per-upload limit, default 524288000 (500 MB) → 413 beyond. */
  maxFileSize?: number;
  /** Total bytes of stored uploads of non-expired tasks; beyond → 507. Default 1 GiB. */
  storageCapacityBytes?: number;
  /** Max tasks pending/running at once; beyond → 403 licence capacity. Default Infinity. */
  licensedConcurrency?: number;
  /** Optional real rate limiter over POST and GET → 429 with headers. Default off. */
  rateLimit?: { limit: number; windowMs: number };
  /** When set, requests lacking these header values get 403 request.forbidden (an auth proxy in front). */
  requiredHeaders?: Record<string, string>;
  now?: () => number;
}

export interface ReceivedUpload {
  taskId: string;
  filename: string;
  size: number;
  md5: string;
  query: Record<string, string>;
  correlationId: string;
}

// ---------------------------------------------------------------------------------------------------------
// Wire shapes (internal; deliberately independent of client.ts / wire.ts)

type TaskState = 'pending' | 'running' | 'rejected' | 'failed' | 'done';
type Emotion = 'happy' | 'neutral' | 'sad' | 'angry';

interface ErrorDetail {
  location: Array<string | number>;
  message: string;
  type: string;
  context: Record<string, unknown>;
}

interface ErrorBody {
  type: string;
  message: string;
  detail: ErrorDetail[];
}

interface ChannelResult {
  channel_number: number;
  speech_length: number;
  scores: Array<{ emotion: Emotion; probability: number }>;
}

const START_PATH = '/api/technology/emotion-recognition';
const TASK_PATH = /^\/api\/technology\/emotion-recognition\/([^/]+)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Web-export order [W1]; not alphabetical on purpose. */
const EMOTIONS: readonly Emotion[] = ['happy', 'neutral', 'sad', 'angry'];
/** Share of the processed window the simulated VAD calls speech. */
const SPEECH_RATIO = 0.7;

const DEFAULT_TIMING: PhonexiaSimulatorTiming = { pendingMs: 20, runningMs: 50 };
const DEFAULT_TTL_MS = 10 * 60_000;
const DEFAULT_MAX_FILE_SIZE = 524_288_000;
const DEFAULT_STORAGE = 1024 ** 3;
const SWEEP_INTERVAL_MS = 30_000;

const errors = {
  invalid: (): ErrorBody => ({ type: 'request.invalid', message: 'Invalid request.', detail: [] }),
  licence: (): ErrorBody => ({
    type: 'request.forbidden',
    message: 'Request is forbidden.',
    detail: [
      { location: ['license'], message: 'Licensed processing capacity exceeded.', type: 'licensing.capacity-exceeded', context: {} },
    ],
  }),
  forbiddenHeader: (name: string): ErrorBody => ({
    type: 'request.forbidden',
    message: 'Request is forbidden.',
    detail: [{ location: ['header', name], message: 'Missing or invalid header.', type: 'header.invalid', context: {} }],
  }),
  notFound: (): ErrorBody => ({ type: 'resource.not-found', message: 'Resource not found.', detail: [] }),
  method: (): ErrorBody => ({ type: 'method.invalid', message: 'Invalid HTTP method.', detail: [] }),
  tooLarge: (fileSize: number, max: number): ErrorBody => ({
    type: 'request.size-limit-exceeded',
    message: 'Request size limit exceeded.',
    detail: [
      {
        location: ['body', 'file'],
        message: 'Input media file too large.',
        type: 'media.too-large',
        context: { file_size: fileSize, max_file_size: max, size_unit: 'bytes' },
      },
    ],
  }),
  validation: (detail: ErrorDetail[]): ErrorBody => ({ type: 'request.validation-error', message: 'Request validation error.', detail }),
  rateLimit: (limit: number, windowMs: number): ErrorBody => ({
    type: 'request.rate-limit-exceeded',
    message: `Rate limit exceeded: ${limit} per ${windowMs / 1000} second.`,
    detail: [],
  }),
  storage: (): ErrorBody => ({ type: 'storage.capacity-exceeded', message: 'Storage capacity exceeded.', detail: [] }),
  internal: (): ErrorBody => ({ type: 'internal', message: 'Internal error.', detail: [] }),
};

const valueError = (location: Array<string | number>, message: string): ErrorDetail => ({
  location,
  message,
  type: 'value_error',
  context: {},
});

// ---------------------------------------------------------------------------------------------------------
// Parameters

interface TaskParams {
  channelMode: 'split' | 'mix';
  channels: number[] | undefined;
  rangeFrom: number;
  rangeTo: number | undefined;
  maxSpeechLength: number | undefined;
  /** Where each given parameter came from, for error locations. */
  source: Record<string, Array<string | number>>;
}

const PARAM_NAMES = ['channel_mode', 'channels', 'range_from', 'range_to', 'max_speech_length'] as const;
type ParamName = (typeof PARAM_NAMES)[number];

/**
 * Merges query and `config` (query wins) and validates. `config` values may be strings or JSON numbers, and
 * `channels` may also be a JSON array of integers.
 */
function parseParams(query: URLSearchParams, configText: string | undefined): { params?: TaskParams; errors: ErrorDetail[] } {
  const errs: ErrorDetail[] = [];
  const raw: Partial<Record<ParamName, unknown>> = {};
  const source: Record<string, Array<string | number>> = {};

  if (configText !== undefined) {
    let config: unknown;
    try {
      config = JSON.parse(configText);
    } catch {
      errs.push(valueError(['body', 'config'], 'Value is not valid JSON.'));
    }
    if (config !== undefined && (typeof config !== 'object' || config === null || Array.isArray(config))) {
      errs.push(valueError(['body', 'config'], 'Value should be a JSON object.'));
    } else if (config) {
      for (const name of PARAM_NAMES) {
        const v = (config as Record<string, unknown>)[name];
        if (v !== undefined && v !== null) {
          raw[name] = v;
          source[name] = ['body', 'config', name];
        }
      }
    }
  }
  for (const name of PARAM_NAMES) {
    const v = query.get(name);
    if (v !== null) {
      raw[name] = v;
      source[name] = ['query', name];
    }
  }

  const loc = (name: ParamName) => source[name] ?? ['query', name];
  const number = (name: ParamName, min: number, inclusive: boolean): number | undefined => {
    const v = raw[name];
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n)) {
      errs.push(valueError(loc(name), 'Input should be a valid number.'));
      return undefined;
    }
    if (inclusive ? n < min : n <= min) {
      errs.push(valueError(loc(name), `Input should be greater than ${inclusive ? 'or equal to ' : ''}${min}.`));
      return undefined;
    }
    return n;
  };

  let channelMode: 'split' | 'mix' = 'split';
  if (raw.channel_mode !== undefined) {
    if (raw.channel_mode === 'split' || raw.channel_mode === 'mix') channelMode = raw.channel_mode;
    else errs.push(valueError(loc('channel_mode'), "Input should be 'split' or 'mix'."));
  }

  let channels: number[] | undefined;
  const c = raw.channels;
  if (typeof c === 'string') {
    if (c === '') channels = undefined; // empty = all channels
    else if (/^\d+(,\d+)*$/.test(c)) channels = c.split(',').map(Number);
    else errs.push(valueError(loc('channels'), 'Input should be 0-based channel indices separated by commas, without spaces.'));
  } else if (Array.isArray(c) && c.every((x) => Number.isInteger(x) && x >= 0)) {
    channels = c.length ? (c as number[]) : undefined;
  } else if (c !== undefined) {
    errs.push(valueError(loc('channels'), 'Input should be 0-based channel indices separated by commas, without spaces.'));
  }
  if (channels) channels = [...new Set(channels)].sort((a, b) => a - b);

  const rangeFrom = number('range_from', 0, true);
  const rangeTo = number('range_to', 0, false);
  const maxSpeechLength = number('max_speech_length', 0, false);
  if (rangeTo !== undefined && rangeFrom !== undefined && rangeTo <= rangeFrom) {
    errs.push(valueError(loc('range_to'), 'Input should be greater than range_from.'));
  }

  if (errs.length) return { errors: errs };
  return { params: { channelMode, channels, rangeFrom: rangeFrom ?? 0, rangeTo, maxSpeechLength, source }, errors: [] };
}

// ---------------------------------------------------------------------------------------------------------
// Tasks

interface Task {
  id: string;
  createdAt: number;
  pendingMs: number;
  runningMs: number;
  size: number;
  /** Set when the task would be rejected on leaving `pending`. */
  rejection?: ErrorBody;
  failure?: ErrorBody;
  result?: { channels: ChannelResult[] };
}

function terminalAt(task: Task): number {
  return task.createdAt + task.pendingMs + (task.rejection ? 0 : task.runningMs);
}

function stateAt(task: Task, now: number): TaskState {
  const elapsed = now - task.createdAt;
  if (elapsed < task.pendingMs) return 'pending';
  if (task.rejection) return 'rejected';
  if (elapsed < task.pendingMs + task.runningMs) return 'running';
  return task.failure ? 'failed' : 'done';
}

const round = (n: number, decimals: number) => {
  const f = 10 ** decimals;
  return Math.round(n * f) / f;
};

/** Four probabilities in ten-thousandths summing to exactly 10000 (largest-remainder rounding). */
function scoresFor(seed: string): ChannelResult['scores'] {
  const digest = createHash('sha256').update(seed).digest();
  // Squaring makes one emotion usually dominate, like real output.
  const weights = EMOTIONS.map((_, i) => ((digest[i] ?? 0) + 8) ** 2);
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / total) * 10_000);
  const units = exact.map(Math.floor);
  let left = 10_000 - units.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left-- <= 0) break;
    units[i] = (units[i] ?? 0) + 1;
  }
  return EMOTIONS.map((emotion, i) => ({ emotion, probability: (units[i] ?? 0) / 10_000 }));
}

/** Decides the task's fate from the media and parameters (the appliance would find out while processing). */
function evaluate(probe: MediaProbe, params: TaskParams, md5: string, filename: string): Pick<Task, 'rejection' | 'failure' | 'result'> {
  const rejected = (detail: ErrorDetail): Pick<Task, 'rejection'> => ({
    rejection: { type: 'task.validation-error', message: 'Task validation error.', detail: [detail] },
  });
  if (!probe.ok) {
    return rejected({ location: ['body', 'file'], message: 'Media file could not be decoded.', type: 'media.invalid', context: {} });
  }
  const { channels: count, durationSeconds } = probe.wav;
  const bad = params.channels?.find((c) => c >= count);
  if (bad !== undefined) {
    return rejected({
      location: params.source.channels ?? ['query', 'channels'],
      message: `Channel ${bad} does not exist; the media file has ${count} channel(s).`,
      type: 'channels.invalid',
      context: { channel: bad, channel_count: count },
    });
  }
  if (params.rangeFrom >= durationSeconds) {
    return rejected({
      location: params.source.range_from ?? ['query', 'range_from'],
      message: 'range_from is not before the end of the media.',
      type: 'range.invalid',
      context: { range_from: params.rangeFrom, duration: round(durationSeconds, 3) },
    });
  }
  if (filename.includes('task-fails')) return { failure: errors.internal() };

  const windowEnd = Math.min(params.rangeTo ?? durationSeconds, durationSeconds);
  let speech = (windowEnd - params.rangeFrom) * SPEECH_RATIO;
  if (params.maxSpeechLength !== undefined) speech = Math.min(speech, params.maxSpeechLength);
  const speechLength = round(speech, 2);
  const paramKey = [params.channelMode, params.channels?.join(',') ?? '', params.rangeFrom, params.rangeTo ?? '', params.maxSpeechLength ?? ''].join('|');

  // A channel that is silent throughout has no speech: no speech length and no scores (the gRPC docs say scores
  // "can be empty if the input does not contain any speech"; the REST shape for it is UNVERIFIED, this is our pick).
  const activity = probe.wav.channelActivity;
  const silent = (channels: number[]) => activity !== null && channels.every((c) => activity[c] === false);
  const channelResult = (channel: number, sources: number[] = [channel]): ChannelResult =>
    silent(sources)
      ? { channel_number: channel, speech_length: 0, scores: [] }
      : { channel_number: channel, speech_length: speechLength, scores: scoresFor(`${md5}|${channel}|${paramKey}`) };
  const selected = params.channels ?? Array.from({ length: count }, (_, i) => i);
  // mix: the selected channels are mixed down to one, reported as channel 0 (UNVERIFIED in the doc).
  return { result: { channels: params.channelMode === 'mix' ? [channelResult(0, selected)] : selected.map((c) => channelResult(c)) } };
}

// ---------------------------------------------------------------------------------------------------------
// Upload reading

interface ReceivedFile {
  filename: string;
  size: number;
  md5: string;
  probe: MediaProbe;
}

type UploadOutcome =
  | { kind: 'ok'; file: ReceivedFile | undefined; config: string | undefined }
  | { kind: 'invalid' }
  | { kind: 'too-large'; fileSize: number }
  | { kind: 'storage-full' };

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
  }
}

// ---------------------------------------------------------------------------------------------------------

export class PhonexiaSimulator {
  readonly requests = new RequestLog();
  readonly faults = new FaultInjector();
  timing: PhonexiaSimulatorTiming;
  readonly uploads: ReceivedUpload[] = [];
  readonly server: http.Server;

  private taskTtlMs: number;
  private readonly maxFileSize: number;
  private readonly storageCapacity: number;
  private readonly licensedConcurrency: number;
  private readonly rateLimit: { limit: number; windowMs: number } | undefined;
  private readonly requiredHeaders: Record<string, string> | undefined;
  private readonly now: () => number;
  private readonly tasks = new Map<string, Task>();
  private storedBytes = 0;
  private window = { start: -Infinity, count: 0 };
  private sweeper: NodeJS.Timeout | undefined;
  private readonly responders: FaultResponders;

  constructor(options: PhonexiaSimulatorOptions = {}) {
    this.timing = { ...(options.timing ?? DEFAULT_TIMING) };
    this.taskTtlMs = options.taskTtlMs ?? DEFAULT_TTL_MS;
    this.maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    this.storageCapacity = options.storageCapacityBytes ?? DEFAULT_STORAGE;
    this.licensedConcurrency = options.licensedConcurrency ?? Infinity;
    this.rateLimit = options.rateLimit;
    this.requiredHeaders = options.requiredHeaders;
    this.now = options.now ?? Date.now;
    this.responders = {
      errorBody: (status) => this.errorBody(status),
      rateLimitHeaders: (retryAfter) => {
        const { limit } = this.rateLimit ?? { limit: 1 };
        return this.rateLimitHeaders(limit, 0, Math.ceil(this.now() / 1000) + retryAfter);
      },
    };
    this.server = http.createServer((req, res) => void this.handle(req, res));
    // Expired tasks are also dropped lazily; the sweep only bounds memory in long runs.
    this.sweeper = setInterval(() => this.purgeExpired(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  listen(port?: number, host?: string): Promise<RunningServer> {
    return listen(this.server, port, host);
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** Force-expire a task now (tests of expiry). */
  expire(taskId: string): void {
    this.removeTask(taskId.toLowerCase());
  }

  // -------------------------------------------------------------------------------------------------------

  private errorBody(status: number): ErrorBody {
    switch (status) {
      case 400:
        return errors.invalid();
      case 403:
        return errors.licence();
      case 404:
        return errors.notFound();
      case 405:
        return errors.method();
      case 413:
        return errors.tooLarge(this.maxFileSize + 1, this.maxFileSize);
      case 422:
        return errors.validation([]);
      case 429: {
        // Injected 429s without a configured limiter use the doc's example "1 per 5 second".
        const { limit, windowMs } = this.rateLimit ?? { limit: 1, windowMs: 5000 };
        return errors.rateLimit(limit, windowMs);
      }
      case 507:
        return errors.storage();
      default:
        return errors.internal();
    }
  }

  private rateLimitHeaders(limit: number, remaining: number, resetEpochSeconds: number): Record<string, string> {
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-reset': String(resetEpochSeconds),
    };
  }

  private applySettings(body: unknown): void {
    if (typeof body !== 'object' || body === null) throw new Error('settings must be an object');
    const { timing, taskTtlMs } = body as { timing?: Partial<PhonexiaSimulatorTiming>; taskTtlMs?: unknown };
    if (timing !== undefined) {
      const next = { ...this.timing, ...timing };
      if (!(next.pendingMs >= 0 && next.runningMs >= 0)) throw new Error('timing needs non-negative pendingMs and runningMs');
      this.timing = { pendingMs: Number(next.pendingMs), runningMs: Number(next.runningMs) };
    }
    if (taskTtlMs !== undefined) {
      if (typeof taskTtlMs !== 'number' || !(taskTtlMs >= 0)) throw new Error('taskTtlMs must be a non-negative number');
      this.taskTtlMs = taskTtlMs;
    }
  }

  private isExpired(task: Task, now: number): boolean {
    return now >= terminalAt(task) + this.taskTtlMs;
  }

  private removeTask(id: string): void {
    const task = this.tasks.get(id);
    if (!task) return;
    this.tasks.delete(id);
    this.storedBytes -= task.size;
  }

  private purgeExpired(): void {
    const now = this.now();
    for (const [id, task] of this.tasks) if (this.isExpired(task, now)) this.removeTask(id);
  }

  private activeTasks(now: number): number {
    let n = 0;
    for (const task of this.tasks.values()) {
      const state = stateAt(task, now);
      if (state === 'pending' || state === 'running') n++;
    }
    return n;
  }

  // -------------------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://simulator');
      // Echoed on every response, including injected faults (writeHead merges headers set here).
      const correlationId = header(req, 'x-correlation-id') ?? randomUUID();
      res.setHeader('x-correlation-id', correlationId);
      res.setHeader('x-request-id', header(req, 'x-request-id') ?? randomUUID());

      if (await handleControl(req, res, url, this.requests, this.faults, (body) => this.applySettings(body))) return;

      this.requests.record(req, url);
      const fault = this.faults.take(req.method ?? 'GET', url.pathname);
      if (fault && (await applyFault(fault, res, this.responders))) return;

      this.checkRequiredHeaders(req);
      this.checkRateLimit(req.method);
      await this.route(req, res, url, correlationId);
    } catch (err) {
      if (err instanceof HttpError) {
        if (!res.headersSent) sendJson(res, err.status, err.body, err.headers);
        return;
      }
      if (!res.headersSent) sendJson(res, 500, errors.internal(), { connection: 'close' });
      else res.destroy();
    }
  }

  private checkRequiredHeaders(req: IncomingMessage): void {
    for (const [name, value] of Object.entries(this.requiredHeaders ?? {})) {
      if (header(req, name) !== value) throw new HttpError(403, errors.forbiddenHeader(name.toLowerCase()));
    }
  }

  /** Fixed window that starts with the first request after the previous window ended. */
  private checkRateLimit(method: string | undefined): void {
    if (!this.rateLimit || (method !== 'POST' && method !== 'GET')) return;
    const { limit, windowMs } = this.rateLimit;
    const now = this.now();
    if (now >= this.window.start + windowMs) this.window = { start: now, count: 0 };
    this.window.count++;
    if (this.window.count <= limit) return;
    const resetAt = this.window.start + windowMs;
    throw new HttpError(429, errors.rateLimit(limit, windowMs), {
      'retry-after': String(Math.max(1, Math.ceil((resetAt - now) / 1000))),
      ...this.rateLimitHeaders(limit, 0, Math.ceil(resetAt / 1000)),
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL, correlationId: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (url.pathname === START_PATH) {
      if (method !== 'POST') throw new HttpError(405, errors.method(), { allow: 'POST' });
      return this.startTask(req, res, url, correlationId);
    }
    const match = TASK_PATH.exec(url.pathname);
    if (match) {
      if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, errors.method(), { allow: 'GET' });
      return this.getTask(res, safeDecode(match[1] ?? ''));
    }
    throw new HttpError(404, errors.notFound());
  }

  private getTask(res: ServerResponse, rawId: string): void {
    if (!UUID.test(rawId)) {
      throw new HttpError(422, errors.validation([{ location: ['path', 'task_id'], message: 'Input should be a valid UUID.', type: 'value_error', context: {} }]));
    }
    const id = rawId.toLowerCase();
    const task = this.tasks.get(id);
    const now = this.now();
    if (!task || this.isExpired(task, now)) {
      this.removeTask(id);
      throw new HttpError(404, errors.notFound());
    }
    const state = stateAt(task, now);
    const body: Record<string, unknown> = { task: { task_id: task.id, state } };
    if (state === 'done') body.result = task.result;
    if (state === 'rejected') body.error = task.rejection;
    if (state === 'failed') body.error = task.failure;
    sendJson(res, 200, body);
  }

  private async startTask(req: IncomingMessage, res: ServerResponse, url: URL, correlationId: string): Promise<void> {
    const upload = await this.receiveUpload(req);
    // Early stops: answer at once and close, so the rest of a huge upload is never read.
    if (upload.kind === 'too-large') {
      return sendJson(res, 413, errors.tooLarge(upload.fileSize, this.maxFileSize), { connection: 'close' });
    }
    if (upload.kind === 'storage-full') return sendJson(res, 507, errors.storage(), { connection: 'close' });
    if (upload.kind === 'invalid') throw new HttpError(400, errors.invalid());

    const { params, errors: problems } = parseParams(url.searchParams, upload.config);
    if (!upload.file) problems.push(valueError(['body', 'file'], 'Field required.'));
    if (!params || !upload.file) throw new HttpError(422, errors.validation(problems));
    const file = upload.file;

    const now = this.now();
    if (this.activeTasks(now) >= this.licensedConcurrency) throw new HttpError(403, errors.licence());
    this.purgeExpired();
    if (this.storedBytes + file.size > this.storageCapacity) throw new HttpError(507, errors.storage());

    const id = randomUUID();
    this.tasks.set(id, {
      id,
      createdAt: now,
      pendingMs: this.timing.pendingMs,
      runningMs: this.timing.runningMs,
      size: file.size,
      ...evaluate(file.probe, params, file.md5, file.filename),
    });
    this.storedBytes += file.size;
    this.uploads.push({
      taskId: id,
      filename: file.filename,
      size: file.size,
      md5: file.md5,
      query: Object.fromEntries(url.searchParams),
      correlationId,
    });
    const location = `${START_PATH}/${id}`;
    sendJson(res, 202, { task: { task_id: id, state: 'pending' } }, { location, 'x-location': location });
  }

  /**
   * Streams the multipart body: counts, hashes and header-probes the `file` part without buffering it, and
   * stops reading as soon as the file exceeds the size limit or the storage would overflow.
   */
  private receiveUpload(req: IncomingMessage): Promise<UploadOutcome> {
    return new Promise((resolve) => {
      let settled = false;
      const settle = (outcome: UploadOutcome) => {
        if (settled) return;
        settled = true;
        resolve(outcome);
      };

      let parser: busboy.Busboy;
      try {
        parser = busboy({ headers: req.headers });
      } catch {
        // Not multipart, or no boundary.
        req.resume();
        return settle({ kind: 'invalid' });
      }

      let file: ReceivedFile | undefined;
      let fileSeen = false;
      let config: string | undefined;
      let openFiles = 0;
      let parserClosed = false;
      const maybeDone = () => {
        if (parserClosed && openFiles === 0) settle({ kind: 'ok', file, config });
      };
      const stop = (outcome: UploadOutcome) => {
        req.unpipe(parser);
        settle(outcome);
      };

      parser.on('file', (name, stream, info) => {
        // Busboy destroys an open part with the form's error; the parser's own 'error' reports it.
        stream.on('error', () => undefined);
        if (name !== 'file' || fileSeen || settled) {
          stream.resume(); // extra parts are drained and ignored
          return;
        }
        fileSeen = true;
        openFiles++;
        const hash = createHash('md5');
        const reader = new WavHeaderReader();
        let size = 0;
        stream.on('data', (chunk: Buffer) => {
          if (settled) return;
          size += chunk.length;
          if (size > this.maxFileSize) return stop({ kind: 'too-large', fileSize: size });
          this.purgeIfFull(size);
          if (this.storedBytes + size > this.storageCapacity) return stop({ kind: 'storage-full' });
          hash.update(chunk);
          reader.push(chunk);
        });
        stream.on('end', () => {
          openFiles--;
          if (!settled) file = { filename: info.filename ?? '', size, md5: hash.digest('hex'), probe: reader.finish(size) };
          maybeDone();
        });
      });
      parser.on('field', (name, value) => {
        if (name === 'config') config = value;
      });
      parser.on('close', () => {
        parserClosed = true;
        maybeDone();
      });
      parser.on('error', () => {
        // Malformed multipart: drain the rest so the keep-alive connection stays usable.
        req.unpipe(parser);
        req.resume();
        settle({ kind: 'invalid' });
      });
      req.on('error', () => settle({ kind: 'invalid' }));
      req.pipe(parser);
    });
  }

  /** Storage is about to overflow: first drop expired tasks, which no longer hold their upload. */
  private purgeIfFull(incoming: number): void {
    if (this.storedBytes + incoming > this.storageCapacity) this.purgeExpired();
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // not a UUID either way; validation answers 422
  }
}
