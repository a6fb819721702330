/**
 * The web app at /app, as a person uses it: a real gateway process in sandbox mode (as `npm start` runs it, the app
 * built by Vite on first visit), driven in headless Chromium (test/support/browser.ts: the page may reach its own
 * origin only, and every other request is blocked and recorded).
 *
 * Waits are on what the page shows (a status, a chart, a count), never on timers. A screenshot of every view goes to
 * test-results/web-app/; with UPDATE_DOCS_SCREENSHOTS=1 the analysis view is also written to docs/, where the README
 * shows it.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, findChromium, launchChromium, openWatchedPage, type WatchedPage } from './support/browser.js';
import { startGatewayProcess, type GatewayProcess } from './support/gateway-process.js';
import { pcmWav } from './support/wav.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHOTS = join(REPO_ROOT, 'test-results', 'web-app');
const DOCS_SHOT = join(REPO_ROOT, 'docs', 'web-app-analysis.png');
const LONG_VIDEO = 'https://media.example/long.mp4?duration=10800';

let gateway: GatewayProcess;
let browser: Browser;
let analysisUrl = '';
/** A Hume batch face job over a 3-hour video (32,400 frames at 3 fps), started first: it takes the sandbox ~5 s. */
let longJobId: Promise<string>;

async function startLongFaceJob(): Promise<string> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation { startJob(input: { urls: ["${LONG_VIDEO}"], models: { face: {} } }) { __typename ... on StartJobSuccess { job { id } } } }`,
    }),
  });
  const result = (await response.json()) as { data?: { startJob: { job?: { id: string } } } };
  const id = result.data?.startJob.job?.id;
  if (!id) throw new Error(`startJob failed: ${JSON.stringify(result)}`);
  return id;
}

async function shoot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: options.fullPage ?? true });
}

async function openApp(hash = ''): Promise<WatchedPage> {
  const watched = await openWatchedPage(browser, new URL(gateway.url).origin);
  const response = await watched.page.goto(`${gateway.url}/app/${hash}`);
  expect(response?.status()).toBe(200);
  return watched;
}

/** How many pixels of the chart's canvas are drawn in a saturated colour: series, not the grey axes and grid. */
async function seriesPixels(chart: Locator): Promise<number> {
  return chart.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
      if (a > 200 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
    }
    return coloured;
  });
}

/** The legend's series labels (uPlot's first entry is the x value). */
async function legendLabels(chart: Locator): Promise<string[]> {
  const labels = await chart.locator('.u-legend .u-series .u-label').allInnerTexts();
  return labels.slice(1);
}

/**
 * Records, inside the page, every status each provider's line shows (a MutationObserver sees each rendered state,
 * however briefly it showed), so the test can tell "went from running to done" from "was done when it looked".
 */
async function recordPhases(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { phasesSeen: typeof seen }).phasesSeen = seen;
    const record = () => {
      for (const side of document.querySelectorAll<HTMLElement>('[data-provider]')) {
        const provider = side.dataset.provider!;
        const phase = side.querySelector<HTMLElement>('[data-phase]')?.dataset.phase;
        const list = (seen[provider] ??= []);
        if (phase && list.at(-1) !== phase) list.push(phase);
      }
    };
    new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-phase'] });
  });
}

const phasesSeen = (page: Page) => page.evaluate(() => (window as unknown as { phasesSeen: Record<string, string[]> }).phasesSeen);

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  console.info(`web app tests use Chromium from ${(await findChromium()).source}`);
  // Nothing configured: sandbox mode, as `npm ci && npm start` runs it.
  [gateway, browser] = await Promise.all([startGatewayProcess({ SANDBOX: '' }), launchChromium()]);
  // The first request for the app builds it (Vite, a few seconds): done here, outside any test's own time.
  const first = await fetch(`${gateway.url}/app/`);
  expect(first.status, await first.clone().text()).toBe(200);
  longJobId = startLongFaceJob();
  // Handled where it is awaited; not an unhandled rejection meanwhile.
  longJobId.catch(() => {});
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
});

describe('the web app at /app, in sandbox mode', () => {
  it('is the app Vite built: index.html revalidated, hashed assets immutable, nothing loaded from another origin', async () => {
    const index = await fetch(`${gateway.url}/app/`);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/app\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => /\.js$/.test(a)) && assets.some((a) => /\.css$/.test(a)), html).toBe(true);
    for (const asset of assets) {
      const response = await fetch(`${gateway.url}${asset}`, { method: 'HEAD' });
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('cache-control'), asset).toBe('public, max-age=31536000, immutable');
      expect(response.headers.get('content-type'), asset).toMatch(/^text\/(javascript|css)/);
    }
    expect((await fetch(`${gateway.url}/app/assets/not-in-the-build.js`)).status).toBe(404);
    expect(await (await fetch(`${gateway.url}/app/config.json`)).json()).toMatchObject({ sandbox: true, authentication: false });
  });

  it('analyses the built-in stereo sample: both sides go from running to done live, then one chart per channel', async () => {
    const watched = await openApp();
    const { page } = watched;
    try {
      await expect.poll(() => page.getByRole('button', { name: 'Start analysis' }).isEnabled(), { timeout: 15_000 }).toBe(true);
      // The form defaults to the stereo sample with Hume expression and Phonexia.
      expect(await page.getByLabel('Built-in sample stereo-call.wav').isChecked()).toBe(true);
      expect(await page.getByRole('checkbox', { name: /Hume expression/ }).isChecked()).toBe(true);
      expect(await page.getByRole('checkbox', { name: /Phonexia/ }).isChecked()).toBe(true);
      await shoot(page, 'analyse-form');

      let phases: Record<string, string[]> = {};
      // If a loaded machine shows the page only after a side has finished, the page rightly shows "done" alone,
      // which proves nothing about live updates: then one more analysis, and that is all.
      for (let attempt = 1; attempt <= 2; attempt++) {
        if (attempt > 1) await page.goto(`${gateway.url}/app/#/analyse`);
        await page.getByRole('button', { name: 'Start analysis' }).waitFor();
        await recordPhases(page);
        // Keyboard only: Tab to the start button, Enter.
        await page.locator('body').focus();
        for (let i = 0; i < 40 && !(await page.evaluate(() => document.activeElement?.textContent === 'Start analysis')); i++) await page.keyboard.press('Tab');
        await page.keyboard.press('Enter');
        await page.waitForURL(/#\/analyses\/[0-9a-f-]{36}$/, { timeout: 15_000 });
        if (attempt === 1)
          await page
            .locator('[data-provider] [data-phase="running"]')
            .first()
            .waitFor({ timeout: 5_000 })
            .then(() => shoot(page, 'analysis-running'))
            // Only the picture is missed; whether it ran live is asserted below.
            .catch(() => {});
        for (const provider of ['HUME_EXPRESSION', 'PHONEXIA'])
          await page
            .locator(`[data-provider="${provider}"] :is([data-phase="done"], [data-phase="failed"])`)
            .waitFor({ timeout: 45_000 })
            .catch(async (error: unknown) => {
              await shoot(page, 'analysis-stuck');
              throw new Error(`${provider} did not finish; the page shows: ${await page.locator('main').innerText()}\n${diagnose(watched)}`, { cause: error });
            });
        phases = await phasesSeen(page);
        const failed = await page.locator('[data-provider]:has([data-phase="failed"])').allInnerTexts();
        expect(failed, `failed sides: ${failed.join('; ')}`).toEqual([]);
        console.info(`analysis, attempt ${attempt}: ${JSON.stringify(phases)}`);
        if (Object.values(phases).every((seen) => seen.includes('running'))) break;
      }
      analysisUrl = page.url();
      for (const provider of ['HUME_EXPRESSION', 'PHONEXIA']) {
        const seen = phases[provider] ?? [];
        expect(seen, `${provider} showed ${seen.join(' -> ')}`).toContain('running');
        expect(seen.at(-1)).toBe('done');
        expect(seen.indexOf('running')).toBeLessThan(seen.indexOf('done'));
      }
      // Elapsed times are shown for each side, in words.
      expect(await page.locator('[data-provider="PHONEXIA"] .status-elapsed').innerText()).toMatch(/^\d+\.\d s$/);

      for (const channel of [0, 1]) {
        const card = page.locator(`article[data-channel="${channel}"]`);
        const chart = card.locator('.channel-hume .chart');
        await chart.locator('canvas').waitFor();
        expect(await seriesPixels(chart), `channel ${channel}: no series drawn`).toBeGreaterThan(100);
        const labels = await legendLabels(chart);
        expect(labels.length, `channel ${channel} legend: ${labels.join(', ')}`).toBeGreaterThanOrEqual(1);
        expect(labels.every((label) => label.trim().length > 0)).toBe(true);
        // Phonexia's four emotions for the same channel, beside the chart.
        const names = await card.locator('.channel-phonexia .bar-name').allInnerTexts();
        expect(names.map((n) => n.trim().toLowerCase()).sort()).toEqual(['angry', 'happy', 'neutral', 'sad']);
      }
      // Both charts share one time axis: the same labels under each.
      const axis = (channel: number) => page.locator(`article[data-channel="${channel}"] .channel-hume`).evaluate((el) => el.querySelector('.u-axis')?.textContent);
      expect(await axis(0)).toBe(await axis(1));

      // Hovering shows the values under the cursor in the legend.
      const over = page.locator('article[data-channel="0"] .u-over');
      const box = (await over.boundingBox())!;
      let hovered: string[] = [];
      for (let step = 1; step < 20 && !hovered.some((v) => v.includes('%')); step++) {
        await page.mouse.move(box.x + (box.width * step) / 20, box.y + box.height / 2);
        hovered = await page.locator('article[data-channel="0"] .u-legend .u-series .u-value').allInnerTexts();
      }
      expect(hovered.some((v) => /\d%$/.test(v)), `legend values: ${hovered.join(', ')}`).toBe(true);

      await page.mouse.move(0, 0);
      await shoot(page, 'analysis');
      if (process.env.UPDATE_DOCS_SCREENSHOTS === '1') {
        mkdirSync(dirname(DOCS_SHOT), { recursive: true });
        await page.screenshot({ path: DOCS_SHOT, fullPage: true });
      }

      // A phone's width: everything still fits across, nothing scrolls sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await shoot(page, 'analysis-phone');

      expect(watched.offOrigin, diagnose(watched)).toEqual([]);
      expect(watched.errors, diagnose(watched)).toEqual([]);
      // Live updates came over the gateway's own WebSocket.
      expect(new Set(watched.webSockets)).toEqual(new Set([`${gateway.url.replace(/^http/, 'ws')}/graphql`]));
    } finally {
      await watched.close();
    }
  }, 90_000);

  it('uploads a WAV file of its own with the GraphQL multipart request spec and the CSRF header', async () => {
    const watched = await openApp();
    const { page } = watched;
    try {
      await page.getByLabel('My own WAV file').check();
      await page.locator('#recording').setInputFiles({ name: 'uploaded-call.wav', mimeType: 'audio/wav', buffer: Buffer.from(pcmWav({ channels: 2, seconds: 2 })) });
      await page.getByText('uploaded-call.wav').first().waitFor();
      const multipart = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/graphql') && /^multipart\/form-data/.test(r.headers()['content-type'] ?? ''));
      await page.getByRole('button', { name: 'Start analysis' }).click();
      const sent = await multipart;
      expect(sent.headers()['x-graphql-yoga-csrf']).toBe('1');
      const body = sent.postData() ?? '';
      expect(body).toContain('name="operations"');
      expect(body).toContain('{"0":["variables.input.file"]}');
      expect(body).toContain('filename="uploaded-call.wav"');
      await page.waitForURL(/#\/analyses\/[0-9a-f-]{36}$/, { timeout: 15_000 });
      // The gateway read the upload: both sides took it, named as uploaded.
      await page.getByRole('heading', { name: 'Analysis of uploaded-call.wav' }).waitFor({ timeout: 15_000 });
      expect(await page.locator('[data-provider]').count()).toBe(2);
      expect(await page.locator('[data-provider] [data-phase="failed"]').count()).toBe(0);
      expect(watched.errors, diagnose(watched)).toEqual([]);
    } finally {
      await watched.close();
    }
  });

  it('opens a 3-hour face job and pages through it window by window', async () => {
    // The form's sandbox preset fills in the same long video (the job itself was started in beforeAll).
    const watched = await openApp('#/jobs/new');
    const { page } = watched;
    try {
      await page.getByRole('button', { name: '3-hour video (faces)' }).click();
      expect(await page.getByLabel('Media URLs, one per line').inputValue()).toBe(LONG_VIDEO);
      expect(await page.getByRole('checkbox', { name: 'Faces' }).isChecked()).toBe(true);

      await page.goto(`${gateway.url}/app/#/jobs/${await longJobId}`);
      await page.locator('.meta [data-phase="done"]').waitFor({ timeout: 40_000 });
      const status = page.locator('.window-status');
      await status.waitFor({ timeout: 30_000 });
      expect(await status.innerText()).toMatch(/^Showing 0:00–2:00 of 3:00:00 · [\d,]+ of 32,400 predictions loaded/);
      // The first window is one chunk of two minutes: 360 frames at 3 fps, one page.
      await expect.poll(() => status.getAttribute('data-loaded').then(Number), { timeout: 30_000 }).toBeGreaterThanOrEqual(360);
      const chart = page.locator('.long-media .chart');
      await expect.poll(() => seriesPixels(chart), { timeout: 10_000 }).toBeGreaterThan(200);
      expect((await legendLabels(chart)).length).toBe(5);
      await shoot(page, 'long-face-job');

      // Later: the window moves on (into the chunk fetched ahead) and the chart shows frames from there.
      await page.getByRole('button', { name: 'Later ▶' }).click();
      await expect.poll(() => status.getAttribute('data-window-start')).toBe('96');
      await page.locator('.chart-loading').waitFor({ state: 'detached', timeout: 30_000 });
      expect(await status.innerText()).toMatch(/^Showing 1:36–3:36 of 3:00:00/);
      await expect.poll(() => seriesPixels(chart), { timeout: 10_000 }).toBeGreaterThan(200);

      // By keyboard: the chart takes focus; ← moves back a quarter window, + zooms in.
      await page.locator('.long-media .chart-frame').focus();
      await page.keyboard.press('ArrowLeft');
      await expect.poll(() => status.getAttribute('data-window-start')).toBe('66');
      await page.keyboard.press('+');
      await expect.poll(() => status.getAttribute('data-window-end')).toBe(String(96 + 60));

      // Jumping an hour in with the position slider loads only that stretch, not the hours before it.
      await page.getByLabel('Position in the media').fill('7200');
      await expect.poll(() => status.getAttribute('data-window-start')).toBe('7200');
      await page.locator('.chart-loading').waitFor({ state: 'detached', timeout: 30_000 });
      await expect.poll(() => seriesPixels(chart), { timeout: 10_000 }).toBeGreaterThan(100);
      const loaded = Number(await status.getAttribute('data-loaded'));
      const pages = Number(await status.getAttribute('data-pages'));
      console.info(`long face job: ${loaded} predictions in ${pages} pages`);
      expect(loaded).toBeLessThanOrEqual(6 * 360);
      expect(pages).toBeGreaterThanOrEqual(3);
      expect(await status.innerText()).toMatch(/^Showing 2:00:00–2:01:00 of 3:00:00/);
      await shoot(page, 'long-face-job-paged');

      expect(watched.offOrigin, diagnose(watched)).toEqual([]);
      expect(watched.errors, diagnose(watched)).toEqual([]);
    } finally {
      await watched.close();
    }
  }, 120_000);

  it('measures the faces in images and shows each face with its top emotions', async () => {
    const watched = await openApp('#/runs/measure-images');
    const { page } = watched;
    try {
      await page.getByRole('button', { name: 'Use two drawn test images' }).click();
      await page.getByText('drawn-face-1.jpg, drawn-face-2.jpg').waitFor();
      await page.getByRole('button', { name: 'Measure faces' }).click();
      await page.waitForURL(/#\/runs\/[0-9a-f-]{36}$/, { timeout: 15_000 });
      await page.locator('.meta [data-phase="done"]').waitFor({ timeout: 30_000 });
      const images = page.locator('article.image');
      await expect.poll(() => images.count()).toBe(2);
      expect(await images.nth(0).locator('h3').innerText()).toBe('drawn-face-1.jpg');
      // Every face shown either has its top emotions with values, or says why it has none.
      const faces = page.locator('.face');
      expect(await faces.count()).toBeGreaterThanOrEqual(1);
      for (const face of await faces.all()) {
        const values = await face.locator('.bar-value').allInnerTexts();
        if (values.length === 0) expect(await face.innerText()).toContain('not measured');
        else values.forEach((value) => expect(value).toMatch(/^\d+(\.\d)?%$/));
      }
      await shoot(page, 'image-faces');
      expect(watched.errors, diagnose(watched)).toEqual([]);
    } finally {
      await watched.close();
    }
  }, 60_000);

  it("lists the caller's analyses, jobs, tasks and runs, each opening its detail view", async () => {
    expect(analysisUrl, 'the analysis test ran first').not.toBe('');
    const analysisId = analysisUrl.split('/').at(-1)!;
    const watched = await openApp('#/analyses');
    const { page } = watched;
    try {
      for (const [kind, detail] of [
        ['analyses', /#\/analyses\//],
        ['jobs', /#\/jobs\//],
        ['tasks', /#\/tasks\//],
        ['runs', /#\/runs\//],
      ] as const) {
        await page.goto(`${gateway.url}/app/#/${kind}`);
        const rows = page.locator('li.row');
        await rows.first().waitFor({ timeout: 15_000 });
        await shoot(page, `list-${kind}`);
        if (kind === 'analyses') expect(await page.locator(`li.row[data-id="${analysisId}"] [data-phase]`).getAttribute('data-phase')).toBe('done');
        await rows.first().locator('a').click();
        await page.waitForURL(detail);
        await page.locator('h1').waitFor();
        await page.locator('.meta [data-phase]').waitFor({ timeout: 15_000 });
        await shoot(page, `detail-${kind}`);
      }
      expect(watched.offOrigin, diagnose(watched)).toEqual([]);
      expect(watched.errors, diagnose(watched)).toEqual([]);
    } finally {
      await watched.close();
    }
  }, 60_000);

  it('says in words when something is not there', async () => {
    const watched = await openApp('#/analyses/00000000-0000-0000-0000-000000000000');
    try {
      const alert = watched.page.getByRole('alert');
      await alert.waitFor({ timeout: 15_000 });
      expect(await alert.innerText()).toContain('There is no analysis 00000000-0000-0000-0000-000000000000');
      expect(await alert.innerText()).not.toMatch(/\bat .*:\d+:\d+/);
      await shoot(watched.page, 'not-found');
    } finally {
      await watched.close();
    }
  });
});
