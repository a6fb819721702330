/**
 * What every resolver gets: the process-wide services and this operation's own loaders. Loaders live for one
 * operation (or one pushed subscription payload), so a job named many times in it costs one upstream call.
 */
import { randomUUID } from 'node:crypto';
import type { JobProvider } from './providers/hume-batch/source.js';
import type { GatewayEvents, ResyncSignal } from './events.js';
import type { UrlSigner } from './signing.js';
import type { EmotionTaskTracker } from './tracking/emotion-tasks.js';
import type { MediaAnalyses } from './tracking/media-analyses.js';
import type { HumeCallbacks } from './tracking/hume-callbacks.js';
import type { HumeJobTracker } from './tracking/hume-jobs.js';
import type { GatewayStore } from './store/store.js';
import type { Logger } from './logger.js';
import { createLoaders, type Loaders } from './loaders.js';

export interface GatewayServices {
  hume: JobProvider | null;
  /** Phonexia tasks: started, recorded and tracked by the gateway; null when Phonexia is not configured. */
  emotionTasks: EmotionTaskTracker | null;
  analyses: MediaAnalyses;
  events: GatewayEvents;
  store: GatewayStore;
  signer: UrlSigner;
  /** The gateway's externally reachable base URL, when configured. */
  publicUrl: string | null;
  /** Issues per-job callback URLs when PUBLIC_URL is set. */
  humeCallbacks?: HumeCallbacks;
  /** Tells tracking about a job it must follow to a terminal state. */
  onJobStarted?: (jobId: string) => Promise<void> | void;
  /** Follows Hume jobs (polling or safety net) and announces their changes. */
  humeJobs?: HumeJobTracker;
  /** Fires when live subscriptions must re-read their state (backend reconnected). */
  resync: ResyncSignal;
  /** How often a live subscription re-reads state even without events; default 30 s. */
  resyncMs?: number;
  logger: Logger;
}

export interface GatewayContext {
  requestId: string;
  services: GatewayServices;
  loaders: Loaders;
  /** Base URL the client reached us at; used for links when PUBLIC_URL is not set. */
  origin: string;
}

export function createContext(services: GatewayServices, options: { requestId?: string; origin?: string } = {}): GatewayContext {
  return {
    requestId: options.requestId ?? randomUUID(),
    services,
    loaders: createLoaders(services),
    origin: options.origin ?? services.publicUrl ?? 'http://localhost',
  };
}
