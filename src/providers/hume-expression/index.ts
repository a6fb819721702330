/**
 * Hume expression (Expression Measurement v1, launched 2026-10) as a provider adapter: synchronous measurement of
 * speech (16 kHz mono s16le, converted by the gateway from any PCM WAV, one upload per channel) and of faces in
 * JPEG images, each request recorded by Hume as a run. The gateway runs them in the background and keeps the
 * results, since Hume stores none.
 */
import type { ConversionPlan } from '../../audio/index.js';
import type { AudioRunRequest, ExpressionRun, ImagesRunRequest } from '../../domain/expression-run.js';
import type { AdapterDeps, ProviderAdapter, ProviderIdentity, ProviderModule, ProviderRoute, ReadinessCheck } from '../../domain/provider.js';
import { parseUrl, read } from '../../env.js';
import { probeReadiness } from '../readiness.js';
import { HUME_EXPRESSION_DEFAULT_BASE_URL, HumeExpressionClient } from './client.js';
import { ExpressionRuns } from './runs.js';
import { HUME_EXPRESSION } from './wire.js';

export const humeExpressionIdentity: ProviderIdentity = { id: HUME_EXPRESSION, graphqlName: 'HUME_EXPRESSION', displayName: 'Hume expression' };

/** Hume's limits (§3.2, §4.1): the whole multipart request, each image. */
export const HUME_EXPRESSION_MAX_REQUEST_BYTES = 25_000_000;
export const HUME_EXPRESSION_MAX_IMAGE_BYTES = 2_000_000;
export const HUME_EXPRESSION_MAX_IMAGE_PIXELS = 8_294_400;
/** Room left in a request for the multipart framing and the config part. */
export const MULTIPART_OVERHEAD_BYTES = 4_096;

export interface HumeExpressionConfig {
  apiKey: string;
  baseUrl: string;
}

export class HumeExpressionAdapter implements ProviderAdapter {
  readonly identity = humeExpressionIdentity;
  readonly client: HumeExpressionClient;
  readonly runs: ExpressionRuns;
  readonly routes: ProviderRoute[] = [];

  constructor(config: HumeExpressionConfig, deps: AdapterDeps) {
    this.client = new HumeExpressionClient({ apiKey: config.apiKey, baseUrl: config.baseUrl, observer: deps.observer, ...deps.tuning });
    this.runs = new ExpressionRuns(this.client, deps.records, deps.trackWork, (runId, status) => deps.announce('expressionRunUpdated', runId, status), {
      clock: deps.clock,
      log: deps.log,
      secret: config.apiKey,
    });
  }

  measureAudio(bytes: Uint8Array, plan: ConversionPlan, request: AudioRunRequest): Promise<ExpressionRun> {
    return this.runs.startAudio(bytes, plan, request);
  }

  measureImages(images: Array<{ fileName: string; data: Blob }>, request: ImagesRunRequest): Promise<ExpressionRun> {
    return this.runs.startImages(images, request);
  }

  getRun(runId: string): Promise<ExpressionRun | null> {
    return this.runs.get(runId);
  }

  readiness(): Promise<ReadinessCheck> {
    return probeReadiness(HUME_EXPRESSION, () => this.client.probe());
  }

  start(): void {
    this.runs.resume();
  }

  trackedCount(): number {
    return this.runs.tracked.length;
  }

  async close(): Promise<void> {
    await this.runs.close();
    await this.client.close();
  }
}

export const humeExpression: ProviderModule<HumeExpressionConfig, HumeExpressionAdapter> = {
  identity: humeExpressionIdentity,
  enabledBy: 'HUME_API_KEY (Hume expression)',
  readConfig(env) {
    const apiKey = read(env, 'HUME_API_KEY');
    const baseUrl = parseUrl(env, 'HUME_EXPRESSION_BASE_URL', ['https:', 'http:']) ?? HUME_EXPRESSION_DEFAULT_BASE_URL;
    return apiKey === undefined ? null : { apiKey, baseUrl };
  },
  describe: (config) => `Hume expression (v1) at ${new URL(config.baseUrl).origin}`,
  create: (config, deps) => new HumeExpressionAdapter(config, deps),
};
