/**
 * Headless Chromium (Debian's `chromium` package, driven by playwright-core) for tests of what the gateway serves to
 * browsers. Every page runs in a fresh context that lets requests reach the page's own origin only: anything else is
 * blocked and recorded, so a page that depends on a CDN fails the same way on every machine (tests never leave
 * loopback), and the test can say exactly which URLs it wanted.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser tests cannot run here, or null when they can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM_PATH)
    ? null
    : `no Chromium at ${CHROMIUM_PATH} (install it with \`apt-get install -y chromium\`, or set CHROMIUM_PATH)`;
}

/** Playwright gives every context its own temporary profile, removed on close. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 20_000 });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  origin: string;
  /** Every request the page made, in order (blocked ones included). */
  requests: string[];
  /** Requests to another origin: blocked, never sent. */
  offOrigin: string[];
  /** URLs of the WebSockets the page opened. */
  webSockets: string[];
  /** Text frames received on those WebSockets, in order. */
  frames: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  /** Uncaught page errors only (a script that blew up). */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openWatchedPage(browser: Browser, origin: string): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const watched: Omit<WatchedPage, 'page'> = {
    context,
    origin,
    requests: [],
    offOrigin: [],
    webSockets: [],
    frames: [],
    errors: [],
    pageErrors: [],
    close: () => context.close(),
  };
  await context.route('**/*', (route) => {
    const url = route.request().url();
    watched.requests.push(url);
    if (new URL(url).origin === origin) return route.continue();
    watched.offOrigin.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') watched.errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    watched.pageErrors.push(error.message);
    watched.errors.push(`uncaught: ${error.message}`);
  });
  page.on('websocket', (socket) => {
    watched.webSockets.push(socket.url());
    socket.on('framereceived', (frame) => {
      if (typeof frame.payload === 'string') watched.frames.push(frame.payload);
    });
  });
  return { ...watched, page };
}

/** What went wrong on a page, for an assertion message. */
export function diagnose(watched: WatchedPage): string {
  const list = (items: string[]) => (items.length ? items.map((item) => `\n    ${item}`).join('') : ' none');
  return [
    `  blocked requests to other origins than ${watched.origin}:${list(watched.offOrigin)}`,
    `  errors:${list(watched.errors)}`,
  ].join('\n');
}

/** GraphiQL as served by yoga at `<gateway>/graphql`, driven through its own UI. */
export interface GraphiQL extends WatchedPage {
  executeButton: Locator;
  /** The query editor's text as shown. */
  queryText(): Promise<string>;
  /** The result pane's text as shown (what a person would read). */
  resultText(): Promise<string>;
  /** Replaces the query editor's content the way a person would: select all, then type. */
  setQuery(query: string): Promise<void>;
  run(): Promise<void>;
}

/** Monaco shows spaces as no-break spaces; compare text the way it reads. */
function plain(text: string): string {
  return text.replace(/\u00a0/g, ' ');
}

/**
 * Opens GraphiQL with `query` preset through the `?query=` parameter and waits for its editor. Fails fast, with the
 * blocked URLs and page errors, when GraphiQL cannot start (for instance because its code lives on a CDN).
 */
export async function openGraphiQL(
  browser: Browser,
  gatewayUrl: string,
  query: string,
  options: { screenshotOnFailure?: string } = {},
): Promise<GraphiQL> {
  const watched = await openWatchedPage(browser, new URL(gatewayUrl).origin);
  const { page } = watched;
  const executeButton = page.locator('.graphiql-execute-button');
  const queryEditor = page.locator('.graphiql-query-editor');
  const result = page.locator('.graphiql-response');
  try {
    // A browser's navigation asks for text/html; yoga answers GraphiQL on the GraphQL endpoint itself.
    const response = await page.goto(`${gatewayUrl}/graphql?query=${encodeURIComponent(query)}`, { waitUntil: 'load' });
    if (!response?.ok()) throw new Error(`GET /graphql answered ${response?.status()}`);
    // Poll rather than wait: an uncaught error before the editor shows means GraphiQL's own script failed, and
    // there is no point in waiting out a timeout for it.
    const deadline = Date.now() + 20_000;
    while (!(await executeButton.isVisible())) {
      if (watched.pageErrors.length > 0) throw new Error('its script failed');
      if (Date.now() > deadline) throw new Error('no editor after 20 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    const shown = plain(await page.locator('body').innerText().catch(() => '<no body>')).slice(0, 200);
    if (options.screenshotOnFailure) await page.screenshot({ path: options.screenshotOnFailure }).catch(() => {});
    await watched.close();
    throw new Error(`GraphiQL did not start (${(error as Error).message}); the page shows "${shown}"\n${diagnose(watched)}`);
  }
  return {
    ...watched,
    page,
    executeButton,
    queryText: async () => plain(await queryEditor.locator('.view-lines').innerText()),
    resultText: async () => plain(await result.innerText()),
    async setQuery(text: string) {
      await queryEditor.locator('.view-lines').click();
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.press('Delete');
      // insertText types the whole string at once, so the editor's auto-closing of brackets and quotes stays out.
      await page.keyboard.insertText(text);
    },
    run: () => executeButton.click(),
  };
}
