/**
 * Phonexia Speech Platform 4 Emotion Recognition as a provider adapter: one uploaded media file per task, polled at
 * its `Location` until done, the task's record kept by the gateway (Phonexia returns only state and result).
 */
import type { EmotionTaskRequest } from '../../domain/emotion-task.js';
import type { MediaUpload } from '../../domain/media.js';
import type { AdapterDeps, ProviderAdapter, ProviderIdentity, ProviderModule, ReadinessCheck } from '../../domain/provider.js';
import { parseHeaders, parseUrl } from '../../env.js';
import { probeReadiness } from '../readiness.js';
import { PHONEXIA, PhonexiaClient } from './client.js';
import { EmotionTaskTracker, type EmotionTaskRecord } from './tasks.js';

export const phonexiaIdentity: ProviderIdentity = { id: PHONEXIA, graphqlName: 'PHONEXIA', displayName: 'Phonexia' };

/** Phonexia accepts uploads up to 500 MB. */
export const PHONEXIA_MAX_UPLOAD_BYTES = 500 * 1024 * 1024;

export interface PhonexiaConfig {
  baseUrl: string;
  headers: Record<string, string>;
}

export class PhonexiaAdapter implements ProviderAdapter {
  readonly identity = phonexiaIdentity;
  readonly client: PhonexiaClient;
  readonly tasks: EmotionTaskTracker;
  readonly routes = [];

  constructor(config: PhonexiaConfig, deps: AdapterDeps) {
    this.client = new PhonexiaClient({ baseUrl: config.baseUrl, headers: config.headers, observer: deps.observer, ...deps.tuning });
    this.tasks = new EmotionTaskTracker(this.client, deps.records, deps.trackWork, (taskId, status) => deps.announce('emotionTaskUpdated', taskId, status), {
      clock: deps.clock,
      log: deps.log,
    });
  }

  startTask(upload: MediaUpload, request: EmotionTaskRequest, correlationId: string, afterAccepted?: Array<(taskId: string) => Promise<unknown>>): Promise<EmotionTaskRecord> {
    return this.tasks.start(upload, request, correlationId, afterAccepted);
  }

  /** A fresh look at a task started through this gateway; null when unknown. */
  refreshTask(taskId: string): Promise<EmotionTaskRecord | null> {
    return this.tasks.refresh(taskId);
  }

  readiness(): Promise<ReadinessCheck> {
    return probeReadiness(PHONEXIA, () => this.client.probe());
  }

  start(): void {
    this.tasks.resume();
  }

  trackedCount(): number {
    return this.tasks.tracked.length;
  }

  async close(): Promise<void> {
    await this.tasks.close();
    await this.client.close();
  }
}

export const phonexia: ProviderModule<PhonexiaConfig, PhonexiaAdapter> = {
  identity: phonexiaIdentity,
  enabledBy: 'PHONEXIA_BASE_URL (Phonexia)',
  readConfig(env) {
    const baseUrl = parseUrl(env, 'PHONEXIA_BASE_URL', ['https:', 'http:']);
    const headers = parseHeaders(env, 'PHONEXIA_HEADERS');
    return baseUrl === undefined ? null : { baseUrl, headers };
  },
  describe: (config) => `Phonexia at ${new URL(config.baseUrl).origin}`,
  create: (config, deps) => new PhonexiaAdapter(config, deps),
};
