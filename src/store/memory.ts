import type { GatewayStore } from './store.js';

interface Entry {
  value: string;
  expiresAt: number;
}

/**
 * One process's state in a Map. Values are stored as JSON text so callers get copies, exactly as with Redis,
 * and a caller mutating what it read cannot change the store behind another caller's back.
 */
export class MemoryStore implements GatewayStore {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    // Expired entries are dropped on read; the sweep only bounds memory for keys never read again.
    this.sweeper = setInterval(() => this.sweep(), 60_000);
    this.sweeper.unref();
  }

  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    const id = `${namespace}:${key}`;
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return JSON.parse(entry.value) as T;
  }

  async put<T>(namespace: string, key: string, value: T, ttlMs?: number): Promise<void> {
    this.entries.set(`${namespace}:${key}`, { value: JSON.stringify(value), expiresAt: ttlMs === undefined ? Infinity : this.now() + ttlMs });
  }

  async putIfAbsent<T>(namespace: string, key: string, value: T, ttlMs?: number): Promise<boolean> {
    if ((await this.get(namespace, key)) !== undefined) return false;
    await this.put(namespace, key, value, ttlMs);
    return true;
  }

  async delete(namespace: string, key: string): Promise<void> {
    this.entries.delete(`${namespace}:${key}`);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(id);
  }
}
