/**
 * Hume Expression Measurement **batch** API simulator (`/v0/batch/jobs`), written from
 * /work/shared/providers/hume-batch.md independently of the client (it must not import client.ts / wire.ts).
 *
 * Operations: list (GET), start from JSON or multipart (POST), details, predictions, artifacts.
 * Auth: only `X-Hume-Api-Key: <options.apiKey>`; missing/wrong → 401 Apigee-style `fault` body.
 *
 * Design choices where the doc says UNVERIFIED:
 * - Validation errors → 400 `{"message": "<field>: …"}`; unknown job → 404 `{"message":"job not found"}`;
 *   predictions/artifacts of a job that is not COMPLETED (queued, running or FAILED) → 400
 *   `{"message":"job is not completed"}`; an upload over 100 MB → 413; unknown content type → 415.
 * - `models: {}` (no model enabled) → 400; omitted/null `models` → all six with defaults.
 * - A multipart request needs at least one `file` part; its `json` part may be a field or a file part, and the
 *   text `null` (or nothing) means "no config".
 * - State is derived from the job's timestamps at read time (QUEUED until created+queuedMs, IN_PROGRESS until
 *   +runningMs, then terminal), so every read is consistent; a timer only fires the callback.
 *
 * Deterministic failure triggers (matched in a URL, or an uploaded file's name):
 * - `job-fails`   → the job ends FAILED, `message: "job failed: could not process <url|filename>"`.
 * - `unreachable` → that source has `error: "Failed to download <url|filename>"` and no `results`.
 * - `corrupt`     → the source's files are reported in `results.errors` with
 *                   `"transcript confidence (0.0) below threshold value (<confidence_threshold>)"` and no prediction.
 * - audio/video longer than 3 hours (`duration` URL parameter) → a file-level error as well.
 * Only the first 1 MB of an uploaded `.txt` file is analysed; a `.txt` URL "contains" a fixed synthetic passage.
 *
 * Media come from the URL path / filename extension (content type as fallback; unknown → video); URL parameters
 * `duration` (seconds, audio/video, default 10) and `count` (archive members, default 3) shape the output; an
 * uploaded WAV's duration is read from its RIFF header.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import busboy from 'busboy';
import {
  applyFault,
  BodyTooLargeError,
  FaultInjector,
  handleControl,
  listen,
  readBody,
  RequestLog,
  sendJson,
  type FaultResponders,
  type RunningServer,
} from '../kit.js';
import { BCP47_TAGS, GRANULARITIES } from './labels.js';
import {
  countResults,
  jobFailureOf,
  MAX_TEXT_BYTES,
  mediaKindOf,
  MODEL_NAMES,
  planFileSource,
  planTextSource,
  planUrlSource,
  safeDecode,
  serializePredictions,
  type FaceConfig,
  type Granularity,
  type JobPlan,
  type LanguageConfig,
  type ModelsConfig,
  type NerConfig,
  type ProsodyConfig,
  type ReceivedUpload,
  type TranscriptionConfig,
  type Unconfigurable,
} from './predictions.js';
import { buildArtifactsZip } from './artifacts.js';

export interface HumeSimulatorTiming {
  /** Time in QUEUED. */
  queuedMs: number;
  /** Then time in IN_PROGRESS. */
  runningMs: number;
}

export interface HumeSimulatorOptions {
  /** The only accepted `X-Hume-Api-Key`. */
  apiKey: string;
  /** Default `{ queuedMs: 20, runningMs: 50 }`. */
  timing?: HumeSimulatorTiming;
  /** Clock, default `Date.now`. */
  now?: () => number;
}

export interface DeliveredCallback {
  url: string;
  body: unknown;
  status?: number;
  error?: string;
  at: number;
}

const BASE_PATH = '/v0/batch/jobs';
const MAX_FILE_BYTES = 100 * 1024 * 1024;
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const MAX_INPUTS = 100;
/** Enough of each upload to read a WAV header (fmt and data chunks usually sit in the first few hundred bytes). */
const HEAD_BYTES = 64 * 1024;
const CALLBACK_TIMEOUT_MS = 5_000;

const STATUSES = ['QUEUED', 'IN_PROGRESS', 'COMPLETED', 'FAILED'] as const;
type Status = (typeof STATUSES)[number];

interface FileEcho {
  filename: string;
  md5sum: string;
  content_type: string;
}

/** The normalised request echoed by job details. */
interface RequestEcho {
  files: FileEcho[];
  models: ModelsConfig;
  transcription: TranscriptionConfig | null;
  urls: string[];
  text: string[];
  callback_url: string | null;
  notify: boolean;
}

interface Job {
  id: string;
  /** Creation order, to keep sorting stable for equal timestamps. */
  seq: number;
  request: RequestEcho;
  plan: JobPlan;
  uploads: ReceivedUpload[];
  createdMs: number;
  startedMs: number;
  endedMs: number;
  numPredictions: number;
  numErrors: number;
  predictionsBody?: Buffer;
  artifactsBody?: Buffer;
  callbackTimer?: NodeJS.Timeout;
}

/** An error answered as `{"message": …}` with its status. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
const badRequest = (message: string) => new HttpError(400, message);

const FAULT_RESPONDERS: FaultResponders = {
  errorBody: (status) => ({ message: http.STATUS_CODES[status] ?? 'error' }),
  rateLimitHeaders: () => ({}),
};

export class HumeSimulator {
  readonly requests = new RequestLog();
  readonly faults = new FaultInjector();
  timing: HumeSimulatorTiming;
  dropCallbacks = false;
  readonly callbacks: DeliveredCallback[] = [];
  readonly server: http.Server;

  private readonly apiKey: string;
  private readonly now: () => number;
  private readonly jobs = new Map<string, Job>();
  private nextSeq = 0;
  /** Aborts callbacks still in flight when the simulator closes. */
  private readonly closing = new AbortController();

  constructor(options: HumeSimulatorOptions) {
    this.apiKey = options.apiKey;
    this.timing = { ...(options.timing ?? { queuedMs: 20, runningMs: 50 }) };
    this.now = options.now ?? Date.now;
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<RunningServer> {
    const running = await listen(this.server, port, host);
    return { ...running, close: () => this.close() };
  }

  async close(): Promise<void> {
    for (const job of this.jobs.values()) clearTimeout(job.callbackTimer);
    this.closing.abort();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  uploadsOf(jobId: string): Array<{ filename: string; md5sum: string; size: number; contentType: string }> {
    return (this.jobs.get(jobId)?.uploads ?? []).map(({ filename, md5sum, size, contentType }) => ({ filename, md5sum, size, contentType }));
  }

  // --- request handling ---------------------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://simulator.local');
      if (await handleControl(req, res, url, this.requests, this.faults, (body) => this.applySettings(body))) return;
      this.requests.record(req, url);
      const fault = this.faults.take(req.method ?? 'GET', url.pathname);
      if (fault && (await applyFault(fault, res, FAULT_RESPONDERS))) return;
      if (!this.authorised(req, res)) return;
      await this.route(req, res, url);
    } catch (err) {
      if (res.headersSent) res.destroy();
      else if (err instanceof HttpError) sendJson(res, err.status, { message: err.message });
      else if (err instanceof BodyTooLargeError) sendJson(res, 413, { message: 'request body too large' });
      else sendJson(res, 500, { message: 'internal error' });
    } finally {
      // Early answers (auth, validation) leave the upload unread: drain it so the connection stays usable.
      if (!req.readableEnded) req.resume();
    }
  }

  private authorised(req: IncomingMessage, res: ServerResponse): boolean {
    const key = req.headers['x-hume-api-key'];
    if (key === this.apiKey) return true;
    const fault =
      key === undefined
        ? { faultstring: 'Failed to resolve API Key variable request.header.X-Hume-Api-Key', detail: { errorcode: 'steps.oauth.v2.FailedToResolveAPIKey' } }
        : { faultstring: 'Invalid ApiKey', detail: { errorcode: 'oauth.v2.InvalidApiKey' } };
    sendJson(res, 401, { fault });
    return false;
  }

  private async route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const method = req.method ?? 'GET';
    if (path === BASE_PATH) {
      if (method === 'GET') return sendJson(res, 200, this.listJobs(url.searchParams));
      if (method === 'POST') return this.startJob(req, res);
      throw new HttpError(405, 'method not allowed');
    }
    const match = /^\/v0\/batch\/jobs\/([^/]+)(?:\/(predictions|artifacts))?$/.exec(path);
    if (!match) throw new HttpError(404, 'not found');
    if (method !== 'GET') throw new HttpError(405, 'method not allowed');
    const job = this.jobs.get(safeDecode(match[1]!));
    if (!job) throw new HttpError(404, 'job not found');
    switch (match[2]) {
      case undefined:
        return sendJson(res, 200, this.jobView(job));
      case 'predictions': {
        this.requireCompleted(job);
        const body = this.predictionsOf(job);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
        res.end(body);
        return;
      }
      case 'artifacts': {
        this.requireCompleted(job);
        job.artifactsBody ??= buildArtifactsZip(job.id, job.plan);
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': job.artifactsBody.length,
          'content-disposition': 'attachment; filename="artifacts.zip"',
        });
        res.end(job.artifactsBody);
        return;
      }
    }
  }

  private requireCompleted(job: Job): void {
    if (this.statusOf(job) !== 'COMPLETED') throw badRequest('job is not completed');
  }

  /** Serialised once per job: repeated GETs and the callback reuse the Buffer. */
  private predictionsOf(job: Job): Buffer {
    return (job.predictionsBody ??= serializePredictions(job.plan));
  }

  // --- start --------------------------------------------------------------------------------------------------------

  private async startJob(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    let config: unknown;
    let uploads: ReceivedUpload[] = [];
    if (mediaType === 'application/json') {
      const text = (await readBody(req, MAX_JSON_BYTES)).toString('utf8');
      try {
        config = JSON.parse(text);
      } catch {
        throw badRequest('request body is not valid JSON');
      }
    } else if (mediaType === 'multipart/form-data') {
      ({ config, uploads } = await readMultipart(req));
    } else {
      throw new HttpError(415, `unsupported content type: ${mediaType || '(none)'}; use application/json or multipart/form-data`);
    }
    const request = normaliseRequest(config, uploads);
    const job = this.createJob(request, uploads);
    sendJson(res, 200, { job_id: job.id });
  }

  private createJob(request: RequestEcho, uploads: ReceivedUpload[]): Job {
    const { transcription } = request;
    const plan: JobPlan = {
      models: request.models,
      transcription,
      sources: [
        ...request.urls.map((u) => planUrlSource(u, transcription)),
        ...uploads.map((u) => planFileSource(u, transcription)),
        ...request.text.map((t) => planTextSource(t)),
      ],
    };
    const failure = [...request.urls, ...uploads.map((u) => u.filename)].map(jobFailureOf).find((m) => m !== undefined);
    if (failure !== undefined) plan.failure = failure;
    const { numPredictions, numErrors } = countResults(plan);
    const createdMs = this.now();
    const { queuedMs, runningMs } = this.timing;
    const job: Job = {
      id: randomUUID(),
      seq: this.nextSeq++,
      request,
      plan,
      uploads,
      createdMs,
      startedMs: createdMs + queuedMs,
      endedMs: createdMs + queuedMs + runningMs,
      numPredictions,
      numErrors,
    };
    this.jobs.set(job.id, job);
    if (request.callback_url !== null) {
      job.callbackTimer = setTimeout(() => void this.deliverCallback(job, request.callback_url!), queuedMs + runningMs);
      job.callbackTimer.unref(); // a pending callback alone must not keep a test process alive
    }
    return job;
  }

  // --- state, details, list -----------------------------------------------------------------------------------------

  private statusOf(job: Job, now = this.now()): Status {
    if (now < job.startedMs) return 'QUEUED';
    if (now < job.endedMs) return 'IN_PROGRESS';
    return job.plan.failure === undefined ? 'COMPLETED' : 'FAILED';
  }

  private stateView(job: Job, status: Status): Record<string, unknown> {
    const created = { status, created_timestamp_ms: job.createdMs };
    switch (status) {
      case 'QUEUED':
        return created;
      case 'IN_PROGRESS':
        return { ...created, started_timestamp_ms: job.startedMs };
      case 'COMPLETED':
        return {
          ...created,
          started_timestamp_ms: job.startedMs,
          ended_timestamp_ms: job.endedMs,
          num_predictions: job.numPredictions,
          num_errors: job.numErrors,
        };
      case 'FAILED':
        return { ...created, started_timestamp_ms: job.startedMs, ended_timestamp_ms: job.endedMs, message: job.plan.failure };
    }
  }

  private jobView(job: Job, status = this.statusOf(job)): Record<string, unknown> {
    return { job_id: job.id, request: job.request, state: this.stateView(job, status), type: 'INFERENCE' };
  }

  private listJobs(query: URLSearchParams): unknown[] {
    const limitText = query.get('limit');
    if (limitText !== null && !/^[1-9]\d*$/.test(limitText)) throw badRequest('limit must be a positive integer');
    const limit = limitText === null ? 50 : Number(limitText);
    const statuses = query.getAll('status');
    for (const s of statuses) if (!(STATUSES as readonly string[]).includes(s)) throw badRequest(`status must be one of ${STATUSES.join(', ')}`);
    const when = enumParam(query, 'when', ['created_before', 'created_after']);
    const timestampText = query.get('timestamp_ms');
    if (timestampText !== null && !/^-?\d+$/.test(timestampText)) throw badRequest('timestamp_ms must be an integer (ms since epoch)');
    const sortBy = enumParam(query, 'sort_by', ['created', 'started', 'ended']) ?? 'created';
    const direction = enumParam(query, 'direction', ['asc', 'desc']) ?? 'desc';

    const now = this.now();
    const pivot = timestampText === null ? now : Number(timestampText);
    const rows = [...this.jobs.values()]
      .map((job) => ({ job, status: this.statusOf(job, now) }))
      .filter(({ status }) => statuses.length === 0 || statuses.includes(status))
      .filter(({ job }) => (when === 'created_before' ? job.createdMs < pivot : when === 'created_after' ? job.createdMs > pivot : true));
    // A timestamp exists only once the job reached that state; jobs without it sort last either way.
    const key = ({ job, status }: { job: Job; status: Status }): number | undefined => {
      if (sortBy === 'created') return job.createdMs;
      if (sortBy === 'started') return status === 'QUEUED' ? undefined : job.startedMs;
      return status === 'COMPLETED' || status === 'FAILED' ? job.endedMs : undefined;
    };
    const sign = direction === 'asc' ? 1 : -1;
    rows.sort((a, b) => {
      const ka = key(a);
      const kb = key(b);
      if (ka === undefined || kb === undefined) return ka === kb ? a.job.seq - b.job.seq : ka === undefined ? 1 : -1;
      return (ka - kb || a.job.seq - b.job.seq) * sign;
    });
    return rows.slice(0, limit).map(({ job, status }) => this.jobView(job, status));
  }

  // --- callback -----------------------------------------------------------------------------------------------------

  private async deliverCallback(job: Job, url: string): Promise<void> {
    try {
      const failure = job.plan.failure;
      const body =
        failure === undefined
          ? Buffer.concat([
              Buffer.from(`{"job_id":${JSON.stringify(job.id)},"status":"COMPLETED","predictions":`),
              this.predictionsOf(job),
              Buffer.from('}'),
            ])
          : Buffer.from(JSON.stringify({ job_id: job.id, status: 'FAILED', message: failure }));
      const record = callbackRecord(url, body, this.now());
      if (this.dropCallbacks) {
        record.error = 'dropped';
        this.callbacks.push(record);
        return;
      }
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
          signal: AbortSignal.any([AbortSignal.timeout(CALLBACK_TIMEOUT_MS), this.closing.signal]),
        });
        record.status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch (err) {
        record.error = (err as Error).message || String(err);
      }
      this.callbacks.push(record);
    } catch {
      // A callback must never take the simulator down.
    }
  }

  // --- control ------------------------------------------------------------------------------------------------------

  /**
   * Ends a job now (as if its timing said so) and sends its callback: benchmarks and demos decide when a job
   * completes. Returns false for an unknown or already ended job.
   */
  finishNow(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    const now = this.now();
    if (!job || job.endedMs <= now) return false;
    job.startedMs = Math.min(job.startedMs, now);
    job.endedMs = now;
    clearTimeout(job.callbackTimer);
    if (job.request.callback_url !== null) void this.deliverCallback(job, job.request.callback_url);
    return true;
  }

  /** `POST /_simulator/settings` body: `{ timing?: {queuedMs?, runningMs?}, dropCallbacks?: boolean, finishJob?: id }`. */
  private applySettings(body: unknown): void {
    if (!isObject(body)) throw new Error('settings must be a JSON object');
    if (body.finishJob !== undefined) {
      if (typeof body.finishJob !== 'string' || !this.finishNow(body.finishJob)) throw new Error('finishJob must name a job that has not ended');
    }
    if (body.timing !== undefined) {
      if (!isObject(body.timing)) throw new Error('timing must be an object');
      const timing = { ...this.timing };
      for (const key of ['queuedMs', 'runningMs'] as const) {
        const value = body.timing[key];
        if (value === undefined) continue;
        if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`timing.${key} must be a number >= 0`);
        timing[key] = value;
      }
      this.timing = timing;
    }
    if (body.dropCallbacks !== undefined) {
      if (typeof body.dropCallbacks !== 'boolean') throw new Error('dropCallbacks must be a boolean');
      this.dropCallbacks = body.dropCallbacks;
    }
  }
}

/** The record's `body` is parsed only when read: callback bodies of long media can be hundreds of MB. */
function callbackRecord(url: string, body: Buffer, at: number): DeliveredCallback {
  const record = { url, at } as DeliveredCallback;
  let parsed: unknown;
  Object.defineProperty(record, 'body', { enumerable: true, get: () => (parsed ??= JSON.parse(body.toString('utf8'))) });
  return record;
}

function enumParam<T extends string>(query: URLSearchParams, name: string, values: readonly T[]): T | undefined {
  const value = query.get(name);
  if (value === null) return undefined;
  if (!(values as readonly string[]).includes(value)) throw badRequest(`${name} must be one of ${values.join(', ')}`);
  return value as T;
}

// --- multipart ----------------------------------------------------------------------------------------------------

/** Streams a multipart start request: each `file` part through MD5 (only its head kept), the `json` part as config. */
async function readMultipart(req: IncomingMessage): Promise<{ config: unknown; uploads: ReceivedUpload[] }> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize: MAX_FILE_BYTES + 1, fieldSize: MAX_JSON_BYTES } });
  } catch (err) {
    throw badRequest(`malformed multipart body: ${(err as Error).message}`);
  }
  let jsonText: string | undefined;
  let fileAsField = false;
  let jsonTooLarge = false;
  const tooLarge: string[] = [];
  const pending: Array<Promise<ReceivedUpload | undefined>> = [];

  parser.on('field', (name, value, info) => {
    if (name === 'json') {
      jsonText = value;
      if (info.valueTruncated) jsonTooLarge = true;
    } else if (name === 'file') fileAsField = true;
  });
  parser.on('file', (name, stream, info) => {
    if (name === 'json') {
      pending.push(
        collect(stream, MAX_JSON_BYTES).then(({ data, truncated }) => {
          jsonText = data.toString('utf8');
          if (truncated) jsonTooLarge = true;
          return undefined;
        }),
      );
    } else if (name === 'file') {
      const filename = info.filename ?? 'file';
      pending.push(
        hashUpload(stream, filename, info.mimeType).then((upload) => {
          if (upload.size > MAX_FILE_BYTES || (stream as unknown as { truncated?: boolean }).truncated) tooLarge.push(filename);
          return upload;
        }),
      );
    } else stream.resume();
  });

  await new Promise<void>((resolve, reject) => {
    parser.on('close', resolve);
    parser.on('error', (err: Error) => reject(badRequest(`malformed multipart body: ${err.message}`)));
    req.on('error', reject);
    req.pipe(parser);
  });
  const uploads = (await Promise.all(pending)).filter((u): u is ReceivedUpload => u !== undefined);

  if (tooLarge.length > 0) throw new HttpError(413, `file too large: ${tooLarge[0]} exceeds 100 MB`);
  if (jsonTooLarge) throw new HttpError(413, 'json: config part too large');
  if (fileAsField) throw badRequest('file: each file part must be a file (with a filename), not a plain field');
  if (uploads.length === 0) throw badRequest('file: at least one file part is required');

  let config: unknown;
  const trimmed = jsonText?.trim() ?? '';
  if (trimmed !== '' && trimmed !== 'null') {
    try {
      config = JSON.parse(trimmed);
    } catch {
      throw badRequest('json: part is not valid JSON');
    }
  }
  return { config, uploads };
}

function collect(stream: NodeJS.ReadableStream, limit: number): Promise<{ data: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) truncated = true;
      else chunks.push(chunk);
    });
    stream.on('end', () => resolve({ data: Buffer.concat(chunks), truncated }));
    stream.on('error', reject);
  });
}

function hashUpload(stream: NodeJS.ReadableStream, filename: string, contentType: string): Promise<ReceivedUpload> {
  const keepText = mediaKindOf(filename, contentType) === 'text';
  return new Promise((resolve, reject) => {
    const md5 = createHash('md5');
    let size = 0;
    const head: Buffer[] = [];
    let headSize = 0;
    const text: Buffer[] = [];
    let textSize = 0;
    stream.on('data', (chunk: Buffer) => {
      md5.update(chunk);
      size += chunk.length;
      if (headSize < HEAD_BYTES) {
        head.push(chunk.subarray(0, HEAD_BYTES - headSize));
        headSize += Math.min(chunk.length, HEAD_BYTES - headSize);
      }
      if (keepText && textSize < MAX_TEXT_BYTES) {
        text.push(chunk.subarray(0, MAX_TEXT_BYTES - textSize));
        textSize += Math.min(chunk.length, MAX_TEXT_BYTES - textSize);
      }
    });
    stream.on('end', () => {
      const upload: ReceivedUpload = { filename, md5sum: md5.digest('hex'), size, contentType, head: Buffer.concat(head) };
      if (keepText) upload.text = new TextDecoder().decode(Buffer.concat(text));
      resolve(upload);
    });
    stream.on('error', reject);
  });
}

// --- request validation and normalisation -----------------------------------------------------------------------

type Json = Record<string, unknown>;
const field = (path: string, key: string) => (path ? `${path}.${key}` : key);
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `null` counts as absent for optional scalars: the SDKs omit unset fields, but hand-written clients send null. */
function optional(obj: Json, key: string): unknown {
  const value = obj[key];
  return value === null ? undefined : value;
}

function bool(obj: Json, key: string, path: string, fallback: boolean): boolean {
  const value = optional(obj, key);
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw badRequest(`${field(path, key)} must be a boolean`);
  return value;
}

function number(obj: Json, key: string, path: string, fallback: number, bounds: { min: number; max?: number }): number {
  const value = optional(obj, key);
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && value >= bounds.min && (bounds.max === undefined || value <= bounds.max);
  if (!ok) {
    const range = bounds.max === undefined ? `>= ${bounds.min}` : `between ${bounds.min} and ${bounds.max}`;
    throw badRequest(`${field(path, key)} must be a number ${range}`);
  }
  return value as number;
}

function granularity(obj: Json, key: string, path: string, fallback: Granularity): Granularity {
  const value = optional(obj, key);
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !GRANULARITIES.includes(value)) throw badRequest(`${path}.${key} must be one of ${GRANULARITIES.join(', ')}`);
  return value as Granularity;
}

/** `{}` turns a feature on; null/absent leaves it off. */
function unconfigurable(obj: Json, key: string, path: string): Unconfigurable | null {
  const value = obj[key];
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw badRequest(`${path}.${key} must be an object ({} to enable) or null`);
  return value;
}

function defaultModels(): ModelsConfig {
  const all: Json = Object.fromEntries(MODEL_NAMES.map((name) => [name, {}]));
  return normaliseModels(all);
}

function normaliseModels(raw: unknown): ModelsConfig {
  if (raw === undefined || raw === null) return defaultModels();
  if (!isObject(raw)) throw badRequest('models must be an object');
  const section = (name: string): Json | null => {
    const value = raw[name];
    if (value === undefined || value === null) return null;
    if (!isObject(value)) throw badRequest(`models.${name} must be an object or null`);
    return value;
  };
  const face = section('face');
  const prosody = section('prosody');
  const language = section('language');
  const ner = section('ner');
  const models: ModelsConfig = {
    face: face && normaliseFace(face),
    burst: unconfigurable(raw, 'burst', 'models'),
    prosody: prosody && normaliseProsody(prosody),
    language: language && normaliseLanguage(language),
    ner: ner && ({ identify_speakers: bool(ner, 'identify_speakers', 'models.ner', false) } satisfies NerConfig),
    facemesh: unconfigurable(raw, 'facemesh', 'models'),
  };
  if (MODEL_NAMES.every((name) => models[name] === null)) throw badRequest(`models must enable at least one of ${MODEL_NAMES.join(', ')}`);
  return models;
}

function normaliseFace(face: Json): FaceConfig {
  const path = 'models.face';
  return {
    fps_pred: number(face, 'fps_pred', path, 3, { min: 0 }),
    prob_threshold: number(face, 'prob_threshold', path, 0.99, { min: 0, max: 1 }),
    identify_faces: bool(face, 'identify_faces', path, false),
    min_face_size: number(face, 'min_face_size', path, 60, { min: 0 }),
    facs: unconfigurable(face, 'facs', path),
    descriptions: unconfigurable(face, 'descriptions', path),
    save_faces: bool(face, 'save_faces', path, false),
  };
}

function normaliseProsody(prosody: Json): ProsodyConfig {
  const path = 'models.prosody';
  const window = prosody.window;
  if (window !== undefined && window !== null && !isObject(window)) throw badRequest(`${path}.window must be an object or null`);
  return {
    granularity: granularity(prosody, 'granularity', path, 'utterance'),
    window: isObject(window)
      ? { length: number(window, 'length', `${path}.window`, 4, { min: 0.5 }), step: number(window, 'step', `${path}.window`, 1, { min: 0.5 }) }
      : null,
    identify_speakers: bool(prosody, 'identify_speakers', path, false),
  };
}

function normaliseLanguage(language: Json): LanguageConfig {
  const path = 'models.language';
  return {
    granularity: granularity(language, 'granularity', path, 'word'),
    sentiment: unconfigurable(language, 'sentiment', path),
    toxicity: unconfigurable(language, 'toxicity', path),
    identify_speakers: bool(language, 'identify_speakers', path, false),
  };
}

/** Omitted → transcription on with defaults; explicit null → disabled (echoed as null). */
function normaliseTranscription(raw: unknown): TranscriptionConfig | null {
  if (raw === null) return null;
  const transcription = raw === undefined ? {} : raw;
  if (!isObject(transcription)) throw badRequest('transcription must be an object or null');
  const language = optional(transcription, 'language');
  if (language !== undefined && (typeof language !== 'string' || !BCP47_TAGS.includes(language))) {
    throw badRequest(`transcription.language must be one of ${BCP47_TAGS.join(', ')}`);
  }
  return {
    language: (language as string | undefined) ?? null,
    identify_speakers: bool(transcription, 'identify_speakers', 'transcription', false),
    confidence_threshold: number(transcription, 'confidence_threshold', 'transcription', 0.5, { min: 0, max: 1 }),
  };
}

function httpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function stringList(body: Json, key: 'urls' | 'text', what: string): string[] {
  const value = optional(body, key);
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw badRequest(`${key} must be an array of strings`);
  if (value.length > MAX_INPUTS) throw badRequest(`${key}: at most ${MAX_INPUTS} ${what} per request`);
  return value as string[];
}

function normaliseRequest(raw: unknown, uploads: ReceivedUpload[]): RequestEcho {
  const body = raw === undefined ? {} : raw;
  if (!isObject(body)) throw badRequest('request body must be a JSON object');
  const urls = stringList(body, 'urls', 'URLs');
  urls.forEach((u, i) => {
    if (!httpUrl(u)) throw badRequest(`urls[${i}] is not a valid http(s) URL`);
  });
  const text = stringList(body, 'text', 'text strings');
  if (uploads.length > MAX_INPUTS) throw badRequest(`file: at most ${MAX_INPUTS} files per request`);
  const callbackUrl = optional(body, 'callback_url');
  if (callbackUrl !== undefined && !httpUrl(callbackUrl)) throw badRequest('callback_url must be a valid http(s) URL');
  const request: RequestEcho = {
    files: uploads.map((u) => ({ filename: u.filename, md5sum: u.md5sum, content_type: u.contentType })),
    models: normaliseModels(body.models),
    transcription: normaliseTranscription(body.transcription),
    urls,
    text,
    callback_url: (callbackUrl as string | undefined) ?? null,
    notify: bool(body, 'notify', '', false),
  };
  if (urls.length + text.length + uploads.length === 0) throw badRequest('at least one of urls, text or file must be provided');
  return request;
}
