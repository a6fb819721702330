/**
 * The gateway's state in Redis, shared by replicas. Keys are `<prefix><namespace>:<key>` holding JSON text,
 * leases are `<prefix>lease:<name>` holding the owner, tracked work is the set `<prefix>tracked:<kind>`.
 *
 * Connection policy (shared with the event bus in redis-events.ts): the client reconnects forever with a capped
 * backoff; a command issued while disconnected waits in the offline queue for a few reconnection attempts (a Redis
 * restart or a fail-over blip is absorbed), then fails, so a lasting outage surfaces as an error to the caller
 * instead of a request that hangs. An `error` event never reaches the process: it is recorded as `lastError`.
 */
import { Redis, type RedisOptions } from 'ioredis';
import { checkTtl, encodeValue, isAfter, storeKey, type GatewayStore, type IndexEntry, type IndexPosition } from './store.js';

export const DEFAULT_KEY_PREFIX = 'emotion-gateway:';

/** Reconnection delay after the `times`-th failed attempt: 100 ms more each time, never more than 2 s. */
export function reconnectDelay(times: number): number {
  return Math.min(times * 100, 2000);
}

/** ioredis options every gateway connection uses; `overrides` tune one connection's queueing policy. */
export function redisConnectionOptions(overrides: RedisOptions = {}): RedisOptions {
  return {
    lazyConnect: false,
    enableOfflineQueue: true,
    enableReadyCheck: true,
    // With the backoff above, three retries are roughly 0.6 s of reconnecting plus the failed attempts themselves.
    maxRetriesPerRequest: 3,
    retryStrategy: reconnectDelay,
    connectTimeout: 5_000,
    ...overrides,
  };
}

/** Calls `listener` outside the emitter, so neither a throw nor a rejected promise can escape into ioredis. */
export function notify(listener: () => void, onError: (error: unknown) => void): void {
  Promise.resolve()
    .then(listener)
    .catch(onError);
}

/**
 * Quits politely when connected (pending replies arrive first), otherwise drops the connection; resolves once
 * the client has ended, with every queued command settled (rejected with "Connection is closed.").
 */
export async function closeClient(client: Redis, timeoutMs = 1_000): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'ready') {
    try {
      await withTimeout(client.quit(), timeoutMs, 'QUIT');
      return;
    } catch {
      // Fall through to a hard disconnect.
    }
  }
  // QUIT would wait in the offline queue for a server that may never come back, so disconnect. Between two
  // reconnection attempts there is no socket whose close would settle the offline queue, and disconnect() alone
  // would leave those commands pending forever (redis/ioredis#2169); starting an attempt first gives disconnect()
  // one to abort, and the aborted attempt rejects the queue and ends the client.
  if (client.status === 'reconnecting') client.connect().catch(() => {});
  const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
  client.disconnect();
  await withTimeout(ended, timeoutMs, 'disconnect').catch(() => {});
}

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

// Atomic lease operations. KEYS[1] = lease key, ARGV[1] = owner, ARGV[2] = ttl in ms.
const ACQUIRE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 1
end
return 0`;

const RENEW_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/** The scripts registered with `defineCommand` (sent by EVALSHA; ioredis reloads them after a Redis restart). */
interface LeaseCommands {
  gatewayAcquireLease(key: string, owner: string, ttlMs: number): Promise<number>;
  gatewayRenewLease(key: string, owner: string, ttlMs: number): Promise<number>;
  gatewayReleaseLease(key: string, owner: string): Promise<number>;
}

export interface RedisStoreOptions {
  /** Prepended to every key; default `emotion-gateway:`. */
  keyPrefix?: string;
  /** How long `ping()` waits for PONG; default 1000 ms. */
  pingTimeoutMs?: number;
}

export class RedisStore implements GatewayStore {
  readonly client: Redis;
  /** The last error the connection reported (refused connection, reset, ...), for logs and health. */
  lastError: Error | undefined;
  private readonly prefix: string;
  private readonly pingTimeoutMs: number;
  private readonly scripts: LeaseCommands;
  private readonly reconnectListeners: Array<() => void> = [];
  private everReady = false;
  private closed = false;

  constructor(url: string, options: RedisStoreOptions = {}) {
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 1_000;
    this.client = new Redis(url, redisConnectionOptions());
    this.client.on('error', (error: Error) => {
      this.lastError = error;
    });
    this.client.on('ready', () => {
      if (!this.everReady) {
        this.everReady = true;
        return;
      }
      for (const listener of this.reconnectListeners) notify(listener, (error) => this.recordListenerError(error));
    });
    this.client.defineCommand('gatewayAcquireLease', { numberOfKeys: 1, lua: ACQUIRE_LEASE });
    this.client.defineCommand('gatewayRenewLease', { numberOfKeys: 1, lua: RENEW_LEASE });
    this.client.defineCommand('gatewayReleaseLease', { numberOfKeys: 1, lua: RELEASE_LEASE });
    this.scripts = this.client as unknown as LeaseCommands;
  }

  async get<T>(namespace: string, key: string): Promise<T | undefined> {
    const text = await this.client.get(this.key(namespace, key));
    return text === null ? undefined : (JSON.parse(text) as T);
  }

  async put<T>(namespace: string, key: string, value: T, ttlMs?: number): Promise<void> {
    const id = this.key(namespace, key);
    const text = encodeValue(value);
    if (ttlMs === undefined) await this.client.set(id, text);
    else await this.client.set(id, text, 'PX', checkTtl(ttlMs));
  }

  async putIfAbsent<T>(namespace: string, key: string, value: T, ttlMs?: number): Promise<boolean> {
    const id = this.key(namespace, key);
    const text = encodeValue(value);
    const reply = ttlMs === undefined ? await this.client.set(id, text, 'NX') : await this.client.set(id, text, 'PX', checkTtl(ttlMs), 'NX');
    return reply === 'OK';
  }

  async delete(namespace: string, key: string): Promise<void> {
    await this.client.del(this.key(namespace, key));
  }

  async acquireLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.scripts.gatewayAcquireLease(this.leaseKey(name), owner, checkTtl(ttlMs))) === 1;
  }

  async renewLease(name: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.scripts.gatewayRenewLease(this.leaseKey(name), owner, checkTtl(ttlMs))) === 1;
  }

  async releaseLease(name: string, owner: string): Promise<void> {
    await this.scripts.gatewayReleaseLease(this.leaseKey(name), owner);
  }

  async addTracked(kind: string, id: string): Promise<void> {
    await this.client.sadd(this.trackedKey(kind), id);
  }

  async removeTracked(kind: string, id: string): Promise<void> {
    await this.client.srem(this.trackedKey(kind), id);
  }

  async listTracked(kind: string): Promise<string[]> {
    return this.client.smembers(this.trackedKey(kind));
  }

  async indexAdd(index: string, member: string, score: number): Promise<void> {
    await this.client.zadd(this.indexKey(index), score, member);
  }

  /**
   * A sorted set read newest first. Members of equal score come in descending member order (ZREVRANGEBYSCORE), so
   * the page after a cursor starts at its score, skipping the members of that score that are not after it.
   */
  async indexPage(index: string, limit: number, after?: IndexPosition): Promise<IndexEntry[]> {
    const key = this.indexKey(index);
    const top = after ? String(after.score) : '+inf';
    const ties = after ? await this.client.zcount(key, after.score, after.score) : 0;
    const reply = await this.client.zrevrangebyscore(key, top, '-inf', 'WITHSCORES', 'LIMIT', 0, limit + ties);
    const entries: IndexEntry[] = [];
    for (let i = 0; i < reply.length; i += 2) entries.push({ member: reply[i]!, score: Number(reply[i + 1]) });
    return (after ? entries.filter((e) => isAfter(e, after)) : entries).slice(0, limit);
  }

  async indexTrim(index: string, minScore: number): Promise<void> {
    await this.client.zremrangebyscore(this.indexKey(index), '-inf', `(${minScore}`);
  }

  /**
   * `listener` runs each time the connection is ready again after a drop (never for the first connection). Keys
   * survive a reconnection only if the Redis server kept them (persistence is the operator's choice).
   */
  onReconnect(listener: () => void): void {
    this.reconnectListeners.push(listener);
  }

  /** Resolves on PONG; rejects when Redis does not answer within `pingTimeoutMs` (down, or still reconnecting). */
  async ping(): Promise<void> {
    await withTimeout(this.client.ping(), this.pingTimeoutMs, 'PING');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeClient(this.client);
  }

  private key(namespace: string, key: string): string {
    return `${this.prefix}${storeKey(namespace, key)}`;
  }

  private leaseKey(name: string): string {
    return `${this.prefix}lease:${name}`;
  }

  private indexKey(index: string): string {
    return `${this.prefix}index:${index}`;
  }

  private trackedKey(kind: string): string {
    return `${this.prefix}tracked:${kind}`;
  }

  private recordListenerError(error: unknown): void {
    this.lastError = error instanceof Error ? error : new Error(String(error));
  }
}
