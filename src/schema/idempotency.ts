/**
 * Idempotency keys for start mutations: the first request with a key claims it; a repeat with the same request
 * gets the first result, a repeat with a different request is refused, and a failed start frees the key.
 * Claims live in the store, so they hold across replicas with Redis.
 */
import type { GatewayStore } from '../store/store.js';
import { InputValidationError } from './provider-errors.js';

const NAMESPACE = 'idempotency';
const KEY_TTL_MS = 24 * 3600 * 1000;
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

export async function claimIdempotencyKey(store: GatewayStore, scope: string, key: string, fingerprint: string): Promise<IdempotencyClaim> {
  const storeKey = `${scope}:${key}`;
  const refuse = () => {
    throw new InputValidationError([{ path: ['input', 'idempotencyKey'], message: 'this key was already used for a different request' }]);
  };
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (let delay = 50; ; delay = Math.min(delay * 2, 1000)) {
    if (await store.putIfAbsent<ClaimRecord>(NAMESPACE, storeKey, { fingerprint, id: null }, KEY_TTL_MS)) {
      return {
        complete: (id) => store.put<ClaimRecord>(NAMESPACE, storeKey, { fingerprint, id }, KEY_TTL_MS),
        release: () => store.delete(NAMESPACE, storeKey),
      };
    }
    const existing = await store.get<ClaimRecord>(NAMESPACE, storeKey);
    if (existing && existing.fingerprint !== fingerprint) refuse();
    if (existing?.id) return { existingId: existing.id, complete: async () => {}, release: async () => {} };
    if (Date.now() > deadline)
      throw new InputValidationError([{ path: ['input', 'idempotencyKey'], message: 'a request with this key is still in progress; retry later' }]);
    // The first request is still in flight (or was released, and the next loop claims it).
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
