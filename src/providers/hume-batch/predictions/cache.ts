/**
 * A cache bounded by bytes whose misses are single-flight: every reader of a key that is not cached yet waits for
 * the same load, whichever operation it belongs to, and the loaded value is kept when it fits. A value larger than
 * the whole cache is served to its waiting readers but not kept.
 */
import { LRUCache } from 'lru-cache';

export interface Sized<V> {
  value: V;
  bytes: number;
}

export class SizedSingleFlightCache<V extends object> {
  private readonly kept: LRUCache<string, V>;
  private readonly loading = new Map<string, Promise<V>>();

  constructor(
    maxBytes: number,
    private readonly load: (key: string) => Promise<Sized<V>>,
  ) {
    this.kept = new LRUCache<string, V>({ maxSize: Math.max(1, maxBytes) });
  }

  get(key: string): Promise<V> {
    const cached = this.kept.get(key);
    if (cached) return Promise.resolve(cached);
    let pending = this.loading.get(key);
    if (!pending) {
      pending = this.load(key)
        .then(({ value, bytes }) => {
          this.kept.set(key, value, { size: Math.max(1, Math.ceil(bytes)) });
          return value;
        })
        .finally(() => this.loading.delete(key));
      this.loading.set(key, pending);
    }
    return pending;
  }

  has(key: string): boolean {
    return this.kept.has(key);
  }
}
