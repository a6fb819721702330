/**
 * Wires a gateway from its configuration: store, signer, provider sources, callback receiver, schema and HTTP
 * server. `main.ts` runs it as a process; tests start it in-process on an ephemeral port.
 */
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from './config.js';
import type { GatewayServices } from './context.js';
import type { Logger } from './logger.js';
import { HumeClient, type HumeClientOptions } from './providers/hume/client.js';
import { HumeJobSource, type HumeSourceOptions } from './providers/hume/source.js';
import { PhonexiaClient, type PhonexiaClientOptions } from './providers/phonexia/client.js';
import { createEventBus } from './events.js';
import { EmotionTaskTracker } from './tracking/emotion-tasks.js';
import { MediaAnalyses } from './tracking/media-analyses.js';
import type { Clock } from './tracking/poll-schedule.js';
import { buildSchema } from './schema/index.js';
import { createGatewayServer, type GatewayServer } from './server.js';
import { UrlSigner } from './signing.js';
import { MemoryStore } from './store/memory.js';
import { HumeCallbacks } from './tracking/hume-callbacks.js';

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
  graphiqlTitle?: string;
}

export interface RunningGateway extends GatewayServer {
  url: string;
  port: number;
  services: GatewayServices;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { config, logger } = options;
  const store = new MemoryStore();
  const signer = new UrlSigner(config.webhookSecret);
  const humeClient = config.hume
    ? new HumeClient({ baseUrl: config.hume.baseUrl, apiKey: config.hume.apiKey, ...options.humeClient })
    : null;
  const hume = humeClient ? new HumeJobSource(humeClient, options.humeSource) : null;
  const phonexiaClient = config.phonexia
    ? new PhonexiaClient({ baseUrl: config.phonexia.baseUrl, headers: config.phonexia.headers, ...options.phonexiaClient })
    : null;
  const events = createEventBus();
  const emotionTasks = phonexiaClient
    ? new EmotionTaskTracker(phonexiaClient, store, events, { clock: options.clock, log: (message, fields) => logger.warn(message, fields) })
    : null;

  const services: GatewayServices = { hume, emotionTasks, analyses: new MediaAnalyses(store), events, store, signer, publicUrl: config.publicUrl };
  if (hume) {
    services.humeCallbacks = new HumeCallbacks(
      signer,
      store,
      hume,
      () => services.publicUrl,
      (job) => events.publish('jobUpdated', job.job_id, { id: job.job_id, status: job.state.status }),
      (message, fields) => logger.warn(message, fields),
    );
  }

  const gateway = createGatewayServer({ schema: buildSchema(), services, logger, graphiqlTitle: options.graphiqlTitle });
  await new Promise<void>((resolve, reject) => {
    gateway.server.once('error', reject);
    gateway.server.listen(config.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (gateway.server.address() as AddressInfo).port;
  const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : 'localhost'}:${port}`;

  return {
    ...gateway,
    url,
    port,
    services,
    async close() {
      await new Promise<void>((resolve) => {
        gateway.server.close(() => resolve());
        gateway.server.closeIdleConnections();
        // In-flight requests get a moment to finish; then the rest is cut.
        setTimeout(() => gateway.server.closeAllConnections(), 5_000).unref();
      });
      await emotionTasks?.close();
      await humeClient?.close();
      await phonexiaClient?.close();
      await store.close();
    },
  };
}
