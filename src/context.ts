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
import type { WorkIndex } from './work-index.js';

/** Without authentication every caller is this one tenant. */
export const DEFAULT_TENANT = 'default';

export interface GatewayServices {
  providers: ProviderRegistry;
  analyses: MediaAnalyses;
  /** Who started which work; each tenant's work newest first. */
  work: WorkIndex;
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
  /** The caller's tenant: its work is the only work it sees. */
  tenant: string;
  services: GatewayServices;
  loaders: OperationLoaders;
  /** Base URL the client reached us at; used for links when PUBLIC_URL is not set. */
  origin: string;
}

export function createContext(services: GatewayServices, options: { requestId?: string; origin?: string; tenant?: string } = {}): GatewayContext {
  return {
    requestId: options.requestId ?? randomUUID(),
    tenant: options.tenant ?? DEFAULT_TENANT,
    services,
    loaders: new OperationLoaders(services, options.tenant ?? DEFAULT_TENANT),
    origin: options.origin ?? services.publicUrl ?? 'http://localhost',
  };
}
