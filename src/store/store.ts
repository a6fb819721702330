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
  close(): Promise<void>;
}
