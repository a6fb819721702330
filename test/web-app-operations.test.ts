/**
 * Every operation the web app sends (app/src/operations.ts) passes the gateway's own checks: valid against the
 * schema (codegen checks that too) and within the operation limits every transport applies (depth, aliases,
 * tokens, cost), which only the running gateway knows. A deep query over job predictions is easy to push over the
 * cost limit, and the app would then show an error instead of a view; this fails first.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as operations from '../app/src/operations.js';
import { startStack, type Stack } from './support/stack.js';

/** What the gateway says when an operation never runs: a parse, validation or limit failure. */
const REFUSED = /Syntax Error|exceeded|Cannot query field|Unknown (argument|type|fragment)|is not defined|must have a selection/;

/** Variables that fit every operation: unknown ids, a small window, no cursor. */
const VARIABLES = { id: 'no-such-work', after: null, from: 0, to: 60, first: 10, input: {} };

const documents = Object.entries(operations).map(([name, document]) => {
  const text = String(document);
  return { name, text, kind: /^\s*(query|mutation|subscription)/.exec(text)?.[1] ?? 'unknown' };
});

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

async function overHttp(text: string): Promise<string[]> {
  const response = await fetch(`${stack.gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: text, variables: VARIABLES }),
  });
  const result = (await response.json()) as { errors?: Array<{ message: string }> };
  return (result.errors ?? []).map((error) => error.message);
}

async function overWebSocket(text: string): Promise<string[]> {
  const client = createClient({ url: `${stack.gateway.url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 });
  const messages: string[] = [];
  try {
    await new Promise<void>((resolve) =>
      client.subscribe(
        { query: text, variables: VARIABLES },
        {
          next: (result) => {
            messages.push(...(result.errors ?? []).map((error) => error.message));
          },
          error: (error) => {
            messages.push(...(Array.isArray(error) ? error.map((e: { message: string }) => e.message) : [String((error as Error).message ?? error)]));
            resolve();
          },
          complete: resolve,
        },
      ),
    );
  } finally {
    await client.dispose();
  }
  return messages;
}

describe("the web app's operations", () => {
  it('are all found in app/src/operations.ts', () => {
    expect(documents.length).toBeGreaterThanOrEqual(20);
    expect(documents.filter((d) => d.kind === 'unknown').map((d) => d.name)).toEqual([]);
  });

  for (const { name, text, kind } of documents)
    it(`${name} (${kind}) passes validation and the operation limits`, async () => {
      const messages = kind === 'subscription' ? await overWebSocket(text) : await overHttp(text);
      expect(messages.filter((message) => REFUSED.test(message)), messages.join('; ')).toEqual([]);
    });
});
