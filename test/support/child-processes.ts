/**
 * Children a test file starts (gateway processes, redis-server, short-lived `node` runs) are killed when the test
 * process ends, however it ends: a normal exit, or the SIGTERM with which vitest ends a worker once its file is done
 * (Node runs no 'exit' listeners on a signal it does not handle, so an 'exit' hook alone misses that case).
 * What survives even this (the worker SIGKILLed) is ended by the run's global teardown (test/support/global-setup.ts).
 */
import type { ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let installed = false;

function killAll(): void {
  for (const child of live) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  live.clear();
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', killAll);
  for (const name of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(name, () => {
      killAll();
      // Others listening (playwright closes its browsers on SIGTERM) finish the exit; otherwise die as the signal would.
      if (process.listenerCount(name) === 0) process.kill(process.pid, name);
    });
  }
}

/** Kills `child` with this process if it is still running then. */
export function killWithTestProcess(child: ChildProcess): void {
  install();
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
}
