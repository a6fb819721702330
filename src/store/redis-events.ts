/**
 * The gateway's event bus across replicas: graphql-yoga's pub/sub over Redis PUBLISH/SUBSCRIBE, through
 * @graphql-yoga/redis-event-target on two connections (a connection in subscriber mode can issue nothing else).
 *
 * Channels. yoga turns `publish('jobUpdated', id, event)` into the topic `jobUpdated:<id>`, and redis-event-target
 * uses the topic verbatim as the Redis channel. ioredis's own `keyPrefix` would not help: PUBLISH and SUBSCRIBE
 * take channels, not keys, and the prefix is not applied to them. So this module prefixes topics itself: the
 * channel is `<keyPrefix>events:<topic>`, e.g. `emotion-gateway:events:jobUpdated:42`, and gateways sharing a
 * Redis under different prefixes do not hear each other.
 *
 * Delivery is at most once. The subscriber connection re-subscribes by itself after a reconnection (ioredis's
 * `autoResubscribe`), but whatever was published while it was away is gone; `onReconnect` fires once Redis has
 * confirmed the re-subscriptions, and listeners re-read state then. Publishing waits through a short outage
 * (about 20 s of reconnecting) in the publisher's offline queue, then fails; a failed publish is recorded as
 * `lastError`, never thrown at the publisher (a status event is a wake-up call, and subscribers re-read anyway).
 */
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import type { PubSubEventTarget } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { createEventBus, type GatewayEventMap, type GatewayEvents } from '../events.js';
import { DEFAULT_KEY_PREFIX, closeClient, notify, redisConnectionOptions } from './redis.js';

export interface RedisEventBusOptions {
  /** Prefix of every channel (followed by `events:`); default `emotion-gateway:`, as the store's keys. */
  keyPrefix?: string;
}

export interface RedisEventBus {
  events: GatewayEvents;
  /** Runs `listener` after the subscriber connection came back and re-subscribed (not on the first connection). */
  onReconnect(listener: () => void): void;
  close(): Promise<void>;
  /** The Redis channel that carries a yoga topic such as `jobUpdated:42`. */
  channel(topic: string): string;
  readonly publisher: Redis;
  readonly subscriber: Redis;
  /** The last connection, publish or subscribe error, or a message that was not JSON; never thrown. */
  readonly lastError: Error | undefined;
}

type BusEventTarget = PubSubEventTarget<GatewayEventMap>;
type BusListener = NonNullable<Parameters<BusEventTarget['addEventListener']>[1]>;
type BusEvent = Parameters<BusEventTarget['dispatchEvent']>[0];

/** What the serializer hands on for a message that is not JSON; such messages are dropped, not delivered. */
const MALFORMED = Symbol('malformed message');

/** Publisher commands wait through this many reconnection attempts (about 20 s with the capped backoff). */
const PUBLISH_RETRIES = 20;

export function createRedisEventBus(url: string, options: RedisEventBusOptions = {}): RedisEventBus {
  const channelPrefix = `${options.keyPrefix ?? DEFAULT_KEY_PREFIX}events:`;
  let lastError: Error | undefined;
  const record = (error: unknown): void => {
    lastError = error instanceof Error ? error : new Error(String(error));
  };

  const publisher = new Redis(url, redisConnectionOptions({ maxRetriesPerRequest: PUBLISH_RETRIES }));
  // SUBSCRIBE and UNSUBSCRIBE wait for the connection however long it takes (one per topic, so the queue is
  // bounded); the subscription then simply starts late. autoResubscribe is ioredis's default, stated here because
  // the bus depends on it.
  const subscriber = new Redis(url, redisConnectionOptions({ maxRetriesPerRequest: null, autoResubscribe: true }));
  publisher.on('error', record);
  subscriber.on('error', record);

  const inner = createRedisEventTarget<BusEvent>({
    // redis-event-target calls publish/subscribe/unsubscribe without handling their promises; a failure during an
    // outage (or at close) would be an unhandled rejection, which stops a Node process.
    publishClient: recordingRejections(publisher, record),
    subscribeClient: recordingRejections(subscriber, record),
    serializer: {
      stringify: (value) => JSON.stringify(value),
      parse: (text) => {
        try {
          return JSON.parse(text) as unknown;
        } catch (error) {
          record(error);
          return MALFORMED;
        }
      },
    },
  });

  const reconnectListeners: Array<() => void> = [];
  let everReady = false;
  let closed = false;
  subscriber.on('ready', () => {
    if (!everReady) {
      everReady = true;
      return;
    }
    // ioredis wrote the SUBSCRIBE commands for the previous channels just before emitting `ready`; a PING queued
    // behind them is answered only after Redis has processed them, so listeners re-read with the channels live.
    subscriber.ping().then(() => {
      if (!closed) for (const listener of reconnectListeners) notify(listener, record);
    }, record);
  });

  return {
    events: createEventBus(prefixedTarget(inner, channelPrefix)),
    onReconnect(listener) {
      reconnectListeners.push(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([closeClient(publisher), closeClient(subscriber)]);
    },
    channel: (topic) => channelPrefix + topic,
    publisher,
    subscriber,
    get lastError() {
      return lastError;
    },
  };
}

/** The same client, except that promises of the pub/sub commands are observed (and their failures recorded). */
function recordingRejections(client: Redis, record: (error: unknown) => void): Redis {
  const observed = new Set<PropertyKey>(['publish', 'subscribe', 'unsubscribe']);
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!observed.has(property)) return value.bind(target);
      return (...args: unknown[]): unknown => {
        const result: unknown = value.apply(target, args);
        // The caller still gets the same promise (and its rejection, if it waits for it).
        if (result instanceof Promise) result.catch(record);
        return result;
      };
    },
  });
}

/**
 * Puts `prefix` in front of every topic on its way to Redis and drops messages that were not JSON. yoga's
 * listeners read only `event.detail`, so the prefixed event type they receive does not matter to them.
 */
function prefixedTarget(inner: BusEventTarget, prefix: string): BusEventTarget {
  const wrappers = new Map<string, Map<BusListener, (event: BusEvent) => void>>();
  const target: BusEventTarget = {
    addEventListener(type: string, listener: BusListener | null) {
      if (!listener) return;
      let byListener = wrappers.get(type);
      if (!byListener) wrappers.set(type, (byListener = new Map()));
      if (byListener.has(listener)) return;
      const wrapper = (event: BusEvent): void => {
        if ((event.detail as unknown) === MALFORMED) return;
        if (typeof listener === 'function') listener(event);
        else listener.handleEvent(event);
      };
      byListener.set(listener, wrapper);
      inner.addEventListener(prefix + type, wrapper);
    },
    removeEventListener(type: string, listener: BusListener | null) {
      if (!listener) return;
      const byListener = wrappers.get(type);
      const wrapper = byListener?.get(listener);
      if (!byListener || !wrapper) return;
      byListener.delete(listener);
      if (byListener.size === 0) wrappers.delete(type);
      inner.removeEventListener(prefix + type, wrapper);
    },
    dispatchEvent(event: BusEvent) {
      return inner.dispatchEvent(new CustomEvent(prefix + event.type, { detail: event.detail }));
    },
  };
  return target;
}
