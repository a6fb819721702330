/**
 * The HTTP server: yoga (GraphQL over HTTP, SSE, GraphiQL, multipart uploads) on `/graphql`, WebSocket on the same
 * path (through the same pipeline), plus the routes that are not GraphQL: the web app (`/app`), providers' callbacks
 * and downloads, health, readiness, metrics. One port for everything.
 */
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { GraphQLSchema } from 'graphql';
import { ANONYMOUS, type Authenticator, type Viewer } from './auth.js';
import { createContext, type GatewayContext, type GatewayServices } from './context.js';
import type { ProviderRoute } from './domain/provider.js';
import type { Readiness } from './health.js';
import { requestViewers, useAuthentication, useCsrfPreflight, useRequestParsing, useWildcardOrigin, PREFLIGHT_HEADERS } from './http-security.js';
import type { Logger } from './logger.js';
import type { GatewayMetrics } from './metrics.js';
import { useNoIntrospection, useOperationLimits, useOperationObserver, useExecutionLimits, useSharedSubscriptions, type OperationLimits } from './pipeline.js';
import { useCompiledQueries } from './compiled-queries.js';
import { SubscriptionHub } from './subscriptions/hub.js';
import { attachWebSocket, type WebSocketTransport } from './subscriptions/ws.js';
import { UploadBudget } from './uploads/multipart.js';
import { createWebAppRoute, type WebAppOptions } from './web-app.js';

/** Largest upload any provider accepts (Phonexia: 500 MB); per-mutation limits are checked with typed errors. */
export const MAX_UPLOAD_BYTES = 500 * 1024 * 1024;
/** Largest body that is not multipart: an operation with its variables. */
const MAX_OPERATION_BYTES = 2 * 1024 * 1024;
/** More than any mutation takes, so each one refuses its own excess with a typed error naming the field. */
const MAX_FILES = 201;

export interface GatewayServerOptions {
  schema: GraphQLSchema;
  services: GatewayServices;
  logger: Logger;
  metrics: GatewayMetrics;
  readiness: () => Promise<Readiness>;
  /** Providers' own routes (callback receivers, downloads). */
  routes: ProviderRoute[];
  auth: Authenticator;
  limits: OperationLimits;
  /** Introspection and field suggestions are on (off by default in production). */
  introspection: boolean;
  production: boolean;
  /** Bytes of uploads being received or held at once, across requests. */
  uploadBytesInFlight: number;
  /** Title shown in GraphiQL; sandbox mode says so there too. */
  graphiqlTitle?: string;
  /** The web app at `/app`; without it `/app` is not found. */
  webApp?: WebAppOptions;
}

export interface GatewayServer {
  server: http.Server;
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  websocket: WebSocketTransport;
  uploads: UploadBudget;
  /** Ends every WebSocket subscription with the protocol's going-away close. */
  closeSubscriptions(): Promise<void>;
}

/**
 * Bodies with a Content-Length are sized before anything reads them (larger than the largest upload plus room for
 * the operation: 413); a body of unknown length is counted as it arrives instead (src/http-security.ts).
 */
function bodyRefusal(req: http.IncomingMessage): { status: number; message: string } | null {
  if (req.method !== 'POST') return null;
  const length = req.headers['content-length'];
  if (length === undefined) return null;
  const multipart = String(req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data');
  const max = multipart ? MAX_UPLOAD_BYTES + MAX_OPERATION_BYTES : MAX_OPERATION_BYTES;
  return Number(length) > max ? { status: 413, message: `request body larger than ${max} bytes` } : null;
}

function requestIdOf(value: string | null | undefined): string {
  // A caller's id is reused only when it is short and plain, since it ends up in logs and provider headers.
  return value && /^[A-Za-z0-9._:-]{1,128}$/.test(value) ? value : randomUUID();
}

/** What yoga hands the context factory: an HTTP request, or (WebSocket, through getEnveloped) the socket's own. */
type InitialContext = { request?: Request; req?: http.IncomingMessage; viewer?: Viewer };

export function createGatewayServer(options: GatewayServerOptions): GatewayServer {
  const { services, logger } = options;
  const hub = new SubscriptionHub();
  const uploads = new UploadBudget(options.uploadBytesInFlight);
  const plugins: Array<Plugin<GatewayContext>> = [
    useAuthentication(options.auth, logger),
    useCsrfPreflight(),
    useWildcardOrigin(),
    useRequestParsing({
      schema: options.schema,
      maxBodyBytes: MAX_OPERATION_BYTES,
      multipart: { maxFileBytes: MAX_UPLOAD_BYTES, maxFiles: MAX_FILES, maxFieldBytes: MAX_OPERATION_BYTES },
      uploads,
    }),
    useOperationLimits(options.limits, !options.introspection),
    useExecutionLimits(options.limits),
    ...(options.introspection ? [] : [useNoIntrospection()]),
    useOperationObserver(options.metrics, logger),
    useSharedSubscriptions(hub),
    useCompiledQueries(logger),
  ];
  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema: options.schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    graphiql: options.introspection ? { title: options.graphiqlTitle ?? 'Emotion gateway', subscriptionsProtocol: 'WS' } : false,
    // GraphiQL served from this process, not a CDN: it works offline and behind strict networks. Loaded on first
    // use: the bundled page costs ~40 MB of memory that a gateway nobody browses should not carry.
    renderGraphiQL: async (graphiqlOptions) => (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
    multipart: true,
    // Bodies are sized before yoga (Content-Length) or counted by the parsers: yoga's own limit would pipe every
    // request through a stream transform, a measurable cost per request.
    maxRequestBodySize: false,
    // Any site may call the API with a bearer token (no cookies are involved): `*`, never an echoed origin, and no
    // credentials (useWildcardOrigin).
    cors: {
      origin: '*',
      credentials: false,
      allowedHeaders: ['content-type', 'authorization', 'x-request-id', ...PREFLIGHT_HEADERS],
      methods: ['GET', 'POST', 'OPTIONS'],
    },
    logging: {
      debug: () => {},
      info: (...args) => logger.info(String(args[0]), { detail: args.slice(1).map(String) }),
      warn: (...args) => logger.warn(String(args[0]), { detail: args.slice(1).map(String) }),
      error: (...args) => logger.error(String(args[0]), { detail: args.slice(1).map(String) }),
    },
    plugins,
    context: (initial) => {
      const { request, req, viewer } = initial as InitialContext;
      const requestId = requestIdOf(request?.headers.get('x-request-id') ?? (req?.headers['x-request-id'] as string | undefined));
      return createContext(services, { requestId, viewer: viewer ?? (request && requestViewers.get(request)) ?? ANONYMOUS, authEnabled: options.auth.enabled });
    },
  });

  const webApp = options.webApp ? createWebAppRoute(options.webApp, (message, fields) => logger.error(message, fields)) : null;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
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
          res.end(JSON.stringify({ errors: [{ message: refusal.message, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }));
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
  const websocket = attachWebSocket(server, yoga, hub, options.auth, logger);
  return { server, yoga, websocket, uploads, closeSubscriptions: () => websocket.close() };
}
