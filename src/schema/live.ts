/**
 * The shape every status subscription shares: subscribe to the events first, then read and emit the current state,
 * then re-read on every event and emit real changes, and complete after a terminal state. Events are only
 * wake-ups; state is always read fresh (new loaders per payload). A periodic re-read and the backend's reconnect
 * signal cover events lost by at-most-once pub/sub.
 */
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { OperationLoaders } from '../loaders.js';

/** Wakes a waiter when notified; a notification that comes before the wait is not lost. */
class Wakeup {
  private pending = false;
  private waiter: (() => void) | undefined;

  notify = (): void => {
    this.pending = true;
    this.waiter?.();
  };

  wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.waiter = undefined;
        self.pending = false;
        resolve();
      }
      this.waiter = done;
    });
  }
}

export interface LiveStateOptions<T> {
  /** The subscribed event stream for this id (already listening when returned). */
  events: AsyncIterable<unknown> & { return?: () => unknown };
  /** Reads the state now, with the operation's (fresh) loaders; null when the id is unknown. */
  read: () => Promise<T | null>;
  /** A string that changes whenever the emitted state should be pushed again. */
  version: (state: T) => string;
  isTerminal: (state: T) => boolean;
  unknownMessage: string;
}

/**
 * The live loop as an iterator whose `return()` takes effect at once: an async generator would only see it at its
 * next wake-up (up to the re-read interval), holding its event listener that long after the last subscriber left.
 */
export function liveState<T>(ctx: GatewayContext, options: LiveStateOptions<T>): AsyncIterableIterator<T> {
  const wakeup = new Wakeup();
  const closed = { value: false };
  const loop = runLiveState(ctx, options, wakeup, closed);
  return {
    next: () => loop.next(),
    return: (value?: unknown) => {
      closed.value = true;
      wakeup.notify();
      return loop.return(value as never);
    },
    throw: (error?: unknown) => loop.throw(error),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

async function* runLiveState<T>(ctx: GatewayContext, options: LiveStateOptions<T>, wakeup: Wakeup, closed: { value: boolean }): AsyncGenerator<T> {
  const iterator = options.events[Symbol.asyncIterator]();
  // Drain events in the background: each one only wakes the loop below.
  const pump = (async () => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      wakeup.notify();
    }
  })().catch(() => wakeup.notify());
  const stopResync = ctx.services.resync.listen(wakeup.notify);
  const resyncMs = ctx.services.resyncMs ?? 30_000;
  let last: string | undefined;
  // With Redis the subscription is confirmed a moment after it is sent; one early re-read closes that window.
  let wait = Math.min(1000, resyncMs);
  let failures = 0;
  try {
    for (;;) {
      // A fresh set of loaders per payload: nothing read for the previous payload is reused.
      ctx.loaders = new OperationLoaders(ctx.services, ctx);
      let state: T | null;
      try {
        state = await options.read();
        failures = 0;
      } catch (error) {
        // Before the first state a failure is the answer; after it, a backend or provider outage is waited out.
        if (last === undefined) throw error;
        failures += 1;
        ctx.services.logger.warn('live subscription re-read failed; retrying', { failures, error: String(error) });
        await wakeup.wait(Math.min(resyncMs, 250 * 2 ** Math.min(failures, 8)));
        if (closed.value) return;
        continue;
      }
      if (state === null) {
        // Unknown (or another tenant's): one result carrying NOT_FOUND, then the stream completes, the same on
        // WebSocket and SSE (a graphql-ws `error` message would reach routers as an opaque "Unexpected error").
        if (last === undefined) yield new GraphQLError(options.unknownMessage, { extensions: { code: 'NOT_FOUND' } }) as never;
        return;
      }
      const version = options.version(state);
      if (version !== last) {
        last = version;
        yield state;
      }
      if (options.isTerminal(state)) return;
      await wakeup.wait(wait);
      if (closed.value) return;
      wait = resyncMs;
    }
  } finally {
    stopResync();
    await iterator.return?.();
    void pump;
  }
}

/**
 * A subscription field's resolver: the live state mapped to the field's parent, or the NOT_FOUND error the loop
 * yields for an unknown id (graphql turns a returned error into the field's error).
 */
export function liveResolver<T, R>(map: (state: T) => R): (state: T) => R {
  return (state) => (state instanceof GraphQLError ? (state as never) : map(state));
}
