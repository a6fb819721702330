import type { Clock } from '../../src/tracking/poll-schedule.js';

/**
 * A clock whose sleeps pass instantly: each sleep moves virtual time forward. Trackers and simulators that share it
 * run a 10-minute task in milliseconds, while every HTTP call between them stays real.
 */
export class VirtualClock implements Clock {
  private current: number;

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now = (): number => this.current;

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return;
    this.current += Math.max(0, ms);
    await new Promise((resolve) => setImmediate(resolve));
  }

  advance(ms: number): void {
    this.current += ms;
  }
}
