/**
 * Work that must be followed to its end (a task to poll, a job to watch), shared by replicas: the ids live in the
 * store's tracked set, and a lease per id says which replica works on it now. The lease is renewed while the work
 * runs; a replica that dies stops renewing, the lease lapses and another replica's sweep adopts the work. A
 * restarted replica finds its unfinished work the same way.
 */
import { randomUUID } from 'node:crypto';
import type { WorkRunner, WorkTracking } from '../domain/tracking.js';
import type { GatewayStore } from '../store/store.js';

export interface TrackedWorkOptions {
  /** How long a lease lives without renewal; the time work waits to move after its replica dies. */
  leaseMs?: number;
  /** How often to look for work nobody holds; defaults to half the lease. */
  sweepMs?: number;
  log?: (message: string, fields?: Record<string, unknown>) => void;
}

export type { WorkRunner };

export class TrackedWork implements WorkTracking {
  readonly owner = randomUUID();
  private readonly leaseMs: number;
  private readonly sweepMs: number;
  private readonly running = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private sweeper: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly log: (message: string, fields?: Record<string, unknown>) => void;

  constructor(
    private readonly store: GatewayStore,
    readonly kind: string,
    private readonly runner: WorkRunner,
    options: TrackedWorkOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 10_000;
    this.sweepMs = options.sweepMs ?? Math.max(50, Math.floor(this.leaseMs / 2));
    this.log = options.log ?? (() => {});
  }

  /** Begins adopting unowned work now and periodically (resumes what a previous process left). */
  startSweeping(): void {
    if (this.sweeper || this.closed) return;
    void this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), this.sweepMs);
    this.sweeper.unref();
  }

  /** Records the work and starts it here if no other replica holds it. */
  async track(id: string): Promise<void> {
    await this.store.addTracked(this.kind, id);
    await this.tryRun(id);
  }

  /** Ids this replica works on now. */
  get active(): string[] {
    return [...this.running.keys()];
  }

  /** Stops local work and hands its leases over at once, so another replica need not wait for them to lapse. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    for (const { controller } of this.running.values()) controller.abort();
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  private async sweep(): Promise<void> {
    try {
      const ids = await this.store.listTracked(this.kind);
      for (const id of ids) if (!this.running.has(id)) await this.tryRun(id);
    } catch (error) {
      this.log('tracked work sweep failed', { kind: this.kind, error: String(error) });
    }
  }

  private async tryRun(id: string): Promise<void> {
    if (this.closed || this.running.has(id)) return;
    const lease = `${this.kind}:${id}`;
    if (!(await this.store.acquireLease(lease, this.owner, this.leaseMs))) return;
    if (this.closed || this.running.has(id)) return;
    const controller = new AbortController();
    const renew = setInterval(() => {
      this.store
        .renewLease(lease, this.owner, this.leaseMs)
        .then((held) => {
          if (!held) controller.abort();
        })
        .catch(() => {
          // A store outage: keep working; the lease is re-checked at the next renewal.
        });
    }, Math.max(20, Math.floor(this.leaseMs / 3)));
    renew.unref();
    const done = (async () => {
      let finished = false;
      try {
        await this.runner(id, controller.signal);
        finished = !controller.signal.aborted;
      } catch (error) {
        this.log('tracked work failed', { kind: this.kind, id, error: String(error) });
      } finally {
        clearInterval(renew);
        this.running.delete(id);
        if (finished) await this.store.removeTracked(this.kind, id).catch(() => {});
        await this.store.releaseLease(lease, this.owner).catch(() => {});
      }
    })();
    this.running.set(id, { controller, done });
  }
}
