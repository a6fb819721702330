/**
 * When to poll a task next. The gap grows with the task's age (10 % of it, never under half a second, never over
 * ten minutes), so a task that ends after T seconds is seen within max(0.5 s, 10 % of T) and costs a number of polls
 * that grows with log T: a 10-minute task takes tens of polls, not hundreds. Jitter only shortens the gap, so
 * replicas spread out without ever breaking the latency bound.
 */
import type { Clock } from '../domain/tracking.js';

export const MIN_POLL_GAP_MS = 500;
export const MAX_POLL_GAP_MS = 10 * 60_000;
export const POLL_GAP_FRACTION = 0.1;

export function nextPollDelay(ageMs: number, random: () => number = Math.random): number {
  const gap = Math.min(MAX_POLL_GAP_MS, Math.max(MIN_POLL_GAP_MS, ageMs * POLL_GAP_FRACTION));
  return Math.round(gap * (0.8 + 0.2 * random()));
}

/** After a failed poll (network, 5xx): back off from the normal gap, honouring a provider's Retry-After. */
export function retryDelay(ageMs: number, consecutiveFailures: number, retryAfterMs: number | undefined): number {
  const backoff = Math.min(MAX_POLL_GAP_MS, nextPollDelay(ageMs) * 2 ** Math.min(consecutiveFailures, 6));
  return Math.max(backoff, retryAfterMs ?? 0);
}

/** Time source for trackers; tests substitute a virtual clock so a 10-minute task runs in milliseconds. */
export type { Clock };

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const timer = setTimeout(done, ms);
      timer.unref?.();
      function done() {
        signal?.removeEventListener('abort', done);
        clearTimeout(timer);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};
