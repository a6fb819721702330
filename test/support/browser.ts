/**
 * Headless Chromium, driven by playwright-core, for tests of what the gateway serves to browsers. The browser comes
 * from the npm registry: the `@sparticuz/chromium` devDependency ships a brotli-compressed Chromium inside its
 * package, unpacked here on first use (no download, no install script, no system package). A system Chromium is
 * used instead when there is one: `CHROMIUM_PATH`, else `/usr/bin/chromium`.
 *
 * Every page runs in a fresh context that lets requests reach the page's own origin only: anything else is blocked
 * and recorded, so a page that depends on a CDN fails the same way on every machine (tests never leave loopback),
 * and the test can say exactly which URLs it wanted.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Keeps a headless browser on loopback and quiet: no background requests of its own. */
const QUIET_ARGS = [
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

const SYSTEM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', ...QUIET_ARGS];

// No WebGL: nothing here draws with it, and software GL (SwiftShader) made these tests about 1.5 times slower.
sparticuz.setGraphicsMode = false;

export interface ChromiumBinary {
  executablePath: string;
  args: string[];
  /** Where it came from, for messages. */
  source: string;
}

/**
 * Unpacks @sparticuz/chromium once per version into its own directory under the temporary directory and returns
 * the binary. The package unpacks into `os.tmpdir()` and trusts any file already there, so it unpacks here into a
 * private staging directory (TMPDIR pointed at it for the call) that is then renamed into place: a run killed
 * mid-way, or two runs at once, never leave or use a half-written binary.
 */
async function packagedChromium(): Promise<string> {
  const packageDir = join(dirname(createRequire(import.meta.url).resolve('@sparticuz/chromium')), '..', '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const home = join(tmpdir(), `sparticuz-chromium-${version}`);
  const binary = join(home, 'chromium');
  if (existsSync(binary)) return binary;

  const staging = mkdtempSync(join(tmpdir(), `sparticuz-chromium-${version}-staging-`));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = staging;
  try {
    const unpacked = await sparticuz.executablePath(join(packageDir, 'bin'));
    if (unpacked !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${unpacked}, not into ${staging}`);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  try {
    renameSync(staging, home);
  } catch (error) {
    // Another run got there first: use its copy.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(binary)) throw error;
  }
  return binary;
}

/** The Chromium the browser tests drive: a system one when there is one, else the one from npm. */
export async function findChromium(): Promise<ChromiumBinary> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH is ${configured}, and there is no such file`);
    return { executablePath: configured, args: SYSTEM_ARGS, source: `CHROMIUM_PATH (${configured})` };
  }
  if (existsSync(SYSTEM_CHROMIUM)) return { executablePath: SYSTEM_CHROMIUM, args: SYSTEM_ARGS, source: SYSTEM_CHROMIUM };
  const executablePath = await packagedChromium();
  // Its flags are made for AWS Lambda; `--single-process` (Lambda's sandbox needs it) ends the whole browser when
  // its first context closes, and every page here has a context of its own.
  const args = sparticuz.args.filter((arg) => arg !== '--single-process');
  return { executablePath, args: [...args, ...QUIET_ARGS], source: `@sparticuz/chromium (${executablePath})` };
}

/** Playwright gives every context its own temporary profile, removed on close. Fails loudly, naming the binary. */
export async function launchChromium(): Promise<Browser> {
  const binary = await findChromium();
  try {
    return await chromium.launch({ executablePath: binary.executablePath, args: binary.args, headless: true, timeout: 20_000 });
  } catch (error) {
    throw new Error(`Chromium from ${binary.source} did not launch: ${(error as Error).message}`);
  }
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
