/**
 * Shared execution of identical subscriptions. Ten thousand clients watching one job send the same operation with
 * the same variables: the hub runs it once, and each result goes to every subscriber. Results are whole states,
 * not deltas, so a subscriber that joins late gets the latest result at once, and a slow subscriber only ever
 * holds the newest one (older ones it has not taken are superseded).
 *
 * Sharing is sound because subscription results depend only on the operation, its variables and who may see the
 * work: the key names all three (src/pipeline.ts, useSharedSubscriptions).
 */
import type { ExecutionResult } from 'graphql';

type Result = ExecutionResult;

class Subscriber implements AsyncIterableIterator<Result> {
  private pending: Result | undefined;
  private failure: unknown;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(private readonly leave: (subscriber: Subscriber) => void) {}

  push(result: Result): void {
    this.pending = result;
    this.wake?.();
  }

  fail(error: unknown): void {
    this.failure = error;
    this.end();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  async next(): Promise<IteratorResult<Result>> {
    for (;;) {
      if (this.pending !== undefined) {
        const value = this.pending;
        this.pending = undefined;
        return { value, done: false };
      }
      if (this.failure !== undefined) {
        const failure = this.failure;
        this.failure = undefined;
        throw failure;
      }
      if (this.ended) return { value: undefined, done: true };
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }

  async return(): Promise<IteratorResult<Result>> {
    this.ended = true;
    this.pending = undefined;
    this.leave(this);
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

class SharedStream {
  readonly subscribers = new Set<Subscriber>();
  latest: Result | undefined;
  source: AsyncIterator<Result> | undefined;
  finished = false;
  failure: unknown;
}

export class SubscriptionHub {
  private readonly streams = new Map<string, SharedStream>();

  /** Streams running now (one per distinct operation and variables). */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Subscribes through a shared stream keyed by `key`. `start` (the pipeline's subscribe, with the first
   * subscriber's context) runs only when the stream has to be started.
   */
  async subscribe(
    key: string,
    start: () => Promise<AsyncIterable<Result> | Result> | AsyncIterable<Result> | Result,
    /** Applied once to each shared result before it reaches the subscribers. */
    transform: (result: Result) => Result = (result) => result,
    /** Applied once to a stream's failure before subscribers see it. */
    transformError: (error: unknown) => unknown = (error) => error,
  ): Promise<AsyncIterableIterator<Result> | Result> {
    let stream = this.streams.get(key);
    if (!stream || stream.finished) {
      const started = await start();
      if (!isAsyncIterable(started)) return started as Result;
      // Another subscriber may have started the same stream while we awaited.
      const raced = this.streams.get(key);
      if (raced && !raced.finished) {
        await started.return?.();
        stream = raced;
      } else {
        stream = new SharedStream();
        stream.source = started[Symbol.asyncIterator]();
        this.streams.set(key, stream);
        void this.pump(key, stream, transform, transformError);
      }
    }
    const owner = stream;
    const subscriber = new Subscriber((leaving) => this.leave(key, owner, leaving));
    owner.subscribers.add(subscriber);
    if (owner.latest !== undefined) subscriber.push(owner.latest);
    // The stream may have ended between its start and this join: pass the ending on.
    if (owner.finished) {
      if (owner.failure !== undefined) subscriber.fail(owner.failure);
      else subscriber.end();
    }
    return subscriber;
  }

  private async pump(key: string, stream: SharedStream, transform: (result: Result) => Result, transformError: (error: unknown) => unknown): Promise<void> {
    try {
      for (;;) {
        const next = await stream.source!.next();
        if (next.done) break;
        const result = transform(next.value);
        stream.latest = result;
        for (const subscriber of stream.subscribers) subscriber.push(result);
      }
      for (const subscriber of stream.subscribers) subscriber.end();
    } catch (caught) {
      const error = transformError(caught);
      stream.failure = error;
      for (const subscriber of stream.subscribers) subscriber.fail(error);
    } finally {
      stream.finished = true;
      if (this.streams.get(key) === stream) this.streams.delete(key);
    }
  }

  private leave(key: string, stream: SharedStream, subscriber: Subscriber): void {
    stream.subscribers.delete(subscriber);
    if (stream.subscribers.size === 0 && !stream.finished) {
      // Nobody listens any more: stop the shared work.
      stream.finished = true;
      if (this.streams.get(key) === stream) this.streams.delete(key);
      void stream.source?.return?.();
    }
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Result> & AsyncIterator<Result> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}
