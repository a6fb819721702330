/**
 * The error classes resolvers throw, and the mapping from provider failures to them. Mutations return these as
 * typed union members (see errors.ts); queries turn provider failures into GraphQL errors with a code. Nothing
 * here carries a provider key, a stack or an internal URL.
 */
import { GraphQLError } from 'graphql';
import { ProviderHttpError, ProviderUnavailableError } from '../providers/http.js';

export type ProviderName = 'HUME' | 'PHONEXIA';

export interface FieldProblem {
  /** Path of the input field, e.g. ["input", "models", "face", "probThreshold"]. */
  path: string[];
  message: string;
}

/** Bad input: nothing was sent upstream. */
export class InputValidationError extends Error {
  constructor(readonly problems: FieldProblem[]) {
    super(problems.map((p) => `${p.path.join('.')}: ${p.message}`).join('; '));
  }
}

/** The provider failed or could not be reached. */
export class UpstreamError extends Error {
  constructor(
    readonly provider: ProviderName,
    message: string,
    /** HTTP status from the provider; null when it was not reached or its answer was unreadable. */
    readonly status: number | null,
    /** The provider's own error type when it gives one (Phonexia's `type`). */
    readonly code: string | null,
    /** True when the same request may succeed later. */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** The provider said "too many requests". */
export class UpstreamRateLimitError extends Error {
  constructor(
    readonly provider: ProviderName,
    readonly retryAfterSeconds: number | null,
  ) {
    super(`${provider === 'HUME' ? 'Hume' : 'Phonexia'} is rate limiting requests${retryAfterSeconds !== null ? `; retry after ${retryAfterSeconds} s` : ''}`);
  }
}

const providerNames: Record<string, ProviderName> = { hume: 'HUME', phonexia: 'PHONEXIA' };
const displayNames: Record<ProviderName, string> = { HUME: 'Hume', PHONEXIA: 'Phonexia' };

/** Maps a client failure to the typed errors above; anything else is returned unchanged. */
export function toUpstreamError(error: unknown): unknown {
  if (error instanceof ProviderHttpError) {
    const provider = providerNames[error.provider] ?? 'HUME';
    if (error.status === 429) return new UpstreamRateLimitError(provider, error.retryAfterMs === undefined ? null : Math.ceil(error.retryAfterMs / 1000));
    const code = typeof (error.body as { type?: unknown } | undefined)?.type === 'string' ? (error.body as { type: string }).type : null;
    const detail = error.providerMessage ? `: ${error.providerMessage}` : '';
    return new UpstreamError(provider, `${displayNames[provider]} answered ${error.status}${detail}`, error.status, code, error.status >= 500 || error.status === 408);
  }
  if (error instanceof ProviderUnavailableError) {
    const provider = providerNames[error.provider] ?? 'HUME';
    return new UpstreamError(provider, `${displayNames[provider]} is unavailable: ${error.reason}`, null, null, true);
  }
  return error;
}

export function providerNotConfigured(provider: ProviderName): UpstreamError {
  return new UpstreamError(provider, `${displayNames[provider]} is not configured on this gateway`, null, 'NOT_CONFIGURED', false);
}

/** For query fields: a GraphQL error with a stable code, the provider and its status in extensions. */
export function providerGraphQLError(error: unknown): GraphQLError | Error {
  const mapped = toUpstreamError(error);
  if (mapped instanceof UpstreamRateLimitError)
    return new GraphQLError(mapped.message, {
      extensions: { code: 'RATE_LIMITED', provider: mapped.provider, retryAfterSeconds: mapped.retryAfterSeconds },
    });
  if (mapped instanceof UpstreamError)
    return new GraphQLError(mapped.message, {
      extensions: { code: 'PROVIDER_ERROR', provider: mapped.provider, status: mapped.status, retryable: mapped.retryable },
    });
  return mapped instanceof Error ? mapped : new Error(String(mapped));
}
