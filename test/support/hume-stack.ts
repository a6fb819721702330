/**
 * The Hume-only view of the test stack (test/support/stack.ts): a real gateway in front of a real Hume simulator,
 * Phonexia switched off. Kept for the Hume test files, which call the simulator `sim`.
 */
import type { Stack } from './stack.js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startStack } from './stack.js';
import { humeBatch } from '../../src/providers/hume-batch/index.js';
import type { HumeSimulator, HumeSimulatorTiming } from '../../src/simulators/hume-batch/simulator.js';

export { TEST_HUME_KEY, eventually } from './stack.js';

export interface HumeStack extends Omit<Stack, 'hume' | 'phonexia' | 'phonexiaUrl' | 'expression' | 'expressionUrl'> {
  sim: HumeSimulator;
}

export interface HumeStackOptions {
  timing?: HumeSimulatorTiming;
  publicUrl?: boolean;
  headersTimeoutMs?: number;
  /** The simulator's clock (job timestamps and state), e.g. frozen to create jobs in the same millisecond. */
  now?: () => number;
  /** More gateway environment (e.g. PREDICTIONS_CACHE_MB). */
  env?: Record<string, string>;
}

export async function startHumeStack(options: HumeStackOptions = {}): Promise<HumeStack> {
  const { hume, phonexia: _phonexia, phonexiaUrl: _phonexiaUrl, expression: _expression, expressionUrl: _expressionUrl, ...stack } = await startStack({
    hume: { timing: options.timing, now: options.now },
    phonexia: false,
    humeExpression: false,
    publicUrl: options.publicUrl,
    headersTimeoutMs: options.headersTimeoutMs,
    env: options.env,
  });
  return { ...stack, sim: hume };
}

/**
 * One stack for a whole test file: started before its tests, closed after them, and the simulator's faults and
 * timing reset after each test. `use` receives the stack once it runs.
 */
export function useHumeStack(use: (stack: HumeStack) => void, options: HumeStackOptions = {}): void {
  let stack: HumeStack | undefined;
  beforeAll(async () => {
    stack = await startHumeStack(options);
    use(stack);
  });
  afterAll(async () => {
    await stack?.close();
  });
  afterEach(() => {
    stack?.sim.faults.clear();
    // A 429 a test provoked holds this replica's Hume calls back; the next test starts with the gate open.
    stack?.gateway.services.providers.get(humeBatch)?.client.gate.reset();
    if (stack) stack.sim.timing = { queuedMs: 0, runningMs: 0 };
  });
}
