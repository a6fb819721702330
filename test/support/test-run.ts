/**
 * Every process a test run starts carries the run's id in its environment (`EMOTION_GATEWAY_TEST_RUN`, set by
 * test/support/global-setup.ts before any test file runs). Children inherit it; processes spawned with a clean
 * environment get it through `testRunEnv()`. After the run, whatever still carries the id is a leftover: found by
 * scanning /proc (Linux) and ended, however the test that started it ended (failed, timed out, its worker killed).
 */
import { readFileSync, readdirSync } from 'node:fs';

export const TEST_RUN_VARIABLE = 'EMOTION_GATEWAY_TEST_RUN';

/** The marker for a child spawned with an environment of its own; empty outside a marked run. */
export function testRunEnv(): Record<string, string> {
  const id = process.env[TEST_RUN_VARIABLE];
  return id ? { [TEST_RUN_VARIABLE]: id } : {};
}

export interface MarkedProcess {
  pid: number;
  ppid: number;
  /** Its process group: a child spawned detached leads its own group, which may hold unmarked members. */
  pgid: number;
  args: string;
}

interface Stat {
  ppid: number;
  pgid: number;
}

/** `/proc/<pid>/stat` fields 4 and 5; the command name (field 2) may itself hold spaces and parentheses. */
function stat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return null; // gone already
  }
}

/** This process and its ancestors: they may carry the marker (a nested run) but are never leftovers. */
function selfAndAncestors(): Set<number> {
  const chain = new Set<number>();
  for (let pid = process.pid; pid > 1 && !chain.has(pid); pid = stat(pid)?.ppid ?? 0) chain.add(pid);
  return chain;
}

/** Live processes (zombies have no environment left) whose environment carries this run's id. */
export function processesOfRun(runId: string): MarkedProcess[] {
  const marker = Buffer.from(`\0${TEST_RUN_VARIABLE}=${runId}\0`);
  const skip = selfAndAncestors();
  const found: MarkedProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (skip.has(pid)) continue;
    let environ: Buffer;
    try {
      environ = Buffer.concat([Buffer.from('\0'), readFileSync(`/proc/${pid}/environ`), Buffer.from('\0')]);
    } catch {
      continue; // gone, or not ours to read
    }
    if (!environ.includes(marker)) continue;
    const info = stat(pid);
    if (!info) continue;
    let args = '';
    try {
      args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
    } catch {
      continue;
    }
    found.push({ pid, ppid: info.ppid, pgid: info.pgid, args });
  }
  return found;
}

/** Whether a process is still there (and not merely a zombie waiting for its parent). */
export function isRunning(pid: number): boolean {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2, text.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function signal(leftover: MarkedProcess, name: NodeJS.Signals, ownGroup: number): void {
  // A group leader other than our own group: end the whole group (a detached child and whatever it started).
  const target = leftover.pgid === leftover.pid && leftover.pgid !== ownGroup ? -leftover.pgid : leftover.pid;
  try {
    process.kill(target, name);
  } catch {
    // already gone
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Ends every process of the run: SIGTERM first (a gateway shuts down gracefully), SIGKILL for what is still there
 * after `graceMs`. `spare` leaves some alone. Returns what it found, for the report.
 */
export async function endProcessesOfRun(
  runId: string,
  { graceMs = 2_000, spare = () => false }: { graceMs?: number; spare?: (process: MarkedProcess) => boolean } = {},
): Promise<MarkedProcess[]> {
  const find = (): MarkedProcess[] => processesOfRun(runId).filter((found) => !spare(found));
  const leftovers = find();
  if (leftovers.length === 0) return [];
  const ownGroup = stat(process.pid)?.pgid ?? -1;
  for (const leftover of leftovers) signal(leftover, 'SIGTERM', ownGroup);
  for (const deadline = Date.now() + graceMs; Date.now() < deadline; await sleep(50)) {
    if (!leftovers.some((leftover) => isRunning(leftover.pid))) break;
  }
  // SIGKILL the stragglers, and anything that appeared meanwhile (a child started by a dying parent).
  for (const leftover of [...leftovers.filter((l) => isRunning(l.pid)), ...find()]) signal(leftover, 'SIGKILL', ownGroup);
  for (const deadline = Date.now() + graceMs; Date.now() < deadline; await sleep(50)) {
    if (find().length === 0) break;
  }
  return leftovers;
}
