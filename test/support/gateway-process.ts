/**
 * The gateway as a real process (`node --import tsx src/main.ts`), for tests about replicas, crashes and restarts:
 * things an in-process gateway cannot show (SIGKILL, SIGTERM and a graceful exit, connections per process).
 *
 * The child gets a clean, minimal environment (PATH, HOME) plus what the test gives it, so nothing of the test
 * runner's own environment (NODE_OPTIONS, CI, REDIS_URL, ...) leaks into the gateway; only the test run's marker
 * goes in (test/support/test-run.ts). Children still running when the test process ends (exit or SIGTERM) are
 * killed; should it die without a chance to (SIGKILL), each child notices its stdin closing and shuts itself down,
 * and the run's global teardown ends whatever is left, so no gateway outlives its test run.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { killWithTestProcess } from './child-processes.js';
import { testRunEnv } from './test-run.js';

export interface GatewayProcess {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  pid: number;
  /** SIGTERM, then waits for the exit; resolves with the exit code (null when it ended by a signal). */
  stop(): Promise<number | null>;
  /** SIGKILL, as a crash would; does not wait. */
  kill(): void;
  /** Resolves once the process has ended, however. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote to stdout and stderr so far. */
  logs(): string;
}

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Catches a start-up that hangs; generous, because two cores shared with the rest of the suite can take 15 s. */
const START_TIMEOUT_MS = 30_000;
/** After SIGTERM, how long `stop()` waits before it kills the process (a hang must fail, not stall the run). */
const STOP_TIMEOUT_MS = 10_000;
/** Bounds the kept output of one process. */
const MAX_LOG_CHARS = 1_000_000;

/**
 * Preloaded into the child beside tsx: when the test process's end of the stdin pipe closes (it died), the child
 * sends itself SIGTERM, the gateway's own graceful shutdown. Worker threads (audio conversion) run the preload too,
 * and their stdin is empty: only the main thread watches.
 */
const ORPHAN_WATCHDOG = `data:text/javascript,${encodeURIComponent(
  "import { isMainThread } from 'node:worker_threads'; if (isMainThread) { process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM')); process.stdin.resume(); }",
)}`;

/** A port the OS just handed out (bound to port 0 on loopback, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no port assigned'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

/**
 * Starts a gateway process and resolves once `/health` answers. `env.PORT`, when given, is used as is (a test
 * that needs the URL before the process exists, for PUBLIC_URL, picks it with `freePort()`); otherwise a free port
 * is chosen. SANDBOX=false and LOG_LEVEL=warn are defaults the given env may override.
 */
export async function startGatewayProcess(
  env: Record<string, string>,
  /** Node's arguments before the watchdog and the entry; default: run src/main.ts from source through tsx. */
  command: { nodeArgs: string[]; entry: string } = { nodeArgs: ['--import', 'tsx'], entry: 'src/main.ts' },
): Promise<GatewayProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const childEnv: Record<string, string> = {
    ...(process.env.PATH ? { PATH: process.env.PATH } : {}),
    ...(process.env.HOME ? { HOME: process.env.HOME } : {}),
    SANDBOX: 'false',
    LOG_LEVEL: 'warn',
    ...env,
    ...testRunEnv(),
    PORT: String(port),
  };
  const child = spawn(process.execPath, [...command.nodeArgs, '--import', ORPHAN_WATCHDOG, command.entry], {
    cwd: REPO_ROOT,
    env: childEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  killWithTestProcess(child);
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    if (output.length > MAX_LOG_CHARS) output = output.slice(-MAX_LOG_CHARS);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => {
      output += `\n[spawn error] ${error.message}\n`;
      resolve({ code: null, signal: null });
    });
  });
  let ended = false;
  void exited.then(() => (ended = true));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (ended) throw new Error(`gateway process on port ${port} exited during start-up (${describeExit(await exited)}):\n${output}`);
    if (await answersHealth(url)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gateway process on port ${port} did not answer /health within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await sleep(50);
  }

  return {
    url,
    port,
    pid: child.pid!,
    exited,
    async stop() {
      if (!ended) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        const result = await exited;
        clearTimeout(timer);
        return result.code;
      }
      return (await exited).code;
    },
    kill() {
      if (!ended) child.kill('SIGKILL');
    },
    logs: () => output,
  };
}

async function answersHealth(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

function describeExit({ code, signal }: { code: number | null; signal: NodeJS.Signals | null }): string {
  return signal ? `signal ${signal}` : `exit code ${code}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
