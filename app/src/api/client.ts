/**
 * The app's GraphQL client: typed documents from codegen (client preset, documents as strings) sent with `fetch`
 * (JSON, or the GraphQL multipart request spec when the variables hold a File), and subscriptions over one
 * `graphql-ws` WebSocket. Every failure becomes a RequestError with a message a person can act on.
 */
import { CloseCode, createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../gql/graphql.js';
import { auth } from './auth.js';

const ENDPOINT = '/graphql';

export type ErrorKind = 'UNAUTHENTICATED' | 'NETWORK' | 'NOT_FOUND' | 'GRAPHQL' | 'HTTP';

export class RequestError extends Error {
  constructor(
    message: string,
    readonly kind: ErrorKind,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string };
}

const UNAUTHENTICATED_MESSAGE = 'The gateway needs a valid sign-in token (it answered 401 Unauthorized).';

function fromGraphQLErrors(errors: readonly GraphQLErrorShape[]): RequestError {
  const code = errors[0]?.extensions?.code ?? null;
  const messages = [...new Set(errors.map((error) => error.message))].join('; ');
  if (code === 'UNAUTHENTICATED') {
    auth.refused(UNAUTHENTICATED_MESSAGE);
    return new RequestError(UNAUTHENTICATED_MESSAGE, 'UNAUTHENTICATED', code);
  }
  return new RequestError(messages, code === 'NOT_FOUND' ? 'NOT_FOUND' : 'GRAPHQL', code);
}

/** Files in the variables, each replaced by null and named by its path (the multipart spec's `map`). */
function extractFiles(value: unknown, path: string, files: Array<[string, File]>): unknown {
  if (value instanceof File) {
    files.push([path, value]);
    return null;
  }
  if (Array.isArray(value)) return value.map((item, i) => extractFiles(item, `${path}.${i}`, files));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, extractFiles(item, `${path}.${key}`, files)]));
  return value;
}

function authorization(): Record<string, string> {
  return auth.token ? { authorization: `Bearer ${auth.token}` } : {};
}

export async function execute<R, V>(document: TypedDocumentString<R, V>, variables: V, options: { signal?: AbortSignal } = {}): Promise<R> {
  const files: Array<[string, File]> = [];
  const operations = JSON.stringify({ query: document.toString(), variables: extractFiles(variables ?? {}, 'variables', files) });
  const headers: Record<string, string> = { accept: 'application/graphql-response+json, application/json', ...authorization() };
  let body: BodyInit;
  if (files.length > 0) {
    const form = new FormData();
    form.append('operations', operations);
    form.append('map', JSON.stringify(Object.fromEntries(files.map(([path], i) => [String(i), [path]]))));
    files.forEach(([, file], i) => form.append(String(i), file, file.name));
    body = form;
    // A multipart POST is one a plain HTML form could send cross-site; this header proves it was not (CSRF).
    headers['x-graphql-yoga-csrf'] = '1';
  } else {
    body = operations;
    headers['content-type'] = 'application/json';
  }

  let response: Response;
  try {
    response = await fetch(ENDPOINT, { method: 'POST', headers, body, signal: options.signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new RequestError('The gateway could not be reached. Check the connection and try again.', 'NETWORK');
  }
  // Not JSON (a proxy's error page) reads as null and is described by its status below.
  const result = (await response.json().catch(() => null)) as { data?: R | null; errors?: GraphQLErrorShape[] } | null;
  if (response.status === 401) {
    auth.refused(UNAUTHENTICATED_MESSAGE);
    throw new RequestError(UNAUTHENTICATED_MESSAGE, 'UNAUTHENTICATED', 'UNAUTHENTICATED');
  }
  if (result?.errors?.length) throw fromGraphQLErrors(result.errors);
  if (!response.ok || !result?.data) throw new RequestError(`The gateway answered ${response.status} ${response.statusText}`.trim() + '.', 'HTTP');
  return result.data;
}

// ---- subscriptions ----

let socket: Client | null = null;

function isCloseEvent(value: unknown): value is CloseEvent {
  return typeof value === 'object' && value !== null && 'code' in value && 'reason' in value;
}

function liveClient(): Client {
  socket ??= createClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${ENDPOINT}`,
    lazy: true,
    // Read on every (re)connection, so a new token takes effect on the next connection_init.
    connectionParams: () => authorization(),
    retryAttempts: 5,
    // A refused token stays refused: ask the person, do not hammer the gateway.
    shouldRetry: (event) => !(isCloseEvent(event) && event.code === CloseCode.Forbidden),
    on: {
      closed: (event) => {
        if (isCloseEvent(event) && event.code === CloseCode.Forbidden) auth.refused(UNAUTHENTICATED_MESSAGE);
      },
    },
  });
  return socket;
}

// Subscriptions opened after a token change connect with the new token.
auth.subscribe(() => {
  const previous = socket;
  socket = null;
  void previous?.dispose();
});

export interface LiveSink<R> {
  next(data: R): void;
  error(error: RequestError): void;
  complete(): void;
}

function liveError(error: unknown): RequestError {
  if (Array.isArray(error)) return fromGraphQLErrors(error as GraphQLErrorShape[]);
  if (isCloseEvent(error)) {
    if (error.code === CloseCode.Forbidden) return new RequestError(UNAUTHENTICATED_MESSAGE, 'UNAUTHENTICATED', 'UNAUTHENTICATED');
    return new RequestError(`The live connection to the gateway closed (code ${error.code}${error.reason ? `: ${error.reason}` : ''}).`, 'NETWORK');
  }
  if (error instanceof Error) return new RequestError(`The live connection to the gateway failed: ${error.message}`, 'NETWORK');
  return new RequestError('The live connection to the gateway failed.', 'NETWORK');
}

/** Subscribes; returns the function that ends the subscription. */
export function subscribe<R, V>(document: TypedDocumentString<R, V>, variables: V, sink: LiveSink<R>): () => void {
  return liveClient().subscribe<R>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors?.length) sink.error(fromGraphQLErrors(result.errors as GraphQLErrorShape[]));
        else if (result.data) sink.next(result.data);
      },
      error: (error) => sink.error(liveError(error)),
      complete: () => sink.complete(),
    },
  );
}
