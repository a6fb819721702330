/**
 * Shared plumbing for `npm run bench`: child processes (always reaped), free ports, readiness waits, the build,
 * resident-set sampling from /proc, autocannon runs, machine description, Markdown tables and BENCHMARKS.md
 * sections. A benchmark module (e.g. hume-jobs.ts) combines these; run.ts picks the modules and writes results.
 */
import { spawn, execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type Result } from 'autocannon';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A failed correctness check: the run stops and exits non-zero. A missed performance target is not one. */
export class CheckError extends Error {
  override name = 'CheckError';
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckError(message);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

// ---- options and context --------------------------------------------------------------------------------------------

export interface BenchOptions {
  /** Concurrent connections per load run. */
  connections: number;
  /** Measured seconds per scenario. */
  durationS: number;
  /** Unmeasured seconds before each scenario. */
  warmupS: number;
  /** Run `npm run build` before starting the gateway (off: use the existing dist/). */
  build: boolean;
  /** subscriptions: WebSocket subscribers in the fan-out. */
  subscribers: number;
  /** subscriptions: events measured from one replica to another through Redis. */
  replicaEvents: number;
}

export interface BenchContext {
  options: BenchOptions;
  children: Children;
  /** The command line as typed, for the report. */
  command: string;
  /** Builds the gateway once per run (no-op with --no-build). */
  ensureBuilt(): Promise<void>;
}

/** One benchmark: a section of BENCHMARKS.md between `<!-- bench:<id>:start -->` and `<!-- bench:<id>:end -->`. */
export interface Benchmark {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<BenchReport>;
}

export interface BenchReport {
  /** Printed to stdout at the end. */
  console: string;
  /** The section's Markdown, without the markers (starts with its own heading). */
  markdown: string;
  targets: TargetResult[];
  /** Correctness problems found while measuring (the run exits non-zero after writing the report). */
  failures: string[];
}

// ---- child processes ------------------------------------------------------------------------------------------------

export class ChildHandle {
  /** The last lines of stdout and stderr, for error messages. */
  readonly tail: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private buffered = '';
  private readonly lineListeners = new Set<(line: string) => void>();

  constructor(
    readonly name: string,
    readonly proc: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
    const onData = (chunk: Buffer) => {
      this.buffered += chunk.toString('utf8');
      let newline: number;
      while ((newline = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, newline);
        this.buffered = this.buffered.slice(newline + 1);
        this.tail.push(line);
        if (this.tail.length > 40) this.tail.shift();
        for (const listener of this.lineListeners) listener(line);
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', onData);
  }

  get pid(): number {
    if (this.proc.pid === undefined) throw new Error(`${this.name} has no pid (did it fail to spawn?)`);
    return this.proc.pid;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  describeTail(): string {
    return this.tail.length ? `\n--- last output of ${this.name} ---\n${this.tail.join('\n')}\n---` : ` (${this.name} printed nothing)`;
  }

  /** Resolves with the first line matching `pattern`; rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    for (const line of this.tail) {
      const match = line.match(pattern);
      if (match) return Promise.resolve(match);
    }
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.lineListeners.delete(onLine);
      };
      const onLine = (line: string) => {
        const match = line.match(pattern);
        if (match) {
          done();
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name}: no line matching ${pattern} within ${timeoutMs} ms${this.describeTail()}`));
      }, timeoutMs);
      this.lineListeners.add(onLine);
      void this.exited.then(({ code, signal }) => {
        done();
        reject(new Error(`${this.name} exited (code ${code}, signal ${signal}) before printing ${pattern}${this.describeTail()}`));
      });
    });
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 3_000): Promise<void> {
    if (!this.running) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.running && this.proc.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Every child the benchmark started; stopAll() (and killAllNow() from an exit handler) reaps them. */
export class Children {
  private readonly all: ChildHandle[] = [];

  /** Spawns `node <args>` (the same node binary), so the pid is the process itself, not a wrapper. */
  spawnNode(name: string, args: string[], env: Record<string, string> = {}): ChildHandle {
    return this.spawnCommand(name, process.execPath, args, env);
  }

  /** Spawns any executable found on PATH (e.g. `redis-server`); reaped like the node children. */
  spawnCommand(name: string, command: string, args: string[], env: Record<string, string> = {}): ChildHandle {
    const proc = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const child = new ChildHandle(name, proc);
    proc.once('error', (error) => child.tail.push(`spawn error: ${error.message}`));
    this.all.push(child);
    return child;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.all.map((child) => child.stop()));
  }

  /** Synchronous last resort for process 'exit'. */
  killAllNow(): void {
    for (const child of this.all) if (child.running) child.proc.kill('SIGKILL');
  }
}

/** A port that was free a moment ago (the kernel's pick for port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx. */
export async function waitForHttp(url: string, timeoutMs: number, child?: ChildHandle): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child && !child.running) throw new Error(`${child.name} exited while waiting for ${url}${child.describeTail()}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${url} not ready within ${timeoutMs} ms (last: ${last})${child?.describeTail() ?? ''}`);
}

// ---- build and processes under test --------------------------------------------------------------------------------

export const BUILD_COMMAND = 'npm run build';

export function buildGateway(): Promise<void> {
  log(`building the gateway (${BUILD_COMMAND})`);
  return new Promise((resolve, reject) => {
    execFile('npm', ['run', '--silent', 'build'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new CheckError(`${BUILD_COMMAND} failed:\n${stdout}${stderr}`));
      else resolve();
    });
  });
}

/** Starts the Hume simulator CLI in its own process; resolves with its base URL once it listens. */
export async function startHumeSimulator(
  children: Children,
  apiKey: string,
  timing: { queuedMs: number; runningMs: number },
): Promise<{ child: ChildHandle; url: string }> {
  const child = children.spawnNode(
    'hume simulator',
    ['--import', 'tsx', 'src/simulators/cli.ts', 'hume', '--port', '0', '--queued-ms', String(timing.queuedMs), '--running-ms', String(timing.runningMs)],
    { HUME_API_KEY: apiKey },
  );
  const match = await child.waitForLine(/listening on (http:\/\/\S+)/, 20_000);
  return { child, url: match[1]! };
}

/**
 * Starts a throw-away `redis-server` on a free loopback port (no persistence); resolves with its URL once it
 * accepts connections. Throws when the binary is missing.
 */
export async function startRedisServer(children: Children): Promise<{ child: ChildHandle; url: string; port: number }> {
  const port = await freePort();
  const child = children.spawnCommand('redis-server', 'redis-server', [
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
  ]);
  await child.waitForLine(/Ready to accept connections/, 10_000);
  return { child, url: `redis://127.0.0.1:${port}`, port };
}

/**
 * The production start command, read from package.json's `start:prod` (`VAR=value ... node [flags] entry`), so the
 * benchmark measures exactly what the Dockerfile and operators run.
 */
export function productionCommand(): { env: Record<string, string>; args: string[] } {
  const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const words = (scripts['start:prod'] ?? '').split(/\s+/).filter(Boolean);
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_]+=/.test(words[0])) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  check(words.shift() === 'node', 'start:prod must be `[VAR=value ...] node [flags] <entry>`');
  return { env, args: words.map((word) => (word.endsWith('.js') ? path.join(ROOT, word) : word)) };
}

/**
 * Starts the built gateway with the production command on a free port; resolves once /health answers.
 * `options.port`: listen there instead (pick it with freePort() when the environment must name the gateway's own
 * URL, e.g. PUBLIC_URL); `options.name`: the child's name in messages when several gateways run; `options.nodeFlags`:
 * node flags added to the production command's (to measure a variant of it).
 */
export async function startBuiltGateway(
  children: Children,
  env: Record<string, string>,
  options: { port?: number; name?: string; nodeFlags?: string[] } = {},
): Promise<{ child: ChildHandle; url: string }> {
  const entry = path.join(ROOT, 'dist/src/main.js');
  check(existsSync(entry), `${entry} is missing: run ${BUILD_COMMAND} (or drop --no-build)`);
  const port = options.port ?? (await freePort());
  const production = productionCommand();
  // Production needs authentication or an explicit AUTH=none; a benchmark that measures authentication passes its JWKS.
  const auth: Record<string, string> = env.AUTH_JWKS_URL ? {} : { AUTH: 'none' };
  // One bench client starts far more work than a tenant may per minute; a benchmark of that limit sets its own.
  auth.START_RATE_LIMIT = '1000000';
  // Extra node flags go after the production ones, so a repeated V8 flag overrides the production value.
  const args = options.nodeFlags ? [...production.args.slice(0, -1), ...options.nodeFlags, production.args.at(-1)!] : production.args;
  const child = children.spawnNode(options.name ?? 'gateway', args, { ...production.env, PORT: String(port), ...auth, ...env });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/health`, 20_000, child);
  return { child, url };
}

// ---- memory ---------------------------------------------------------------------------------------------------------

export interface ProcMemory {
  /** VmRSS in bytes. */
  rss: number;
  /** VmHWM (peak resident set since start) in bytes. */
  hwm: number;
}

export function readProcMemory(pid: number): ProcMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => {
    const match = status.match(new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm'));
    if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]) * 1024;
  };
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

/** `count` RSS samples `intervalMs` apart. */
export async function sampleRss(pid: number, count: number, intervalMs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    if (i > 0) await sleep(intervalMs);
    samples.push(readProcMemory(pid).rss);
  }
  return samples;
}

/** Samples VmRSS every `intervalMs` while running; keeps the peak. */
export class RssSampler {
  peak = 0;
  samples = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pid: number,
    private readonly intervalMs = 100,
  ) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    try {
      const { rss } = readProcMemory(this.pid);
      this.samples++;
      if (rss > this.peak) this.peak = rss;
    } catch {
      // The process is gone; the caller notices through its own checks.
    }
  }
}

export const mib = (bytes: number) => bytes / (1024 * 1024);
export const fmtMiB = (bytes: number) => `${mib(bytes).toFixed(1)} MiB`;

// ---- load -----------------------------------------------------------------------------------------------------------

// ---- CPU time -------------------------------------------------------------------------------------------------------

let clockTicks: number | undefined;

/** User + system CPU time of a process so far, in milliseconds (from /proc/<pid>/stat; 10 ms resolution). */
export function readProcCpuMs(pid: number): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
}

/** Busy and total CPU time of the whole machine so far, in milliseconds (first line of /proc/stat). */
function readMachineCpuMs(): { busy: number; total: number } {
  readProcCpuMs(process.pid); // makes sure clockTicks is known
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/);
  // user nice system idle iowait irq softirq steal (guest time is already counted in user).
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = values.map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: (busy * 1000) / clockTicks!, total: ((busy + idle + iowait) * 1000) / clockTicks! };
}

/**
 * Measures, between start and stop, the CPU time of the given processes and the share of the machine's CPU used by
 * every other process (this bench process included in "ours"): a busy neighbour makes requests/s meaningless.
 */
export class CpuMeter {
  private startOurs = 0;
  private startMachine = { busy: 0, total: 0 };

  constructor(private readonly pids: number[]) {}

  private ours(): number {
    return [process.pid, ...this.pids].reduce((sum, pid) => sum + readProcCpuMs(pid), 0);
  }

  private servers(): number {
    return this.pids.reduce((sum, pid) => sum + readProcCpuMs(pid), 0);
  }

  private startServers = 0;
  private startSelf = 0;
  private startedAt = 0;

  start(): void {
    this.startMachine = readMachineCpuMs();
    this.startOurs = this.ours();
    this.startServers = this.servers();
    this.startSelf = readProcCpuMs(process.pid);
    this.startedAt = performance.now();
  }

  /**
   * serversMs: CPU of the given pids; otherShare: fraction of all CPUs used by processes outside this benchmark;
   * selfShare: CPU of this process (the load generator) as a fraction of one CPU.
   */
  stop(): { serversMs: number; otherShare: number; selfShare: number } {
    const machine = readMachineCpuMs();
    const ours = this.ours() - this.startOurs;
    const serversMs = this.servers() - this.startServers;
    const selfMs = readProcCpuMs(process.pid) - this.startSelf;
    const elapsed = performance.now() - this.startedAt;
    const total = machine.total - this.startMachine.total;
    const other = machine.busy - this.startMachine.busy - ours;
    return { serversMs, otherShare: total > 0 ? Math.max(0, other) / total : 0, selfShare: elapsed > 0 ? selfMs / elapsed : 0 };
  }
}

export interface LoadSpec {
  title: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** When set, any other response body counts as a mismatch. */
  expectBody?: string;
}

export interface LoadResult {
  title: string;
  /** Mean requests per second (autocannon's Req/Sec average). */
  rps: number;
  total: number;
  latencyMean: number;
  p50: number;
  p90: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
  durationS: number;
  /** CPU time the `cpuPids` processes used during the measured run, per completed request, in microseconds. */
  cpuUsPerRequest: number | null;
  /** Fraction (0–1) of the machine's CPU time used by processes outside the benchmark during the measured run. */
  otherCpuShare: number;
  /** CPU used by the load generator (this process) as a fraction of one CPU; near 1 it is the bottleneck. */
  loadGeneratorCpuShare: number;
}

function runAutocannon(spec: LoadSpec, connections: number, durationS: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        title: spec.title,
        url: spec.url,
        method: spec.method ?? 'GET',
        headers: spec.headers ?? {},
        ...(spec.body !== undefined ? { body: spec.body } : {}),
        ...(spec.expectBody !== undefined ? { expectBody: spec.expectBody } : {}),
        connections,
        duration: durationS,
        timeout: 10,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/** Load whose results are discarded. */
export async function warmUp(spec: LoadSpec, connections: number, seconds: number): Promise<void> {
  if (seconds <= 0) return;
  log(`${spec.title}: warm-up ${seconds} s`);
  await runAutocannon(spec, connections, seconds);
}

/**
 * A warm-up run (discarded), then the measured run. The CPU time of `cpuPids` (the servers) is measured over the
 * measured run: unlike requests/s it hardly depends on what else the machine is doing.
 */
export async function measureLoad(spec: LoadSpec, options: BenchOptions, cpuPids: number[] = []): Promise<LoadResult> {
  await warmUp(spec, options.connections, options.warmupS);
  log(`${spec.title}: measuring ${options.durationS} s with ${options.connections} connections`);
  const meter = new CpuMeter(cpuPids);
  meter.start();
  const r = await runAutocannon(spec, options.connections, options.durationS);
  const { serversMs: cpuMs, otherShare, selfShare } = meter.stop();
  return {
    title: spec.title,
    rps: r.requests.average,
    total: r.requests.total,
    latencyMean: r.latency.mean,
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    mismatches: r.mismatches,
    durationS: r.duration,
    cpuUsPerRequest: cpuPids.length && r.requests.total ? (cpuMs * 1000) / r.requests.total : null,
    otherCpuShare: otherShare,
    loadGeneratorCpuShare: selfShare,
  };
}

// ---- targets, tables, machine, BENCHMARKS.md ------------------------------------------------------------------------

export interface TargetResult {
  name: string;
  /** e.g. "≥ 0.25". */
  goal: string;
  measured: string;
  pass: boolean;
}

export function target(name: string, goal: string, measured: string, pass: boolean): TargetResult {
  return { name, goal, measured, pass };
}

export function markdownTable(header: string[], rows: string[][], align?: Array<'l' | 'r'>): string {
  const sep = header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [header, sep, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** A fixed-width table for the terminal. */
export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function targetsMarkdown(targets: TargetResult[]): string {
  return markdownTable(
    ['target', 'goal', 'measured', 'result'],
    targets.map((t) => [t.name, t.goal, t.measured, t.pass ? 'PASS' : '**FAIL**']),
  );
}

export function targetsText(targets: TargetResult[]): string {
  return textTable(
    ['target', 'goal', 'measured', 'result'],
    targets.map((t) => [t.name, t.goal, t.measured, t.pass ? 'PASS' : 'FAIL']),
  );
}

export interface Machine {
  nproc: number;
  cpu: string;
  memory: string;
  node: string;
  os: string;
}

/** Inherited variables that change what is measured (`NODE_ENV`, `NODE_OPTIONS`), as markdown for the report. */
export function inheritedEnvironment(): string {
  return ['NODE_ENV', 'NODE_OPTIONS']
    .filter((name) => process.env[name])
    .map((name) => `\`${name}=${process.env[name]}\``)
    .join(', ');
}

export function machine(): Machine {
  let nproc = os.availableParallelism();
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim()) || nproc;
  } catch {
    // nproc missing: availableParallelism() is the same figure.
  }
  return {
    nproc,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** `abc1234`, with ` + uncommitted changes` when the working tree differs from it; null outside git. */
export function gitRevision(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${head} + uncommitted changes in src/` : head;
  } catch {
    return null;
  }
}

export function machineMarkdown(m: Machine): string {
  return `${m.nproc} CPUs (\`nproc\`), ${m.cpu}, ${m.memory} RAM, Node ${m.node}, ${m.os}`;
}

/** The lines every section of BENCHMARKS.md opens with: its title, then when, where, how and on which code it ran. */
export function sectionHeading(title: string, m: Machine, command: string, revision: string | null): string[] {
  return [
    `## ${title}`,
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${machineMarkdown(m)}`,
    `- Command: \`${command}\``,
    `- Code: ${revision ? `commit ${revision}` : 'not a git checkout'}`,
  ];
}

const FILE_HEADER = `# Benchmarks

Produced by \`npm run bench\` (\`bench/run.ts\`). Each section is rewritten by its benchmark between its
\`<!-- bench:<id>:start -->\` and \`<!-- bench:<id>:end -->\` markers; text outside the markers is kept.
Numbers are from one machine and one run: compare ratios and orders of magnitude, not single digits.
`;

/** Replaces the section `id` of the Markdown file between its markers, or appends it when absent. */
export function writeSection(file: string, id: string, markdown: string): void {
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : FILE_HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  let next: string;
  if (from >= 0 && to > from) {
    next = current.slice(0, from) + block + current.slice(to + end.length);
  } else {
    if (from >= 0 || to >= 0) throw new Error(`${file}: unbalanced markers for section ${id}; fix them by hand`);
    next = `${current.trimEnd()}\n\n${block}\n`;
  }
  writeFileSync(file, next);
}
