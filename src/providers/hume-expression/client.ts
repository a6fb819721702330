/**
 * Hume Expression Measurement v1 client over undici: one pooled agent, timeouts, reads retried on network failures
 * and 408/429/5xx honouring Retry-After, and uploads repeated only when Hume provably never got them or refused
 * them (429/503): a measured upload is a billed run. Answers are decoded by wire.ts into normalised types.
 * Knows nothing of GraphQL, of the gateway's store, or of the simulator.
 */
import { randomUUID } from 'node:crypto';
import { Agent, type Dispatcher } from 'undici';
import {
  ProviderHttpError,
  defaultRetryPolicy,
  httpErrorOf,
  mayRetryRead,
  mayRetryStart,
  readJsonAnswer,
  withRetries,
  RateGate,
  sendToProvider,
  type ProviderObserver,
  type RetryPolicy,
} from '../http.js';
import {
  HUME_EXPRESSION,
  decodeErrorBody,
  decodeImageAnswer,
  decodeRun,
  decodeRunEventPage,
  decodeRunPage,
  decodeSpeechAnswer,
  type ExpressionRunInfo,
  type ImageMeasurementResult,
  type RunEndpoint,
  type RunEventPage,
  type RunMode,
  type RunPage,
  type RunStatus,
  type SpeechMeasurementResult,
} from './wire.js';

export { HUME_EXPRESSION };
export type { ProviderObserver };

export const HUME_EXPRESSION_DEFAULT_BASE_URL = 'https://api.cloud.hume.ai';

export interface HumeExpressionClientOptions {
  /** Default `https://api.cloud.hume.ai` (not `api.hume.ai`, which served v0); a path prefix is kept. */
  baseUrl?: string;
  apiKey: string;
  retry?: RetryPolicy;
  /** Time to wait for the headers of a read (run endpoints); a slow Hume is reported, not waited on forever. */
  headersTimeoutMs?: number;
  /**
   * Time to wait for the headers of an upload. Measurement is synchronous and up to 25 MB of audio (13 minutes)
   * is measured before Hume answers, and a timed-out upload is billed but never repeated: keep it generous.
   */
  uploadHeadersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  connectTimeoutMs?: number;
  connections?: number;
  observer?: ProviderObserver;
}

/** Bytes already in memory (GraphQL uploads are; the gateway converts audio before sending it). */
export type MediaBytes = Blob | Uint8Array;

export interface SpeechMeasurementOptions {
  /** 3000-10000 ms of speech between `interval` measurements; Hume's default (3000) when unset. */
  measurementTimerMs?: number;
  /** Default `audio.wav`. */
  fileName?: string;
}

export interface ImageUpload {
  fileName: string;
  /** One complete JPEG (≤ 2 MB, ≤ 8,294,400 pixels). */
  data: MediaBytes;
}

export interface ImageMeasurementOptions {
  /** Detection confidence below which a face is not listed; Hume's default 0.9. */
  threshold?: number;
  /** Pixels; faces whose box's shorter side is smaller are not listed; Hume's default 60. */
  minSize?: number;
  /** Ask for a `faceState` to continue face IDs in a later request. */
  returnFaceState?: boolean;
  /** A `faceState` from an earlier answer. */
  faceState?: string;
}

export interface RunListQuery {
  /** 1-200; Hume's default 50. */
  pageSize?: number;
  /** The previous page's `nextCursor`, with the same filters. */
  cursor?: string;
  status?: RunStatus;
  mode?: RunMode;
  endpoint?: RunEndpoint;
  /** Exclusive. */
  startedBefore?: string | Date;
  /** Inclusive. */
  startedAfter?: string | Date;
  userId?: string;
}

export interface RunEventsQuery {
  pageSize?: number;
  cursor?: string;
}

type Operation = 'measureSpeech' | 'measureImages' | 'listRuns' | 'getRun' | 'getRunEvents';

interface MultipartPart {
  name: string;
  /** Absent for the config part: the reference sends it as a field with a type (curl `-F 'config=…;type=…'`). */
  fileName?: string;
  contentType: string;
  data: MediaBytes | string;
}

interface EncodedBody {
  bytes: Uint8Array;
  contentType: string;
}

export class HumeExpressionClient {
  private readonly agent: Agent;
  /** Holds every call back while Hume asked this replica to wait (429, 503 with Retry-After). */
  readonly gate = new RateGate(HUME_EXPRESSION);
  private readonly retry: RetryPolicy;
  private readonly base: string;
  private readonly uploadHeadersTimeoutMs: number;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: HumeExpressionClientOptions) {
    this.base = (options.baseUrl ?? HUME_EXPRESSION_DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.retry = options.retry ?? defaultRetryPolicy;
    this.uploadHeadersTimeoutMs = options.uploadHeadersTimeoutMs ?? 300_000;
    this.agent = new Agent({
      connections: options.connections ?? 32,
      keepAliveTimeout: 10_000,
      headersTimeout: options.headersTimeoutMs ?? 30_000,
      bodyTimeout: options.bodyTimeoutMs ?? 120_000,
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    });
  }

  /**
   * Measures one 16 kHz mono s16le WAV (§3). The config part is sent only when the caller chose a setting: the
   * reference says to omit it for defaults, and Hume rejects what it does not know, so less is safer; a value the
   * caller did choose (even 3000) is sent as chosen rather than trusted to stay Hume's default.
   */
  async measureSpeech(wav: MediaBytes, options: SpeechMeasurementOptions = {}): Promise<SpeechMeasurementResult> {
    const parts: MultipartPart[] = [{ name: 'file', fileName: options.fileName ?? 'audio.wav', contentType: 'audio/wav', data: wav }];
    if (options.measurementTimerMs !== undefined)
      parts.push(configPart({ measurement_timer_ms: options.measurementTimerMs }));
    const json = await this.upload('measureSpeech', '/v1/expression/audio/file', parts);
    return decodeSpeechAnswer(json);
  }

  /**
   * Measures the faces in JPEG images (§4), one `file` part each, results paired with the images by position.
   * A face state goes back as `config.face.face_state`, beside the face settings it continues (placement UNVERIFIED).
   */
  async measureImages(images: readonly ImageUpload[], options: ImageMeasurementOptions = {}): Promise<ImageMeasurementResult> {
    const parts: MultipartPart[] = images.map((image) => ({ name: 'file', fileName: image.fileName, contentType: 'image/jpeg', data: image.data }));
    const face: Record<string, unknown> = {};
    if (options.threshold !== undefined) face.threshold = options.threshold;
    if (options.minSize !== undefined) face.min_size = options.minSize;
    if (options.returnFaceState !== undefined) face.return_face_state = options.returnFaceState;
    if (options.faceState !== undefined) face.face_state = options.faceState;
    if (Object.keys(face).length > 0) parts.push(configPart({ face }));
    const json = await this.upload('measureImages', '/v1/expression/video/file', parts);
    return decodeImageAnswer(
      json,
      images.map((image) => image.fileName),
    );
  }

  /** One page of runs, newest first (§6.1). */
  async listRuns(query: RunListQuery = {}): Promise<RunPage> {
    const params = new URLSearchParams();
    if (query.pageSize !== undefined) params.set('page_size', String(query.pageSize));
    if (query.cursor !== undefined) params.set('cursor', query.cursor);
    if (query.userId !== undefined) params.set('user_id', query.userId);
    if (query.status !== undefined) params.set('status', query.status);
    if (query.mode !== undefined) params.set('mode', query.mode);
    if (query.endpoint !== undefined) params.set('endpoint', query.endpoint);
    if (query.startedBefore !== undefined) params.set('started_before', rfc3339(query.startedBefore));
    if (query.startedAfter !== undefined) params.set('started_after', rfc3339(query.startedAfter));
    const qs = params.toString();
    return decodeRunPage(await this.read('listRuns', `/v1/expression/run${qs ? `?${qs}` : ''}`));
  }

  /**
   * One run (§6.2); null on 404. A run can take a moment to appear after its upload answered, so a null right
   * after measuring is normal: the caller decides whether to ask again.
   */
  async getRun(runId: string): Promise<ExpressionRunInfo | null> {
    const json = await this.read('getRun', `/v1/expression/run/${encodeURIComponent(runId)}`, true);
    return json === NOT_FOUND ? null : decodeRun(json);
  }

  /** One page of a run's problem log (§6.3; realtime runs only, upload runs have none); null on 404. */
  async getRunEvents(runId: string, query: RunEventsQuery = {}): Promise<RunEventPage | null> {
    const params = new URLSearchParams();
    if (query.pageSize !== undefined) params.set('page_size', String(query.pageSize));
    if (query.cursor !== undefined) params.set('cursor', query.cursor);
    const qs = params.toString();
    const json = await this.read('getRunEvents', `/v1/expression/run/${encodeURIComponent(runId)}/events${qs ? `?${qs}` : ''}`, true);
    return json === NOT_FOUND ? null : decodeRunEventPage(json);
  }

  /** One cheap authenticated read, never retried: the HTTP status says whether Hume takes the key. */
  async probe(): Promise<number> {
    const response = await this.send('listRuns', 'GET', '/v1/expression/run?page_size=1');
    await response.body.dump();
    return response.statusCode;
  }

  /** Idempotent: a shutdown path may reach it twice, and undici refuses to close a closed agent. */
  close(): Promise<void> {
    this.closing ??= this.agent.close();
    return this.closing;
  }

  /**
   * A GET, retried per mayRetryRead. Decoding happens after the retries: a shape Hume does not document will not
   * change by asking again, unlike an answer cut short.
   */
  private read(operation: Operation, path: string, notFoundIsNull = false): Promise<unknown> {
    return withRetries(
      this.retry,
      async () => {
        const response = await this.send(operation, 'GET', path);
        if (notFoundIsNull && response.statusCode === 404) {
          await response.body.dump();
          return NOT_FOUND;
        }
        return this.json(response);
      },
      mayRetryRead,
      (failure, delay) => this.options.observer?.retrying?.(HUME_EXPRESSION, operation, failure, delay),
      this.gate,
    );
  }

  /** A multipart POST, repeated only per mayRetryStart. Encoded once: the same bytes are resent. */
  private async upload(operation: Operation, path: string, parts: MultipartPart[]): Promise<unknown> {
    const body = await encodeMultipart(parts);
    return withRetries(
      this.retry,
      async () => this.json(await this.send(operation, 'POST', path, body)),
      mayRetryStart,
      (failure, delay) => this.options.observer?.retrying?.(HUME_EXPRESSION, operation, failure, delay),
      this.gate,
    );
  }

  private async send(operation: Operation, method: 'GET' | 'POST', path: string, body?: EncodedBody): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-hume-api-key': this.options.apiKey };
    if (body) headers['content-type'] = body.contentType;
    return sendToProvider(HUME_EXPRESSION, this.gate, this.options.observer, operation, `${this.base}${path}`, {
      method,
      dispatcher: this.agent,
      headers,
      body: body?.bytes,
      ...(body ? { headersTimeout: this.uploadHeadersTimeoutMs } : {}),
    });
  }

  private async json(response: Dispatcher.ResponseData): Promise<unknown> {
    if (response.statusCode < 200 || response.statusCode >= 300) throw await httpError(response);
    // Non-2xx answers were handled above; readJsonAnswer's own error path is not reached.
    return (await readJsonAnswer(HUME_EXPRESSION, response, () => undefined)).json;
  }
}

const NOT_FOUND = Symbol('not found');

/**
 * A non-2xx answer with the decoded `{code, message, requestId}` as its body (undefined for any other shape):
 * httpErrorOf's Retry-After handling, but never the raw body of an unknown shape.
 */
async function httpError(response: Dispatcher.ResponseData): Promise<ProviderHttpError> {
  const raw = await httpErrorOf(HUME_EXPRESSION, response, (body) => {
    const decoded = decodeErrorBody(body);
    return { message: decoded?.message ?? decoded?.code ?? undefined, code: decoded?.code ?? null };
  });
  return new ProviderHttpError(HUME_EXPRESSION, raw.status, raw.providerMessage, decodeErrorBody(raw.body), raw.retryAfterMs, raw.code);
}

function configPart(config: object): MultipartPart {
  return { name: 'config', contentType: 'application/json', data: JSON.stringify(config) };
}

function rfc3339(value: string | Date): string {
  return typeof value === 'string' ? value : value.toISOString();
}

/**
 * multipart/form-data written by hand: WHATWG FormData (undici's included) cannot make a part that has a
 * Content-Type but no filename, which is how the reference sends `config`; a Blob value would turn it into a file
 * part named "blob".
 */
async function encodeMultipart(parts: MultipartPart[]): Promise<EncodedBody> {
  const boundary = `----hume-expression-${randomUUID()}`;
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    let disposition = `form-data; name="${escapeQuoted(part.name)}"`;
    if (part.fileName !== undefined) disposition += `; filename="${escapeQuoted(part.fileName)}"`;
    chunks.push(encoder.encode(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${part.contentType}\r\n\r\n`));
    chunks.push(typeof part.data === 'string' ? encoder.encode(part.data) : await bytesOf(part.data));
    chunks.push(encoder.encode('\r\n'));
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  return { bytes: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** As browsers escape names in Content-Disposition: a file name from a caller cannot add header lines. */
function escapeQuoted(value: string): string {
  return value.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
}

async function bytesOf(data: MediaBytes): Promise<Uint8Array> {
  return data instanceof Uint8Array ? data : new Uint8Array(await data.arrayBuffer());
}
