/**
 * How a provider call can fail, in the gateway's terms. Every adapter's client throws these; the schema maps them
 * to typed GraphQL errors by the provider's identity, so no mapping names a provider.
 */

/** The provider answered with a non-2xx status. */
export class ProviderHttpError extends Error {
  override name = 'ProviderHttpError';
  constructor(
    /** The provider's id (see ProviderIdentity). */
    readonly provider: string,
    readonly status: number,
    /** The provider's own message, when its body had one. Never the raw body of an unknown shape. */
    readonly providerMessage: string | undefined,
    /** Parsed body, for provider-specific details. */
    readonly body: unknown,
    /** From Retry-After (or the provider's rate-limit reset header), in milliseconds. */
    readonly retryAfterMs: number | undefined,
    /** The provider's stable error code or type (Phonexia's `type`, Hume expression's `code`), when it gives one. */
    readonly code: string | null = null,
    /** For a 413: the limit the provider reported, in bytes. */
    readonly limitBytes: number | null = null,
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

/**
 * The gateway held the call back without sending it: the provider asked this replica to wait (429, or 503 with
 * Retry-After) and the time has not passed yet.
 */
export class ProviderHeldBackError extends Error {
  override name = 'ProviderHeldBackError';
  constructor(
    readonly provider: string,
    /** How long is left of the provider's wait, in milliseconds. */
    readonly retryAfterMs: number,
  ) {
    super(`${provider} asked to wait ${Math.ceil(retryAfterMs / 1000)} s more`);
  }
}

export type ProviderFailure = ProviderHttpError | ProviderUnavailableError | ProviderHeldBackError;

export function isProviderFailure(error: unknown): error is ProviderFailure {
  return error instanceof ProviderHttpError || error instanceof ProviderUnavailableError || error instanceof ProviderHeldBackError;
}
