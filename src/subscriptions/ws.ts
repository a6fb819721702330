/**
 * GraphQL over WebSocket (`graphql-transport-ws`, graphql-ws) on `/graphql` of the HTTP server's port. graphql-ws
 * owns the protocol; this file adapts it to yoga's one pipeline (`yoga.getEnveloped`, as in yoga's own graphql-ws
 * example): every operation is parsed, validated, limited, executed, logged and masked exactly as over HTTP, and
 * subscriptions share executions through the pipeline's hub plugin.
 *
 * Authentication happens once per socket, at `connection_init` (`{"authorization": "Bearer <jwt>"}`, key matched
 * case-insensitively): no or a bad token closes the socket with 4403 before any operation runs, and the socket is
 * closed with 4403 when its token expires, ending its subscriptions.
 */
import type http from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import { ANONYMOUS, AuthenticationError, type Authenticator, type Viewer } from '../auth.js';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../logger.js';
import { SubscriptionHub } from './hub.js';

export interface WebSocketTransport {
  hub: SubscriptionHub;
  /** Open sockets now. */
  readonly connections: number;
  /** Closes every socket with 1001 (going away) and stops accepting. */
  close(): Promise<void>;
}

type SocketExtra = {
  socket: WebSocket;
  request: http.IncomingMessage;
  viewer?: Viewer;
  expiry?: NodeJS.Timeout;
};

/** `authorization` in the connection_init payload, whatever its case. */
function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!params) return undefined;
  for (const [key, value] of Object.entries(params)) if (key.toLowerCase() === 'authorization' && typeof value === 'string') return value;
  return undefined;
}

export function attachWebSocket(
  server: http.Server,
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>,
  hub: SubscriptionHub,
  auth: Authenticator,
  logger: Logger,
): WebSocketTransport {
  // Each operation's pipeline, until it starts. Not a field of the arguments: graphql-ws keeps those for the
  // subscription's life, and an enveloped pipeline (every plugin's closures for one operation) is kilobytes.
  type Pipeline = ReturnType<typeof yoga.getEnveloped>;
  const pipelines = new WeakMap<ExecutionArgs, Pipeline>();
  const pipelineOf = (args: ExecutionArgs): Pipeline => {
    const pipeline = pipelines.get(args);
    if (!pipeline) throw new Error('an operation reached execution without its pipeline');
    pipelines.delete(args);
    return pipeline;
  };

  // No per-message compression: it costs tens of KB per socket, and payloads here are small.
  const wss = new WebSocketServer({ server, path: '/graphql', perMessageDeflate: false, maxPayload: 1024 * 1024 });

  const disposable = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      onConnect: async (ctx) => {
        if (!auth.enabled) {
          ctx.extra.viewer = ANONYMOUS;
          return true;
        }
        try {
          const viewer = await auth.authenticate(authorizationOf(ctx.connectionParams));
          ctx.extra.viewer = viewer;
          if (viewer.expiresAt !== null) {
            // The token stops holding: the socket ends, and with it every subscription on it.
            ctx.extra.expiry = setTimeout(() => ctx.extra.socket.close(CloseCode.Forbidden, 'Token expired'), Math.max(0, viewer.expiresAt - Date.now()));
            ctx.extra.expiry.unref();
          }
          return true;
        } catch (error) {
          if (!(error instanceof AuthenticationError)) logger.error('websocket authentication failed unexpectedly', { error: String(error) });
          // graphql-ws closes with 4403 Forbidden.
          return false;
        }
      },
      onClose: (ctx) => clearTimeout(ctx.extra.expiry),
      onSubscribe: async (ctx, id, payload) => {
        const enveloped = yoga.getEnveloped({
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params: payload,
          viewer: ctx.extra.viewer ?? ANONYMOUS,
          transport: 'ws',
        });
        let document;
        try {
          document = enveloped.parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Syntax error.')];
        }
        const errors = enveloped.validate(enveloped.schema, document);
        if (errors.length > 0) return errors;
        const contextValue = (await enveloped.contextFactory()) as unknown as GatewayContext;
        const socket = ctx.extra.socket;
        // Subscription results go straight to this socket, serialised once per shared stream.
        contextValue.frames = { idJson: JSON.stringify(id), send: (frame) => socket.readyState === socket.OPEN && socket.send(frame) };
        const args: ExecutionArgs = {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName ?? undefined,
          variableValues: payload.variables ?? undefined,
          contextValue,
        };
        pipelines.set(args, enveloped);
        return args;
      },
      execute: (args) => pipelineOf(args).execute(args) as never,
      subscribe: (args) => pipelineOf(args).subscribe(args) as never,
      onError: (_ctx, _id, _payload, errors) => {
        logger.warn('websocket operation refused', { errors: errors.map((e) => e.message) });
      },
    },
    wss,
    12_000,
  );

  return {
    hub,
    get connections() {
      return wss.clients.size;
    },
    async close() {
      // graphql-ws closes each socket with 1001 (going away) and ends its subscriptions.
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
