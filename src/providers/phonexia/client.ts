/**
 * Phonexia Speech Platform 4 Emotion Recognition client over undici: one pooled agent, timeouts, polls retried on
 * network errors and 408/429/5xx honouring Retry-After, and the start POST repeated only when the appliance
 * provably never got it or refused it (429/503). Answers are normalised into a small client-side view; the wire
 * shapes are in wire.ts. Knows nothing of GraphQL, of the gateway's store, or of the simulator.
 */
import { randomUUID } from 'node:crypto';
import { Agent, FormData, type Dispatcher } from 'undici';
import {
  ProviderUnavailableError,
  defaultRetryPolicy,
  mayRetryRead,
  mayRetryStart,
  readJsonAnswer,
  withRetries,
  RateGate,
  sendToProvider,
  type ErrorDescription,
  type ProviderObserver,
  type RetryPolicy,
} from '../http.js';
import { phonexiaEmotions, phonexiaTaskStates, type Emotion, type PhonexiaStartParams, type TaskState } from './wire.js';

export type { ProviderObserver };

export const PHONEXIA = 'phonexia';

const START_PATH = '/api/technology/emotion-recognition';

export interface PhonexiaClientOptions {
  /** e.g. `http://appliance:8000`; a path prefix is kept for the start URL. */
  baseUrl: string;
  /**
   * Extra headers for every call (PHONEXIA_HEADERS, e.g. the Authorization of a proxy in front of the appliance).
   * Sent only to the base URL's origin, so a Location pointing elsewhere never receives them.
   */
  headers?: Record<string, string>;
  retry?: RetryPolicy;
  /** Time to wait for response headers; a slow appliance is reported, not waited on forever. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  connectTimeoutMs?: number;
  connections?: number;
  observer?: ProviderObserver;
}

/** The media file; the bytes are already in memory (GraphQL uploads are). */
export interface PhonexiaUpload {
  filename: string;
  contentType: string;
  data: Blob;
}

export interface PhonexiaCallOptions {
  /** Sent as `x-correlation-id`, so the appliance's logs can be joined with the gateway's. */
  correlationId?: string;
}

export interface PhonexiaStartedTask {
  taskId: string;
  state: TaskState;
  /** Absolute URL to poll with getTask. */
  location: string;
}

export type PhonexiaScores = Record<Emotion, number>;

export interface PhonexiaChannelEmotions {
  channel: number;
  speechLength: number;
  /** By emotion name; an emotion missing from the answer is 0. */
  scores: PhonexiaScores;
}

export interface PhonexiaTaskErrorDetail {
  location: Array<string | number>;
  message: string;
  type: string;
}

export interface PhonexiaTaskError {
  type: string;
  message: string;
  details: PhonexiaTaskErrorDetail[];
}

/** Client-side view of a task: camelCase, scores by name, `null` for whatever the answer did not carry. */
export interface PhonexiaTask {
  taskId: string;
  state: TaskState;
  channels: PhonexiaChannelEmotions[] | null;
  error: PhonexiaTaskError | null;
}

type Operation = 'startTask' | 'getTask' | 'probe';

/** The poll URL of a task, built the way the start URL is (keeps a base path prefix). */
export function taskUrl(baseUrl: string, taskId: string): string {
  return `${trimSlashes(baseUrl)}${START_PATH}/${encodeURIComponent(taskId)}`;
}

export class PhonexiaClient {
  private readonly agent: Agent;
  /** Holds every call back while the provider asked this replica to wait (429, 503 with Retry-After). */
  readonly gate = new RateGate(PHONEXIA);
  private readonly retry: RetryPolicy;
  private readonly base: string;
  private readonly origin: string;
  /** Lower-cased names, so the client's own headers override them instead of being sent twice. */
  private readonly extraHeaders: Record<string, string>;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: PhonexiaClientOptions) {
    this.base = trimSlashes(options.baseUrl);
    this.origin = new URL(options.baseUrl).origin;
    this.extraHeaders = Object.fromEntries(Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
    this.retry = options.retry ?? defaultRetryPolicy;
    this.agent = new Agent({
      connections: options.connections ?? 32,
      keepAliveTimeout: 10_000,
      headersTimeout: options.headersTimeoutMs ?? 30_000,
      bodyTimeout: options.bodyTimeoutMs ?? 120_000,
      connect: { timeout: options.connectTimeoutMs ?? 10_000 },
    });
  }

  /**
   * Uploads the media as multipart part `file` with the parameters in the query string. Never repeated unless
   * the appliance provably never received it or refused it: a duplicate task costs money.
   */
  async startTask(upload: PhonexiaUpload, params: PhonexiaStartParams, options: PhonexiaCallOptions = {}): Promise<PhonexiaStartedTask> {
    const url = `${this.base}${START_PATH}${startQuery(params)}`;
    const answer = await withRetries(
      this.retry,
      async () => {
        // A fresh FormData per attempt: a body stream cannot be sent twice.
        const form = new FormData();
        form.append('file', new File([upload.data], upload.filename, { type: upload.contentType }));
        const response = await this.send('startTask', 'POST', url, options.correlationId, form);
        return { json: await this.parse(response), headers: response.headers };
      },
      mayRetryStart,
      (failure, delay) => this.options.observer?.retrying?.(PHONEXIA, 'startTask', failure, delay),
      this.gate,
    );
    const task = asRecord(asRecord(answer.json)?.task);
    const taskId = task?.task_id;
    if (typeof taskId !== 'string' || taskId === '') throw new ProviderUnavailableError(PHONEXIA, 'start answer has no task id', true);
    return {
      taskId,
      // The documented initial state is `pending`; an unreadable one changes nothing for the caller, who polls.
      state: isTaskState(task?.state) ? task.state : 'pending',
      location: this.locationOf(answer.headers, url, taskId),
    };
  }

  /** The task at `location` (an absolute URL, as startTask returns it); null when unknown or expired (404). */
  async getTask(location: string, options: PhonexiaCallOptions = {}): Promise<PhonexiaTask | null> {
    const url = new URL(location).toString();
    return withRetries(
      this.retry,
      async () => {
        const response = await this.send('getTask', 'GET', url, options.correlationId);
        if (response.statusCode === 404) {
          await response.body.dump();
          return null;
        }
        return normaliseTask(await this.parse(response));
      },
      mayRetryRead,
      (failure, delay) => this.options.observer?.retrying?.(PHONEXIA, 'getTask', failure, delay),
      this.gate,
    );
  }

  /** Phonexia's documented health endpoint, read once without retries: its status says whether the appliance (or
   * the proxy in front of it) takes the gateway's headers. */
  async probe(): Promise<number> {
    const response = await this.send('probe', 'GET', `${this.base}/api/system/status`, undefined);
    await response.body.dump();
    return response.statusCode;
  }

  /** Idempotent: a shutdown path may reach it twice, and undici refuses to close a closed agent. */
  close(): Promise<void> {
    this.closing ??= this.agent.close();
    return this.closing;
  }

  /**
   * `Location`, else the deprecated `X-Location` (the only one in older versions), else the documented path.
   * Relative values resolve against the request URL, as HTTP resolves a Location.
   */
  private locationOf(headers: Dispatcher.ResponseData['headers'], requestUrl: string, taskId: string): string {
    for (const name of ['location', 'x-location']) {
      const value = firstHeader(headers[name]);
      if (!value) continue;
      try {
        return new URL(value, requestUrl).toString();
      } catch {
        // Unusable header value: try the next source.
      }
    }
    return taskUrl(this.base, taskId);
  }

  private async send(
    operation: Operation,
    method: 'GET' | 'POST',
    url: string,
    correlationId: string | undefined,
    body?: FormData,
  ): Promise<Dispatcher.ResponseData> {
    const headers: Record<string, string> = {
      ...(new URL(url).origin === this.origin ? this.extraHeaders : {}),
      accept: 'application/json',
      // Fresh per attempt: each attempt is its own request in the appliance's logs.
      'x-request-id': randomUUID(),
    };
    if (correlationId) headers['x-correlation-id'] = correlationId;
    return sendToProvider(PHONEXIA, this.gate, this.options.observer, operation, url, { method, dispatcher: this.agent, headers, body });
  }

  private async parse(response: Dispatcher.ResponseData): Promise<unknown> {
    return (await readJsonAnswer(PHONEXIA, response, phonexiaErrorMessage)).json;
  }
}

/** `{type, message, detail}` (§4.1): the message, the error type as the code, and a 413's `max_file_size`. */
function phonexiaErrorMessage(body: unknown): ErrorDescription {
  const record = asRecord(body);
  const detail = Array.isArray(record?.detail) ? asRecord(record.detail[0]) : undefined;
  const limit = asRecord(detail?.context)?.max_file_size;
  return {
    message: typeof record?.message === 'string' ? record.message : undefined,
    code: typeof record?.type === 'string' ? record.type : null,
    limitBytes: typeof limit === 'number' ? limit : null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Normalising answers: strict where the gateway needs a value, lenient where the doc leaves the shape open.

function normaliseTask(json: unknown): PhonexiaTask {
  const body = asRecord(json);
  const task = asRecord(body?.task);
  if (!body || !task || typeof task.task_id !== 'string') throw unreadable('task answer has no task');
  if (!isTaskState(task.state)) throw unreadable(`task state ${JSON.stringify(task.state)} is unknown`);
  return { taskId: task.task_id, state: task.state, channels: channelsOf(body.result), error: taskErrorOf(body.error) };
}

function channelsOf(result: unknown): PhonexiaChannelEmotions[] | null {
  const channels = asRecord(result)?.channels;
  if (!Array.isArray(channels)) return null;
  return channels.map((entry: unknown) => {
    const channel = asRecord(entry);
    if (typeof channel?.channel_number !== 'number' || typeof channel.speech_length !== 'number')
      throw unreadable('task result has a channel without channel_number or speech_length');
    return { channel: channel.channel_number, speechLength: channel.speech_length, scores: scoresOf(channel.scores) };
  });
}

/** By name, never by index: the order is unspecified. Missing emotions stay 0 (gRPC: no speech, no scores). */
function scoresOf(scores: unknown): PhonexiaScores {
  const out: PhonexiaScores = { angry: 0, happy: 0, neutral: 0, sad: 0 };
  if (!Array.isArray(scores)) return out;
  for (const entry of scores as unknown[]) {
    const score = asRecord(entry);
    if (isEmotion(score?.emotion) && typeof score.probability === 'number') out[score.emotion] = score.probability;
  }
  return out;
}

/** A failed task must still read as failed, so a sparse error object is filled in rather than refused. */
function taskErrorOf(error: unknown): PhonexiaTaskError | null {
  const record = asRecord(error);
  if (!record) return null;
  const details = Array.isArray(record.detail) ? (record.detail as unknown[]) : [];
  return {
    type: typeof record.type === 'string' ? record.type : 'unknown',
    message: typeof record.message === 'string' ? record.message : '',
    details: details.flatMap((entry) => {
      const detail = asRecord(entry);
      if (!detail) return [];
      const location = Array.isArray(detail.location) ? (detail.location as unknown[]) : [];
      return [
        {
          location: location.filter((part): part is string | number => typeof part === 'string' || typeof part === 'number'),
          message: typeof detail.message === 'string' ? detail.message : '',
          type: typeof detail.type === 'string' ? detail.type : '',
        },
      ];
    }),
  };
}

// ---------------------------------------------------------------------------------------------------------

/** Only the parameters that are set; `channels` with literal commas and no spaces, as the doc writes it (§1.2). */
function startQuery(params: PhonexiaStartParams): string {
  const pairs: string[] = [];
  if (params.channel_mode !== undefined) pairs.push(`channel_mode=${encodeURIComponent(params.channel_mode)}`);
  if (params.channels !== undefined && params.channels.length > 0) pairs.push(`channels=${params.channels.map(String).join(',')}`);
  if (params.range_from !== undefined) pairs.push(`range_from=${params.range_from}`);
  if (params.range_to !== undefined) pairs.push(`range_to=${params.range_to}`);
  if (params.max_speech_length !== undefined) pairs.push(`max_speech_length=${params.max_speech_length}`);
  return pairs.length ? `?${pairs.join('&')}` : '';
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function isTaskState(value: unknown): value is TaskState {
  return (phonexiaTaskStates as readonly unknown[]).includes(value);
}

function isEmotion(value: unknown): value is Emotion {
  return (phonexiaEmotions as readonly unknown[]).includes(value);
}

const unreadable = (reason: string) => new ProviderUnavailableError(PHONEXIA, reason, true);
