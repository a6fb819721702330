/**
 * A throw-away `redis-server` on a free loopback port, for tests: no persistence, killed when the test process
 * ends (test/support/child-processes.ts; redis cannot notice its parent dying, so a SIGKILLed worker's server is
 * left to the run's global teardown). Returns null when the binary is missing so a suite can skip (and say so); under CI (`CI` set) a missing
 * binary is an error instead, because there the Redis tests must run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { killWithTestProcess } from './child-processes.js';
import { freePort } from './gateway-process.js';

export interface RedisServer {
  url: string;
  port: number;
  /** Whether the server process is up (it may still be starting). */
  readonly running: boolean;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for the process to end. */
  stop(): Promise<void>;
  /** Kills the server at once, as a crash would; does not wait. */
  kill(): void;
  /** Stops the server if it runs and starts it again on the same port; resolves once it answers PING. */
  restart(): Promise<void>;
}

const BINARY = process.env.REDIS_SERVER_BIN ?? 'redis-server';
const START_TIMEOUT_MS = 10_000;

export const REDIS_MISSING_MESSAGE = `${BINARY} not found on PATH: the Redis tests are skipped (under CI they fail instead)`;

export async function startRedisServer(): Promise<RedisServer | null> {
  const probe = spawnSync(BINARY, ['--version'], { stdio: 'ignore' });
  if (probe.error) {
    if ((probe.error as NodeJS.ErrnoException).code !== 'ENOENT') throw probe.error;
    if (process.env.CI) throw new Error(`${BINARY} not found on PATH, and CI requires the Redis tests to run`);
    return null;
  }

  const port = await freePort();
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  async function start(): Promise<void> {
    const output: string[] = [];
    // `--set-proc-title no`: redis would write its title over its environment, and with it the run's marker that
    // the global teardown looks for (test/support/test-run.ts).
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmpdir(), '--set-proc-title', 'no'];
    const proc = spawn(BINARY, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    killWithTestProcess(proc);
    const collect = (chunk: Buffer): void => {
      output.push(chunk.toString());
      if (output.length > 50) output.shift();
    };
    proc.stdout?.on('data', collect);
    proc.stderr?.on('data', collect);
    let ended = false;
    exited = new Promise<void>((resolve) => {
      proc.once('exit', () => {
        ended = true;
        resolve();
      });
      proc.once('error', () => {
        ended = true;
        resolve();
      });
    });
    child = proc;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (!(await answersPing(port))) {
      if (ended) throw new Error(`redis-server on port ${port} exited during start-up:\n${output.join('')}`);
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`redis-server on port ${port} did not answer PING within ${START_TIMEOUT_MS} ms:\n${output.join('')}`);
      }
      await sleep(20);
    }
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (!proc) return;
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    child = undefined;
  }

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    stop,
    kill() {
      child?.kill('SIGKILL');
    },
    async restart() {
      await stop();
      await start();
    },
  };
}

/** One raw RESP round trip, without a client library and its reconnection logic. */
async function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
