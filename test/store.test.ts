/**
 * The GatewayStore contract, run against the memory store and against Redis (a redis-server of this file's own on
 * a free port), then what only Redis has: reconnection, health under an outage, and the event bus across
 * processes' connections.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StatusEvent } from '../src/events.js';
import { MemoryStore } from '../src/store/memory.js';
import { createRedisEventBus, type RedisEventBus } from '../src/store/redis-events.js';
import { RedisStore } from '../src/store/redis.js';
import type { GatewayStore } from '../src/store/store.js';
import { REDIS_MISSING_MESSAGE, startRedisServer } from './support/redis-server.js';

const redis = await startRedisServer();
if (!redis) console.warn(`[store.test] ${REDIS_MISSING_MESSAGE}`);
afterAll(async () => {
  await redis?.stop();
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds (eventual states: a reconnection, a subscription reaching Redis). */
async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); await sleep(20)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

function contract(name: string, makeStore: () => GatewayStore): void {
  describe(`${name}: GatewayStore contract`, () => {
    let store: GatewayStore;
    beforeEach(() => {
      store = makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    it('reads what it wrote, undefined for what it did not', async () => {
      expect(await store.get('things', 'a')).toBeUndefined();
      await store.put('things', 'a', { n: 1, tags: ['x'], nested: { ok: true }, none: null });
      expect(await store.get('things', 'a')).toEqual({ n: 1, tags: ['x'], nested: { ok: true }, none: null });
      await store.put('things', 'a', 'replaced');
      expect(await store.get('things', 'a')).toBe('replaced');
      await store.put('numbers', 'zero', 0);
      await store.put('flags', 'off', false);
      expect(await store.get('numbers', 'zero')).toBe(0);
      expect(await store.get('flags', 'off')).toBe(false);
      // Namespaces separate keys.
      expect(await store.get('other', 'a')).toBeUndefined();
    });

    it('forgets a value after its ttl, keeps one without', async () => {
      await store.put('ttl', 'short', 'soon gone', 50);
      await store.put('ttl', 'forever', 'stays');
      expect(await store.get('ttl', 'short')).toBe('soon gone');
      await sleep(120);
      expect(await store.get('ttl', 'short')).toBeUndefined();
      expect(await store.get('ttl', 'forever')).toBe('stays');
      // An expired claim can be claimed again.
      expect(await store.putIfAbsent('ttl', 'short', 'again', 50)).toBe(true);
    });

    it('putIfAbsent: exactly one of ten concurrent claims wins, and its value is the one stored', async () => {
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.putIfAbsent('claims', 'k', { claimant: i }, 10_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(await store.get('claims', 'k')).toEqual({ claimant: winner });
      expect(await store.putIfAbsent('claims', 'k', { claimant: 99 })).toBe(false);
      expect(await store.putIfAbsent('claims', 'other', { claimant: 99 })).toBe(true);
    });

    it('delete removes a value; deleting an absent key is fine', async () => {
      await store.put('del', 'a', 1);
      await store.delete('del', 'a');
      expect(await store.get('del', 'a')).toBeUndefined();
      await store.delete('del', 'never-there');
      expect(await store.putIfAbsent('del', 'a', 2)).toBe(true);
    });

    it('hands out copies: neither the writer nor a reader can change what is stored', async () => {
      const value = { list: [1, 2], inner: { s: 'a' } };
      await store.put('copies', 'v', value);
      value.list.push(3);
      value.inner.s = 'changed';
      const first = await store.get<typeof value>('copies', 'v');
      first!.list.push(4);
      first!.inner.s = 'changed too';
      expect(await store.get('copies', 'v')).toEqual({ list: [1, 2], inner: { s: 'a' } });
    });

    it('refuses values without JSON, bad ttls and reserved namespaces', async () => {
      await expect(store.put('bad', 'u', undefined)).rejects.toThrow(TypeError);
      await expect(store.put('bad', 'ttl', 1, 0)).rejects.toThrow(RangeError);
      await expect(store.putIfAbsent('bad', 'ttl', 1, -5)).rejects.toThrow(RangeError);
      await expect(store.acquireLease('bad', 'me', Number.NaN)).rejects.toThrow(RangeError);
      await expect(store.put('lease', 'x', 1)).rejects.toThrow(/reserved/);
      await expect(store.get('tracked', 'x')).rejects.toThrow(/reserved/);
    });

    it('leases: acquire, re-acquire by the owner, refusal for others, renew and release by the owner only', async () => {
      expect(await store.acquireLease('task:1', 'a', 10_000)).toBe(true);
      expect(await store.acquireLease('task:1', 'a', 10_000)).toBe(true);
      expect(await store.acquireLease('task:1', 'b', 10_000)).toBe(false);
      expect(await store.acquireLease('task:2', 'b', 10_000)).toBe(true);

      expect(await store.renewLease('task:1', 'b', 10_000)).toBe(false);
      expect(await store.renewLease('task:1', 'a', 10_000)).toBe(true);
      expect(await store.renewLease('task:never', 'a', 10_000)).toBe(false);

      await store.releaseLease('task:1', 'b');
      expect(await store.acquireLease('task:1', 'b', 10_000)).toBe(false);
      await store.releaseLease('task:1', 'a');
      expect(await store.acquireLease('task:1', 'b', 10_000)).toBe(true);
      expect(await store.renewLease('task:1', 'a', 10_000)).toBe(false);
      await store.releaseLease('task:never', 'a');
    });

    it('leases: re-acquiring extends the lease', async () => {
      expect(await store.acquireLease('extend', 'a', 400)).toBe(true);
      await sleep(250);
      expect(await store.acquireLease('extend', 'a', 400)).toBe(true);
      await sleep(250);
      // 500 ms after the first acquisition: the first ttl is over, the extended one is not.
      expect(await store.acquireLease('extend', 'b', 400)).toBe(false);
    });

    it('leases: renewing extends the lease', async () => {
      expect(await store.acquireLease('renew', 'a', 400)).toBe(true);
      await sleep(250);
      expect(await store.renewLease('renew', 'a', 400)).toBe(true);
      await sleep(250);
      expect(await store.acquireLease('renew', 'b', 400)).toBe(false);
    });

    it('leases: a lease not renewed lapses, and then another owner gets it and the old one cannot renew', async () => {
      expect(await store.acquireLease('lapse', 'a', 50)).toBe(true);
      expect(await store.acquireLease('lapse', 'b', 50)).toBe(false);
      await sleep(120);
      expect(await store.renewLease('lapse', 'a', 10_000)).toBe(false);
      expect(await store.acquireLease('lapse', 'b', 10_000)).toBe(true);
      expect(await store.acquireLease('lapse', 'a', 10_000)).toBe(false);
    });

    it('tracked sets: add (idempotent), list per kind, remove', async () => {
      expect(await store.listTracked('tasks')).toEqual([]);
      await store.addTracked('tasks', 't1');
      await store.addTracked('tasks', 't2');
      await store.addTracked('tasks', 't1');
      await store.addTracked('jobs', 'j1');
      expect((await store.listTracked('tasks')).sort()).toEqual(['t1', 't2']);
      expect(await store.listTracked('jobs')).toEqual(['j1']);
      await store.removeTracked('tasks', 't1');
      await store.removeTracked('tasks', 'unknown');
      await store.removeTracked('nothing', 'x');
      expect(await store.listTracked('tasks')).toEqual(['t2']);
      await store.removeTracked('tasks', 't2');
      expect(await store.listTracked('tasks')).toEqual([]);
    });

    it('indexes: newest first, ties by member, keyset pages with no entry lost or repeated, re-add moves, trim by score', async () => {
      expect(await store.indexPage('runs:a', 10)).toEqual([]);
      // Scores 300, 200 (three ties), 100; members chosen so that lexical and insertion orders differ.
      for (const [member, score] of [['m', 200], ['z', 100], ['b', 200], ['q', 300], ['x', 200]] as const) await store.indexAdd('runs:a', member, score);
      await store.indexAdd('runs:b', 'other', 500);
      const all = await store.indexPage('runs:a', 10);
      expect(all).toEqual([
        { member: 'q', score: 300 },
        { member: 'x', score: 200 },
        { member: 'm', score: 200 },
        { member: 'b', score: 200 },
        { member: 'z', score: 100 },
      ]);
      // Pages of two, each after the last entry of the previous one, inside the run of ties too.
      const walked: string[] = [];
      let after: { member: string; score: number } | undefined;
      for (;;) {
        const page = await store.indexPage('runs:a', 2, after);
        if (page.length === 0) break;
        walked.push(...page.map((e) => e.member));
        after = page.at(-1);
      }
      expect(walked).toEqual(['q', 'x', 'm', 'b', 'z']);
      // Adding an existing member again moves it instead of listing it twice.
      await store.indexAdd('runs:a', 'z', 400);
      expect((await store.indexPage('runs:a', 2)).map((e) => e.member)).toEqual(['z', 'q']);
      await store.indexTrim('runs:a', 250);
      expect(await store.indexPage('runs:a', 10)).toEqual([
        { member: 'z', score: 400 },
        { member: 'q', score: 300 },
      ]);
      expect(await store.indexPage('runs:b', 10)).toEqual([{ member: 'other', score: 500 }]);
    });

    it('answers ping and accepts reconnect listeners', async () => {
      store.onReconnect(() => {});
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

contract('MemoryStore', () => new MemoryStore());

describe('MemoryStore', () => {
  it('expires values and leases on its injected clock', async () => {
    let now = 1_000;
    const store = new MemoryStore(() => now);
    await store.put('ns', 'k', 'v', 100);
    expect(await store.acquireLease('l', 'a', 100)).toBe(true);
    now += 99;
    expect(await store.get('ns', 'k')).toBe('v');
    expect(await store.acquireLease('l', 'b', 100)).toBe(false);
    now += 1;
    expect(await store.get('ns', 'k')).toBeUndefined();
    expect(await store.acquireLease('l', 'b', 100)).toBe(true);
    await store.close();
  });
});

describe.skipIf(!redis)('Redis', () => {
  // Inside this block the server exists: the block is skipped otherwise.
  const server = redis!;
  const prefix = (): string => `test:${randomUUID()}:`;

  afterEach(async () => {
    // A test that took the server down must not leave it down for the next one.
    if (!server.running) await server.restart();
  });

  contract('RedisStore', () => new RedisStore(server.url, { keyPrefix: prefix() }));

  describe('RedisStore', () => {
    const stores: RedisStore[] = [];
    const open = (keyPrefix = prefix()): RedisStore => {
      const store = new RedisStore(server.url, { keyPrefix });
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((store) => store.close()));
    });

    it('lays out keys under the prefix: values as JSON, leases, tracked sets', async () => {
      const store = open('layout:');
      await store.put('ns', 'k', { a: 1 }, 60_000);
      await store.acquireLease('task:9', 'owner-1', 60_000);
      await store.addTracked('tasks', '9');
      expect(await store.client.get('layout:ns:k')).toBe('{"a":1}');
      expect(await store.client.pttl('layout:ns:k')).toBeGreaterThan(50_000);
      expect(await store.client.get('layout:lease:task:9')).toBe('owner-1');
      expect(await store.client.smembers('layout:tracked:tasks')).toEqual(['9']);
    });

    it('two stores on one Redis share state; different prefixes do not', async () => {
      const keyPrefix = prefix();
      const a = open(keyPrefix);
      const b = open(keyPrefix);
      const elsewhere = open();
      await a.put('ns', 'k', 'shared');
      expect(await b.get('ns', 'k')).toBe('shared');
      expect(await elsewhere.get('ns', 'k')).toBeUndefined();
      expect(await a.acquireLease('l', 'replica-a', 10_000)).toBe(true);
      expect(await b.acquireLease('l', 'replica-b', 10_000)).toBe(false);
      expect(await elsewhere.acquireLease('l', 'replica-b', 10_000)).toBe(true);
    });

    it('fires onReconnect after the server restarts (not on the first connection), and works again', async () => {
      const store = open();
      let reconnects = 0;
      store.onReconnect(() => {
        reconnects += 1;
      });
      await store.ping();
      await store.put('ns', 'before', 1);
      expect(reconnects).toBe(0);

      await server.restart();
      await eventually(() => reconnects === 1, 'onReconnect');
      await store.ping();
      // The server keeps nothing across a restart here (no persistence); the store works on.
      expect(await store.get('ns', 'before')).toBeUndefined();
      await store.put('ns', 'after', 2);
      expect(await store.get('ns', 'after')).toBe(2);
      expect(await store.acquireLease('l', 'a', 10_000)).toBe(true); // lease scripts are loaded again
      expect(reconnects).toBe(1);
    });

    it('ping rejects while the server is down; commands fail instead of hanging; both recover', async () => {
      const store = open();
      await store.ping();
      await server.stop();
      // Either the 1 s PING timeout or the retry limit of the offline queue, whichever comes first.
      await expect(store.ping()).rejects.toThrow();
      await expect(store.get('ns', 'k')).rejects.toThrow();
      await server.restart();
      await eventually(() => store.ping().then(() => true, () => false), 'ping after restart');
      await store.put('ns', 'k', 'back');
      expect(await store.get('ns', 'k')).toBe('back');
    });

    it('closes while the server is down without hanging, and settles the commands still queued', async () => {
      const store = open();
      await store.ping();
      server.kill();
      await eventually(() => store.client.status === 'reconnecting', 'the client to wait for its next attempt');
      const queued = store.get('ns', 'k');
      await store.close();
      expect(store.client.status).toBe('end');
      await expect(queued).rejects.toThrow(/Connection is closed/);
    });
  });

  describe('Redis event bus', () => {
    const buses: RedisEventBus[] = [];
    const iterators: AsyncIterator<StatusEvent>[] = [];
    const open = (keyPrefix: string): RedisEventBus => {
      const bus = createRedisEventBus(server.url, { keyPrefix });
      buses.push(bus);
      return bus;
    };
    afterEach(async () => {
      await Promise.all(iterators.splice(0).map((iterator) => iterator.return?.()));
      await Promise.all(buses.splice(0).map((bus) => bus.close()));
    });

    /** Subscribes on `bus` and waits until Redis has the subscription, so a publish now reaches it. */
    async function subscribe(bus: RedisEventBus, jobId: string): Promise<{ next(): Promise<StatusEvent> }> {
      const iterator = bus.events.subscribe('jobUpdated', jobId)[Symbol.asyncIterator]();
      iterators.push(iterator);
      let pending = iterator.next(); // starts the subscription
      const channel = bus.channel(`jobUpdated:${jobId}`);
      await eventually(async () => {
        const reply = (await bus.publisher.pubsub('NUMSUB', channel)) as [string, number];
        return Number(reply[1]) > 0;
      }, `a subscriber on ${channel}`);
      return {
        async next() {
          const result = await pending;
          pending = iterator.next();
          if (result.done) throw new Error('subscription ended');
          return result.value;
        },
      };
    }

    it('delivers an event published on one bus to a subscriber on another, on a prefixed channel', async () => {
      const keyPrefix = prefix();
      const a = open(keyPrefix);
      const b = open(keyPrefix);
      expect(b.channel('jobUpdated:j1')).toBe(`${keyPrefix}events:jobUpdated:j1`);
      const updates = await subscribe(b, 'j1');
      a.events.publish('jobUpdated', 'j1', { id: 'j1', status: 'IN_PROGRESS' });
      a.events.publish('jobUpdated', 'j2', { id: 'j2', status: 'IN_PROGRESS' });
      a.events.publish('jobUpdated', 'j1', { id: 'j1', status: 'COMPLETED' });
      expect(await updates.next()).toEqual({ id: 'j1', status: 'IN_PROGRESS' });
      expect(await updates.next()).toEqual({ id: 'j1', status: 'COMPLETED' });
    });

    it('keeps gateways under different prefixes apart and drops messages that are not JSON', async () => {
      const keyPrefix = prefix();
      const a = open(keyPrefix);
      const b = open(keyPrefix);
      const other = open(prefix());
      const mine = await subscribe(b, 'j1');
      const theirs = await subscribe(other, 'j1');

      await a.publisher.publish(a.channel('jobUpdated:j1'), 'not json');
      a.events.publish('jobUpdated', 'j1', { id: 'j1', status: 'QUEUED' });
      expect(await mine.next()).toEqual({ id: 'j1', status: 'QUEUED' });
      expect(b.lastError).toBeInstanceOf(SyntaxError);

      other.events.publish('jobUpdated', 'j1', { id: 'j1', status: 'FAILED' });
      expect(await theirs.next()).toEqual({ id: 'j1', status: 'FAILED' });
    });

    it('re-subscribes after a Redis restart, fires onReconnect, and delivers again', async () => {
      const keyPrefix = prefix();
      const a = open(keyPrefix);
      const b = open(keyPrefix);
      let reconnects = 0;
      b.onReconnect(() => {
        reconnects += 1;
      });
      const updates = await subscribe(b, 'j1');
      a.events.publish('jobUpdated', 'j1', { id: 'j1', status: 'QUEUED' });
      expect(await updates.next()).toEqual({ id: 'j1', status: 'QUEUED' });
      expect(reconnects).toBe(0);

      await server.restart();
      // onReconnect fires only once Redis has confirmed the re-subscription: a publish now must arrive.
      await eventually(() => reconnects === 1, 'onReconnect');
      const reply = (await a.publisher.pubsub('NUMSUB', a.channel('jobUpdated:j1'))) as [string, number];
      expect(Number(reply[1])).toBe(1);
      a.events.publish('jobUpdated', 'j1', { id: 'j1', status: 'COMPLETED' });
      expect(await updates.next()).toEqual({ id: 'j1', status: 'COMPLETED' });
    });

    it('subscribes late rather than failing when the server is down, and closes without unhandled rejections', async () => {
      const keyPrefix = prefix();
      const a = open(keyPrefix);
      const b = open(keyPrefix);
      await Promise.all([a.publisher.ping(), b.subscriber.ping()]);
      server.kill();
      await eventually(() => b.subscriber.status !== 'ready', 'the subscriber to drop');

      // Subscribed during the outage: SUBSCRIBE waits in the offline queue and reaches Redis once it is back.
      const late = b.events.subscribe('jobUpdated', 'late')[Symbol.asyncIterator]();
      iterators.push(late);
      const first = late.next();
      // A bus closed during the outage: its queued SUBSCRIBE fails, which must not become an unhandled rejection.
      const doomed = open(keyPrefix);
      const doomedIterator = doomed.events.subscribe('jobUpdated', 'late')[Symbol.asyncIterator]();
      void doomedIterator.next();
      await doomed.close();
      await doomedIterator.return?.();
      expect(doomed.lastError?.message).toMatch(/Connection is closed/);

      await server.restart();
      await eventually(async () => {
        const reply = (await a.publisher.pubsub('NUMSUB', a.channel('jobUpdated:late'))) as [string, number];
        return Number(reply[1]) > 0;
      }, 'the late subscription');
      a.events.publish('jobUpdated', 'late', { id: 'late', status: 'COMPLETED' });
      expect((await first).value).toEqual({ id: 'late', status: 'COMPLETED' });
    });
  });
});
