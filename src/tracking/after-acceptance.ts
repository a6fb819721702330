/**
 * Once a provider has accepted work, nothing may fail the caller's request: the client would retry and start (and
 * pay for) the work twice. The gateway's own bookkeeping (its record, the callback binding, tracking) is tried at
 * once; a step that fails (a store outage) is logged and tried again in the background until the store is back.
 */
import { systemClock } from './poll-schedule.js';
import type { Clock } from '../domain/tracking.js';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 30_000;
/** A store down for longer than this is an outage an operator handles; the work itself is safe at the provider. */
const GIVE_UP_AFTER_MS = 24 * 3600 * 1000;

export type Step = () => Promise<unknown>;

/**
 * Runs each step once and resolves when every step has had its first try; failed steps (in order, since a later
 * one may need an earlier one) keep being retried in the background. Never rejects.
 */
export async function bookkeepAfterAcceptance(
  what: Record<string, unknown>,
  steps: Step[],
  log: (message: string, fields?: Record<string, unknown>) => void,
  clock: Clock = systemClock,
): Promise<void> {
  for (let i = 0; i < steps.length; i++) {
    try {
      await steps[i]!();
    } catch (error) {
      log('bookkeeping after a provider accepted work failed; retrying in the background', { ...what, error: String(error) });
      void retryInBackground(what, steps.slice(i), log, clock);
      return;
    }
  }
}

async function retryInBackground(what: Record<string, unknown>, steps: Step[], log: (message: string, fields?: Record<string, unknown>) => void, clock: Clock) {
  const started = clock.now();
  let delay = FIRST_RETRY_MS;
  for (const step of steps) {
    for (;;) {
      await clock.sleep(delay);
      try {
        await step();
        break;
      } catch (error) {
        if (clock.now() - started > GIVE_UP_AFTER_MS) {
          log('bookkeeping after a provider accepted work given up', { ...what, error: String(error) });
          return;
        }
        delay = Math.min(MAX_RETRY_MS, delay * 2);
      }
    }
  }
  log('bookkeeping after a provider accepted work completed late', what);
}
