/**
 * The gateway's own state: what the providers do not keep for us. Two implementations: in memory (one process)
 * and Redis (shared by replicas). Knows neither GraphQL nor a provider's wire format: values are plain JSON.
 */
export interface GatewayStore {
  /** Reads a value written with `put`; undefined when absent or expired. */
  get<T>(namespace: string, key: string): Promise<T | undefined>;
  /** Writes a value; `ttlMs` bounds its life (omit for no expiry). */
  put<T>(namespace: string, key: string, value: T, ttlMs?: number): Promise<void>;
  /** Writes only when absent; returns true when this call wrote it (a lock or an idempotency claim). */
  putIfAbsent<T>(namespace: string, key: string, value: T, ttlMs?: number): Promise<boolean>;
  delete(namespace: string, key: string): Promise<void>;

  /**
   * Leases: who works on a thing now. `acquireLease` succeeds when the lease is free or already `owner`'s (then it
   * is extended); `renewLease` only extends a lease `owner` still holds; `releaseLease` frees it only if `owner`
   * holds it. A lease not renewed within `ttlMs` lapses, so work moves when its owner dies.
   */
  acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean>;
  renewLease(name: string, owner: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, owner: string): Promise<void>;

  /** A set of ids per kind of tracked work (tasks being polled, jobs being followed); survives restarts with Redis. */
  addTracked(kind: string, id: string): Promise<void>;
  removeTracked(kind: string, id: string): Promise<void>;
  listTracked(kind: string): Promise<string[]>;

  /**
   * Ordered indexes: newest-first lists of ids (a tenant's jobs, runs, ...). Each member has a numeric score (its
   * creation time); `indexPage` reads by descending score, then descending member for equal scores, after a cursor
   * position; `indexTrim` drops members scored below a bound (the records' retention).
   */
  indexAdd(index: string, member: string, score: number): Promise<void>;
  indexPage(index: string, limit: number, after?: IndexPosition): Promise<IndexEntry[]>;
  indexTrim(index: string, minScore: number): Promise<void>;

  /** Tells when the backend reconnected after a drop: messages may have been lost meanwhile. */
  onReconnect(listener: () => void): void;
  /** Health: resolves when the backend answers. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface IndexEntry {
  member: string;
  score: number;
}

/** A position in an index: entries after it come later in newest-first order. */
export type IndexPosition = IndexEntry;

/** Whether `entry` comes after `position` in newest-first order (descending score, then descending member). */
export function isAfter(entry: IndexEntry, position: IndexPosition): boolean {
  return entry.score < position.score || (entry.score === position.score && entry.member < position.member);
}

/** Namespaces the stores use for their own keys (leases, tracked sets, indexes); callers may not write into them. */
const RESERVED_NAMESPACES = new Set(['lease', 'tracked', 'index']);

/** The key of a value, refusing the reserved namespaces. */
export function storeKey(namespace: string, key: string): string {
  if (RESERVED_NAMESPACES.has(namespace)) throw new RangeError(`store namespace "${namespace}" is reserved`);
  return `${namespace}:${key}`;
}

/** JSON text of a value; `undefined` (or a function) has none, and Redis could not store it either. */
export function encodeValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('store values must be JSON-serialisable (got undefined)');
  return text;
}

/** A ttl is a positive, finite number of milliseconds, rounded up to a whole one as Redis's PX needs. */
export function checkTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number of milliseconds (got ${ttlMs})`);
  return Math.ceil(ttlMs);
}
