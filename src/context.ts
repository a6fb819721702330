/**
 * What every resolver gets: the process-wide services and this operation's own loaders. Loaders live for one
 * operation (or one pushed subscription payload), so a piece of work named many times in it costs one upstream call.
 */
import { randomUUID } from 'node:crypto';
import type { ProviderRegistry } from './domain/registry.js';
import type { GatewayEvents, ResyncSignal } from './events.js';
import type { MediaAnalyses } from './tracking/media-analyses.js';
import type { GatewayStore } from './store/store.js';
import type { Logger } from './logger.js';
import { OperationLoaders } from './loaders.js';

export interface GatewayServices {
  providers: ProviderRegistry;
  analyses: MediaAnalyses;
  events: GatewayEvents;
  store: GatewayStore;
  /** The gateway's externally reachable base URL, when configured. */
  publicUrl: string | null;
  /** Fires when live subscriptions must re-read their state (backend reconnected). */
  resync: ResyncSignal;
  /** How often a live subscription re-reads state even without events; default 30 s. */
  resyncMs?: number;
  logger: Logger;
}

export interface GatewayContext {
  requestId: string;
  services: GatewayServices;
  loaders: OperationLoaders;
  /** Base URL the client reached us at; used for links when PUBLIC_URL is not set. */
  origin: string;
}

export function createContext(services: GatewayServices, options: { requestId?: string; origin?: string } = {}): GatewayContext {
  return {
    requestId: options.requestId ?? randomUUID(),
    services,
    loaders: new OperationLoaders(services),
    origin: options.origin ?? services.publicUrl ?? 'http://localhost',
  };
}
