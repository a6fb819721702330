/**
 * Long media: paging the face predictions of a 3-hour video (32,400 frames × 48 emotions, ~60 MiB of JSON) through
 * the built gateway, against a direct fetch + JSON.parse of the same document, measured side by side.
 *
 *   cold     the first page of a job the gateway has not read yet, vs GET …/predictions + JSON.parse in this process
 *            (each round a fresh job, the order of the two alternating), with the gateway's longest event-loop
 *            stall meanwhile (nodejs_eventloop_lag_max_seconds: prom-client's perf_hooks.monitorEventLoopDelay,
 *            reset by each /metrics scrape)
 *   warm     40 pages of 100 in a row by next cursor, and 40 pages by time window at 2.5 h
 *   memory   the gateway's V8 heap used + external memory (where typed arrays live) and RSS, before and after a job
 *            is cached, against the answer's size
 *   single   10 clients ask for the first page of the same uncached job at once: GETs of its predictions at the
 *            simulator (its request log)
 */
import { isDeepStrictEqual } from 'node:util';
import {
  check,
  CpuMeter,
  fmtMiB,
  gitRevision,
  inheritedEnvironment,
  log,
  machine,
  markdownTable,
  sectionHeading,
  readProcCpuMs,
  readProcMemory,
  RssSampler,
  sleep,
  startBuiltGateway,
  startHumeSimulator,
  target,
  targetsMarkdown,
  targetsText,
  textTable,
  type BenchContext,
  type Benchmark,
  type BenchReport,
} from './lib.js';

const API_KEY = 'bench-hume-key';
const DURATION_S = 10_800;
const FRAMES = DURATION_S * 3;
const EMOTIONS = 48;
const PAGE = 100;
const WARM_PAGES = 40;
const COLD_ROUNDS = 3;
const WARM_UP_PAGES = 30;
const READERS = 10;
const WINDOW_AT_S = 2.5 * 3600;
/** V8's own maximum semi-space on 64-bit machines; start:prod caps it at 4. */
const VARIANT_SEMI_SPACE_MB = 16;

const mediaUrl = (n: number) => (n === 0 ? `https://media.example/long.mp4?duration=${DURATION_S}` : `https://media.example/long-${n}.mp4?duration=${DURATION_S}`);

const PAGE_QUERY = `query($id: ID!, $first: Int, $after: String, $timeFrom: Float, $timeTo: Float) {
  job(id: $id) { predictions { predictions { models { face { groupedPredictions {
    predictions(first: $first, after: $after, timeFrom: $timeFrom, timeTo: $timeTo) {
      totalCount pageInfo { hasNextPage endCursor }
      nodes { frame time prob box { x y w h } emotions { name score } }
    }
  } } } } } }
}`;

/** The figures for the gateway before this work (same machine, same job). */
const TODAY = {
  cold: '845 ms',
  next: 'p50 437 ms, p90 560 ms',
  window: '426 ms',
  rss: '99 MiB / 434 MiB',
  fetches: '–',
};
const TARGETS = { warmP50Ms: 10, coldRatio: 1.2, stallMs: 50, memoryRatio: 0.5, fetches: 1 };

interface FaceNode {
  frame: number;
  time: number;
  prob: number;
  box: { x: number; y: number; w: number; h: number };
  emotions: Array<{ name: string; score: number }>;
}
interface FacePage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: FaceNode[];
}

/** What the checks need of the provider's answer, without keeping its whole JSON tree in this process. */
interface Expected {
  labels: string[];
  frame: Float64Array;
  time: Float64Array;
  prob: Float64Array;
  box: Float64Array;
  scores: Float64Array;
}

function expectedOf(answer: unknown): Expected {
  const predictions = (answer as Array<{ results: { predictions: Array<{ models: { face: { grouped_predictions: Array<{ predictions: FaceNode[] }> } } }> } }>)[0]!
    .results.predictions[0]!.models.face.grouped_predictions[0]!.predictions;
  const n = predictions.length;
  const e: Expected = {
    labels: predictions[0]!.emotions.map((s) => s.name),
    frame: new Float64Array(n),
    time: new Float64Array(n),
    prob: new Float64Array(n),
    box: new Float64Array(n * 4),
    scores: new Float64Array(n * EMOTIONS),
  };
  predictions.forEach((p, i) => {
    e.frame[i] = p.frame;
    e.time[i] = p.time;
    e.prob[i] = p.prob;
    e.box.set([p.box.x, p.box.y, p.box.w, p.box.h], i * 4);
    check(p.emotions.length === EMOTIONS, `prediction ${i} of the direct answer has ${p.emotions.length} emotions`);
    p.emotions.forEach((s, j) => {
      check(s.name === e.labels[j], `prediction ${i} of the direct answer names emotion ${j} ${s.name}`);
      e.scores[i * EMOTIONS + j] = s.score;
    });
  });
  return e;
}

/** Every node is the provider's prediction at `first + k`, field by field. */
function checkNodes(what: string, nodes: FaceNode[], first: number, expected: Expected): void {
  nodes.forEach((node, k) => {
    const i = first + k;
    const want: FaceNode = {
      frame: expected.frame[i]!,
      time: expected.time[i]!,
      prob: expected.prob[i]!,
      box: { x: expected.box[i * 4]!, y: expected.box[i * 4 + 1]!, w: expected.box[i * 4 + 2]!, h: expected.box[i * 4 + 3]! },
      emotions: expected.labels.map((name, j) => ({ name, score: expected.scores[i * EMOTIONS + j]! })),
    };
    check(isDeepStrictEqual(node, want), `${what}: node ${k} (prediction ${i}) differs from the provider's: ${JSON.stringify(node).slice(0, 300)}`);
  });
}

async function createCompletedJob(simUrl: string, url: string): Promise<string> {
  const res = await fetch(`${simUrl}/v0/batch/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hume-api-key': API_KEY },
    body: JSON.stringify({ urls: [url], models: { face: {} } }),
  });
  const text = await res.text();
  check(res.ok, `POST /v0/batch/jobs answered ${res.status}: ${text}`);
  const jobId = (JSON.parse(text) as { job_id?: unknown }).job_id;
  check(typeof jobId === 'string', `POST /v0/batch/jobs answered without a job_id: ${text}`);
  for (const deadline = Date.now() + 15_000; ; ) {
    const details = (await (await fetch(`${simUrl}/v0/batch/jobs/${jobId}`, { headers: { 'x-hume-api-key': API_KEY } })).json()) as { state?: { status?: string } };
    if (details.state?.status === 'COMPLETED') return jobId;
    check(details.state?.status !== 'FAILED' && Date.now() < deadline, `job ${jobId} did not complete: ${JSON.stringify(details)}`);
    await sleep(50);
  }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : value.toFixed(0)} ms`;

async function run(ctx: BenchContext): Promise<BenchReport> {
  const { children } = ctx;
  await ctx.ensureBuilt();
  const inherited = inheritedEnvironment();
  const m = machine();
  const revision = gitRevision();

  const sim = await startHumeSimulator(children, API_KEY, { queuedMs: 0, runningMs: 0 });
  log(`hume simulator at ${sim.url} (pid ${sim.child.pid})`);
  const gatewayEnv = { HUME_API_KEY: API_KEY, HUME_BASE_URL: sim.url, SANDBOX: 'false', LOG_LEVEL: 'warn' };
  let gateway = await startBuiltGateway(children, gatewayEnv);
  const pid = gateway.child.pid;
  log(`gateway at ${gateway.url} (pid ${pid})`);

  const keyHeader = { 'x-hume-api-key': API_KEY };
  const predictionsUrl = (jobId: string) => `${sim.url}/v0/batch/jobs/${jobId}/predictions`;

  async function page(jobId: string, variables: { first?: number; after?: string | null; timeFrom?: number; timeTo?: number }): Promise<{ page: FacePage; ms: number }> {
    const started = performance.now();
    const res = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: PAGE_QUERY, variables: { id: jobId, first: PAGE, ...variables } }),
    });
    const text = await res.text();
    const elapsed = performance.now() - started;
    check(res.ok, `gateway answered ${res.status}: ${text.slice(0, 500)}`);
    const answer = JSON.parse(text) as { data?: { job?: { predictions?: Array<{ predictions: Array<{ models: { face: { groupedPredictions: Array<{ predictions: FacePage }> } } }> }> } }; errors?: unknown };
    check(!answer.errors, `gateway answered with errors: ${String(JSON.stringify(answer.errors)).slice(0, 500)}`);
    const connection = answer.data?.job?.predictions?.[0]?.predictions[0]?.models.face.groupedPredictions[0]?.predictions;
    check(connection, `no face predictions in ${text.slice(0, 500)}`);
    return { page: connection, ms: elapsed };
  }

  async function metrics(): Promise<Record<string, number>> {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const values: Record<string, number> = {};
    for (const line of text.split('\n')) {
      const match = /^(nodejs_eventloop_lag_max_seconds|nodejs_heap_size_used_bytes|nodejs_external_memory_bytes) (\S+)$/.exec(line);
      if (match) values[match[1]!] = Number(match[2]);
    }
    return values;
  }
  const heldBytes = (values: Record<string, number>) => (values.nodejs_heap_size_used_bytes ?? NaN) + (values.nodejs_external_memory_bytes ?? NaN);

  async function directFetchAndParse(jobId: string): Promise<{ fetchMs: number; parseMs: number; bytes: number; answer: unknown; cpuMs: number }> {
    const cpu = readProcCpuMs(process.pid);
    const started = performance.now();
    const res = await fetch(predictionsUrl(jobId), { headers: keyHeader });
    const text = await res.text();
    const fetched = performance.now();
    check(res.ok, `direct GET predictions answered ${res.status}`);
    const answer = JSON.parse(text) as unknown;
    const parsed = performance.now();
    return { fetchMs: fetched - started, parseMs: parsed - fetched, bytes: Buffer.byteLength(text), answer, cpuMs: readProcCpuMs(process.pid) - cpu };
  }

  async function simulatorPredictionGets(jobId: string): Promise<number> {
    const entries = (await (await fetch(`${sim.url}/_simulator/requests`)).json()) as Array<{ method: string; path: string }>;
    return entries.filter((e) => e.method === 'GET' && e.path === `/v0/batch/jobs/${jobId}/predictions`).length;
  }

  try {
    const jobs: string[] = [];
    for (let n = 0; n <= COLD_ROUNDS; n++) jobs.push(await createCompletedJob(sim.url, mediaUrl(n)));
    // The simulator serialises an answer on its first GET and keeps it: every timed read gets the kept bytes.
    for (const jobId of jobs) await (await fetch(predictionsUrl(jobId), { headers: keyHeader })).arrayBuffer();
    log(`${jobs.length} completed 3-hour face jobs`);
    const idleRss = readProcMemory(pid).rss;
    // A gateway that has served queries before: the page query's first runs (interpreted, then compiled) are not
    // what a cold job costs. A 1-minute job, paged as the long ones will be.
    const warmUpJob = await createCompletedJob(sim.url, 'https://media.example/warm-up.mp4?duration=60');
    for (let k = 0; k < WARM_UP_PAGES; k++) await page(warmUpJob, {});
    await sleep(1_500);
    const warmedRss = readProcMemory(pid).rss;
    const before = await metrics();

    // ---- cold: the first page of a job the gateway has not read, beside a direct fetch + parse --------------------
    const cold: Array<{ direct: { fetchMs: number; parseMs: number; cpuMs: number }; gatewayMs: number; gatewayCpuMs: number; stallMs: number; bytes: number; order: string; otherLoad: number }> = [];
    const peak = new RssSampler(pid, 50);
    let expected: Expected | undefined;
    let answerBytes = 0;
    for (let round = 0; round < COLD_ROUNDS; round++) {
      const jobId = jobs[round]!;
      const directFirst = round % 2 === 1;
      const meter = new CpuMeter([pid, sim.child.pid]);
      meter.start();
      let direct: Awaited<ReturnType<typeof directFetchAndParse>> | undefined;
      if (directFirst) direct = await directFetchAndParse(jobId);
      await metrics(); // resets the gateway's event-loop delay histogram
      peak.start();
      const gatewayCpu = readProcCpuMs(pid);
      const first = await page(jobId, {});
      const gatewayCpuMs = readProcCpuMs(pid) - gatewayCpu;
      peak.stop();
      const lag = (await metrics()).nodejs_eventloop_lag_max_seconds ?? NaN;
      if (!directFirst) direct = await directFetchAndParse(jobId);
      const { otherShare } = meter.stop();
      const expectedHere = expectedOf(direct!.answer);
      check(first.page.totalCount === FRAMES && first.page.nodes.length === PAGE, `cold page: ${first.page.totalCount} predictions, ${first.page.nodes.length} nodes`);
      checkNodes(`cold page of job ${round}`, first.page.nodes, 0, expectedHere);
      if (round === 0) expected = expectedHere;
      answerBytes = direct!.bytes;
      cold.push({ direct: { fetchMs: direct!.fetchMs, parseMs: direct!.parseMs, cpuMs: direct!.cpuMs }, gatewayMs: first.ms, gatewayCpuMs, stallMs: lag * 1000, bytes: direct!.bytes, order: directFirst ? 'direct, then gateway' : 'gateway, then direct', otherLoad: otherShare });
      direct = undefined;
      log(`cold round ${round + 1}: gateway ${ms(first.ms)}, direct ${ms(cold[round]!.direct.fetchMs + cold[round]!.direct.parseMs)}, stall ${ms(lag * 1000)}`);
    }
    // The worker thread exits when idle; then what stays is the cached jobs. Averaged over the three: no GC is forced,
    // so one job's share of the heap is a few MiB of noise either way.
    await sleep(2_500);
    const heldPerJob = (heldBytes(await metrics()) - heldBytes(before)) / COLD_ROUNDS;
    const rssPerJob = (readProcMemory(pid).rss - warmedRss) / COLD_ROUNDS;

    // ---- warm: 40 next pages, 40 time-window pages of the first job -------------------------------------------
    async function warmPages(jobId: string, want: Expected): Promise<{ nextMs: number[]; windowMs: number[] }> {
      const nextMs: number[] = [];
      let after = (await page(jobId, {})).page.pageInfo.endCursor;
      for (let k = 1; k <= WARM_PAGES; k++) {
        const next = await page(jobId, { after });
        check(next.page.nodes.length === PAGE && next.page.pageInfo.hasNextPage, `next page ${k}: ${next.page.nodes.length} nodes`);
        checkNodes(`next page ${k}`, next.page.nodes, k * PAGE, want);
        nextMs.push(next.ms);
        after = next.page.pageInfo.endCursor;
      }
      const windowMs: number[] = [];
      for (let k = 0; k < WARM_PAGES; k++) {
        const timeFrom = WINDOW_AT_S + k * 30;
        const windowed = await page(jobId, { timeFrom, timeTo: timeFrom + 60 });
        check(windowed.page.totalCount === 181 && windowed.page.nodes.length === PAGE, `window at ${timeFrom} s: ${windowed.page.totalCount} predictions, ${windowed.page.nodes.length} nodes`);
        checkNodes(`window at ${timeFrom} s`, windowed.page.nodes, timeFrom * 3, want);
        windowMs.push(windowed.ms);
      }
      return { nextMs, windowMs };
    }
    peak.start();
    await metrics();
    const warmMeter = new CpuMeter([pid, sim.child.pid]);
    warmMeter.start();
    const warmCpu = readProcCpuMs(pid);
    const { nextMs, windowMs } = await warmPages(jobs[0]!, expected!);
    // 1 + 2 × WARM_PAGES pages (the first page fetches the first cursor).
    const warmCpuPerPage = (readProcCpuMs(pid) - warmCpu) / (1 + 2 * WARM_PAGES);
    const warmLoad = warmMeter.stop().otherShare;
    const warmStallMs = ((await metrics()).nodejs_eventloop_lag_max_seconds ?? NaN) * 1000;
    peak.stop();

    // ---- single flight: 10 readers of one uncached job at once ------------------------------------------------
    const shared = jobs[COLD_ROUNDS]!;
    const gets = await simulatorPredictionGets(shared);
    const startedTogether = performance.now();
    const readers = await Promise.all(Array.from({ length: READERS }, () => page(shared, {})));
    const togetherMs = performance.now() - startedTogether;
    for (const reader of readers) check(reader.page.nodes.length === PAGE && reader.page.totalCount === FRAMES, 'a concurrent reader got a short page');
    const fetches = (await simulatorPredictionGets(shared)) - gets;
    const hwm = readProcMemory(pid).hwm;

    // ---- the same warm pages with V8's default young generation instead of start:prod's 4 MiB semi-spaces ----------
    // A page of 100 × 48 emotions makes GraphQL allocate ~11 MiB; with 4 MiB semi-spaces that is several scavenges
    // per page, each copying the half-built result. Measured beside the production command, not instead of it.
    await gateway.child.stop();
    gateway = await startBuiltGateway(children, gatewayEnv, { name: 'gateway (16 MiB semi-spaces)', nodeFlags: [`--max-semi-space-size=${VARIANT_SEMI_SPACE_MB}`] });
    await page(jobs[0]!, {});
    const variantCpu = readProcCpuMs(gateway.child.pid);
    const variant = await warmPages(jobs[0]!, expected!);
    const variantCpuPerPage = (readProcCpuMs(gateway.child.pid) - variantCpu) / (1 + 2 * WARM_PAGES);

    // ---- figures -----------------------------------------------------------------------------------------------
    const ratios = cold.map((c) => c.gatewayMs / (c.direct.fetchMs + c.direct.parseMs));
    const coldRatio = percentile(ratios, 50);
    const maxStall = Math.max(...cold.map((c) => c.stallMs));
    const memoryRatio = heldPerJob / answerBytes;
    const nextP50 = percentile(nextMs, 50);
    const windowP50 = percentile(windowMs, 50);
    const range = (values: number[]) => `${ms(Math.min(...values))} – ${ms(Math.max(...values))}`;

    const targets = [
      target('warm next page of 100, p50', `≤ ${TARGETS.warmP50Ms} ms`, ms(nextP50), nextP50 <= TARGETS.warmP50Ms),
      target('warm time-window page of 100, p50', `≤ ${TARGETS.warmP50Ms} ms`, ms(windowP50), windowP50 <= TARGETS.warmP50Ms),
      target(`cold first page / (direct fetch + JSON.parse), median of ${COLD_ROUNDS}`, `≤ ${TARGETS.coldRatio}×`, `${coldRatio.toFixed(2)}× (${ratios.map((r) => r.toFixed(2)).join(', ')})`, coldRatio <= TARGETS.coldRatio),
      target('longest event-loop stall during a cold page', `≤ ${TARGETS.stallMs} ms`, ms(maxStall), maxStall <= TARGETS.stallMs),
      target('memory held for the cached job / answer size', `≤ ${TARGETS.memoryRatio}×`, `${memoryRatio.toFixed(2)}× (${fmtMiB(heldPerJob)} of ${fmtMiB(answerBytes)})`, memoryRatio <= TARGETS.memoryRatio),
      target(`${READERS} concurrent readers of an uncached job: upstream fetches`, `${TARGETS.fetches}`, String(fetches), fetches === TARGETS.fetches),
    ];

    const summary = [
      ['first page of 100 (cold)', TODAY.cold, `${range(cold.map((c) => c.gatewayMs))} (direct fetch + JSON.parse: ${range(cold.map((c) => c.direct.fetchMs + c.direct.parseMs))})`],
      [`each next page of 100 (${WARM_PAGES} in a row, warm)`, TODAY.next, `p50 ${ms(nextP50)}, p90 ${ms(percentile(nextMs, 90))} (gateway CPU ${ms(warmCpuPerPage)} a page, next and window pages)`],
      ['a page by time window at 2.5 h', TODAY.window, `p50 ${ms(windowP50)}, p90 ${ms(percentile(windowMs, 90))} (${WARM_PAGES} windows)`],
      ['gateway RSS: idle / while paging', TODAY.rss, `${fmtMiB(idleRss)} / ${fmtMiB(peak.peak)} (idle after the warm-up: ${fmtMiB(warmedRss)}; VmHWM ${fmtMiB(hwm)})`],
      ['memory held per cached job (V8 heap used + external, 3 jobs cached)', '– (never cached)', `${fmtMiB(heldPerJob)} (RSS +${fmtMiB(rssPerJob)} a job; by the typed arrays alone: ${fmtMiB(FRAMES * (EMOTIONS * 4 + 7 * 8))})`],
      [`… the same with \`--max-semi-space-size=${VARIANT_SEMI_SPACE_MB}\` (next / time window)`, '–', `p50 ${ms(percentile(variant.nextMs, 50))} / ${ms(percentile(variant.windowMs, 50))}, p90 ${ms(percentile(variant.nextMs, 90))} / ${ms(percentile(variant.windowMs, 90))} (gateway CPU ${ms(variantCpuPerPage)} a page)`],
      [`${READERS} clients paging the same uncached job at once: upstream fetches`, TODAY.fetches, `${fetches} (all ${READERS} first pages in ${ms(togetherMs)})`],
      ['longest event-loop stall while a cold page is built', '≥ the JSON.parse, ~630 ms', `${range(cold.map((c) => c.stallMs))} (during the warm pages: ${ms(warmStallMs)})`],
    ];
    const coldRows = cold.map((c, i) => [
      String(i + 1),
      c.order,
      ms(c.direct.fetchMs),
      ms(c.direct.parseMs),
      ms(c.direct.fetchMs + c.direct.parseMs),
      ms(c.gatewayMs),
      `${ratios[i]!.toFixed(2)}×`,
      ms(c.stallMs),
      `${ms(c.direct.cpuMs)} / ${ms(c.gatewayCpuMs)}`,
      `${(c.otherLoad * 100).toFixed(0)} %`,
    ]);
    const coldHeader = ['round', 'order', 'direct fetch', 'JSON.parse', 'direct total', 'gateway cold page', 'ratio', 'gateway max event-loop delay', 'CPU: bench (fetch + parse) / gateway (all threads)', 'other load'];

    const consoleText = [
      '',
      `Long media — ${FRAMES.toLocaleString('en-US')} face predictions, ${fmtMiB(answerBytes)} of predictions JSON`,
      textTable(['figure', 'today (issue)', 'now'], summary),
      '',
      textTable(coldHeader, coldRows),
      `other load during the warm pages: ${(warmLoad * 100).toFixed(0)} %`,
      '',
      targetsText(targets),
      '',
    ].join('\n');

    const markdown = [
      ...sectionHeading('Long media', m, ctx.command, revision),
      `- Setup: everything on loopback. The Hume simulator (\`src/simulators/cli.ts hume\`, timing 0/0) and the built gateway (as \`start:prod\`: \`NODE_ENV=production\`, ` +
        `\`SANDBOX=false LOG_LEVEL=warn\`, default \`PREDICTIONS_CACHE_MB\`) run as child processes. ${COLD_ROUNDS + 1} completed face jobs on \`${mediaUrl(0)}\` (and \`long-N.mp4\`): ` +
        `${FRAMES.toLocaleString('en-US')} face predictions × ${EMOTIONS} emotions, ${fmtMiB(answerBytes)} of predictions JSON each; the simulator serialised each answer before timing.` +
        (inherited ? ` Inherited by the children: ${inherited}.` : ''),
      '- Page query: `face { groupedPredictions { predictions(first: 100, after, timeFrom, timeTo) { totalCount pageInfo { hasNextPage endCursor } nodes { frame time prob box { x y w h } emotions { name score } } } } }`, one client, requests one after another. Every page was compared, field by field, with the provider\'s answer fetched directly.',
      `- Cold: each round a job the gateway has not read; the direct \`GET …/predictions\` + \`JSON.parse\` runs in the bench process before or after it (alternating). The event-loop figure is \`nodejs_eventloop_lag_max_seconds\` from the gateway's \`/metrics\` (prom-client's \`monitorEventLoopDelay\`, 10 ms resolution, so an idle loop reads about 10 ms), scraped just before and right after the page. CPU from \`/proc/<pid>/stat\` (10 ms ticks): the bench process over its fetch + parse, the gateway process (event loop and parsing worker together) over its cold page; less sensitive to other load than the timings.`,
      `- Warm: ${WARM_PAGES} pages by next cursor from the start of the first job, then ${WARM_PAGES} pages of \`timeFrom: 9000 + 30k, timeTo: timeFrom + 60\` (181 predictions each, the first 100 returned).`,
      '- Warm-up: before the cold rounds the gateway serves 30 pages of a 1-minute job with the same query, so the page query\'s first (interpreted) runs are not counted as a cold job\'s cost.',
      '- Memory: the gateway\'s V8 heap used + external memory (typed arrays live in external memory) from `/metrics`, before the cold rounds and 2.5 s after them (the parsing worker thread has exited by then), divided by the 3 jobs then cached; no GC forced. "By the typed arrays alone": 32,400 × (48 float32 scores + 7 float64 numbers). "While paging": peak VmRSS sampled every 50 ms during the cold and warm pages, the parsing worker\'s heap included.',
      `- Single flight: ${READERS} first-page queries of one more uncached job sent at once; "upstream fetches" counts the simulator's \`GET …/predictions\` of that job in its request log.`,
      `- Young generation: the production command caps V8's semi-spaces at 4 MiB (\`--max-semi-space-size=4\`, for idle memory). A page of 100 face predictions with all 48 emotions makes GraphQL execution allocate about 11 MiB (a resolve-info object, an arguments object and a result object per field: ~10,000 fields), so with 4 MiB semi-spaces each page costs several scavenges that copy the half-built result. The last row measures the same warm pages on a fresh gateway started with \`--max-semi-space-size=${VARIANT_SEMI_SPACE_MB}\` (V8's own default on 64-bit) added to the production command.`,
      '- "today": the issue\'s figures for the gateway before this work (it downloaded and parsed the whole answer for every page: the old cache never held an entry this large).',
      '',
      markdownTable(['figure', 'today (issue)', 'now'], summary),
      '',
      markdownTable(coldHeader, coldRows, ['l', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r']),
      '',
      `"other load": the share of the machine's CPU used by processes outside the benchmark (\`/proc/stat\` minus the bench, gateway and simulator) during each cold round; ${(warmLoad * 100).toFixed(0)} % during the warm pages. This machine is shared: above ~10 % the timings stretch.`,
      '',
      '### Targets',
      '',
      targetsMarkdown(targets),
    ].join('\n');
    return { console: consoleText, markdown, targets, failures: [] };
  } finally {
    await gateway.child.stop();
    await sim.child.stop();
  }
}

export const longMedia: Benchmark = { id: 'long-media', title: 'Long media', run };
