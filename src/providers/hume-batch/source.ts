/**
 * The Hume job source the schema uses: the client plus a cross-request cache. A job in a terminal state and the
 * predictions of a completed job never change, so they are kept (bounded: by count for jobs, by size for
 * predictions) and concurrent reads of the same predictions share one upstream call.
 */
import { LRUCache } from 'lru-cache';
import type { HumeArtifacts, HumeClient, HumeUpload } from './client.js';
import type { HumeInferenceBaseRequest, HumeJob, HumeListQuery, HumePredictions } from './wire.js';

export interface HumeSourceOptions {
  /** Terminal jobs kept; each is small. */
  maxCachedJobs?: number;
  /** Heap bytes of parsed predictions kept (estimated as twice their JSON size). */
  maxCachedPredictionBytes?: number;
}

export const isTerminalJob = (job: HumeJob) => job.state.status === 'COMPLETED' || job.state.status === 'FAILED';

/**
 * What the schema, the trackers and the artifacts route need of a job provider. Another adapter (Hume's newer
 * expression API, say) implements this beside the batch one; the schema does not change.
 */
export interface JobProvider {
  /** Null when the provider does not know the id. */
  getJob(jobId: string): Promise<HumeJob | null>;
  getPredictions(jobId: string): Promise<HumePredictions>;
  listJobs(query: HumeListQuery): Promise<HumeJob[]>;
  startJob(request: HumeInferenceBaseRequest, files: HumeUpload[]): Promise<string>;
  openArtifacts(jobId: string): Promise<HumeArtifacts>;
}

export class HumeJobSource implements JobProvider {
  private readonly terminalJobs: LRUCache<string, HumeJob>;
  private readonly predictions: LRUCache<string, HumePredictions>;
  private readonly predictionsInFlight = new Map<string, Promise<HumePredictions>>();

  constructor(
    private readonly client: HumeClient,
    options: HumeSourceOptions = {},
  ) {
    this.terminalJobs = new LRUCache({ max: options.maxCachedJobs ?? 2_000 });
    this.predictions = new LRUCache({ maxSize: options.maxCachedPredictionBytes ?? 32 * 1024 * 1024 });
  }

  async getJob(jobId: string): Promise<HumeJob | null> {
    const cached = this.terminalJobs.get(jobId);
    if (cached) return cached;
    const job = await this.client.getJob(jobId);
    if (job) this.remember(job);
    return job;
  }

  /** A job seen elsewhere (in a list answer) that is terminal goes into the cache too. */
  remember(job: HumeJob): void {
    if (isTerminalJob(job)) this.terminalJobs.set(job.job_id, job);
  }

  /** The job if it is cached as terminal, without any upstream call. */
  peekTerminal(jobId: string): HumeJob | undefined {
    return this.terminalJobs.get(jobId);
  }

  async getPredictions(jobId: string): Promise<HumePredictions> {
    const cached = this.predictions.get(jobId);
    if (cached) return cached;
    let pending = this.predictionsInFlight.get(jobId);
    if (!pending) {
      pending = this.client
        .getPredictions(jobId)
        .then(({ predictions, bytes }) => {
          // Parsed objects take about twice the JSON's bytes on the heap: the cache is sized by that.
          this.predictions.set(jobId, predictions, { size: Math.max(1, bytes * 2) });
          return predictions;
        })
        .finally(() => this.predictionsInFlight.delete(jobId));
      this.predictionsInFlight.set(jobId, pending);
    }
    return pending;
  }

  async listJobs(query: HumeListQuery): Promise<HumeJob[]> {
    const jobs = await this.client.listJobs(query);
    for (const job of jobs) this.remember(job);
    return jobs;
  }

  startJob(request: HumeInferenceBaseRequest, files: HumeUpload[]): Promise<string> {
    return this.client.startJob(request, files);
  }

  openArtifacts(jobId: string): Promise<HumeArtifacts> {
    return this.client.openArtifacts(jobId);
  }
}
