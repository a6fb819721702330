/**
 * `npm test` leaves no process behind, also when tests fail: a separate vitest run of test/fixtures/leftovers (the
 * suite's global setup, test files that start processes and then fail, time out, or lose their worker to SIGKILL)
 * must end with none of its processes left, found by the run's marker in their environment.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { LeftoverReport } from './fixtures/leftovers/leftovers.js';
import { killWithTestProcess } from './support/child-processes.js';
import { endProcessesOfRun, processesOfRun } from './support/test-run.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const VITEST = join(REPO_ROOT, 'node_modules', 'vitest', 'vitest.mjs');

const scratch = mkdtempSync(join(tmpdir(), 'emotion-gateway-teardown-'));
const runIds = new Set<string>();

afterAll(async () => {
  // Should the check below fail, what the fixtures left must not outlive this run either.
  for (const runId of runIds) await endProcessesOfRun(runId);
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs the fixture project to its end; resolves with its exit code and output. */
async function runFixtures(reportFile: string): Promise<{ code: number | null; output: string }> {
  // Not vitest's own variables of this worker: the nested run is a run of its own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')));
  const child = spawn(process.execPath, [VITEST, 'run', '--config', 'test/fixtures/leftovers/vitest.config.ts'], {
    cwd: REPO_ROOT,
    env: { ...env, LEFTOVERS_REPORT: reportFile, NO_COLOR: '1', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killWithTestProcess(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', (exit) => resolve(exit)));
  clearTimeout(timer);
  return { code, output };
}

describe('the global teardown', () => {
  it('ends every process a failed, timed-out or killed test file left running', async () => {
    const reportFile = join(scratch, 'report.jsonl');
    const { code, output } = await runFixtures(reportFile);
    const reports = readFileSync(reportFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LeftoverReport);
    for (const report of reports) runIds.add(report.runId);

    // Each fixture got as far as its deliberate end, and failed that way (not by an error on the way there).
    expect(code, output).toBe(1);
    expect(output).toContain("expected 'this test' to be 'failing on purpose'");
    expect(output).toContain('Test timed out in 3000ms');
    expect(output).toContain('Worker exited unexpectedly');
    expect(reports.map((r) => r.fixture).sort(), output).toEqual(['fails', 'times-out', 'worker-dies']);
    expect(runIds.size, 'one run, one marker').toBe(1);
    const started = reports.flatMap((r) => r.processes.map((p) => `${r.fixture}: ${p.what}`));
    expect(started).toEqual(
      expect.arrayContaining([
        'fails: a detached sh with a sleep of its own',
        'fails: a node process ignoring SIGTERM',
        'times-out: a detached sleep 300',
        'worker-dies: a gateway process',
        'worker-dies: Chromium',
      ]),
    );

    // The fixture run is over: nothing of it is left, the stubborn and the detached included.
    const [runId] = runIds;
    const left = processesOfRun(runId!);
    expect(left, `left running:\n${left.map((p) => `  ${p.pid} ${p.args}`).join('\n')}\n${output}`).toEqual([]);
    // Its teardown did the ending: the abandoned children and redis-server outlive their workers otherwise (a gateway
    // notices its stdin closing, Chromium its pipe, so those two may be gone before the teardown looks).
    const endsItself = new Set(['a gateway process', 'Chromium']);
    const ended = output.slice(output.indexOf('test teardown: ended'));
    for (const report of reports) {
      for (const { what, pid } of report.processes) {
        if (!endsItself.has(what)) expect(ended, `${report.fixture}: ${what} (pid ${pid}) ended by the teardown`).toContain(`\n  ${pid} `);
      }
    }
  }, 90_000);
});
