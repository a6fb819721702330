/**
 * Runs one provider simulator on its own, for frontend teams, manual testing and benchmarks:
 *
 *   npm run simulator -- hume --port 8001 [--host 127.0.0.1] [--queued-ms 1000] [--running-ms 4000]
 *   npm run simulator -- phonexia --port 8002 [--host 127.0.0.1] [--pending-ms 1000] [--running-ms 3000]
 *   npm run simulator -- hume-expression --port 8003 [--host 127.0.0.1] [--measure-delay-ms 0]
 *
 * The Hume simulators accept only the key in HUME_API_KEY (required); hume-expression also accepts
 * `Authorization: Bearer $HUME_ACCESS_TOKEN` when that variable is set. Once listening it prints one line,
 * `<name> simulator listening on <url>` (with the actual port when `--port 0` asks for an ephemeral one), and it
 * shuts down cleanly on SIGINT/SIGTERM. Bad arguments print the usage and exit with status 2.
 */
import { parseArgs } from 'node:util';
import { HumeSimulator } from './hume-batch/simulator.js';
import { PhonexiaSimulator } from './phonexia/simulator.js';
import { HumeExpressionSimulator } from './hume-expression/simulator.js';
import type { RunningServer } from './kit.js';

const USAGE = `usage:
  npm run simulator -- hume            [--port 8001] [--host 127.0.0.1] [--queued-ms 1000] [--running-ms 4000]
  npm run simulator -- phonexia        [--port 8002] [--host 127.0.0.1] [--pending-ms 1000] [--running-ms 3000]
  npm run simulator -- hume-expression [--port 8003] [--host 127.0.0.1] [--measure-delay-ms 0]

  --port              TCP port, 0 for an ephemeral one (default: 8001 hume, 8002 phonexia, 8003 hume-expression)
  --host              interface to listen on (default: 127.0.0.1)
  --queued-ms         hume: time a job stays QUEUED (default: 1000)
  --pending-ms        phonexia: time a task stays pending (default: 1000)
  --running-ms        hume, phonexia: time in IN_PROGRESS / running before the terminal state (default: 4000 hume, 3000 phonexia)
  --measure-delay-ms  hume-expression: time an upload takes to measure, its run reading live meanwhile (default: 0)

  The hume and hume-expression simulators accept only the API key in the HUME_API_KEY environment variable
  (required); hume-expression also accepts "Authorization: Bearer <HUME_ACCESS_TOKEN>" when that variable is set.`;

class UsageError extends Error {}

type Provider = 'hume' | 'phonexia' | 'hume-expression';
const PROVIDERS: readonly Provider[] = ['hume', 'phonexia', 'hume-expression'];

interface CliOptions {
  provider: Provider;
  host: string;
  port: number;
  /** hume: queuedMs, phonexia: pendingMs, hume-expression: measureDelayMs. */
  waitMs: number;
  runningMs: number;
}

const DEFAULTS: Record<Provider, { port: number; waitMs: number; runningMs: number }> = {
  hume: { port: 8001, waitMs: 1000, runningMs: 4000 },
  phonexia: { port: 8002, waitMs: 1000, runningMs: 3000 },
  'hume-expression': { port: 8003, waitMs: 0, runningMs: 0 },
};

/** The option naming each simulator's waiting time, and the options that apply to it only. */
const WAIT_OPTION: Record<Provider, 'queued-ms' | 'pending-ms' | 'measure-delay-ms'> = {
  hume: 'queued-ms',
  phonexia: 'pending-ms',
  'hume-expression': 'measure-delay-ms',
};

function integer(name: string, raw: string | undefined, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new UsageError(`--${name}: expected an integer from 0 to ${max}, got "${raw}"`);
  return Number(raw);
}

function parseCli(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'queued-ms': { type: 'string' },
        'pending-ms': { type: 'string' },
        'running-ms': { type: 'string' },
        'measure-delay-ms': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) throw new UsageError('');
  if (positionals.length !== 1) throw new UsageError('expected exactly one simulator name: hume, phonexia or hume-expression');
  const provider = positionals[0] as Provider;
  if (!PROVIDERS.includes(provider)) throw new UsageError(`unknown simulator "${provider}": expected hume, phonexia or hume-expression`);
  for (const [other, option] of Object.entries(WAIT_OPTION)) {
    if (other !== provider && values[option] !== undefined) throw new UsageError(`--${option} applies to ${other}; ${provider} takes --${WAIT_OPTION[provider]}`);
  }
  if (provider === 'hume-expression' && values['running-ms'] !== undefined) throw new UsageError('--running-ms applies to hume and phonexia; hume-expression answers synchronously');
  const defaults = DEFAULTS[provider];
  const host = values.host ?? '127.0.0.1';
  if (host === '') throw new UsageError('--host: must not be empty');
  return {
    provider,
    host,
    port: integer('port', values.port, defaults.port, 65535),
    waitMs: integer(WAIT_OPTION[provider], values[WAIT_OPTION[provider]], defaults.waitMs),
    runningMs: integer('running-ms', values['running-ms'], defaults.runningMs),
  };
}

function humeApiKey(provider: Provider): string {
  const apiKey = process.env.HUME_API_KEY?.trim();
  if (!apiKey) {
    process.stderr.write(`${provider} simulator: set HUME_API_KEY to the API key the simulator should accept\n`);
    process.exit(1);
  }
  return apiKey;
}

async function start(options: CliOptions): Promise<RunningServer> {
  if (options.provider === 'hume-expression') {
    const simulator = new HumeExpressionSimulator({
      apiKey: humeApiKey(options.provider),
      accessToken: process.env.HUME_ACCESS_TOKEN?.trim() || undefined,
      timing: { measureDelayMs: options.waitMs },
    });
    return simulator.listen(options.port, options.host);
  }
  if (options.provider === 'hume') {
    const apiKey = humeApiKey(options.provider);
    const simulator = new HumeSimulator({ apiKey, timing: { queuedMs: options.waitMs, runningMs: options.runningMs } });
    return simulator.listen(options.port, options.host);
  }
  const simulator = new PhonexiaSimulator({ timing: { pendingMs: options.waitMs, runningMs: options.runningMs } });
  const running = await simulator.listen(options.port, options.host);
  // PhonexiaSimulator.close also stops its expiry sweeper.
  return { ...running, close: () => simulator.close() };
}

async function main(): Promise<void> {
  let options: CliOptions;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (error.message) process.stderr.write(`${error.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    process.exit(error.message ? 2 : 0);
  }

  let running: RunningServer;
  try {
    running = await start(options);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const detail = code === 'EADDRINUSE' ? `port ${options.port} is already in use` : (error as Error).message;
    process.stderr.write(`${options.provider} simulator: cannot listen on ${options.host}:${options.port}: ${detail}\n`);
    process.exit(1);
  }
  process.stdout.write(`${options.provider} simulator listening on ${running.url}\n`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    // A second signal, or a close that hangs, must still end the process.
    setTimeout(() => process.exit(1), 5_000).unref();
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`${options.provider} simulator: error while closing on ${signal}: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

void main();
