/**
 * Follows Hume jobs to a terminal state and announces each status once. With callbacks (PUBLIC_URL set) the poll is
 * only a slow safety net for a callback that never arrives; without them it is the normal schedule.
 */
import type { JobProvider } from '../providers/hume-batch/source.js';
import { isTerminalJob } from '../providers/hume-batch/source.js';
import type { HumeJob, HumeJobStatus } from '../providers/hume-batch/wire.js';
import type { GatewayStore } from '../store/store.js';
import { nextPollDelay, retryDelay, systemClock, type Clock } from './poll-schedule.js';
import { TrackedWork, type TrackedWorkOptions } from './tracked-work.js';
import { ProviderHttpError } from '../providers/http.js';

const STATUS_CLAIMS = 'hume-job-status';
const CLAIM_TTL_MS = 30 * 24 * 3600 * 1000;

export interface HumeJobTrackerOptions extends TrackedWorkOptions {
  clock?: Clock;
  /** Whether Hume calls back (PUBLIC_URL set); read at each poll. */
  callbacksEnabled: () => boolean;
  /** With callbacks, the shortest gap between safety-net checks. */
  safetyNetGapMs?: number;
}

export class HumeJobTracker {
  private readonly clock: Clock;
  private readonly work: TrackedWork;

  constructor(
    private readonly hume: JobProvider,
    private readonly store: GatewayStore,
    private readonly onStatus: (jobId: string, status: HumeJobStatus) => Promise<void> | void,
    private readonly options: HumeJobTrackerOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.work = new TrackedWork(store, 'hume-job', (id, signal) => this.followUntilTerminal(id, signal), options);
  }

  track(jobId: string): Promise<void> {
    return this.work.track(jobId);
  }

  resume(): void {
    this.work.startSweeping();
  }

  get tracked(): string[] {
    return this.work.active;
  }

  close(): Promise<void> {
    return this.work.close();
  }

  /** Reads the job now and announces its status if no replica has yet. The callback receiver uses this too. */
  async refresh(jobId: string): Promise<HumeJob | null> {
    const job = await this.hume.getJob(jobId);
    // Callbacks, polls and replicas may all see one change: only the first to claim it announces it.
    if (job && (await this.store.putIfAbsent(STATUS_CLAIMS, `${jobId}:${job.state.status}`, true, CLAIM_TTL_MS)))
      await this.onStatus(jobId, job.state.status);
    return job;
  }

  private async followUntilTerminal(jobId: string, signal: AbortSignal): Promise<void> {
    let failures = 0;
    let retryAfter: number | undefined;
    for (;;) {
      let job: HumeJob | null = null;
      try {
        job = await this.refresh(jobId);
        failures = 0;
        if (!job || isTerminalJob(job)) return;
      } catch (error) {
        failures += 1;
        retryAfter = error instanceof ProviderHttpError ? error.retryAfterMs : undefined;
        this.options.log?.('hume job poll failed', { jobId, failures, error: String(error) });
      }
      const age = job ? this.clock.now() - job.state.created_timestamp_ms : 0;
      const delay = failures > 0 ? retryDelay(age, failures, retryAfter) : this.normalDelay(age);
      await this.clock.sleep(delay, signal);
      if (signal.aborted) return;
    }
  }

  /** Without callbacks: the normal schedule. With them: a check now and then, further apart as the job ages. */
  private normalDelay(ageMs: number): number {
    if (!this.options.callbacksEnabled()) return nextPollDelay(ageMs);
    return Math.max(this.options.safetyNetGapMs ?? 60_000, ageMs / 2);
  }
}
