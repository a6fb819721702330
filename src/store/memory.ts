import { checkTtl, encodeValue, isAfter, storeKey, type GatewayStore, type IndexEntry, type IndexPosition } from './store.js';

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
  /** Each index kept sorted newest first (descending score, then descending member). */
  private readonly indexes = new Map<string, IndexEntry[]>();
  private readonly reconnectListeners: Array<() => void> = [];
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    // Expired entries are dropped on read; the sweep only bounds memory for keys never read again.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    const entry = this.live(storeKey(namespace, key));
    return entry ? (JSON.parse(entry.value) as T) : undefined;
  }

  async put<T>(namespace: string, key: string, value: T, ttlMs?: number): Promise<void> {
    this.entries.set(storeKey(namespace, key), { value: encodeValue(value), expiresAt: this.expiry(ttlMs) });
  }

  async putIfAbsent<T>(namespace: string, key: string, value: T, ttlMs?: number): Promise<boolean> {
    const entryId = storeKey(namespace, key);
    const entry: Entry = { value: encodeValue(value), expiresAt: this.expiry(ttlMs) };
    if (this.live(entryId)) return false;
    this.entries.set(entryId, entry);
    return true;
  }

  async delete(namespace: string, key: string): Promise<void> {
    this.entries.delete(storeKey(namespace, key));
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

  async indexAdd(index: string, member: string, score: number): Promise<void> {
    let entries = this.indexes.get(index);
    if (!entries) this.indexes.set(index, (entries = []));
    const existing = entries.findIndex((e) => e.member === member);
    if (existing >= 0) entries.splice(existing, 1);
    const entry = { member, score };
    // Binary search for the first entry that comes after the new one.
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (isAfter(entries[mid]!, entry)) high = mid;
      else low = mid + 1;
    }
    entries.splice(low, 0, entry);
  }

  async indexPage(index: string, limit: number, after?: IndexPosition): Promise<IndexEntry[]> {
    const entries = this.indexes.get(index) ?? [];
    const start = after ? entries.findIndex((e) => isAfter(e, after)) : 0;
    return start < 0 ? [] : entries.slice(start, start + limit).map((e) => ({ ...e }));
  }

  async indexTrim(index: string, minScore: number): Promise<void> {
    const entries = this.indexes.get(index);
    if (!entries) return;
    const kept = entries.filter((e) => e.score >= minScore);
    if (kept.length === 0) this.indexes.delete(index);
    else this.indexes.set(index, kept);
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
