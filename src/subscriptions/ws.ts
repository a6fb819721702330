/**
 * GraphQL over WebSocket (`graphql-transport-ws`, graphql-ws) on `/graphql` of the HTTP server's port. graphql-ws
 * owns the protocol; this file adapts it: parsing and validation cached per query text, a cheap context per
 * operation, and subscriptions run through the shared hub.
 */
import type http from 'node:http';
import { execute, getOperationAST, parse, validate, GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { LRUCache } from 'lru-cache';
import { WebSocketServer } from 'ws';
import { createContext, type GatewayServices } from '../context.js';
import type { Logger } from '../logger.js';
import { SubscriptionHub } from './hub.js';

export interface WebSocketTransport {
  hub: SubscriptionHub;
  /** Open sockets now. */
  readonly connections: number;
  /** Closes every socket with 1001 (going away) and stops accepting. */
  close(): Promise<void>;
}

/**
 * The same masking as over HTTP: errors the gateway raised on purpose (with a code) reach the client; anything
 * unexpected (a Redis outage, a bug) becomes "Unexpected error." and is logged, never shown.
 */
function maskError(error: unknown): GraphQLError {
  if (!(error instanceof GraphQLError)) error = new GraphQLError(String(error), { originalError: error as Error });
  return maskGraphQLError(error as GraphQLError);
}

function maskGraphQLError(error: GraphQLError): GraphQLError {
  if (error.extensions?.code) return error;
  const original = error.originalError;
  if (original instanceof GraphQLError && original.extensions?.code) return original;
  if (!original) return error; // a validation or execution error of graphql itself: safe to show
  return new GraphQLError('Unexpected error.', { nodes: error.nodes, path: error.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

function maskResult(result: ExecutionResult): ExecutionResult {
  return result.errors ? { ...result, errors: result.errors.map(maskGraphQLError) } : result;
}

/** Stable text for the variables, so `{a,b}` and `{b,a}` share a stream. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

export function attachWebSocket(server: http.Server, schema: GraphQLSchema, services: GatewayServices, logger: Logger): WebSocketTransport {
  // No per-message compression: it costs tens of KB per socket, and payloads here are small.
  const wss = new WebSocketServer({ server, path: '/graphql', perMessageDeflate: false, maxPayload: 1024 * 1024 });
  const hub = new SubscriptionHub();
  const documents = new LRUCache<string, { document: DocumentNode; id: number } | { errors: readonly GraphQLError[] }>({ max: 1000 });
  let nextDocumentId = 0;

  const prepared = (query: string) => {
    let entry = documents.get(query);
    if (!entry) {
      try {
        const document = parse(query);
        const errors = validate(schema, document);
        // A short id stands for the query text in shared-stream keys, so ten thousand subscribers do not each keep
        // a copy of it.
        entry = errors.length > 0 ? { errors } : { document, id: nextDocumentId++ };
      } catch (error) {
        entry = { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
      }
      documents.set(query, entry);
    }
    return entry;
  };

  const disposable = useServer(
    {
      schema,
      onSubscribe: (ctx, _id, payload) => {
        const entry = prepared(payload.query);
        if ('errors' in entry) return entry.errors;
        const operationName = payload.operationName ?? undefined;
        const operation = getOperationAST(entry.document, operationName);
        const request = ctx.extra.request;
        const requestId = typeof request.headers['x-request-id'] === 'string' ? request.headers['x-request-id'] : undefined;
        const args: ExecutionArgs & { sharedKey: string } = {
          schema,
          document: entry.document,
          operationName,
          variableValues: payload.variables ?? undefined,
          // A subscription runs in its shared stream's context; only queries and mutations need one of their own.
          contextValue:
            operation?.operation === 'subscription'
              ? undefined
              : createContext(services, { requestId, origin: services.publicUrl ?? `http://${request.headers.host ?? 'localhost'}` }),
          sharedKey: `${entry.id}\u0000${operationName ?? ''}\u0000${stableJson(payload.variables)}`,
        };
        return args;
      },
      execute: async (args) => maskResult(await execute(args)),
      subscribe: async (args) => {
        const { sharedKey, ...execution } = args as ExecutionArgs & { sharedKey: string };
        // The shared stream gets its own context (it outlives any one subscriber) and masks each result once, not
        // once per subscriber.
        const result = await hub.subscribe(sharedKey, () => ({ ...execution, contextValue: createContext(services) }), maskResult, maskError);
        return Symbol.asyncIterator in result ? result : maskResult(result);
      },
      onError: (_ctx, _id, _payload, errors) => {
        logger.warn('websocket operation failed', { errors: errors.map((e) => e.message) });
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
