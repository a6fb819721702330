/**
 * Hume jobs: the gateway's read path against direct REST calls to the Hume simulator, and the gateway's memory.
 *
 *   a. direct REST  GET <sim>/v0/batch/jobs/<id>
 *   b. gateway      query { job(id) { id status } }
 *   c. direct REST  GET <sim>/v0/batch/jobs/<id>/predictions
 *   d. gateway      10 face frames with all 48 emotions
 *
 * Targets (from the issue): b/a ≥ 0.25, d/c ≥ 0.5, idle RSS < 100 MiB, peak RSS under load < 200 MiB.
 */
import {
  check,
  gitRevision,
  fmtMiB,
  log,
  inheritedEnvironment,
  machine,
  markdownTable,
  sectionHeading,
  measureLoad,
  mib,
  readProcMemory,
  RssSampler,
  sampleRss,
  sleep,
  startBuiltGateway,
  startHumeSimulator,
  target,
  targetsMarkdown,
  targetsText,
  textTable,
  warmUp,
  type BenchContext,
  type Benchmark,
  type BenchReport,
  type LoadResult,
  type LoadSpec,
} from './lib.js';

const API_KEY = 'bench-hume-key';
const MEDIA_URL = 'https://media.example/bench.mp4?duration=60';
const FACE_EMOTIONS = 48;
const FRAMES = 10;

const JOB_QUERY = 'query($id: ID!){ job(id: $id) { id status } }';
const PREDICTIONS_QUERY =
  'query($id: ID!){ job(id: $id) { predictions { predictions { models { face { groupedPredictions { predictions(first: 10) { nodes { frame time emotions { name score } } } } } } } } } }';

/** Above this share of the machine's CPU used by other processes, the run is flagged as unreliable. */
const BUSY_SHARE = 0.1;

/** The load generator is single-threaded: at this share of one CPU it is the bottleneck. */
const GENERATOR_SATURATED = 0.9;

const TARGETS = { jobRatio: 0.25, predictionsRatio: 0.5, idleMiB: 100, peakMiB: 200 };

interface GraphQLAnswer {
  data?: unknown;
  errors?: unknown[];
}

async function createCompletedJob(simUrl: string): Promise<string> {
  const res = await fetch(`${simUrl}/v0/batch/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hume-api-key': API_KEY },
    body: JSON.stringify({ urls: [MEDIA_URL], models: { face: {} } }),
  });
  const text = await res.text();
  check(res.ok, `POST /v0/batch/jobs answered ${res.status}: ${text}`);
  const jobId = (JSON.parse(text) as { job_id?: unknown }).job_id;
  check(typeof jobId === 'string', `POST /v0/batch/jobs answered without a job_id: ${text}`);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const details = await fetch(`${simUrl}/v0/batch/jobs/${jobId}`, { headers: { 'x-hume-api-key': API_KEY } });
    const body = (await details.json()) as { state?: { status?: string } };
    const status = body.state?.status;
    if (status === 'COMPLETED') return jobId;
    check(status !== 'FAILED', `the bench job ${jobId} FAILED in the simulator: ${JSON.stringify(body)}`);
    check(Date.now() < deadline, `the bench job ${jobId} is still ${status} after 15 s`);
    await sleep(50);
  }
}

/** One request; returns the body text after checking the status. */
async function fetchOnce(spec: LoadSpec): Promise<string> {
  const res = await fetch(spec.url, { method: spec.method ?? 'GET', headers: spec.headers, body: spec.body });
  const text = await res.text();
  check(res.ok, `${spec.title}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return text;
}

function parseGraphQL(title: string, text: string): GraphQLAnswer {
  let answer: GraphQLAnswer;
  try {
    answer = JSON.parse(text) as GraphQLAnswer;
  } catch {
    throw new Error(`${title}: not JSON: ${text.slice(0, 500)}`);
  }
  check(!answer.errors, `${title}: the gateway answered with errors: ${String(JSON.stringify(answer.errors)).slice(0, 1000)}`);
  return answer;
}

/** Every `nodes` array anywhere in the answer. */
function nodeLists(value: unknown, found: unknown[][] = []): unknown[][] {
  if (Array.isArray(value)) for (const item of value) nodeLists(item, found);
  else if (value && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) {
      if (key === 'nodes' && Array.isArray(child)) found.push(child);
      else nodeLists(child, found);
    }
  return found;
}

function checkJobAnswer(text: string, jobId: string): void {
  const answer = parseGraphQL('b. gateway job', text);
  const job = (answer.data as { job?: { id?: string; status?: string } | null } | undefined)?.job;
  check(job, `b. gateway job: job ${jobId} is null: ${text}`);
  check(job.id === jobId && job.status === 'COMPLETED', `b. gateway job: expected { id: ${jobId}, status: COMPLETED }, got ${text}`);
}

function checkPredictionsAnswer(text: string): void {
  const answer = parseGraphQL('d. gateway predictions', text);
  const lists = nodeLists(answer.data);
  check(lists.length > 0, `d. gateway predictions: no face prediction nodes in ${text.slice(0, 1000)}`);
  const nodes = lists[0]!;
  check(nodes.length === FRAMES, `d. gateway predictions: expected ${FRAMES} nodes, got ${nodes.length}`);
  for (const [index, node] of nodes.entries()) {
    const { frame, time, emotions } = node as { frame?: unknown; time?: unknown; emotions?: unknown };
    check(typeof frame === 'number' && typeof time === 'number', `d. gateway predictions: node ${index} lacks a numeric frame/time`);
    check(Array.isArray(emotions) && emotions.length === FACE_EMOTIONS, `d. gateway predictions: node ${index} has ${Array.isArray(emotions) ? emotions.length : 'no'} emotions, expected ${FACE_EMOTIONS}`);
    const names = new Set<string>();
    for (const emotion of emotions as Array<{ name?: unknown; score?: unknown }>) {
      check(typeof emotion.name === 'string' && typeof emotion.score === 'number' && Number.isFinite(emotion.score), `d. gateway predictions: node ${index} has a malformed emotion ${JSON.stringify(emotion)}`);
      names.add(emotion.name);
    }
    check(names.size === FACE_EMOTIONS, `d. gateway predictions: node ${index} repeats emotion names`);
  }
}

/**
 * Checks an endpoint once (status and, for the gateway, content) and returns the load spec with `expectBody` set
 * when two answers are byte-identical, so every answer under load is checked too.
 */
async function prepared(spec: LoadSpec, validate?: (text: string) => void): Promise<{ spec: LoadSpec; bytes: number }> {
  const first = await fetchOnce(spec);
  validate?.(first);
  const second = await fetchOnce(spec);
  if (first !== second) log(`${spec.title}: answers differ between requests, so they are not compared under load`);
  return { spec: first === second ? { ...spec, expectBody: first } : spec, bytes: Buffer.byteLength(first) };
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function resultRow(result: LoadResult, bytes: number): string[] {
  return [
    result.title,
    fmt(result.rps),
    fmt(result.p50),
    fmt(result.p90),
    fmt(result.p99),
    fmt(result.latencyMean, 2),
    fmt(bytes),
    fmt(result.total),
    result.cpuUsPerRequest === null ? '–' : fmt(result.cpuUsPerRequest),
    `${fmt(result.loadGeneratorCpuShare * 100)} %`,
    `${fmt(result.otherCpuShare * 100)} %`,
    String(result.non2xx),
    String(result.errors),
    String(result.mismatches),
  ];
}

const RESULT_HEADER = ['scenario', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'mean ms', 'body bytes', 'requests', 'server CPU µs/req', 'load gen CPU', 'other load', 'non-2xx', 'errors', 'bad body'];

async function run(ctx: BenchContext): Promise<BenchReport> {
  const { options, children } = ctx;
  await ctx.ensureBuilt();
  // The children inherit the environment; these change what is measured, so the report names them.
  const inherited = inheritedEnvironment();
  const m = machine();
  const revision = gitRevision();

  const sim = await startHumeSimulator(children, API_KEY, { queuedMs: 0, runningMs: 0 });
  log(`hume simulator at ${sim.url} (pid ${sim.child.pid})`);
  try {
    const gateway = await startBuiltGateway(children, {
      HUME_API_KEY: API_KEY,
      HUME_BASE_URL: sim.url,
      SANDBOX: 'false',
      LOG_LEVEL: 'warn',
    });
    const gatewayPid = gateway.child.pid;
    log(`gateway at ${gateway.url} (pid ${gatewayPid})`);
    try {
      const jobId = await createCompletedJob(sim.url);
      log(`completed job ${jobId}`);

      const keyHeader = { 'x-hume-api-key': API_KEY };
      const graphql = (query: string) => ({
        url: `${gateway.url}/graphql`,
        method: 'POST' as const,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables: { id: jobId } }),
      });
      const a = await prepared({ title: 'a. direct REST job', url: `${sim.url}/v0/batch/jobs/${jobId}`, headers: keyHeader });
      const b = await prepared({ title: 'b. gateway job { id status }', ...graphql(JOB_QUERY) }, (text) => checkJobAnswer(text, jobId));
      const c = await prepared({ title: 'c. direct REST predictions', url: `${sim.url}/v0/batch/jobs/${jobId}/predictions`, headers: keyHeader });
      const d = await prepared({ title: 'd. gateway 10 face frames × 48', ...graphql(PREDICTIONS_QUERY) }, checkPredictionsAnswer);
      log('correctness checks passed');

      // Idle after start-up (the checks above made a few requests, as any first client would).
      await sleep(1_000);
      const idleStartup = await sampleRss(gatewayPid, 5, 200);

      // Warm the gateway up on both queries, let it settle, and sample again: the "idle" figure.
      const peakSampler = new RssSampler(gatewayPid, 100).start();
      await warmUp(b.spec, options.connections, options.warmupS);
      await warmUp(d.spec, options.connections, options.warmupS);
      peakSampler.stop();
      await sleep(2_000);
      const idleWarm = await sampleRss(gatewayPid, 5, 200);

      const results: Array<{ result: LoadResult; bytes: number }> = [];
      for (const [entry, isGateway] of [[a, false], [b, true], [c, false], [d, true]] as const) {
        if (isGateway) peakSampler.start();
        const result = await measureLoad(entry.spec, options, [gatewayPid, sim.child.pid]);
        if (isGateway) peakSampler.stop();
        check(gateway.child.running, `the gateway exited during "${entry.spec.title}"${gateway.child.describeTail()}`);
        check(sim.child.running, `the simulator exited during "${entry.spec.title}"${sim.child.describeTail()}`);
        results.push({ result, bytes: entry.bytes });
      }
      const { hwm } = readProcMemory(gatewayPid);
      await sleep(2_000);
      const idleAfter = await sampleRss(gatewayPid, 5, 200);

      const [ra, rb, rc, rd] = results.map((r) => r.result) as [LoadResult, LoadResult, LoadResult, LoadResult];
      const jobRatio = rb.rps / ra.rps;
      const predictionsRatio = rd.rps / rc.rps;
      const cpuRatio = (x: LoadResult, y: LoadResult) =>
        x.cpuUsPerRequest && y.cpuUsPerRequest ? (x.cpuUsPerRequest / y.cpuUsPerRequest).toFixed(3) : 'n/a';
      const otherMax = Math.max(...results.map((r) => r.result.otherCpuShare));
      const saturated = results.filter((r) => r.result.loadGeneratorCpuShare >= GENERATOR_SATURATED).map((r) => r.result.title.slice(0, 1));
      const saturatedLine = saturated.length
        ? `The load generator used ≥ ${GENERATOR_SATURATED * 100} % of a CPU in ${saturated.join(', ')}: there it, not the server, limits requests/s, which then understate that server's capacity (and a ratio with it as denominator flatters the gateway).`
        : '';
      const busy = otherMax > BUSY_SHARE;
      const loadLine = `Other processes used at most ${(otherMax * 100).toFixed(0)} % of the machine's CPU during a measured run ("other load")`;
      const idle = Math.max(...idleStartup, ...idleWarm);
      const peak = peakSampler.peak;

      const targets = [
        target('b/a gateway job vs direct REST (req/s)', `≥ ${TARGETS.jobRatio}`, jobRatio.toFixed(2), jobRatio >= TARGETS.jobRatio),
        target('d/c gateway predictions vs direct REST (req/s)', `≥ ${TARGETS.predictionsRatio}`, predictionsRatio.toFixed(2), predictionsRatio >= TARGETS.predictionsRatio),
        target('gateway idle RSS (max after start-up and after warm-up)', `< ${TARGETS.idleMiB} MiB`, fmtMiB(idle), mib(idle) < TARGETS.idleMiB),
        target('gateway peak RSS under load (100 ms samples)', `< ${TARGETS.peakMiB} MiB`, fmtMiB(peak), mib(peak) < TARGETS.peakMiB),
      ];

      const failures: string[] = [];
      for (const { result } of results) {
        if (result.non2xx || result.errors || result.mismatches)
          failures.push(`${result.title}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.mismatches} answers different from the checked one`);
      }

      const rows = results.map(({ result, bytes }) => resultRow(result, bytes));
      const memRows = [
        ['idle after start-up (5 samples)', `${fmtMiB(Math.min(...idleStartup))} – ${fmtMiB(Math.max(...idleStartup))}`],
        ['idle after warm-up (5 samples)', `${fmtMiB(Math.min(...idleWarm))} – ${fmtMiB(Math.max(...idleWarm))}`],
        [`peak VmRSS during gateway warm-up and b, d (${peakSampler.samples} samples)`, fmtMiB(peak)],
        ['VmHWM (kernel peak since start)', fmtMiB(hwm)],
        ['idle 2 s after the last scenario (5 samples)', `${fmtMiB(Math.min(...idleAfter))} – ${fmtMiB(Math.max(...idleAfter))}`],
      ];

      const consoleText = [
        '',
        `Hume jobs — ${options.connections} connections, ${options.warmupS} s warm-up + ${options.durationS} s per scenario`,
        textTable(RESULT_HEADER, rows),
        '',
        `ratios: b/a = ${jobRatio.toFixed(3)}   d/c = ${predictionsRatio.toFixed(3)}   (server CPU per request, a/b = ${cpuRatio(ra, rb)}, c/d = ${cpuRatio(rc, rd)})`,
        `${loadLine}${busy ? ` — WARNING: above ${BUSY_SHARE * 100} %: requests/s and latencies are unreliable` : ''}`,
        ...(saturatedLine ? [saturatedLine] : []),
        '',
        textTable(['gateway memory', 'VmRSS'], memRows),
        '',
        targetsText(targets),
        ...(failures.length ? ['', 'FAILED checks under load:', ...failures.map((f) => `  ${f}`)] : []),
        '',
      ].join('\n');

      const markdown = [
        ...sectionHeading('Hume jobs', m, ctx.command, revision),
        `- Setup: everything on loopback. The Hume simulator (\`src/simulators/cli.ts hume\`, timing 0/0) and the built gateway ` +
          `(\`node dist/src/main.js\`, \`SANDBOX=false LOG_LEVEL=warn\`, Hume through \`HUME_BASE_URL\`) run as child processes; ` +
          `autocannon runs in the bench process. ${options.connections} connections, ${options.warmupS} s warm-up, then ${options.durationS} s measured per scenario. ` +
          `One completed job: \`${MEDIA_URL}\` with the face model.` +
          (inherited ? ` Inherited by the children: ${inherited}.` : ''),
        '- Scenarios: a. `GET /v0/batch/jobs/<id>` on the simulator; b. `query($id: ID!){ job(id: $id) { id status } }` on the gateway; ' +
          'c. `GET /v0/batch/jobs/<id>/predictions` on the simulator; d. the gateway query for 10 face frames with all 48 emotions ' +
          '(`job { predictions { predictions { models { face { groupedPredictions { predictions(first: 10) { nodes { frame time emotions { name score } } } } } } } } }`).',
        '- Every answer was checked once before measuring (gateway: no `errors`; 10 nodes of 48 emotions) and, where two answers were identical, each answer under load was compared with it ("bad body").',
        `- Latency percentiles are autocannon's (1 ms resolution). All processes share ${m.nproc} CPUs, so the load generator competes with the servers.`,
        '- "load gen CPU": CPU time of the bench process (autocannon) as a share of one CPU; near 100 % the load generator, not the server, limits requests/s.',
        '- "other load": the share of all CPUs used by processes outside the benchmark (from `/proc/stat` minus the bench, gateway and simulator processes) during the measured run.',
        '- "server CPU µs/req": user + system CPU time of the gateway and simulator processes during the measured run (`/proc/<pid>/stat`), divided by the requests completed.',
        '',
        markdownTable(RESULT_HEADER, rows, ['l', ...RESULT_HEADER.slice(1).map(() => 'r' as const)]),
        '',
        `Ratios (requests/s): **b/a = ${jobRatio.toFixed(3)}**, **d/c = ${predictionsRatio.toFixed(3)}**. ` +
          `The same comparison by server CPU time per request (gateway + simulator processes, from /proc; less sensitive to other load): ` +
          `a/b = ${cpuRatio(ra, rb)}, c/d = ${cpuRatio(rc, rd)}.`,
        '',
        `${loadLine}.${busy ? ` **Above ${BUSY_SHARE * 100} %: the machine was busy with other work, so requests/s and latencies are unreliable (CPU per request less so).**` : ''}`,
        ...(saturatedLine ? ['', saturatedLine] : []),
        '',
        markdownTable(['gateway memory (VmRSS from /proc)', 'value'], memRows, ['l', 'r']),
        '',
        '### Targets',
        '',
        targetsMarkdown(targets),
        ...(failures.length ? ['', '**Checks under load failed:**', '', ...failures.map((f) => `- ${f}`)] : []),
      ].join('\n');

      return { console: consoleText, markdown, targets, failures };
    } finally {
      await gateway.child.stop();
    }
  } finally {
    await sim.child.stop();
  }
}

export const humeJobs: Benchmark = { id: 'hume-jobs', title: 'Hume jobs', run };
