/**
 * What every start mutation does around the provider call: the per-tenant start limit, the tenant's idempotency
 * key, recording who owns the new work, and the rule that nothing fails the request once a provider accepted it
 * (those steps run, and are retried, after acceptance).
 */
import type { GatewayContext } from '../context.js';
import { StartsExhaustedError } from '../start-limiter.js';
import { claimIdempotencyKey, type IdempotencyClaim } from './idempotency.js';
import { TenantStartLimitError } from './provider-errors.js';

/** Bookkeeping to run once the provider took the work (given its id). */
export type AfterAccepted = Array<(workId: string) => Promise<unknown>>;

/** Counts one start against the caller's tenant; past the limit, a RateLimitedError with the wait (no provider). */
export async function admitStart(ctx: GatewayContext): Promise<void> {
  try {
    await ctx.services.starts.admit(ctx.viewer.tenant);
  } catch (error) {
    if (error instanceof StartsExhaustedError) throw new TenantStartLimitError(error.retryAfterSeconds);
    throw error;
  }
}

/** The caller's claim on an idempotency key (keys are per tenant: another tenant's key is another key). */
export async function claimFor(ctx: GatewayContext, kind: string, key: string | null | undefined, fingerprint: () => Promise<string>): Promise<IdempotencyClaim | undefined> {
  // The tenant escaped, so it cannot run into the key: "acme" + "eu:k" and "acme:eu" + "k" are two claims.
  return key ? claimIdempotencyKey(ctx.services.store, `${kind}:${encodeURIComponent(ctx.viewer.tenant)}`, key, await fingerprint()) : undefined;
}

export interface StartOnceOptions {
  /** The work index kind (`job`, `emotion-task`, ...) and the idempotency namespace. */
  kind: string;
  idempotencyKey: string | null | undefined;
  fingerprint: () => Promise<string>;
  /** Starts the work; `afterAccepted` must run once the provider took it. Throws only when it did not. */
  start: (afterAccepted: AfterAccepted) => Promise<string>;
  /** Maps a failure of `start` to the mutation's typed errors. */
  mapError: (error: unknown) => unknown;
}

export async function startOnce(ctx: GatewayContext, options: StartOnceOptions): Promise<{ id: string }> {
  const claim = await claimFor(ctx, options.kind, options.idempotencyKey, options.fingerprint);
  if (claim?.existingId) return { id: claim.existingId };
  try {
    await admitStart(ctx);
  } catch (error) {
    await claim?.release().catch(() => {});
    throw error;
  }
  const afterAccepted: AfterAccepted = [(id) => ctx.services.work.record(options.kind, id, ctx.viewer.tenant, Date.now())];
  if (claim) afterAccepted.push((id) => claim.complete(id));
  try {
    return { id: await options.start(afterAccepted) };
  } catch (error) {
    await claim?.release().catch(() => {});
    throw options.mapError(error);
  }
}
