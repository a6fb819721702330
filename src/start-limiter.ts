/**
 * Per tenant, how many starts (jobs, tasks, analyses, measurements) it may make per minute, shared by replicas
 * through the store's Redis when there is one (rate-limiter-flexible). One tenant cannot spend the providers'
 * budget for everyone; past the limit a start is refused with the time to wait, and nothing is sent.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface StartLimiter {
  /** Resolves when the tenant may start one more; otherwise rejects with StartsExhaustedError. */
  admit(tenant: string): Promise<void>;
}

export class StartsExhaustedError extends Error {
  override name = 'StartsExhaustedError';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many starts for this tenant; retry after ${retryAfterSeconds} s`);
  }
}

export function createStartLimiter(perMinute: number, redis: Redis | null): StartLimiter {
  const options = { points: perMinute, duration: 60, keyPrefix: 'emotion-gateway:starts' };
  const limiter: RateLimiterAbstract = redis ? new RateLimiterRedis({ ...options, storeClient: redis }) : new RateLimiterMemory(options);
  return {
    async admit(tenant) {
      try {
        await limiter.consume(tenant, 1);
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw new StartsExhaustedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)));
        // A store outage: the limit cannot be checked, and refusing every start for it would be worse.
        return;
      }
    },
  };
}
