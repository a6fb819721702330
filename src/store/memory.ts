import type { GatewayStore } from './store.js';

interface Entry {
  value: string;
  expiresAt: number;
}

interface Lease {
  owner: string;
  expiresAt: number;
}

/**
 * One process's state in a Map. Values are stored as JSON text so callers get copies, exactly as with Redis,
 * and a caller mutating what it read cannot change the store behind another caller's back.
 *
 * Every method runs to completion without awaiting anything, so within one process each call is atomic, as the
 * matching Redis command or script is: ten concurrent `putIfAbsent` calls on one key see exactly one winner.
 */
export class MemoryStore implements GatewayStore {
  private readonly entries = new Map<string, Entry>();
  private readonly leases = new Map<string, Lease>();
  private readonly tracked = new Map<string, Set<string>>();
  private readonly reconnectListeners: Array<() => void> = [];
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    // Expired entries are dropped on read; the sweep only bounds memory for keys never read again.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    const entry = this.live(id(namespace, key));
    return entry ? (JSON.parse(entry.value) as T) : undefined;
  }

  async put<T>(namespace: string, key: string, value: T, ttlMs?: number): Promise<void> {
    this.entries.set(id(namespace, key), { value: encode(value), expiresAt: this.expiry(ttlMs) });
  }

  async putIfAbsent<T>(namespace: string, key: string, value: T, ttlMs?: number): Promise<boolean> {
    const entryId = id(namespace, key);
    const entry: Entry = { value: encode(value), expiresAt: this.expiry(ttlMs) };
    if (this.live(entryId)) return false;
    this.entries.set(entryId, entry);
    return true;
  }

  async delete(namespace: string, key: string): Promise<void> {
    this.entries.delete(id(namespace, key));
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const expiresAt = this.expiry(ttlMs);
    const lease = this.leases.get(name);
    if (lease && lease.owner !== owner && lease.expiresAt > this.now()) return false;
    this.leases.set(name, { owner, expiresAt });
    return true;
  }

  async renewLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const expiresAt = this.expiry(ttlMs);
    const lease = this.leases.get(name);
    if (!lease || lease.owner !== owner || lease.expiresAt <= this.now()) return false;
    lease.expiresAt = expiresAt;
    return true;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    if (this.leases.get(name)?.owner === owner) this.leases.delete(name);
  }

  async addTracked(kind: string, id: string): Promise<void> {
    let ids = this.tracked.get(kind);
    if (!ids) this.tracked.set(kind, (ids = new Set()));
    ids.add(id);
  }

  async removeTracked(kind: string, id: string): Promise<void> {
    const ids = this.tracked.get(kind);
    if (!ids) return;
    ids.delete(id);
    if (ids.size === 0) this.tracked.delete(kind);
  }

  async listTracked(kind: string): Promise<string[]> {
    return [...(this.tracked.get(kind) ?? [])];
  }

  /** Memory never disconnects, so the listener never fires; it is kept only to honour the interface. */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private live(entryId: string): Entry | undefined {
    const entry = this.entries.get(entryId);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(entryId);
      return undefined;
    }
    return entry;
  }

  private expiry(ttlMs: number | undefined): number {
    if (ttlMs === undefined) return Infinity;
    return this.now() + checkTtl(ttlMs);
  }

  private sweep(): void {
    const now = this.now();
    for (const [entryId, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(entryId);
    for (const [name, lease] of this.leases) if (lease.expiresAt <= now) this.leases.delete(name);
  }
}

/** Namespaces the Redis store keeps for leases and tracked sets; refused here too, so both behave alike. */
const RESERVED_NAMESPACES = new Set(['lease', 'tracked']);

function id(namespace: string, key: string): string {
  if (RESERVED_NAMESPACES.has(namespace)) throw new RangeError(`store namespace "${namespace}" is reserved`);
  return `${namespace}:${key}`;
}

/** JSON text of a value; `undefined` (or a function) has none, and Redis could not store it either. */
function encode(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('store values must be JSON-serialisable (got undefined)');
  return text;
}

/** A ttl is a positive, finite number of milliseconds, rounded up to a whole one as Redis's PX needs. */
function checkTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number of milliseconds (got ${ttlMs})`);
  return Math.ceil(ttlMs);
}
