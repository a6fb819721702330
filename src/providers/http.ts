/**
 * HTTP machinery shared by the provider clients: typed failures, Retry-After parsing, backoff with jitter and the
 * rule for which failures may be retried. Provider-neutral: each client supplies its name and its error parsing.
 */
import { errors as undiciErrors, type Dispatcher } from 'undici';

/** The provider answered with a non-2xx status. */
export class ProviderHttpError extends Error {
  override name = 'ProviderHttpError';
  constructor(
    readonly provider: string,
    readonly status: number,
    /** The provider's own message or error type, when its body had one. Never the raw body of an unknown shape. */
    readonly providerMessage: string | undefined,
    /** Parsed body, for provider-specific details (e.g. Phonexia's error `type` and `detail`). */
    readonly body: unknown,
    /** From Retry-After (or the provider's rate-limit reset header), in milliseconds. */
    readonly retryAfterMs: number | undefined,
  ) {
    super(`${provider} answered ${status}${providerMessage ? `: ${providerMessage}` : ''}`);
  }
}

/** The provider could not be reached, timed out, dropped the connection or answered something unreadable. */
export class ProviderUnavailableError extends Error {
  override name = 'ProviderUnavailableError';
  constructor(
    readonly provider: string,
    readonly reason: string,
    /** False only when the request provably never reached the provider (nothing was sent). */
    readonly mayHaveReachedProvider: boolean,
  ) {
    super(`${provider} unavailable: ${reason}`);
  }
}

export type ProviderError = ProviderHttpError | ProviderUnavailableError;

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

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
 * exponentially.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
  mayRetry: (error: ProviderError) => boolean,
  onRetry?: (error: ProviderError, delayMs: number) => void,
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
      const delay = hinted ?? backoffDelay(n, policy);
      onRetry?.(failure, delay);
      await sleep(delay);
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

/** Hooks for metrics and logs, called by every provider client; each is optional. */
export interface ProviderObserver {
  requestFinished?(provider: string, operation: string, status: number | 'error', durationMs: number): void;
  retrying?(provider: string, operation: string, failure: ProviderError, delayMs: number): void;
}

/** X-RateLimit-Reset as epoch seconds, the fallback when Retry-After is absent. */
export function parseRateLimitReset(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  return Math.max(0, Number(raw) * 1000 - now);
}

/** A 2xx answer's JSON body (and its size); a non-2xx answer becomes the provider's typed error. */
export async function readJsonAnswer(
  provider: string,
  response: Dispatcher.ResponseData,
  messageOf: (body: unknown) => string | undefined,
): Promise<{ json: unknown; bytes: number }> {
  if (response.statusCode < 200 || response.statusCode >= 300) throw await httpErrorOf(provider, response, messageOf);
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

/** A non-2xx answer as a ProviderHttpError: the provider's message (never an unknown raw body) and retry hint. */
export async function httpErrorOf(
  provider: string,
  response: Dispatcher.ResponseData,
  messageOf: (body: unknown) => string | undefined,
): Promise<ProviderHttpError> {
  let body: unknown;
  try {
    body = JSON.parse(await response.body.text());
  } catch {
    body = undefined;
  }
  return new ProviderHttpError(
    provider,
    response.statusCode,
    messageOf(body),
    body,
    parseRetryAfter(response.headers['retry-after']) ?? parseRateLimitReset(response.headers['x-ratelimit-reset']),
  );
}
