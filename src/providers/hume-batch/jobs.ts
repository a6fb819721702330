/**
 * Hume batch jobs as the gateway reads them: the client's answers mapped to domain jobs, with a cross-request cache.
 * A job in a terminal state and the predictions of a completed job never change, so they are kept (bounded: by
 * count for jobs, by bytes for predictions, held in their compact form), and every reader of predictions that are
 * not cached yet waits for the same download and build, whichever operation it belongs to.
 * While Hume asks this replica to wait, a read answers with the job as last seen, when there is one.
 */
import { LRUCache } from 'lru-cache';
import { ProviderHeldBackError, ProviderUnavailableError } from '../../domain/failures.js';
import { isTerminalJobStatus, type Job } from '../../domain/job.js';
import type { SourcePredictions } from '../../domain/predictions.js';
import { HUME, type HumeArtifacts, type HumeClient, type HumeUpload } from './client.js';
import { toJob, toSourcePredictions } from './mapping.js';
import { SizedSingleFlightCache } from './predictions/cache.js';
import { compactBytes } from './predictions/compact.js';
import { InvalidPredictionsError, parsePredictions } from './predictions/pool.js';
import type { HumeInferenceBaseRequest, HumeJob } from './wire.js';

export interface HumeJobsOptions {
  /** Terminal jobs kept; each is small. */
  maxCachedJobs?: number;
  /** Bytes of predictions kept, in their compact form (PREDICTIONS_CACHE_MB). */
  maxCachedPredictionBytes?: number;
}

/** 128 MiB: a 3-hour face job takes about 8 MiB compact (its answer is 60 MiB of JSON); all six models, roughly 25. */
export const DEFAULT_PREDICTIONS_CACHE_BYTES = 128 * 1024 * 1024;

/** Seen by tests and the bench: what the last build of a job's predictions read and kept. */
export interface PredictionsBuild {
  jobId: string;
  answerBytes: number;
  compactBytes: number;
  ms: number;
}

export class HumeJobs {
  private readonly terminalJobs: LRUCache<string, Job>;
  /** The last state seen of running jobs, answered while Hume holds calls back. */
  private readonly lastSeen: LRUCache<string, Job>;
  private readonly predictions: SizedSingleFlightCache<SourcePredictions[]>;
  /** The most recent builds, newest last (a few, for diagnostics). */
  readonly builds: PredictionsBuild[] = [];

  constructor(
    readonly client: HumeClient,
    options: HumeJobsOptions = {},
  ) {
    this.terminalJobs = new LRUCache({ max: options.maxCachedJobs ?? 2_000 });
    this.lastSeen = new LRUCache({ max: options.maxCachedJobs ?? 2_000 });
    this.predictions = new SizedSingleFlightCache(options.maxCachedPredictionBytes ?? DEFAULT_PREDICTIONS_CACHE_BYTES, (jobId) => this.buildPredictions(jobId));
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

  getPredictions(jobId: string): Promise<SourcePredictions[]> {
    return this.predictions.get(jobId);
  }

  /** Whether the predictions of this job are cached now (tests, diagnostics). */
  hasCachedPredictions(jobId: string): boolean {
    return this.predictions.has(jobId);
  }

  private async buildPredictions(jobId: string): Promise<{ value: SourcePredictions[]; bytes: number }> {
    const started = performance.now();
    const { compact, bytes } = await this.client.readPredictions(jobId, (body) =>
      parsePredictions(body).catch((error: unknown) => {
        throw error instanceof InvalidPredictionsError ? new ProviderUnavailableError(HUME, error.message, true) : error;
      }),
    );
    const size = compactBytes(compact);
    this.builds.push({ jobId, answerBytes: bytes, compactBytes: size, ms: performance.now() - started });
    if (this.builds.length > 20) this.builds.shift();
    return { value: toSourcePredictions(jobId, compact), bytes: size };
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
