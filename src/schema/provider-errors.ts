/**
 * The error classes resolvers throw, and the mapping from provider failures to them. Mutations return these as
 * typed union members (see errors.ts); queries turn provider failures into GraphQL errors with a code. The provider
 * is named by its identity (src/providers/index.ts), never by a hand-written list. Nothing here carries a provider
 * key, a stack or an internal URL.
 */
import { GraphQLError } from 'graphql';
import { ProviderHeldBackError, ProviderHttpError, ProviderUnavailableError } from '../domain/failures.js';
import type { AdapterOf, AnyProviderModule, ProviderIdentity } from '../domain/provider.js';
import type { GatewayServices } from '../context.js';
import { ProviderNotConfiguredError, identityOf } from '../domain/registry.js';
import { providerModules } from '../providers/index.js';

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
    readonly provider: ProviderIdentity,
    message: string,
    /** HTTP status from the provider; null when it was not reached or its answer was unreadable. */
    readonly status: number | null,
    /** The provider's own error code or type, when it gives one. */
    readonly code: string | null,
    /** True when the same request may succeed later. */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** The provider said "too many requests", now or a moment ago (then nothing was sent). */
export class UpstreamRateLimitError extends Error {
  constructor(
    readonly provider: ProviderIdentity,
    readonly retryAfterSeconds: number | null,
  ) {
    super(`${provider.displayName} is rate limiting requests${retryAfterSeconds !== null ? `; retry after ${retryAfterSeconds} s` : ''}`);
  }
}

/** The caller's tenant used up its starts for now (the gateway's own limit); nothing was sent. */
export class TenantStartLimitError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`This tenant has started too much work in the last minute; retry after ${retryAfterSeconds} s`);
  }
}

/** The upload is larger than the provider accepts. */
export class UploadTooLargeError extends Error {
  constructor(
    readonly provider: ProviderIdentity,
    readonly maxBytes: number | null,
    message?: string,
  ) {
    super(message ?? `The file is larger than ${provider.displayName} accepts${maxBytes ? ` (${maxBytes} bytes)` : ''}`);
  }
}

/** A provider id that is not registered still gets a readable identity rather than someone else's name. */
function identity(id: string): ProviderIdentity {
  return identityOf(providerModules, id) ?? { id, graphqlName: id.toUpperCase().replace(/[^A-Z0-9]+/g, '_'), displayName: id };
}

/**
 * What must never reach a caller: the gateway's own keys and secrets and its providers' addresses (every string of
 * every provider's configuration), and where provider failures are logged instead. Set once at start-up.
 */
const reporting: { secrets: string[]; log: (message: string, fields: Record<string, unknown>) => void } = { secrets: [], log: () => {} };

export function configureErrorReporting(secrets: string[], log: (message: string, fields: Record<string, unknown>) => void): void {
  // Longest first, so a secret that contains another is removed whole.
  reporting.secrets = [...new Set(secrets.filter((s) => s.length >= 6))].sort((a, b) => b.length - a.length);
  reporting.log = log;
}

/** A provider's text with the gateway's secrets and internal addresses taken out. */
export function redact(text: string): string {
  let out = text;
  for (const secret of reporting.secrets) out = out.split(secret).join('[redacted]');
  return out;
}

const seconds = (ms: number | undefined) => (ms === undefined ? null : Math.ceil(ms / 1000));

/**
 * Maps a provider failure to the typed errors above; anything else is returned unchanged. A mutation whose result
 * union has no PayloadTooLargeError gets a 413 as a ProviderError.
 */
export function toUpstreamError(error: unknown, options: { payloadTooLarge?: boolean } = {}): unknown {
  if (error instanceof ProviderNotConfiguredError) return providerNotConfigured(error.identity);
  if (error instanceof ProviderHeldBackError) return new UpstreamRateLimitError(identity(error.provider), seconds(error.retryAfterMs));
  if (error instanceof ProviderHttpError) {
    const provider = identity(error.provider);
    if (error.status === 429) return new UpstreamRateLimitError(provider, seconds(error.retryAfterMs));
    if (error.status === 413 && options.payloadTooLarge !== false) return new UploadTooLargeError(provider, error.limitBytes);
    // A provider's own words help the caller only when the request was wrong (4xx); a 5xx's text is the provider's
    // inside story, logged here and replaced by the gateway's own message.
    if (error.status >= 500) {
      reporting.log('provider failed', { provider: provider.id, status: error.status, message: error.providerMessage ? redact(error.providerMessage) : undefined });
      return new UpstreamError(provider, `${provider.displayName} failed (HTTP ${error.status}); retry later`, error.status, error.code, true);
    }
    const detail = error.providerMessage ? `: ${redact(error.providerMessage)}` : '';
    return new UpstreamError(provider, `${provider.displayName} answered ${error.status}${detail}`, error.status, error.code, error.status === 408);
  }
  if (error instanceof ProviderUnavailableError) {
    const provider = identity(error.provider);
    return new UpstreamError(provider, `${provider.displayName} is unavailable: ${error.reason}`, null, null, true);
  }
  return error;
}

export function providerNotConfigured(provider: ProviderIdentity): UpstreamError {
  return new UpstreamError(provider, `${provider.displayName} is not configured on this gateway`, null, 'NOT_CONFIGURED', false);
}

/** For query fields: a GraphQL error with a stable code, the provider and its status in extensions. */
export function providerGraphQLError(error: unknown): Error {
  const mapped = toUpstreamError(error);
  if (mapped instanceof UpstreamRateLimitError)
    return new GraphQLError(mapped.message, {
      extensions: { code: 'RATE_LIMITED', provider: mapped.provider.graphqlName, retryAfterSeconds: mapped.retryAfterSeconds },
    });
  if (mapped instanceof UpstreamError || mapped instanceof UploadTooLargeError)
    return new GraphQLError(mapped.message, {
      extensions: {
        code: 'PROVIDER_ERROR',
        provider: mapped.provider.graphqlName,
        status: mapped instanceof UpstreamError ? mapped.status : 413,
        retryable: mapped instanceof UpstreamError ? mapped.retryable : false,
      },
    });
  return mapped instanceof Error ? mapped : new Error(String(mapped));
}

/** The configured adapter of `module`, for a query or subscription: a GraphQL error (PROVIDER_ERROR) when absent. */
export function configured<M extends AnyProviderModule>(services: GatewayServices, module: M): AdapterOf<M> {
  const adapter = services.providers.get(module);
  if (!adapter) throw providerGraphQLError(providerNotConfigured(module.identity));
  return adapter;
}
