/**
 * Worker-thread entry (loaded by the pool in pool.ts): takes the predictions answer as it streams in, parses it
 * with JSON.parse and builds the compact form, so neither the parse of a 60 MiB answer nor the build ever blocks
 * the event loop. The compact form goes back over the task's port by transfer, not by copy.
 */
import type { MessagePort } from 'node:worker_threads';
import type { HumePredictions } from '../wire.js';
import { compactPredictions, transferables } from './compact.js';
import type { ParseTask, ParserMessage, WorkerAnswer } from './pool.js';

/** Resolves with the whole text once the event loop sends `end`; null when it gave up (a failed download). */
function receiveText(port: MessagePort): Promise<string | null> {
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  return new Promise((resolve) => {
    port.on('message', (message: ParserMessage) => {
      if (message.kind === 'chunk') parts.push(decoder.decode(message.bytes, { stream: true }));
      else {
        port.removeAllListeners('message');
        if (message.kind === 'abort') resolve(null);
        else {
          parts.push(decoder.decode());
          resolve(parts.join(''));
        }
      }
    });
  });
}

/** The parsed answer, or why it is not one; the text is not referenced once parsed (it is as large as the answer). */
function parse(text: string): { wire: HumePredictions } | { invalid: string } {
  let wire: unknown;
  try {
    wire = JSON.parse(text);
  } catch {
    return { invalid: 'answer is not valid JSON' };
  }
  return Array.isArray(wire) ? { wire: wire as HumePredictions } : { invalid: 'predictions answer is not an array' };
}

export default async function parsePredictionsInWorker({ port }: ParseTask): Promise<void> {
  try {
    // The text lives only inside this callback, so it can be collected while the compact form is built.
    const parsed = await receiveText(port).then((text) => (text === null ? null : parse(text)));
    if (parsed === null) return;
    if ('invalid' in parsed) return answer(port, { kind: 'invalid', reason: parsed.invalid });
    const compact = compactPredictions(parsed.wire);
    port.postMessage({ kind: 'done', compact } satisfies WorkerAnswer, transferables(compact));
  } catch (error) {
    answer(port, { kind: 'invalid', reason: `predictions answer could not be read (${(error as Error).message})` });
  } finally {
    port.close();
  }
}

function answer(port: MessagePort, message: WorkerAnswer): void {
  port.postMessage(message);
}
