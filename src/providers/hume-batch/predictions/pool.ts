/**
 * The worker thread that turns a predictions answer into its compact form (worker.ts), through Piscina as the
 * audio conversion does (src/audio/pool.ts: the same entry resolution under tsx and in the build). The answer's
 * bytes are passed to the worker as they arrive, in blocks sent by transfer; the event loop only copies chunks
 * into blocks. The thread starts with the download, so its start-up is hidden behind it.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { CompactPredictions } from './compact.js';

/** What the worker gets: the port the answer's bytes arrive on, and its answer leaves by. */
export interface ParseTask {
  port: MessagePort;
}

export type ParserMessage = { kind: 'chunk'; bytes: Uint8Array } | { kind: 'end' } | { kind: 'abort' };

export type WorkerAnswer = { kind: 'done'; compact: CompactPredictions } | { kind: 'invalid'; reason: string };

/** The answer was read but is not a predictions document. */
export class InvalidPredictionsError extends Error {
  override name = 'InvalidPredictionsError';
}

/** Bytes per block sent to the worker: few enough messages, small enough that parsing can start right after. */
const BLOCK_BYTES = 1 << 20;

/**
 * A parse holds the answer's JSON tree (several times its size) in the worker: an idle thread exits soon, which
 * frees that heap at once. One thread per core but one, so a burst of cold jobs leaves a core to the event loop.
 * Not niced (unlike audio conversion): a cold read waits for this parse, and on a busy machine a niced thread gets
 * a fraction of a core; the event loop, mostly asleep, is preferred by the scheduler when it wakes anyway.
 */
const IDLE_TIMEOUT_MS = 1_000;

/** Young generation of a parser thread: three semi-spaces of 16 MiB, V8's default on 64-bit machines. */
const PARSER_YOUNG_GENERATION_MB = 48;

let pool: Piscina<ParseTask, void> | undefined;

/** worker.js beside this module in the build; worker.ts from source (tsx, vitest), with tsx's loader when needed. */
function workerEntry(): { filename: string; execArgv?: string[] } {
  const here = import.meta.url;
  if (!/\.[cm]?ts$/.test(new URL(here).pathname)) return { filename: new URL('./worker.js', here).href };
  const filename = new URL('./worker.ts', here).href;
  if (process.execArgv.some((arg) => /[\\/]tsx[\\/]|^tsx$/.test(arg))) return { filename };
  const tsxLoader = pathToFileURL(createRequire(here).resolve('tsx')).href;
  return { filename, execArgv: [...process.execArgv, '--import', tsxLoader] };
}

function parserPool(): Piscina<ParseTask, void> {
  pool ??= new Piscina<ParseTask, void>({
    ...workerEntry(),
    minThreads: 0,
    maxThreads: Math.max(1, os.availableParallelism() - 1),
    idleTimeout: IDLE_TIMEOUT_MS,
    // The production command caps the event loop's semi-spaces at 4 MiB (idle memory); threads inherit that, and
    // parsing tens of MiB of JSON through so small a young generation copies the tree over and over. The parser
    // gets V8's own default (16 MiB semi-spaces) for the second it lives.
    resourceLimits: { maxYoungGenerationSizeMb: PARSER_YOUNG_GENERATION_MB },
  });
  return pool;
}

/**
 * Streams `body` to a worker and resolves with the compact form and the answer's size in bytes. A failure of the
 * body (the download) rejects with that failure; an answer that is not a predictions document rejects with an
 * InvalidPredictionsError.
 */
export async function parsePredictions(body: AsyncIterable<Uint8Array>): Promise<{ compact: CompactPredictions; bytes: number }> {
  const { port1, port2 } = new MessageChannel();
  const answered = new Promise<WorkerAnswer>((resolve) => port1.once('message', resolve));
  const task = parserPool().run({ port: port2 }, { transferList: [port2] });
  // The task ends after its answer is posted, but the two travel apart: its end alone proves nothing, its failure does.
  const failed = task.then(() => new Promise<never>(() => {}));
  let bytes = 0;
  try {
    let block = new Uint8Array(BLOCK_BYTES);
    let filled = 0;
    for await (const chunk of body) {
      bytes += chunk.length;
      for (let offset = 0; offset < chunk.length; ) {
        const n = Math.min(BLOCK_BYTES - filled, chunk.length - offset);
        block.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === BLOCK_BYTES) {
          port1.postMessage({ kind: 'chunk', bytes: block } satisfies ParserMessage, [block.buffer]);
          block = new Uint8Array(BLOCK_BYTES);
          filled = 0;
        }
      }
    }
    if (filled > 0) port1.postMessage({ kind: 'chunk', bytes: block.subarray(0, filled) } satisfies ParserMessage, [block.buffer]);
    port1.postMessage({ kind: 'end' } satisfies ParserMessage);
  } catch (error) {
    port1.postMessage({ kind: 'abort' } satisfies ParserMessage);
    port1.close();
    await task.catch(() => {});
    throw error;
  }
  try {
    const answer = await Promise.race([answered, failed]);
    if (answer.kind === 'invalid') throw new InvalidPredictionsError(answer.reason);
    return { compact: answer.compact, bytes };
  } finally {
    port1.close();
  }
}

/** Stops the worker thread (tests, shutdown); the next parse starts a new one. */
export async function closePredictionWorkers(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.close();
}
