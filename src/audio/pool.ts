/**
 * The worker-thread pool that converts channels off the event loop (Piscina: queueing, abort signals, transfer of
 * results, idle shutdown). Started on first use, one thread per core, at a lower CPU priority than the event loop;
 * idle threads exit after IDLE_TIMEOUT_MS.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { Piscina } from 'piscina';
import type { ChannelJob } from './convert-channel.js';

/**
 * Idle threads stay this long, so a burst of uploads does not pay thread start-up (~50 ms) each time. Not longer:
 * a worker keeps its last inputs' shared memory reachable until its own next full GC, which a thread allocating
 * this little rarely needs (measured: 4–5 inputs' worth); a thread's exit frees it all.
 */
const IDLE_TIMEOUT_MS = 10_000;

/**
 * Conversion is background work: at nice +5 the workers yield a shared core to the event loop when it wakes
 * (Linux applies nice per thread; Piscina sets it through its optional @napi-rs/nice, and skips it where that is
 * missing). With every core busy converting, this keeps request handling from waiting a scheduler slice.
 */
const WORKER_NICE_INCREMENT = 5;

let pool: Piscina<ChannelJob, Uint8Array> | undefined;

/**
 * The worker entry beside this module: worker.js in the build; worker.ts when running from source (tsx, vitest),
 * where the worker also needs tsx's loader unless the process already runs under it (workers inherit execArgv).
 */
function workerEntry(): { filename: string; execArgv?: string[] } {
  const here = import.meta.url;
  if (!/\.[cm]?ts$/.test(new URL(here).pathname)) return { filename: new URL('./worker.js', here).href };
  const filename = new URL('./worker.ts', here).href;
  const hasTsx = process.execArgv.some((arg) => /[\\/]tsx[\\/]|^tsx$/.test(arg));
  if (hasTsx) return { filename };
  const tsxLoader = pathToFileURL(createRequire(here).resolve('tsx')).href;
  return { filename, execArgv: [...process.execArgv, '--import', tsxLoader] };
}

export function audioWorkerPool(): Piscina<ChannelJob, Uint8Array> {
  if (!pool) {
    const threads = Math.max(1, os.availableParallelism());
    pool = new Piscina<ChannelJob, Uint8Array>({
      ...workerEntry(),
      name: 'default',
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: IDLE_TIMEOUT_MS,
      niceIncrement: WORKER_NICE_INCREMENT,
    });
  }
  return pool;
}

/** Waits for running conversions and stops the worker threads (on shutdown); the next conversion starts a new pool. */
export async function closeAudioWorkers(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.close();
}
