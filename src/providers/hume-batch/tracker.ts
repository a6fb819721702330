/**
 * Follows Hume jobs to a terminal state and announces each status once across replicas. With callbacks (PUBLIC_URL
 * set) the poll is only a slow safety net for a callback that never arrives; without them it is the normal schedule.
 */
import { ProviderHeldBackError, ProviderHttpError } from '../../domain/failures.js';
import { isTerminalJobStatus, type Job } from '../../domain/job.js';
import type { Clock, RecordStore, WorkTracking } from '../../domain/tracking.js';
import { nextPollDelay, retryDelay } from '../../tracking/poll-schedule.js';
import type { HumeJobs } from './jobs.js';

const STATUS_CLAIMS = 'hume-job-status';
const CLAIM_TTL_MS = 30 * 24 * 3600 * 1000;

export interface HumeJobTrackerOptions {
  clock: Clock;
  /** Whether Hume calls back (PUBLIC_URL set); read at each poll. */
  callbacksEnabled: () => boolean;
  /** With callbacks, the shortest gap between safety-net checks. */
  safetyNetGapMs?: number;
  log: (message: string, fields?: Record<string, unknown>) => void;
}

export class HumeJobTracker {
  private readonly work: WorkTracking;

  constructor(
    private readonly jobs: HumeJobs,
    private readonly records: RecordStore,
    trackWork: (kind: string, runner: (id: string, signal: AbortSignal) => Promise<void>) => WorkTracking,
    private readonly onStatus: (jobId: string, status: Job['status']) => Promise<void> | void,
    private readonly options: HumeJobTrackerOptions,
  ) {
    this.work = trackWork('hume-job', (id, signal) => this.followUntilTerminal(id, signal));
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
  async refresh(jobId: string): Promise<Job | null> {
    const job = await this.jobs.getJob(jobId);
    // Callbacks, polls and replicas may all see one change: only the first to claim it announces it.
    if (job && (await this.records.putIfAbsent(STATUS_CLAIMS, `${jobId}:${job.status}`, true, CLAIM_TTL_MS)))
      await this.onStatus(jobId, job.status);
    return job;
  }

  private async followUntilTerminal(jobId: string, signal: AbortSignal): Promise<void> {
    const { clock } = this.options;
    let failures = 0;
    let retryAfter: number | undefined;
    let job: Job | null = null;
    for (;;) {
      try {
        job = await this.refresh(jobId);
        failures = 0;
        if (!job || isTerminalJobStatus(job.status)) return;
      } catch (error) {
        if (error instanceof ProviderHeldBackError) {
          // Hume asked this replica to wait: nothing was sent; ask again once the time has passed.
          await clock.sleep(error.retryAfterMs, signal);
          if (signal.aborted) return;
          continue;
        }
        failures += 1;
        retryAfter = error instanceof ProviderHttpError ? error.retryAfterMs : undefined;
        this.options.log('hume job poll failed', { jobId, failures, error: String(error) });
      }
      const age = job ? clock.now() - job.createdAt : 0;
      const delay = failures > 0 ? retryDelay(age, failures, retryAfter) : this.normalDelay(age);
      await clock.sleep(delay, signal);
      if (signal.aborted) return;
    }
  }

  /** Without callbacks: the normal schedule. With them: a check now and then, further apart as the job ages. */
  private normalDelay(ageMs: number): number {
    if (!this.options.callbacksEnabled()) return nextPollDelay(ageMs);
    return Math.max(this.options.safetyNetGapMs ?? 60_000, ageMs / 2);
  }
}
