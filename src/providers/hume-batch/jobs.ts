/**
 * Hume batch jobs as the gateway reads them: the client's answers mapped to domain jobs, with a cross-request cache.
 * A job in a terminal state and the predictions of a completed job never change, so they are kept (bounded: by
 * count for jobs, by size for predictions), and concurrent reads of the same predictions share one upstream call.
 * While Hume asks this replica to wait, a read answers with the job as last seen, when there is one.
 */
import { LRUCache } from 'lru-cache';
import { ProviderHeldBackError } from '../../domain/failures.js';
import { isTerminalJobStatus, type Job } from '../../domain/job.js';
import type { SourcePredictions } from '../../domain/predictions.js';
import type { HumeArtifacts, HumeClient, HumeUpload } from './client.js';
import { toJob, toSourcePredictions } from './mapping.js';
import type { HumeInferenceBaseRequest, HumeJob } from './wire.js';

export interface HumeJobsOptions {
  /** Terminal jobs kept; each is small. */
  maxCachedJobs?: number;
  /** Heap bytes of parsed predictions kept (estimated as twice their JSON size). */
  maxCachedPredictionBytes?: number;
}

export class HumeJobs {
  private readonly terminalJobs: LRUCache<string, Job>;
  /** The last state seen of running jobs, answered while Hume holds calls back. */
  private readonly lastSeen: LRUCache<string, Job>;
  private readonly predictions: LRUCache<string, SourcePredictions[]>;
  private readonly predictionsInFlight = new Map<string, Promise<SourcePredictions[]>>();

  constructor(
    readonly client: HumeClient,
    options: HumeJobsOptions = {},
  ) {
    this.terminalJobs = new LRUCache({ max: options.maxCachedJobs ?? 2_000 });
    this.lastSeen = new LRUCache({ max: options.maxCachedJobs ?? 2_000 });
    this.predictions = new LRUCache({ maxSize: options.maxCachedPredictionBytes ?? 32 * 1024 * 1024 });
  }

  /** Null when Hume does not know the id. */
  async getJob(jobId: string): Promise<Job | null> {
    const cached = this.terminalJobs.get(jobId);
    if (cached) return cached;
    let wire: HumeJob | null;
    try {
      wire = await this.client.getJob(jobId);
    } catch (error) {
      const known = this.lastSeen.get(jobId);
      if (error instanceof ProviderHeldBackError && known) return known;
      throw error;
    }
    return wire ? this.remember(toJob(wire)) : null;
  }

  /** The job if it is cached as terminal, without any upstream call. */
  peekTerminal(jobId: string): Job | undefined {
    return this.terminalJobs.get(jobId);
  }

  async getPredictions(jobId: string): Promise<SourcePredictions[]> {
    const cached = this.predictions.get(jobId);
    if (cached) return cached;
    let pending = this.predictionsInFlight.get(jobId);
    if (!pending) {
      pending = this.client
        .getPredictions(jobId)
        .then(({ predictions, bytes }) => {
          const mapped = toSourcePredictions(jobId, predictions);
          // Parsed objects take about twice the JSON's bytes on the heap: the cache is sized by that.
          this.predictions.set(jobId, mapped, { size: Math.max(1, bytes * 2) });
          return mapped;
        })
        .finally(() => this.predictionsInFlight.delete(jobId));
      this.predictionsInFlight.set(jobId, pending);
    }
    return pending;
  }

  startJob(request: HumeInferenceBaseRequest, files: HumeUpload[]): Promise<string> {
    return this.client.startJob(request, files);
  }

  openArtifacts(jobId: string): Promise<HumeArtifacts> {
    return this.client.openArtifacts(jobId);
  }

  private remember(job: Job): Job {
    if (isTerminalJobStatus(job.status)) {
      this.terminalJobs.set(job.id, job);
      this.lastSeen.delete(job.id);
    } else this.lastSeen.set(job.id, job);
    return job;
  }
}
