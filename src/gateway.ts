/**
 * Wires a gateway from its configuration: store and event bus (memory, or Redis for replicas), signer, provider
 * sources, trackers, callback receiver, schema, HTTP and WebSocket servers. `main.ts` runs it as a process; tests
 * start it in-process on an ephemeral port.
 */
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from './config.js';
import type { GatewayServices } from './context.js';
import { ResyncSignal, createEventBus, type GatewayEvents } from './events.js';
import type { Logger } from './logger.js';
import { createReadinessProbe } from './health.js';
import { createMetrics } from './metrics.js';
import { HumeClient, type HumeClientOptions } from './providers/hume-batch/client.js';
import { HumeJobSource, type HumeSourceOptions } from './providers/hume-batch/source.js';
import { PhonexiaClient, type PhonexiaClientOptions } from './providers/phonexia/client.js';
import { buildSchema } from './schema/index.js';
import { createGatewayServer, type GatewayServer } from './server.js';
import { UrlSigner } from './signing.js';
import { MemoryStore } from './store/memory.js';
import type { GatewayStore } from './store/store.js';
import { EmotionTaskTracker } from './tracking/emotion-tasks.js';
import { HumeCallbacks } from './tracking/hume-callbacks.js';
import { HumeJobTracker } from './tracking/hume-jobs.js';
import { MediaAnalyses } from './tracking/media-analyses.js';
import type { Clock } from './tracking/poll-schedule.js';

export interface GatewayOptions {
  config: GatewayConfig;
  logger: Logger;
  /** Host to bind; 0.0.0.0 in a container, loopback in tests. */
  host?: string;
  /** Overrides for the Hume client (tests shorten timeouts and retry delays). */
  humeClient?: Partial<HumeClientOptions>;
  humeSource?: HumeSourceOptions;
  phonexiaClient?: Partial<PhonexiaClientOptions>;
  /** Time source for trackers (tests use a virtual clock). */
  clock?: Clock;
  /** Lease lifetime for tracked work: how long work waits to move when its replica dies. */
  leaseMs?: number;
  /** With callbacks, the shortest gap between safety-net checks of a running Hume job. */
  safetyNetGapMs?: number;
  /** How often a live subscription re-reads state even without events (lost pub/sub messages). */
  resyncMs?: number;
  graphiqlTitle?: string;
}

export interface RunningGateway extends GatewayServer {
  url: string;
  port: number;
  services: GatewayServices;
  close(): Promise<void>;
}

interface Backend {
  store: GatewayStore;
  events: GatewayEvents;
  /** Called after the store or the event connection came back from a drop. */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
}

/** Redis when configured (shared by replicas), else memory (one process; ioredis is then never loaded). */
async function createBackend(config: GatewayConfig): Promise<Backend> {
  if (!config.redisUrl) {
    const store = new MemoryStore();
    return { store, events: createEventBus(), onReconnect: () => {}, close: () => store.close() };
  }
  const [{ RedisStore }, { createRedisEventBus }] = await Promise.all([import('./store/redis.js'), import('./store/redis-events.js')]);
  const store = new RedisStore(config.redisUrl);
  const bus = createRedisEventBus(config.redisUrl);
  return {
    store,
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
  const log = (message: string, fields?: Record<string, unknown>) => logger.warn(message, fields);
  const backend = await createBackend(config);
  const { store, events } = backend;
  const signer = new UrlSigner(config.webhookSecret);
  const analyses = new MediaAnalyses(store);
  const trackingOptions = { clock: options.clock, leaseMs: options.leaseMs ?? config.trackingLeaseMs, log };

  /** A side of an analysis changed: its analysis changed too. */
  const announceAnalysis = async (analysisId: string | null) => {
    if (analysisId) events.publish('mediaAnalysisUpdated', analysisId, { id: analysisId, status: 'CHANGED' });
  };

  const metrics = createMetrics();
  const humeClient = config.hume
    ? new HumeClient({ baseUrl: config.hume.baseUrl, apiKey: config.hume.apiKey, observer: metrics.providerObserver, ...options.humeClient })
    : null;
  const hume = humeClient ? new HumeJobSource(humeClient, options.humeSource) : null;
  const phonexiaClient = config.phonexia
    ? new PhonexiaClient({ baseUrl: config.phonexia.baseUrl, headers: config.phonexia.headers, observer: metrics.providerObserver, ...options.phonexiaClient })
    : null;

  const services: GatewayServices = {
    hume,
    emotionTasks: null,
    analyses,
    events,
    store,
    signer,
    publicUrl: config.publicUrl,
    resync: new ResyncSignal(),
    logger,
    resyncMs: options.resyncMs ?? config.subscriptionResyncMs,
  };
  services.emotionTasks = phonexiaClient
    ? new EmotionTaskTracker(
        phonexiaClient,
        store,
        async (taskId, status) => {
          events.publish('emotionTaskUpdated', taskId, { id: taskId, status });
          await announceAnalysis(await analyses.byTask(taskId));
        },
        trackingOptions,
      )
    : null;
  const humeJobs = hume
    ? new HumeJobTracker(
        hume,
        store,
        async (jobId, status) => {
          events.publish('jobUpdated', jobId, { id: jobId, status });
          await announceAnalysis(await analyses.byJob(jobId));
        },
        { ...trackingOptions, callbacksEnabled: () => services.publicUrl !== null, safetyNetGapMs: options.safetyNetGapMs },
      )
    : null;
  if (hume && humeJobs) {
    services.humeJobs = humeJobs;
    services.onJobStarted = (jobId) => humeJobs.track(jobId);
    services.humeCallbacks = new HumeCallbacks(signer, store, (jobId) => humeJobs.refresh(jobId), () => services.publicUrl, log);
  }
  backend.onReconnect(() => {
    logger.warn('backend reconnected: live subscriptions re-read their state');
    services.resync.trigger();
  });

  const gateway = createGatewayServer({
    schema: buildSchema(),
    services,
    logger,
    metrics,
    readiness: createReadinessProbe(config, store),
    graphiqlTitle: options.graphiqlTitle,
  });
  metrics.gauge('tracked_work', 'Work this replica follows now (Hume jobs, Phonexia tasks).', ['kind'], () => [
    { labels: { kind: 'hume-job' }, value: humeJobs?.tracked.length ?? 0 },
    { labels: { kind: 'phonexia-task' }, value: services.emotionTasks?.tracked.length ?? 0 },
  ]);
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
  humeJobs?.resume();
  services.emotionTasks?.resume();

  let closing: Promise<void> | undefined;
  return {
    ...gateway,
    url,
    port,
    services,
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
        // Hand leases over so another replica takes the work now, not after they lapse.
        await humeJobs?.close();
        await services.emotionTasks?.close();
        await humeClient?.close();
        await phonexiaClient?.close();
        await backend.close();
      })();
      return closing;
    },
  };
}
