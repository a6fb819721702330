/**
 * The Hume-only view of the test stack (test/support/stack.ts): a real gateway in front of a real Hume simulator,
 * Phonexia switched off. Kept for the Hume test files, which call the simulator `sim`.
 */
import type { Stack } from './stack.js';
import { startStack } from './stack.js';
import type { HumeSimulator, HumeSimulatorTiming } from '../../src/providers/hume/simulator.js';

export { TEST_HUME_KEY, eventually } from './stack.js';

export interface HumeStack extends Omit<Stack, 'hume' | 'phonexia' | 'phonexiaUrl'> {
  sim: HumeSimulator;
}

export interface HumeStackOptions {
  timing?: HumeSimulatorTiming;
  publicUrl?: boolean;
  headersTimeoutMs?: number;
  /** The simulator's clock (job timestamps and state), e.g. frozen to create jobs in the same millisecond. */
  now?: () => number;
}

export async function startHumeStack(options: HumeStackOptions = {}): Promise<HumeStack> {
  const { hume, phonexia: _phonexia, phonexiaUrl: _phonexiaUrl, ...stack } = await startStack({
    hume: { timing: options.timing, now: options.now },
    phonexia: false,
    publicUrl: options.publicUrl,
    headersTimeoutMs: options.headersTimeoutMs,
  });
  return { ...stack, sim: hume };
}
