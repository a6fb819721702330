/**
 * The HTTP server: yoga (GraphQL over HTTP, SSE, GraphiQL, multipart uploads) on `/graphql`, plus the routes that
 * are not GraphQL: the web app (`/app`), Hume callbacks, artifact downloads and health. One port for everything.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { createFetch } from '@whatwg-node/fetch';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Readiness } from './health.js';
import type { GatewayMetrics } from './metrics.js';
import { getOperationAST, type GraphQLSchema } from 'graphql';
import { createContext, type GatewayContext, type GatewayServices } from './context.js';
import type { ProviderRoute } from './domain/provider.js';
import type { Logger } from './logger.js';
import { attachWebSocket, type WebSocketTransport } from './subscriptions/ws.js';
import { createWebAppRoute, type WebAppOptions } from './web-app.js';

/** Largest upload any provider accepts (Phonexia: 500 MB); per-mutation limits are checked with typed errors. */
const MAX_UPLOAD_BYTES = 500 * 1024 * 1024;

export interface GatewayServerOptions {
  schema: GraphQLSchema;
  services: GatewayServices;
  logger: Logger;
  metrics: GatewayMetrics;
  readiness: () => Promise<Readiness>;
  /** Providers' own routes (callback receivers, downloads). */
  routes: ProviderRoute[];
  /** Title shown in GraphiQL; sandbox mode says so there too. */
  graphiqlTitle?: string;
  /** The web app at `/app`; without it `/app` is not found. */
  webApp?: WebAppOptions;
}

export interface GatewayServer {
  server: http.Server;
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  websocket: WebSocketTransport;
  /** Ends every WebSocket subscription with the protocol's going-away close. */
  closeSubscriptions(): Promise<void>;
}

const MAX_BODY_BYTES = MAX_UPLOAD_BYTES + 16 * 1024 * 1024;

/**
 * Bodies are sized by Content-Length before anything reads them: larger than the largest upload plus room for the
 * operation is refused (413), and a body of unknown length (chunked) is refused (411) rather than read unbounded.
 */
function bodyRefusal(req: http.IncomingMessage): { status: number; message: string } | null {
  if (req.method !== 'POST') return null;
  const length = req.headers['content-length'];
  if (length === undefined) return req.headers['transfer-encoding'] ? { status: 411, message: 'Content-Length is required' } : null;
  return Number(length) > MAX_BODY_BYTES ? { status: 413, message: `request body larger than ${MAX_BODY_BYTES} bytes` } : null;
}

function requestIdOf(value: string | null | undefined): string {
  // A caller's id is reused only when it is short and plain, since it ends up in logs and provider headers.
  return value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : randomUUID();
}

/**
 * One hook for every GraphQL operation: metrics, and one structured log line carrying the request id (also sent to
 * Phonexia). A single onExecute hook, because each such hook costs every request a wrapped execution.
 */
function useOperationObserver(metrics: GatewayMetrics, logger: Logger): Plugin<GatewayContext> {
  const logging = logger.enabled('info');
  return {
    onExecute({ args }) {
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result && Array.isArray(result.errors) ? result.errors.length : 0;
          const operation = getOperationAST(args.document, args.operationName);
          const name = operation?.name?.value ?? args.operationName ?? 'anonymous';
          const durationMs = performance.now() - started;
          metrics.recordOperation(operation?.operation ?? 'unknown', name, errors > 0, durationMs / 1000);
          if (logging)
            logger.info('graphql operation', { requestId: args.contextValue.requestId, operation: name, durationMs: Math.round(durationMs), errors });
        },
      };
    },
    onSubscribe({ args }) {
      metrics.recordSubscription(getOperationAST(args.document, args.operationName)?.name?.value ?? 'anonymous');
    },
  };
}

export function createGatewayServer(options: GatewayServerOptions): GatewayServer {
  const { services, logger } = options;
  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema: options.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: { title: options.graphiqlTitle ?? 'Emotion gateway', subscriptionsProtocol: 'WS' },
    // GraphiQL served from this process, not a CDN: it works offline and behind strict networks. Loaded on first
    // use: the bundled page costs ~40 MB of memory that a gateway nobody browses should not carry.
    renderGraphiQL: async (graphiqlOptions) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
    multipart: true,
    // yoga's own body limit pipes every request through a stream transform (a measurable cost per request); the
    // size is checked from Content-Length before yoga instead, and uploads per mutation with typed errors.
    maxRequestBodySize: false,
    fetchAPI: createFetch({
      formDataLimits: { fileSize: MAX_UPLOAD_BYTES + 1, files: 201, fieldSize: 16 * 1024 * 1024, fields: 1000 },
    }),
    logging: {
      debug: () => {},
      info: (...args) => logger.info(String(args[0]), { detail: args.slice(1).map(String) }),
      warn: (...args) => logger.warn(String(args[0]), { detail: args.slice(1).map(String) }),
      error: (...args) => logger.error(String(args[0]), { detail: args.slice(1).map(String) }),
    },
    plugins: [useOperationObserver(options.metrics, logger)],
    context: ({ request }) => {
      const url = new URL(request.url);
      return createContext(services, { requestId: requestIdOf(request.headers.get('x-request-id')), origin: url.origin });
    },
  });

  const webApp = options.webApp ? createWebAppRoute(options.webApp, (message, fields) => logger.error(message, fields)) : null;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    let route: ProviderRoute | undefined;
    try {
      if (url.pathname === '/health') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'ok' }));
      } else if (url.pathname === '/ready') {
        const readiness = await options.readiness();
        res.writeHead(readiness.ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify(readiness));
      } else if (url.pathname === '/metrics') {
        res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
        res.end(await options.metrics.registry.metrics());
      } else if (webApp?.matches(url.pathname)) {
        await webApp.handle(req, res, url);
      } else if (url.pathname === '/') {
        res.writeHead(302, { location: '/graphql' });
        res.end();
      } else if ((route = options.routes.find((r) => url.pathname.startsWith(r.prefix)))) {
        await route.handle(req, res, url.pathname.slice(route.prefix.length), url);
      } else {
        const refusal = bodyRefusal(req);
        if (refusal) {
          res.writeHead(refusal.status, { 'content-type': 'application/json', connection: 'close' });
          res.end(JSON.stringify({ errors: [{ message: refusal.message }] }));
          req.resume();
          return;
        }
        await yoga.requestListener(req, res);
      }
    } catch (error) {
      logger.error('request failed', { path: url.pathname, error: String(error) });
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'internal error' }));
      } else res.destroy();
    }
  });
  // Keep-alive sockets outlive a slow client by a little, never by much.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const websocket = attachWebSocket(server, options.schema, services, logger);
  return { server, yoga, websocket, closeSubscriptions: () => websocket.close() };
}
