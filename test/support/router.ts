/**
 * A real Hive Gateway (the federation router) in process, in front of the gateway as its only subgraph, the way a
 * platform team runs it: multipart uploads on, the client's CSRF preflight header passed on, subscriptions to the
 * subgraph over WebSocket or SSE, and graphql-ws served to its own clients. Its HTTP calls to the subgraph go
 * through a recording proxy, so tests can see exactly what the router sent (chunked or not, which headers).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, getGraphQLWSOptions } from '@graphql-hive/gateway-runtime';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { PREFLIGHT_HEADERS } from '../../src/http-security.js';
import { subgraphSdl } from '../../src/schema/index.js';

export interface ForwardedRequest {
  method: string;
  headers: http.IncomingHttpHeaders;
  /** Body bytes seen so far. */
  bytes: number;
}

export interface RecordingProxy {
  url: string;
  requests: ForwardedRequest[];
  close(): Promise<void>;
}

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closer(server: http.Server): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
}

/** Passes each request to `target` unchanged (headers, framing, streamed body and answer) and records it. */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const requests: ForwardedRequest[] = [];
  const server = http.createServer((req, res) => {
    const record: ForwardedRequest = { method: req.method ?? '', headers: req.headers, bytes: 0 };
    requests.push(record);
    req.on('data', (chunk: Buffer) => (record.bytes += chunk.length));
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  return { url: await listen(server), requests, close: closer(server) };
}

export interface Router {
  url: string;
  close(): Promise<void>;
}

export interface RouterOptions {
  /** Where the router sends queries and mutations (the subgraph, or a proxy in front of it). */
  subgraphUrl: string;
  /**
   * How the router subscribes at the subgraph: `ws` (graphql-ws, at `webSocketUrl`), or `sse` (Hive Gateway's
   * default: GraphQL over SSE on the HTTP transport, so through `subgraphUrl`).
   */
  subscriptions: { kind: 'ws'; webSocketUrl: string } | { kind: 'sse' };
}

export async function startRouter(options: RouterOptions): Promise<Router> {
  const composed = composeServices([{ name: 'emotion', typeDefs: parse(subgraphSdl()), url: `${options.subgraphUrl}/graphql` }]);
  if (composed.errors?.length) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  const runtime = createGatewayRuntime({
    supergraph: composed.supergraphSdl!,
    logging: false,
    multipart: true,
    // The router is the subgraph's client: without the browser's preflight header passed on, the gateway's CSRF
    // check refuses every upload the router forwards.
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => Object.fromEntries(PREFLIGHT_HEADERS.map((name) => [name, request.headers.get(name)])),
    },
    ...(options.subscriptions.kind === 'ws'
      ? { transportEntries: { emotion: { options: { subscriptions: { kind: 'ws', location: `${options.subscriptions.webSocketUrl}/graphql` } } } } }
      : {}),
  });
  // Loads the supergraph now: the router does so lazily on its first HTTP request, and an operation over its
  // WebSocket before that fails with "Unexpected error." (no schema yet).
  await runtime.getSchema();
  const server = http.createServer(runtime as never);
  const sockets = new WebSocketServer({ server, path: '/graphql' });
  // Hive Gateway's own graphql-ws wiring, as its CLI serves it.
  const websocket = useServer(
    getGraphQLWSOptions(runtime as never, (ctx) => ({ req: (ctx.extra as { request?: unknown }).request, socket: (ctx.extra as { socket?: unknown }).socket })),
    sockets,
  );
  const url = await listen(server);
  const closeHttp = closer(server);
  return {
    url,
    async close() {
      await websocket.dispose();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await closeHttp();
      await runtime.dispose();
    },
  };
}
