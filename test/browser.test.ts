/**
 * GraphiQL as the gateway serves it, in headless Chromium (from the @sparticuz/chromium devDependency, or a system
 * Chromium when there is one: test/support/browser.ts; driven by playwright-core), against a real gateway in front of the simulators: the page loads from the gateway alone, runs a query, and shows a
 * sandbox job's live status over a graphql-transport-ws subscription on the same port.
 *
 * Pages may reach the gateway's origin only (test/support/browser.ts blocks and records everything else), so the
 * outcome does not depend on whether the machine is online.
 *
 * GraphiQL must come from the gateway itself (src/server.ts hands yoga `renderGraphiQL` from
 * `@graphql-yoga/render-graphiql`, which inlines GraphiQL, its CSS and the Monaco workers). yoga's default page is a
 * shell that loads all of that from unpkg.com; with it, the page stays on "Loading __TITLE__..." offline, and the
 * tests below fail listing the blocked CDN URLs.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, findChromium, launchChromium, openGraphiQL, openWatchedPage, type GraphiQL } from './support/browser.js';
import { startStack, type Stack } from './support/stack.js';

/** Not a `graphql()` document on purpose: test/gql stays as codegen made it. */
const StartJob = parse(`
  mutation BrowserStartJob($input: StartJobInput!) {
    startJob(input: $input) { __typename ... on StartJobSuccess { job { id status } } }
  }
`) as TypedDocumentNode<
  { startJob: { __typename: string; job?: { id: string; status: string } } },
  { input: { text: string[] } }
>;

const SCREENSHOT = '/tmp/graphiql.png';

let stack: Stack;
let browser: Browser;
let gatewayOrigin: string;

// Never skipped: the browser comes with `npm ci`, so a Chromium that does not start is a failure, here and in CI.
describe('GraphiQL in headless Chromium', () => {
  beforeAll(async () => {
    // Found (on a first run: unpacked, a few seconds) before anything else starts: unpacking points TMPDIR at a
    // staging directory for a moment, which nothing else in this process should see.
    console.info(`browser tests use Chromium from ${(await findChromium()).source}`);
    [stack, browser] = await Promise.all([
      startStack({ publicUrl: true, hume: { timing: { queuedMs: 300, runningMs: 1500 } } }),
      launchChromium(),
    ]);
    gatewayOrigin = new URL(stack.gateway.url).origin;
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('serves GraphiQL to a browser at /graphql, set up for graphql-transport-ws subscriptions', async () => {
    const watched = await openWatchedPage(browser, gatewayOrigin);
    try {
      const response = await watched.page.goto(`${stack.gateway.url}/graphql`, { waitUntil: 'domcontentloaded' });
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-type']).toMatch(/^text\/html/);
      expect(await watched.page.title()).toBe('Emotion gateway');
      // yoga hands its GraphiQL options to the page as JSON.
      expect(await response?.text()).toContain('"subscriptionsProtocol":"WS"');
    } finally {
      await watched.close();
    }
  });

  it(`loads GraphiQL from the gateway's origin alone, without errors`, async () => {
    const graphiql = await openGraphiQL(browser, stack.gateway.url, '{ __typename }');
    try {
      expect(graphiql.offOrigin, diagnose(graphiql)).toEqual([]);
      expect(graphiql.requests.filter((url) => new URL(url).origin !== gatewayOrigin)).toEqual([]);
      expect(graphiql.errors, diagnose(graphiql)).toEqual([]);
      expect(await graphiql.queryText()).toContain('{ __typename }');
    } finally {
      await graphiql.close();
    }
  });

  it(`runs a query preset through ?query= and shows its result`, async () => {
    const graphiql = await openGraphiQL(browser, stack.gateway.url, 'query Probe { __typename jobs(first: 1) { __typename } }');
    try {
      await graphiql.run();
      await expect.poll(() => graphiql.resultText(), { timeout: 10_000 }).toContain('"__typename": "Query"');
      expect(JSON.parse(await graphiql.resultText())).toEqual({
        data: { __typename: 'Query', jobs: { __typename: 'JobConnection' } },
      });
      expect(graphiql.errors, diagnose(graphiql)).toEqual([]);
    } finally {
      await graphiql.close();
    }
  });

  it(`shows a sandbox job's live status through a WebSocket subscription`, async () => {
    // GraphiQL takes longer to load (1-3 s) than the job lives (0.3 s queued, 1.5 s running), so the page is ready
    // first; then the job starts and its subscription goes into the editor as a person would type it.
    const graphiql = await openGraphiQL(browser, stack.gateway.url, 'subscription { __typename }', {
      screenshotOnFailure: SCREENSHOT,
    });
    try {
      const wsUrl = `${gatewayOrigin.replace(/^http/, 'ws')}/graphql`;
      let id = '';
      let shown: string[] = [];
      let received: string[] = [];
      // Typing and subscribing take about half a second. If a stalled machine lets the job finish first, GraphiQL
      // rightly shows COMPLETED alone, which proves nothing about live updates: then one more job, and that is all.
      for (let attempt = 1; attempt <= 2; attempt++) {
        const started = await stack.execute(StartJob, { input: { text: [`GraphiQL shows this job live (${attempt})`] } });
        id = started.data?.startJob.job?.id ?? '';
        if (!id) throw new Error(`startJob failed: ${JSON.stringify(started)}`);

        const subscription = `subscription { jobUpdated(id: "${id}") { id status } }`;
        await graphiql.setQuery(subscription);
        expect(await graphiql.queryText()).toContain(subscription);
        await graphiql.page.keyboard.press('ControlOrMeta+Enter');

        // What the result pane shows, sampled until the terminal state.
        shown = [];
        await expect
          .poll(
            async () => {
              const text = await graphiql.resultText();
              const status = text.includes(id) ? /"status": "([A-Z_]+)"/.exec(text)?.[1] : undefined;
              if (status && shown.at(-1) !== status) shown.push(status);
              return status;
            },
            { timeout: 15_000, interval: 50 },
          )
          .toBe('COMPLETED');
        // What reached the browser over the WebSocket for this job, in order.
        received = nextPayloads(graphiql.frames)
          .filter((payload) => payload.data?.jobUpdated?.id === id)
          .map((payload) => payload.data!.jobUpdated!.status);
        console.info(`GraphiQL, attempt ${attempt}: received ${received.join(' -> ')}; showed ${shown.join(' -> ')}`);
        if (received[0] !== 'COMPLETED') break;
      }

      expect(received.at(-1)).toBe('COMPLETED');
      expect(received.length, `received: ${received.join(' -> ')}`).toBeGreaterThanOrEqual(2);
      expect(received.slice(0, -1).every((status) => status === 'QUEUED' || status === 'IN_PROGRESS')).toBe(true);
      // The pane showed a live state before the terminal one, and ends on the job's final result.
      expect(shown.length, `shown: ${shown.join(' -> ')}`).toBeGreaterThanOrEqual(2);
      expect(shown.slice(0, -1).every((status) => status === 'QUEUED' || status === 'IN_PROGRESS')).toBe(true);
      expect(JSON.parse(await graphiql.resultText())).toEqual({ data: { jobUpdated: { id, status: 'COMPLETED' } } });

      // GraphiQL spoke graphql-transport-ws to the gateway's own port and path, and the server completed the operation.
      expect(new Set(graphiql.webSockets)).toEqual(new Set([wsUrl]));
      const types = graphiql.frames.map((frame) => (JSON.parse(frame) as { type: string }).type);
      expect(types[0]).toBe('connection_ack');
      expect(types.at(-1)).toBe('complete');
      expect(graphiql.errors, diagnose(graphiql)).toEqual([]);
    } finally {
      await screenshot(graphiql);
      await graphiql.close();
    }
  });
});

interface NextPayload {
  data?: { jobUpdated?: { id: string; status: string } };
}

/** The payloads of graphql-transport-ws `next` messages among received frames. */
function nextPayloads(frames: string[]): NextPayload[] {
  return frames
    .map((frame) => JSON.parse(frame) as { type: string; payload?: NextPayload })
    .filter((message) => message.type === 'next' && message.payload)
    .map((message) => message.payload!);
}

async function screenshot(graphiql: GraphiQL): Promise<void> {
  await graphiql.page.screenshot({ path: SCREENSHOT }).catch(() => {});
}
