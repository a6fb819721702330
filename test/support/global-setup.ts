/**
 * vitest globalSetup: marks the run, and after it ends whatever the run left running. Runs in vitest's main process
 * before any test file (workers and everything they spawn inherit the environment) and again after the last one.
 *
 * The per-file cleanups (afterAll hooks, test/support/child-processes.ts) stop what a test started in the normal
 * case; this catches what they cannot: a hook that timed out, a worker killed mid-test, a child spawned detached.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { TEST_RUN_VARIABLE, endProcessesOfRun } from './test-run.js';

export default function setup(): () => Promise<void> {
  // A new id per run, also for a run nested in another one (test/teardown.test.ts): each ends only its own.
  const runId = randomUUID();
  process.env[TEST_RUN_VARIABLE] = runId;

  return async () => {
    if (!existsSync('/proc/self/environ')) {
      console.warn(`test teardown: no /proc here, so processes left by this run (${TEST_RUN_VARIABLE}=${runId}) are not looked for`);
      return;
    }
    // vitest runs this teardown before it has stopped its own workers (its direct children): it stops them itself,
    // and a worker killed here would leave vitest waiting for its answer. What the workers started is fair game.
    const ended = await endProcessesOfRun(runId, { spare: (found) => found.ppid === process.pid });
    if (ended.length > 0) {
      console.warn(
        `test teardown: ended ${ended.length} process(es) this run left running:\n${ended.map((p) => `  ${p.pid} ${p.args.slice(0, 200)}`).join('\n')}`,
      );
    }
  };
}
