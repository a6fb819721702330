/**
 * Hume batch (Expression Measurement v0) as a provider adapter: jobs over URLs, uploaded files and raw text, tracked
 * by Hume's callbacks (with a public URL) or by polling, with an artifacts download streamed through the gateway.
 * Hume retired this API on 2026-06-14; it is enabled only when HUME_BASE_URL names a server that still speaks it.
 */
import type { Job, JobSpec } from '../../domain/job.js';
import type { MediaUpload } from '../../domain/media.js';
import type { SourcePredictions } from '../../domain/predictions.js';
import type { AdapterDeps, CallbackIssuer, ProviderAdapter, ProviderIdentity, ProviderModule, ProviderRoute, ReadinessCheck } from '../../domain/provider.js';
import { fail, parseInteger, parseUrl, read } from '../../env.js';
import { bookkeepAfterAcceptance } from '../../tracking/after-acceptance.js';
import { probeReadiness } from '../readiness.js';
import { artifactsLink, artifactsRoute } from './artifacts.js';
import { HUME, HumeClient } from './client.js';
import { DEFAULT_PREDICTIONS_CACHE_BYTES, HumeJobs, type HumeJobsOptions } from './jobs.js';
import { toHumeRequest } from './mapping.js';
import { HumeJobTracker } from './tracker.js';

export const humeBatchIdentity: ProviderIdentity = { id: HUME, graphqlName: 'HUME', displayName: 'Hume' };

export interface HumeBatchConfig {
  apiKey: string;
  baseUrl: string;
  /** Bytes of completed jobs' predictions kept in compact form (PREDICTIONS_CACHE_MB). */
  predictionsCacheBytes: number;
}

const MIB = 1024 * 1024;

/** Test and tuning options. */
export interface HumeBatchOptions {
  jobs?: HumeJobsOptions;
  /** With callbacks, the shortest gap between safety-net checks of a running job. */
  safetyNetGapMs?: number;
}

export class HumeBatchAdapter implements ProviderAdapter {
  readonly identity = humeBatchIdentity;
  readonly client: HumeClient;
  readonly jobs: HumeJobs;
  readonly tracker: HumeJobTracker;
  readonly routes: ProviderRoute[];
  private readonly callbacks: CallbackIssuer;

  constructor(
    config: HumeBatchConfig,
    private readonly deps: AdapterDeps,
    options: HumeBatchOptions = {},
  ) {
    this.client = new HumeClient({ baseUrl: config.baseUrl, apiKey: config.apiKey, observer: deps.observer, ...deps.tuning });
    this.jobs = new HumeJobs(this.client, { maxCachedPredictionBytes: config.predictionsCacheBytes, ...options.jobs });
    this.callbacks = deps.callbacks((jobId) => this.tracker.refresh(jobId));
    this.tracker = new HumeJobTracker(this.jobs, deps.records, deps.trackWork, (jobId, status) => deps.announce('jobUpdated', jobId, status), {
      clock: deps.clock,
      callbacksEnabled: () => this.callbacks.enabled(),
      safetyNetGapMs: options.safetyNetGapMs,
      log: deps.log,
    });
    this.routes = [artifactsRoute(deps.links, (jobId) => this.jobs.openArtifacts(jobId))];
  }

  getJob(jobId: string): Promise<Job | null> {
    return this.jobs.getJob(jobId);
  }

  getPredictions(jobId: string): Promise<SourcePredictions[]> {
    return this.jobs.getPredictions(jobId);
  }

  /**
   * Starts a job (with a callback URL when the gateway has a public one) and follows it. Throws only when Hume did
   * not take it; bookkeeping after that (`afterAccepted` included) never fails the start.
   */
  async startJob(spec: JobSpec, files: MediaUpload[], afterAccepted: Array<(jobId: string) => Promise<unknown>> = []): Promise<string> {
    const request = toHumeRequest(spec);
    const callback = this.callbacks.prepare();
    if (callback) request.callback_url = callback.url;
    const jobId = await this.jobs.startJob(request, files);
    await bookkeepAfterAcceptance(
      { provider: HUME, jobId },
      [...(callback ? [() => callback.bind(jobId)] : []), ...afterAccepted.map((step) => () => step(jobId)), () => this.tracker.track(jobId)],
      this.deps.log,
    );
    return jobId;
  }

  /** Follows a job started elsewhere (another client of the same account) that someone now watches. */
  follow(jobId: string): Promise<void> {
    return this.tracker.track(jobId);
  }

  artifactsLink(base: string, jobId: string, lifetimeSeconds: number): string {
    return artifactsLink(this.deps.links, base, jobId, lifetimeSeconds);
  }

  readiness(): Promise<ReadinessCheck> {
    return probeReadiness(HUME, () => this.client.probe());
  }

  start(): void {
    this.tracker.resume();
  }

  trackedCount(): number {
    return this.tracker.tracked.length;
  }

  async close(): Promise<void> {
    // Hand leases over first, so another replica takes the work now, not after they lapse.
    await this.tracker.close();
    await this.client.close();
  }
}

export const humeBatch: ProviderModule<HumeBatchConfig, HumeBatchAdapter> = {
  identity: humeBatchIdentity,
  enabledBy: 'HUME_BASE_URL with HUME_API_KEY (Hume batch)',
  readConfig(env) {
    const baseUrl = parseUrl(env, 'HUME_BASE_URL', ['https:', 'http:']);
    if (baseUrl === undefined) return null;
    const apiKey = read(env, 'HUME_API_KEY');
    if (apiKey === undefined) fail('HUME_BASE_URL', 'Hume batch needs HUME_API_KEY too (the same key as Hume expression)');
    const predictionsCacheBytes = parseInteger(env, 'PREDICTIONS_CACHE_MB', DEFAULT_PREDICTIONS_CACHE_BYTES / MIB, 1, 1024 * 1024, ' (MiB)') * MIB;
    return { apiKey, baseUrl, predictionsCacheBytes };
  },
  describe: (config) => `Hume batch (v0) at ${new URL(config.baseUrl).origin}`,
  create: (config, deps, options) => new HumeBatchAdapter(config, deps, options as HumeBatchOptions | undefined),
};
