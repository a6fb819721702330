/**
 * Hume batch API client over undici: one pooled agent, timeouts, retries of reads on 408/429/5xx honouring
 * Retry-After, and start POSTs repeated only when Hume provably never got them or refused them (429/503).
 * Knows nothing of GraphQL or of the gateway's store.
 */
import type { Readable } from 'node:stream';
import { Agent, FormData, type Dispatcher } from 'undici';
import {
  ProviderUnavailableError,
  defaultRetryPolicy,
  httpErrorOf,
  mayRetryRead,
  mayRetryStart,
  readJsonAnswer,
  toUnavailable,
  withRetries,
  RateGate,
  sendToProvider,
  type ProviderHttpError,
  type ProviderObserver,
  type RetryPolicy,
} from '../http.js';

export type { ProviderObserver };
import type {
  HumeInferenceBaseRequest,
  HumeJob,
  HumeListQuery,
  HumeStartResponse,
} from './wire.js';

export const HUME = 'hume';

export interface HumeClientOptions {
  baseUrl: string;
  apiKey: string;
  retry?: RetryPolicy;
  /** Time to wait for response headers; a slow Hume is reported, not waited on forever. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  connectTimeoutMs?: number;
  connections?: number;
  observer?: ProviderObserver;
}


/** One file of a multipart start: the bytes are already in memory (GraphQL uploads are). */
export interface HumeUpload {
  filename: string;
  contentType: string;
  data: Blob;
}

export interface HumeArtifacts {
  body: Readable;
  contentType: string;
  contentLength: number | undefined;
}

type Operation = 'listJobs' | 'startJob' | 'getJob' | 'getPredictions' | 'getArtifacts' | 'probe';

export class HumeClient {
  private readonly agent: Agent;
  /** Holds every call back while the provider asked this replica to wait (429, 503 with Retry-After). */
  readonly gate = new RateGate(HUME);
  private readonly retry: RetryPolicy;
  private readonly base: string;

  constructor(private readonly options: HumeClientOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.retry = options.retry ?? defaultRetryPolicy;
    this.agent = new Agent({
      connections: options.connections ?? 32,
      keepAliveTimeout: 10_000,
      headersTimeout: options.headersTimeoutMs ?? 30_000,
      bodyTimeout: options.bodyTimeoutMs ?? 120_000,
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    });
  }

  async listJobs(query: HumeListQuery = {}): Promise<HumeJob[]> {
    const params = new URLSearchParams();
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    // Arrays go as repeated keys, as Hume's SDK sends them.
    for (const status of query.status ?? []) params.append('status', status);
    if (query.when) params.set('when', query.when);
    if (query.timestamp_ms !== undefined) params.set('timestamp_ms', String(query.timestamp_ms));
    if (query.sort_by) params.set('sort_by', query.sort_by);
    if (query.direction) params.set('direction', query.direction);
    const qs = params.toString();
    const { json } = await this.read<HumeJob[]>('listJobs', `/v0/batch/jobs${qs ? `?${qs}` : ''}`);
    if (!Array.isArray(json)) throw new ProviderUnavailableError(HUME, 'list answer is not an array', true);
    return json;
  }

  /** Details of one job; null when Hume does not know the id. */
  async getJob(jobId: string): Promise<HumeJob | null> {
    const answer = await this.read<HumeJob>('getJob', `/v0/batch/jobs/${encodeURIComponent(jobId)}`, true);
    return answer?.json ?? null;
  }

  /**
   * The predictions answer, handed to `consume` as it streams in (a long video's answer is tens of MiB: it is never
   * held as one string here). The whole exchange is retried as a read; a failure of `consume` other than a
   * ProviderUnavailableError counts as a failed download.
   */
  async readPredictions<T>(jobId: string, consume: (body: AsyncIterable<Uint8Array>) => Promise<T>): Promise<T> {
    const path = `/v0/batch/jobs/${encodeURIComponent(jobId)}/predictions`;
    return withRetries(
      this.retry,
      async () => {
        const response = await this.send('getPredictions', 'GET', path, { accept: 'application/json; charset=utf-8' });
        if (response.statusCode < 200 || response.statusCode >= 300) throw await this.httpError(response);
        try {
          return await consume(response.body);
        } catch (error) {
          response.body.destroy();
          throw toUnavailable(HUME, error);
        }
      },
      mayRetryRead,
      (failure, delay) => this.options.observer?.retrying?.(HUME, 'getPredictions', failure, delay),
      this.gate,
    );
  }

  /** Opens the artifacts ZIP as a stream; the caller must consume or destroy it. */
  async openArtifacts(jobId: string): Promise<HumeArtifacts> {
    const path = `/v0/batch/jobs/${encodeURIComponent(jobId)}/artifacts`;
    return withRetries(
      this.retry,
      async () => {
        const response = await this.send('getArtifacts', 'GET', path, { accept: 'application/octet-stream' });
        if (response.statusCode !== 200) throw await this.httpError(response);
        const length = response.headers['content-length'];
        return {
          body: response.body,
          contentType: String(response.headers['content-type'] ?? 'application/octet-stream'),
          contentLength: length === undefined ? undefined : Number(length),
        };
      },
      mayRetryRead,
      (failure, delay) => this.options.observer?.retrying?.(HUME, 'getArtifacts', failure, delay),
      this.gate,
    );
  }

  /**
   * Starts a job: JSON when there are no files, else multipart with a `json` part and one `file` part per upload.
   * Never repeated unless Hume provably never received it or refused it: a duplicate job costs money.
   */
  async startJob(body: HumeInferenceBaseRequest, files: HumeUpload[] = []): Promise<string> {
    const answer = await withRetries(
      this.retry,
      async () => {
        let payload: string | FormData;
        let headers: Record<string, string>;
        if (files.length === 0) {
          payload = JSON.stringify(body);
          headers = { 'content-type': 'application/json' };
        } else {
          // A fresh FormData per attempt: a body stream cannot be sent twice.
          const form = new FormData();
          form.append('json', JSON.stringify(body));
          for (const file of files) form.append('file', new File([file.data], file.filename, { type: file.contentType }));
          payload = form;
          headers = {};
        }
        const response = await this.send('startJob', 'POST', '/v0/batch/jobs', { ...headers, accept: 'application/json' }, payload);
        return this.parse<HumeStartResponse>(response);
      },
      mayRetryStart,
      (failure, delay) => this.options.observer?.retrying?.(HUME, 'startJob', failure, delay),
      this.gate,
    );
    if (typeof answer.json?.job_id !== 'string') throw new ProviderUnavailableError(HUME, 'start answer has no job_id', true);
    return answer.json.job_id;
  }

  /** One cheap authenticated read, never retried: the HTTP status says whether Hume takes the key. */
  async probe(): Promise<number> {
    const response = await this.send('probe', 'GET', '/v0/batch/jobs?limit=1', { accept: 'application/json' });
    await response.body.dump();
    return response.statusCode;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private read<T>(operation: Operation, path: string, notFoundIsNull: true): Promise<{ json: T; bytes: number } | null>;
  private read<T>(operation: Operation, path: string): Promise<{ json: T; bytes: number }>;
  private read<T>(operation: Operation, path: string, notFoundIsNull = false) {
    return withRetries(
      this.retry,
      async () => {
        const response = await this.send(operation, 'GET', path, { accept: 'application/json; charset=utf-8' });
        if (notFoundIsNull && response.statusCode === 404) {
          await response.body.dump();
          return null;
        }
        return this.parse<T>(response);
      },
      mayRetryRead,
      (failure, delay) => this.options.observer?.retrying?.(HUME, operation, failure, delay),
      this.gate,
    );
  }

  private async send(
    operation: Operation,
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: string | FormData,
  ): Promise<Dispatcher.ResponseData> {
    return sendToProvider(HUME, this.gate, this.options.observer, operation, `${this.base}${path}`, {
      method,
      dispatcher: this.agent,
      headers: { ...headers, 'x-hume-api-key': this.options.apiKey },
      body,
    });
  }

  private async parse<T>(response: Dispatcher.ResponseData): Promise<{ json: T; bytes: number }> {
    return (await readJsonAnswer(HUME, response, humeErrorMessage)) as { json: T; bytes: number };
  }

  private httpError(response: Dispatcher.ResponseData): Promise<ProviderHttpError> {
    return httpErrorOf(HUME, response, humeErrorMessage);
  }
}

/** Hume answers `{"message": ...}` or an API-gateway fault `{"fault":{"faultstring": ...}}` (§7.3). */
function humeErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as { message?: unknown; fault?: { faultstring?: unknown } };
  if (typeof record.message === 'string') return record.message;
  if (typeof record.fault?.faultstring === 'string') return record.fault.faultstring;
  return undefined;
}
