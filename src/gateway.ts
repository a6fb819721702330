/**
 * Wires a gateway from its configuration: store and event bus (memory, or Redis for replicas), signer, the
 * configured provider adapters (each with the core's services), the callback receivers, schema, HTTP and WebSocket
 * servers. `main.ts` runs it as a process; tests start it in-process on an ephemeral port.
 */
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from './config.js';
import type { GatewayServices } from './context.js';
import type { AdapterDeps, AnyProviderModule, ClientTuning, ProviderAdapter, ProviderObserver, ProviderRoute } from './domain/provider.js';
import { ProviderRegistry } from './domain/registry.js';
import type { Clock } from './domain/tracking.js';
import { ResyncSignal, createEventBus, type GatewayEvents } from './events.js';
import type { Logger } from './logger.js';
import { createReadinessProbe } from './health.js';
import { createMetrics } from './metrics.js';
import { providerModules } from './providers/index.js';
import { analysisSides } from './schema/analysis-sides.js';
import { buildSchema } from './schema/index.js';
import { configureErrorReporting } from './schema/provider-errors.js';
import { createGatewayServer, type GatewayServer } from './server.js';
import { UrlSigner } from './signing.js';
import { sandboxSampleNames } from './sandbox-samples.js';
import { MemoryStore } from './store/memory.js';
import type { GatewayStore } from './store/store.js';
import { ProviderCallbacks } from './tracking/callbacks.js';
import { MediaAnalyses } from './tracking/media-analyses.js';
import { WorkIndex } from './work-index.js';
import { createAuthenticator, noAuthentication, type Authenticator } from './auth.js';
import { createStartLimiter } from './start-limiter.js';
import { systemClock } from './tracking/poll-schedule.js';
import { TrackedWork } from './tracking/tracked-work.js';

export interface GatewayOptions {
  config: GatewayConfig;
  logger: Logger;
  /** Host to bind; 0.0.0.0 in a container, loopback in tests. */
  host?: string;
  /** Client tuning for every provider (tests shorten timeouts and retry delays). */
  clientTuning?: ClientTuning;
  /** Also told of every provider request and retry, beside the metrics (tests count attempts with it). */
  observer?: ProviderObserver;
  /** Per-provider options, by provider id (tests tune caches and safety nets). */
  providerOptions?: Record<string, unknown>;
  /** Time source for trackers (tests use a virtual clock). */
  clock?: Clock;
  /** Lease lifetime for tracked work: how long work waits to move when its replica dies. */
  leaseMs?: number;
  /** How often a live subscription re-reads state even without events (lost pub/sub messages). */
  resyncMs?: number;
  graphiqlTitle?: string;
  /** Where the built web app is (served at `/app`); without it `/app` is not found. */
  webAppDirectory?: () => Promise<string>;
  /** Verifies callers' tokens; default: from the configuration (tests may pass their own). */
  authenticator?: Authenticator;
  /** Wraps the gateway's store (tests make it fail on purpose). */
  wrapStore?: (store: GatewayStore) => GatewayStore;
  /** The provider modules to configure from (default: every known one). */
  modules?: readonly AnyProviderModule[];
}

export interface RunningGateway extends GatewayServer {
  url: string;
  port: number;
  services: GatewayServices;
  /** Signs the links and callback tokens the gateway hands out. */
  signer: UrlSigner;
  close(): Promise<void>;
}

interface Backend {
  store: GatewayStore;
  /** The Redis connection of the store, for what shares state through Redis directly (rate limits). */
  redis: import('ioredis').Redis | null;
  events: GatewayEvents;
  /** Called after the store or the event connection came back from a drop. */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

/** Redis when configured (shared by replicas), else memory (one process; ioredis is then never loaded). */
async function createBackend(config: GatewayConfig): Promise<Backend> {
  if (!config.redisUrl) {
    const store = new MemoryStore();
    return { store, redis: null, events: createEventBus(), onReconnect: () => {}, close: () => store.close() };
  }
  const [{ RedisStore }, { createRedisEventBus }] = await Promise.all([import('./store/redis.js'), import('./store/redis-events.js')]);
  const store = new RedisStore(config.redisUrl);
  const bus = createRedisEventBus(config.redisUrl);
  return {
    store,
    redis: store.client,
    events: bus.events,
    onReconnect: (listener) => {
      store.onReconnect(listener);
      bus.onReconnect(listener);
    },
    close: async () => {
      await bus.close();
      await store.close();
    },
  };
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  const modules = options.modules ?? providerModules;
  const log = (message: string, fields?: Record<string, unknown>) => logger.warn(message, fields);
  const backend = await createBackend(config);
  // Tests put a store that fails on purpose in front of the real one.
  if (options.wrapStore) backend.store = options.wrapStore(backend.store);
  const { store, events } = backend;
  const signer = new UrlSigner(config.webhookSecret);
  const analyses = new MediaAnalyses(store);
  const metrics = createMetrics();
  const registry = new ProviderRegistry(modules);
  const clock = options.clock ?? systemClock;
  const leaseMs = options.leaseMs ?? config.trackingLeaseMs;

  const services: GatewayServices = {
    providers: registry,
    analyses,
    work: new WorkIndex(store),
    starts: createStartLimiter(config.startsPerMinute, backend.redis),
    maxDistinctIds: config.limits.maxDistinctIds,
    events,
    store,
    publicUrl: config.publicUrl,
    resync: new ResyncSignal(),
    logger,
    resyncMs: options.resyncMs ?? config.subscriptionResyncMs,
  };

  const routes: ProviderRoute[] = [];
  const trackers: TrackedWork[] = [];
  for (const module of modules) {
    const providerConfig = config.providers.get(module.identity.id);
    if (providerConfig === undefined) continue;
    const provider = module.identity.id;
    const deps: AdapterDeps = {
      records: store,
      trackWork: (kind, runner) => {
        const work = new TrackedWork(store, kind, runner, { leaseMs, log });
        trackers.push(work);
        return work;
      },
      announce: async (topic, id, status) => {
        events.publish(topic, id, { id, status });
        // A side of an analysis changed: its analysis changed too.
        const analysisId = await analyses.byWork(provider, id);
        if (analysisId) events.publish('mediaAnalysisUpdated', analysisId, { id: analysisId, status: 'CHANGED' });
      },
      callbacks: (onCallback) => {
        const callbacks = new ProviderCallbacks(provider, signer, store, onCallback, () => services.publicUrl, log);
        routes.push(callbacks.route);
        return callbacks;
      },
      links: signer,
      clock,
      log,
      observer: options.observer ? bothObservers(metrics.providerObserver, options.observer) : metrics.providerObserver,
      tuning: options.clientTuning ?? {},
      leaseMs,
    };
    const adapter: ProviderAdapter = module.create(providerConfig as never, deps, options.providerOptions?.[provider]);
    registry.add(module, adapter as never);
    routes.push(...adapter.routes);
  }

  backend.onReconnect(() => {
    logger.warn('backend reconnected: live subscriptions re-read their state');
    services.resync.trigger();
  });

  // Every string of every provider's configuration (keys, header values, base URLs) is kept out of errors.
  const secretsOf = (value: unknown): string[] =>
    typeof value === 'string' ? [value, ...(URL.canParse(value) ? [new URL(value).host] : [])] : value && typeof value === 'object' ? Object.values(value).flatMap(secretsOf) : [];
  configureErrorReporting([config.webhookSecret, ...[...config.providers.values()].flatMap(secretsOf)], (message, fields) => logger.warn(message, fields));
  const auth = options.authenticator ?? (config.auth ? createAuthenticator(config.auth) : noAuthentication);
  if (!auth.enabled) logger.warn('authentication is off: every caller is one tenant and sees all work (set AUTH_JWKS_URL to require JWTs)');
  const schema = buildSchema();
  const webApp = options.webAppDirectory && {
    directory: options.webAppDirectory,
    settings: {
      sandbox: config.sandbox,
      samples: config.sandbox ? sandboxSampleNames : [],
      authentication: auth.enabled,
      // Known once the schema is built: each provider's schema file registers its side.
      analysisProviders: analysisSides.filter((side) => registry.get(side.module) !== null).map((side) => side.name),
    },
  };
  const gateway = createGatewayServer({
    schema,
    auth,
    limits: config.limits,
    introspection: config.introspection,
    production: config.production,
    uploadBytesInFlight: config.uploadBytesInFlight,
    services,
    logger,
    metrics,
    routes,
    readiness: createReadinessProbe(config.redisUrl !== null, store, registry.adapters),
    graphiqlTitle: options.graphiqlTitle,
    webApp,
  });
  metrics.gauge('tracked_work', 'Work this replica follows now, by kind.', ['kind'], () =>
    trackers.map((work) => ({ labels: { kind: work.kind }, value: work.active.length })),
  );
  metrics.gauge('websocket_connections', 'Open GraphQL WebSocket connections.', [], () => [{ labels: {}, value: gateway.websocket.connections }]);
  metrics.gauge('subscription_streams', 'Distinct live subscription streams (identical subscriptions share one).', [], () => [
    { labels: {}, value: gateway.websocket.hub.size },
  ]);
  await new Promise<void>((resolve, reject) => {
    gateway.server.once('error', reject);
    gateway.server.listen(config.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (gateway.server.address() as AddressInfo).port;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : 'localhost'}:${port}`;
  // Work a previous process (or a dead replica) left unfinished is picked up from here on.
  for (const adapter of registry.adapters) adapter.start();

  let closing: Promise<void> | undefined;
  return {
    ...gateway,
    url,
    port,
    services,
    signer,
    close() {
      closing ??= (async () => {
        // Stop taking requests; in-flight ones get a moment; subscribers are told the server is going away.
        const httpClosed = new Promise<void>((resolve) => gateway.server.close(() => resolve()));
        gateway.server.closeIdleConnections();
        await gateway.closeSubscriptions();
        const cut = setTimeout(() => gateway.server.closeAllConnections(), 5_000);
        cut.unref();
        await httpClosed;
        clearTimeout(cut);
        // Adapters hand their leases over so another replica takes the work now, not after they lapse.
        for (const adapter of registry.adapters) await adapter.close();
        await backend.close();
      })();
      return closing;
    },
  };
}

function bothObservers(first: ProviderObserver, second: ProviderObserver): ProviderObserver {
  return {
    requestFinished: (...args) => {
      first.requestFinished?.(...args);
      second.requestFinished?.(...args);
    },
    retrying: (...args) => {
      first.retrying?.(...args);
      second.retrying?.(...args);
    },
  };
}
