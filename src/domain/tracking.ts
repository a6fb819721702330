/** What adapters need of the gateway's own state and of tracked work, as interfaces the core implements. */

/** Time source for trackers (tests use a virtual clock). */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** JSON records shared by replicas (memory or Redis): the store, seen through what adapters need. */
export interface RecordStore {
  get<T>(namespace: string, key: string): Promise<T | undefined>;
  put<T>(namespace: string, key: string, value: T, ttlMs?: number): Promise<void>;
  /** Writes only when absent; true when this call wrote it (a claim). */
  putIfAbsent<T>(namespace: string, key: string, value: T, ttlMs?: number): Promise<boolean>;
  delete(namespace: string, key: string): Promise<void>;
}

/** Runs one piece of work until it ends or `signal` aborts (the lease was lost, or the process is stopping). */
export type WorkRunner = (id: string, signal: AbortSignal) => Promise<void>;

export interface WorkTracking {
  /** Records the work and starts it here unless another replica holds it. */
  track(id: string): Promise<void>;
  /** Adopts unowned work now and periodically (what a previous process or a dead replica left). */
  startSweeping(): void;
  /** Ids this replica works on now. */
  readonly active: string[];
  /** Stops local work and hands its leases over. */
  close(): Promise<void>;
}
