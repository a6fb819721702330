/**
 * HTTP machinery shared by the provider clients: typed failures, Retry-After parsing, backoff with jitter and the
 * rule for which failures may be retried. Provider-neutral: each client supplies its name and its error parsing.
 */
import { errors as undiciErrors, request, type Dispatcher } from 'undici';
import { ProviderHeldBackError, ProviderHttpError, ProviderUnavailableError } from '../domain/failures.js';
import type { ProviderObserver, RetryPolicy } from '../domain/provider.js';

export { ProviderHttpError, ProviderUnavailableError, ProviderHeldBackError } from '../domain/failures.js';
export type { ProviderObserver, RetryPolicy } from '../domain/provider.js';

export type ProviderError = ProviderHttpError | ProviderUnavailableError;

export const defaultRetryPolicy: RetryPolicy = { maxRetries: 2, baseDelayMs: 250, maxDelayMs: 10_000 };

/** Retry-After as seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) return Math.round(Number(raw) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff, base * 2^attempt capped, with +-20 % jitter so replicas do not retry in step. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(exponential * (0.8 + 0.4 * random()));
}

/** Statuses after which an idempotent request (a GET) may be repeated. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Statuses after which even a start POST may be repeated: the provider said it did not take the request. */
export function isRefusalStatus(status: number): boolean {
  return status === 429 || status === 503;
}

const neverSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** Turns an undici/network failure into a ProviderUnavailableError that knows whether anything was sent. */
export function toUnavailable(provider: string, error: unknown): ProviderUnavailableError {
  if (error instanceof ProviderUnavailableError) return error;
  const err = error as { code?: string; cause?: { code?: string }; message?: string };
  const code = err.code ?? err.cause?.code ?? '';
  if (error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError)
    return new ProviderUnavailableError(provider, 'timed out waiting for the answer', true);
  if (neverSentCodes.has(code)) return new ProviderUnavailableError(provider, `could not connect (${code})`, false);
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE')
    return new ProviderUnavailableError(provider, 'connection closed before an answer', true);
  // Not the message: system errors name the address they failed on ("connect ETIMEDOUT 10.0.0.5:443"), and this
  // reason reaches clients. The code (or error name) says what happened.
  const name = (error as Error | undefined)?.name;
  return new ProviderUnavailableError(provider, `request failed (${code || (name && name !== 'Error' ? name : 'network error')})`, true);
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (ms <= 0) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export interface AttemptOutcome<T> {
  ok?: T;
  error?: ProviderError;
}

/**
 * Runs `attempt` until it succeeds, fails for good, or the retries are spent. `mayRetry` decides per failure;
 * the delay honours Retry-After when the provider gave one (no retry when it exceeds `maxDelayMs`), else backs off
 * exponentially. A ProviderHeldBackError (the gate was closed, nothing was sent) is never retried here.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  mayRetry: (error: ProviderError) => boolean,
  onRetry?: (error: ProviderError, delayMs: number) => void,
  /** A retry never goes before the provider's gate opens again. */
  gate?: RateGate,
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const failure = error as ProviderError;
      if (!(failure instanceof ProviderHttpError || failure instanceof ProviderUnavailableError)) throw error;
      if (n >= policy.maxRetries || !mayRetry(failure)) throw failure;
      const hinted = failure instanceof ProviderHttpError ? failure.retryAfterMs : undefined;
      // Asking again before the provider's Retry-After would not honour it; when it is longer than we are willing
      // to wait, the failure (with its delay) goes to the caller instead.
      if (hinted !== undefined && hinted > policy.maxDelayMs) throw failure;
      const delay = Math.max(hinted ?? backoffDelay(n, policy), gate?.remainingMs() ?? 0);
      if (delay > policy.maxDelayMs) throw failure;
      onRetry?.(failure, delay);
      await sleep(delay);
      // Timers may fire a millisecond before the wall clock agrees; the retry must not meet its own closed gate.
      for (let left = gate?.remainingMs() ?? 0; left > 0; left = gate!.remainingMs()) await sleep(left + 1);
    }
  }
}

/** Retry rule for reads: any network failure or 408/429/5xx. */
export function mayRetryRead(error: ProviderError): boolean {
  return error instanceof ProviderUnavailableError || isRetryableStatus(error.status);
}

/** Retry rule for start POSTs: only when the provider provably never got it, or refused it with 429/503. */
export function mayRetryStart(error: ProviderError): boolean {
  if (error instanceof ProviderUnavailableError) return !error.mayHaveReachedProvider;
  return isRefusalStatus(error.status);
}

/** X-RateLimit-Reset as epoch seconds, the fallback when Retry-After is absent. */
export function parseRateLimitReset(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  return Math.max(0, Number(raw) * 1000 - now);
}

/** What a provider's error body says, as far as the gateway uses it. */
export interface ErrorDescription {
  message?: string;
  /** The provider's stable error code or type. */
  code?: string | null;
  /** For a 413: the limit it reported, in bytes. */
  limitBytes?: number | null;
}

/** Reads a provider's error body: its message alone, or a fuller description. */
export type ErrorBodyReader = (body: unknown) => string | undefined | ErrorDescription;

/** A 2xx answer's JSON body (and its size); a non-2xx answer becomes the provider's typed error. */
export async function readJsonAnswer(
  provider: string,
  response: Dispatcher.ResponseData,
  describe: ErrorBodyReader,
): Promise<{ json: unknown; bytes: number }> {
  if (response.statusCode < 200 || response.statusCode >= 300) throw await httpErrorOf(provider, response, describe);
  let text: string;
  try {
    text = await response.body.text();
  } catch (error) {
    throw toUnavailable(provider, error);
  }
  try {
    return { json: JSON.parse(text) as unknown, bytes: text.length };
  } catch {
    throw new ProviderUnavailableError(provider, 'answer is not valid JSON', true);
  }
}

/** Error bodies are small; a provider (or a proxy) answering megabytes of HTML is not read past this. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

async function readBounded(body: Dispatcher.ResponseData['body'], limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        body.destroy();
        return undefined;
      }
      chunks.push(chunk as Buffer);
    }
  } catch {
    return undefined;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Retry-After (seconds or a date), else the provider's rate-limit reset header, in milliseconds from now. */
export function retryHintOf(headers: Dispatcher.ResponseData['headers']): number | undefined {
  return parseRetryAfter(headers['retry-after']) ?? parseRateLimitReset(headers['x-ratelimit-reset']);
}

/** A non-2xx answer as a ProviderHttpError: the provider's message (never an unknown raw body) and retry hint. */
export async function httpErrorOf(provider: string, response: Dispatcher.ResponseData, describe: ErrorBodyReader): Promise<ProviderHttpError> {
  let body: unknown;
  const text = await readBounded(response.body, MAX_ERROR_BODY_BYTES);
  try {
    body = text === undefined ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  const said = describe(body);
  const description: ErrorDescription = typeof said === 'string' || said === undefined ? { message: said } : said;
  return new ProviderHttpError(
    provider,
    response.statusCode,
    description.message,
    body,
    retryHintOf(response.headers),
    description.code ?? null,
    description.limitBytes ?? null,
  );
}

/** A 429 without Retry-After still holds calls back this long. */
const DEFAULT_HOLD_MS = 1_000;

/**
 * A provider's "wait" (429, or 503 with Retry-After), kept per provider on this replica: until the time has passed,
 * no call of any kind goes to the provider (trackers, queries, subscriptions, retries), so one poll's 429 is not
 * followed by more requests inside the window. Callers get a ProviderHeldBackError with the time left and answer
 * from what they know, or tell the client when to retry.
 */
export class RateGate {
  private openAt = 0;

  constructor(
    readonly provider: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until calls may go again; 0 when open. */
  remainingMs(): number {
    return Math.max(0, this.openAt - this.now());
  }

  /** Throws ProviderHeldBackError while closed. */
  check(): void {
    const left = this.remainingMs();
    if (left > 0) throw new ProviderHeldBackError(this.provider, left);
  }

  /** Looks at every answer: a 429, or a 503 with a retry hint, closes the gate for that long. */
  observe(status: number, retryAfterMs: number | undefined): void {
    if (status === 429) this.hold(retryAfterMs ?? DEFAULT_HOLD_MS);
    else if (status === 503 && retryAfterMs !== undefined) this.hold(retryAfterMs);
  }

  /** Opens the gate now (tests, and an operator who knows the provider's limit was lifted). */
  reset(): void {
    this.openAt = 0;
  }

  hold(ms: number): void {
    this.openAt = Math.max(this.openAt, this.now() + ms);
  }
}

/**
 * One HTTP call to a provider, as every client makes it: refused at once while the provider's gate is closed,
 * timed for the observer, its 429/503 hint closing the gate, and a network failure turned into a
 * ProviderUnavailableError that knows whether anything was sent.
 */
export async function sendToProvider(
  provider: string,
  gate: RateGate,
  observer: ProviderObserver | undefined,
  operation: string,
  url: string,
  options: Parameters<typeof request>[1],
): Promise<Dispatcher.ResponseData> {
  gate.check();
  const started = performance.now();
  try {
    const response = (await request(url, options)) as Dispatcher.ResponseData;
    observer?.requestFinished?.(provider, operation, response.statusCode, performance.now() - started);
    gate.observe(response.statusCode, retryHintOf(response.headers));
    return response;
  } catch (error) {
    observer?.requestFinished?.(provider, operation, 'error', performance.now() - started);
    throw toUnavailable(provider, error);
  }
}
