/**
 * Real subscription clients: graphql-ws over a real WebSocket, and GraphQL over SSE with fetch, both collecting
 * every result until the server completes the operation (or errors).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface Collected<R> {
  results: ExecutionResult<R>[];
  /** Resolves when the server completed the operation; rejects on an error message or a closed socket. */
  done: Promise<ExecutionResult<R>[]>;
  /** Resolves with the first result. */
  first: Promise<ExecutionResult<R>>;
  stop(): void;
}

export function wsClient(
  gatewayUrl: string,
  options: { onClose?: (code: number) => void; connectionParams?: Record<string, unknown> | (() => Record<string, unknown>) } = {},
): Client {
  return createClient({
    url: `${gatewayUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: true,
    ...(options.connectionParams ? { connectionParams: options.connectionParams } : {}),
    on: { closed: (event) => options.onClose?.((event as { code: number }).code) },
  });
}

export function subscribeWs<R, V>(client: Client, document: TypedDocumentNode<R, V>, variables: V): Collected<R> {
  const results: ExecutionResult<R>[] = [];
  let resolveFirst!: (r: ExecutionResult<R>) => void;
  const first = new Promise<ExecutionResult<R>>((resolve) => (resolveFirst = resolve));
  let stop = () => {};
  const done = new Promise<ExecutionResult<R>[]>((resolve, reject) => {
    stop = client.subscribe<R>(
      { query: print(document), variables: variables as Record<string, unknown> },
      {
        next: (result) => {
          results.push(result as ExecutionResult<R>);
          if (results.length === 1) resolveFirst(result as ExecutionResult<R>);
        },
        error: (error) => reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
        complete: () => resolve(results),
      },
    );
  });
  return { results, done, first, stop: () => stop() };
}

/** GraphQL over SSE (yoga's "distinct connections" mode): one HTTP request, `next` events, then `complete`. */
export function subscribeSse<R, V>(gatewayUrl: string, document: TypedDocumentNode<R, V>, variables: V, headers: Record<string, string> = {}): Collected<R> {
  const results: ExecutionResult<R>[] = [];
  const controller = new AbortController();
  let resolveFirst!: (r: ExecutionResult<R>) => void;
  const first = new Promise<ExecutionResult<R>>((resolve) => (resolveFirst = resolve));
  const done = (async () => {
    const response = await fetch(`${gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
      body: JSON.stringify({ query: print(document), variables }),
      signal: controller.signal,
    });
    if (!response.ok || !response.body) throw new Error(`SSE answered ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let boundary: number;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const event = /^event: ?(.*)$/m.exec(block)?.[1];
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trimStart())
          .join('\n');
        if (event === 'complete') return results;
        if (event === 'next' || (event === undefined && data)) {
          const result = JSON.parse(data) as ExecutionResult<R>;
          results.push(result);
          if (results.length === 1) resolveFirst(result);
        }
      }
    }
    return results;
  })();
  return { results, done, first, stop: () => controller.abort() };
}
