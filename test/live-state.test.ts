/**
 * The live loop every subscription uses, against the real event bus: it re-reads on events, and it ends at once
 * when its consumer leaves (it does not hold its listener until the next periodic re-read, here 60 s away).
 */
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createContext, type GatewayContext, type GatewayServices } from '../src/context.js';
import { ResyncSignal, createEventBus } from '../src/events.js';
import { silentLogger } from '../src/logger.js';
import { liveState } from '../src/schema/live.js';

function context(): GatewayContext {
  const services = { events: createEventBus(), resync: new ResyncSignal(), resyncMs: 60_000, logger: silentLogger } as unknown as GatewayServices;
  return createContext(services, { requestId: 'test' });
}

describe('liveState', () => {
  it('re-reads on each event, and ends at once when its consumer leaves', async () => {
    const ctx = context();
    let reads = 0;
    const live = liveState(ctx, {
      events: ctx.services.events.subscribe('jobUpdated', 'job-1'),
      read: async () => ({ version: ++reads }),
      version: (state) => String(state.version),
      isTerminal: () => false,
      unknownMessage: 'unknown',
    });
    expect((await live.next()).value).toEqual({ version: 1 });
    const second = live.next();
    ctx.services.events.publish('jobUpdated', 'job-1', { id: 'job-1', status: 'IN_PROGRESS' });
    expect((await second).value).toEqual({ version: 2 });

    // Now waiting for the next event or the 60 s re-read: leaving must not wait for either.
    const pending = live.next();
    const left = await Promise.race([live.return!().then(() => 'ended'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 2_000))]);
    expect(left).toBe('ended');
    expect(await pending).toEqual({ value: undefined, done: true });
    ctx.services.events.publish('jobUpdated', 'job-1', { id: 'job-1', status: 'COMPLETED' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(reads).toBe(2);
  });

  it('gives one NOT_FOUND result for an unknown id and then ends, and completes after a terminal state', async () => {
    const ctx = context();
    const unknown = liveState(ctx, {
      events: ctx.services.events.subscribe('jobUpdated', 'nope'),
      read: async () => null,
      version: () => '',
      isTerminal: () => false,
      unknownMessage: 'job nope is unknown',
    });
    const first = await unknown.next();
    expect(first.done).toBe(false);
    expect(first.value).toBeInstanceOf(GraphQLError);
    expect((first.value as unknown as GraphQLError).message).toBe('job nope is unknown');
    expect((first.value as unknown as GraphQLError).extensions.code).toBe('NOT_FOUND');
    expect((await unknown.next()).done).toBe(true);

    const done = liveState(ctx, {
      events: ctx.services.events.subscribe('jobUpdated', 'done'),
      read: async () => ({ status: 'COMPLETED' }),
      version: (state) => state.status,
      isTerminal: (state) => state.status === 'COMPLETED',
      unknownMessage: 'unknown',
    });
    expect(await done.next()).toEqual({ value: { status: 'COMPLETED' }, done: false });
    expect(await done.next()).toEqual({ value: undefined, done: true });
  });
});
