/**
 * `npm run bench [-- <benchmark ...>] [--connections 10] [--duration 10] [--warmup 2] [--subscribers 10000]
 *   [--replica-events 200] [--no-build] [--no-write]`
 *
 * Runs the named benchmarks (default: all), prints their tables and rewrites their sections of BENCHMARKS.md.
 * A benchmark is a module under bench/ exporting a `Benchmark` (see lib.ts); add it to BENCHMARKS below.
 * Exit status: 0 when every correctness check passed (missed performance targets are reported, not fatal),
 * 1 when a check failed or a benchmark could not run, 130 on SIGINT. Child processes are always stopped.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { attacks } from './attacks.js';
import { audioConversion } from './audio-conversion.js';
import { humeJobs } from './hume-jobs.js';
import { longMedia } from './long-media.js';
import { subscriptions } from './subscriptions.js';
import { uploads } from './uploads.js';
import { buildGateway, CheckError, Children, log, ROOT, writeSection, type BenchContext, type Benchmark, type BenchOptions } from './lib.js';

const BENCHMARKS: Benchmark[] = [humeJobs, longMedia, subscriptions, audioConversion, uploads, attacks];

const USAGE = `usage: npm run bench -- [${BENCHMARKS.map((b) => b.id).join('|')} ...] [--connections N] [--duration S] [--warmup S] [--subscribers N] [--replica-events N] [--no-build] [--no-write]`;

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    process.stderr.write(`--${name}: expected an integer ≥ ${min}, got "${raw}"\n${USAGE}\n`);
    process.exit(2);
  }
  return Number(raw);
}

function parseCommandLine(argv: string[]): { selected: Benchmark[]; options: BenchOptions; write: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        connections: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        subscribers: { type: 'string' },
        'replica-events': { type: 'string' },
        'no-build': { type: 'boolean' },
        'no-write': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    process.exit(2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const unknown = positionals.filter((id) => !BENCHMARKS.some((b) => b.id === id));
  if (unknown.length) {
    process.stderr.write(`unknown benchmark ${unknown.join(', ')}\n${USAGE}\n`);
    process.exit(2);
  }
  return {
    selected: positionals.length ? BENCHMARKS.filter((b) => positionals.includes(b.id)) : BENCHMARKS,
    options: {
      connections: positiveInt('connections', values.connections, 10),
      durationS: positiveInt('duration', values.duration, 10),
      warmupS: positiveInt('warmup', values.warmup, 2, 0),
      build: !values['no-build'],
      subscribers: positiveInt('subscribers', values.subscribers, 10_000),
      replicaEvents: positiveInt('replica-events', values['replica-events'], 200),
    },
    write: !values['no-write'],
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { selected, options, write } = parseCommandLine(argv);
  const children = new Children();

  // Children die with the bench, whatever the reason.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping child processes`);
    void children.stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => children.killAllNow());

  let built: Promise<void> | undefined;
  const ctx: BenchContext = {
    options,
    children,
    command: ['npm run bench', ...(argv.length ? ['--', ...argv] : [])].join(' '),
    ensureBuilt: () => (built ??= options.build ? buildGateway() : Promise.resolve()),
  };

  const file = path.join(ROOT, 'BENCHMARKS.md');
  let failed = false;
  for (const benchmark of selected) {
    log(`== ${benchmark.title} ==`);
    try {
      const report = await benchmark.run(ctx);
      process.stdout.write(`${report.console}\n`);
      if (write) {
        writeSection(file, benchmark.id, report.markdown);
        log(`wrote the "${benchmark.title}" section of ${path.relative(process.cwd(), file) || file}`);
      }
      const missed = report.targets.filter((t) => !t.pass);
      if (missed.length) log(`${benchmark.title}: ${missed.length} target(s) missed: ${missed.map((t) => t.name).join('; ')}`);
      if (report.failures.length) {
        failed = true;
        log(`${benchmark.title}: correctness under load FAILED:\n  ${report.failures.join('\n  ')}`);
      }
    } catch (error) {
      failed = true;
      const what = error instanceof CheckError ? 'correctness check FAILED' : 'could not run';
      process.stderr.write(`\n[bench] ${benchmark.title}: ${what}: ${error instanceof Error ? error.message : String(error)}\n`);
      if (!(error instanceof CheckError) && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    } finally {
      await children.stopAll();
    }
    if (interrupted) return;
  }
  process.exit(failed ? 1 : 0);
}

void main();
