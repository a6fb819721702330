/**
 * What every resolver gets: the process-wide services, who is calling, and this operation's own loaders. Loaders
 * live for one operation (or one pushed subscription payload), so a piece of work named many times in it costs
 * one upstream call.
 */
import { randomUUID } from 'node:crypto';
import { ANONYMOUS, sees, type Viewer } from './auth.js';
import type { ProviderRegistry } from './domain/registry.js';
import type { GatewayEvents, ResyncSignal } from './events.js';
import type { MediaAnalyses } from './tracking/media-analyses.js';
import type { GatewayStore } from './store/store.js';
import type { Logger } from './logger.js';
import { OperationLoaders } from './loaders.js';
import type { StartLimiter } from './start-limiter.js';
import type { WorkIndex } from './work-index.js';

export { DEFAULT_TENANT } from './auth.js';

export interface GatewayServices {
  providers: ProviderRegistry;
  analyses: MediaAnalyses;
  /** Who started which work; each tenant's work newest first. */
  work: WorkIndex;
  events: GatewayEvents;
  store: GatewayStore;
  /** Per tenant: how many starts it may make (one tenant cannot spend the provider budget). */
  starts: StartLimiter;
  /** The gateway's externally reachable base URL, when configured; signed links are relative without it. */
  publicUrl: string | null;
  /** Fires when live subscriptions must re-read their state (backend reconnected). */
  resync: ResyncSignal;
  /** How often a live subscription re-reads state even without events; default 30 s. */
  resyncMs?: number;
  /** Distinct ids an operation may look up at providers. */
  maxDistinctIds?: number;
  logger: Logger;
}

export interface GatewayContext {
  requestId: string;
  /** Who is calling: its work is the only work it sees (all of it with the admin scope). */
  viewer: Viewer;
  /** Whether the viewer may see work `owner` started (undefined: no owner on record). */
  sees(owner: string | undefined): boolean;
  services: GatewayServices;
  loaders: OperationLoaders;
}

export function createContext(services: GatewayServices, options: { requestId?: string; viewer?: Viewer; authEnabled?: boolean } = {}): GatewayContext {
  const viewer = options.viewer ?? ANONYMOUS;
  const authEnabled = options.authEnabled ?? false;
  const context: GatewayContext = {
    requestId: options.requestId ?? randomUUID(),
    viewer,
    sees: (owner) => sees(viewer, owner, authEnabled),
    services,
    loaders: undefined as never,
  };
  context.loaders = new OperationLoaders(services, context);
  return context;
}
