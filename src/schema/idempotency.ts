/**
 * Idempotency keys for start mutations, per tenant: the first request with a key claims it; a repeat with the same
 * request gets the first result, a repeat with a different request is refused, and a failed start frees the key.
 * Claims live in the store, so they hold across replicas with Redis.
 *
 * A claim in progress lives 60 s unless its request keeps it alive (a long upload renews it every 20 s). A request
 * that crashed therefore frees its key within a minute. The cost: a retry after that minute starts the work again,
 * even if the crashed request had got as far as the provider accepting it (a duplicate the client asked for by
 * retrying, never one the gateway makes on its own).
 */
import type { GatewayStore } from '../store/store.js';
import { InputValidationError } from './provider-errors.js';

const NAMESPACE = 'idempotency';
/** A completed claim answers repeats this long. */
const KEY_TTL_MS = 24 * 3600 * 1000;
/** A claim whose request stopped renewing it is free again after this. */
export const IN_FLIGHT_TTL_MS = 60_000;
const RENEW_EVERY_MS = 20_000;
/** How long a repeat waits for the first request, still in flight, to finish. */
const WAIT_FOR_FIRST_MS = 30_000;

interface ClaimRecord {
  fingerprint: string;
  id: string | null;
}

export interface IdempotencyClaim {
  /** Set when an earlier request with this key already produced a result. */
  existingId?: string;
  complete(id: string): Promise<void>;
  release(): Promise<void>;
}

export async function claimIdempotencyKey(
  store: GatewayStore,
  scope: string,
  key: string,
  fingerprint: string,
  options: { inFlightTtlMs?: number; waitMs?: number } = {},
): Promise<IdempotencyClaim> {
  const storeKey = `${scope}:${key}`;
  const inFlightTtl = options.inFlightTtlMs ?? IN_FLIGHT_TTL_MS;
  const deadline = Date.now() + (options.waitMs ?? WAIT_FOR_FIRST_MS);
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    if (await store.putIfAbsent<ClaimRecord>(NAMESPACE, storeKey, { fingerprint, id: null }, inFlightTtl)) {
      const renewal = setInterval(() => {
        store.put<ClaimRecord>(NAMESPACE, storeKey, { fingerprint, id: null }, inFlightTtl).catch(() => {});
      }, Math.min(RENEW_EVERY_MS, Math.floor(inFlightTtl / 3)));
      renewal.unref();
      return {
        complete: async (id) => {
          clearInterval(renewal);
          await store.put<ClaimRecord>(NAMESPACE, storeKey, { fingerprint, id }, KEY_TTL_MS);
        },
        release: async () => {
          clearInterval(renewal);
          await store.delete(NAMESPACE, storeKey);
        },
      };
    }
    const existing = await store.get<ClaimRecord>(NAMESPACE, storeKey);
    if (existing && existing.fingerprint !== fingerprint)
      throw new InputValidationError([{ path: ['input', 'idempotencyKey'], message: 'this key was already used for a different request' }]);
    if (existing?.id) return { existingId: existing.id, complete: async () => {}, release: async () => {} };
    if (Date.now() > deadline)
      throw new InputValidationError([{ path: ['input', 'idempotencyKey'], message: 'a request with this key is still in progress; retry later' }]);
    // The first request is still in flight (or was released, and the next loop claims it).
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
