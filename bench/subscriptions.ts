/**
 * Subscriptions: `jobUpdated` over GraphQL WebSocket (`graphql-transport-ws`), in two parts.
 *
 *   1. Fan-out on one gateway process: N WebSocket subscribers (default 10,000, one socket each, raw `ws` clients in
 *      this process) watch one running job; the gateway's RSS is sampled idle and with the subscribers connected
 *      (at a few counts, to see whether memory grows linearly); then the Hume simulator finishes the job (T0) and
 *      every subscriber's COMPLETED `next` is timed. Three rounds (fresh sockets, fresh job); the median one counts.
 *      The same clients then run against a plain `ws` server that sends the message in one synchronous loop: the
 *      reference for what this machine's Node and loopback TCP need for N messages.
 *   2. Across replicas through Redis: gateways A and B share a redis-server; a job started through A (so Hume calls
 *      A back) is watched on B, finished (T0), and the time until B's subscriber sees COMPLETED is measured, both from
 *      T0 and from the Redis publish (seen by a subscriber in this process).
 *
 * Targets (from the issue, 2-core machine): all subscribers receive COMPLETED within 300 ms, at most 15 KB of RSS per
 * subscriber, and p99 ≤ 50 ms from the publish on A to the subscriber on B.
 */
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import {
  check,
  CpuMeter,
  fmtMiB,
  freePort,
  gitRevision,
  log,
  inheritedEnvironment,
  machine,
  markdownTable,
  sectionHeading,
  readProcCpuMs,
  sampleRss,
  sleep,
  startBuiltGateway,
  startHumeSimulator,
  startRedisServer,
  target,
  targetsMarkdown,
  targetsText,
  textTable,
  type BenchContext,
  type Benchmark,
  type BenchReport,
  type ChildHandle,
} from './lib.js';

const API_KEY = 'bench-hume-key';
const WEBHOOK_SECRET = 'bench-webhook-secret-0123456789abcdef';
const EVENT_CHANNEL_PREFIX = 'emotion-gateway:events:jobUpdated:';

const SUBSCRIPTION = 'subscription($id: ID!){ jobUpdated(id: $id) { id status } }';
const START_JOB = 'mutation { startJob(input:{text:["bench"]}) { __typename ... on StartJobSuccess { job { id } } } }';

const TARGETS = { fanOutMaxMs: 300, perSubscriberKB: 15, crossReplicaP99Ms: 50, vsReference: 1.1 };

/** Sockets being opened at once during the fan-out's connection phase. */
const CONNECT_CONCURRENCY = 200;
/** Fan-outs per server, each with fresh sockets and a fresh job; the median one is reported (a single one is noisy). */
const FAN_OUT_ROUNDS = 3;
/** Subscribers used to warm the WebSocket path up before the idle RSS is taken. */
const WARMUP_SUBSCRIBERS = 20;
/** How long every subscriber may take to receive COMPLETED and `complete` before the fan-out counts as failed. */
const FAN_OUT_TIMEOUT_MS = 30_000;
/** Above this share of the machine's CPU used by other processes, the run is flagged as unreliable. */
const BUSY_SHARE = 0.1;
/** Parallel event loops in the cross-replica part. */
const REPLICA_WORKERS = 8;
/**
 * Wait after B's first `next` before finishing the job: a live subscription re-reads its state once, 1 s after its
 * first state (to cover the moment before Redis confirms the SUBSCRIBE); finishing later makes sure B can only
 * learn of the completion through the Redis event.
 */
const REPLICA_SETTLE_MS = 1_200;
/** For scale, quoted from the issue. */
const ISSUE_BASELINE =
  'plain graphql-ws with yoga\'s pub/sub measured here costs about 29 KB per subscriber and takes about 225 ms for 4,000';

const KB = 1000;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const fmtMs = (ms: number) => fmt(ms, 1);

/** Nearest-rank percentile of an ascending array. */
function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function median(values: number[]): number {
  return percentile([...values].sort((a, b) => a - b), 0.5);
}

// ---- gateway and simulator over HTTP --------------------------------------------------------------------------------

async function graphqlPost(url: string, query: string, variables?: Record<string, unknown>): Promise<unknown> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  check(res.ok, `POST ${url}/graphql answered ${res.status}: ${text.slice(0, 500)}`);
  const answer = JSON.parse(text) as { data?: unknown; errors?: unknown };
  check(!answer.errors, `POST ${url}/graphql answered with errors: ${text.slice(0, 1000)}`);
  return answer.data;
}

/** Starts a Hume job through the gateway's `startJob` mutation (so the job gets the gateway's callback URL). */
async function startJob(gatewayUrl: string): Promise<string> {
  const data = (await graphqlPost(gatewayUrl, START_JOB)) as { startJob?: { __typename?: string; job?: { id?: string } } };
  const id = data.startJob?.job?.id;
  check(typeof id === 'string', `startJob did not succeed: ${JSON.stringify(data)}`);
  return id;
}

/** The Hume simulator ends the job now and sends its callback. */
async function finishJob(simUrl: string, jobId: string): Promise<void> {
  const res = await fetch(`${simUrl}/_simulator/settings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ finishJob: jobId }),
  });
  const text = await res.text();
  check(res.ok, `finishJob ${jobId}: the simulator answered ${res.status}: ${text}`);
}

/** Unlabelled sample values from the gateway's /metrics (heap, external memory, sockets, shared streams). */
async function scrapeMetrics(gatewayUrl: string): Promise<Record<string, number>> {
  const res = await fetch(`${gatewayUrl}/metrics`);
  const text = await res.text();
  const values: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+) ([-0-9.e+]+)$/.exec(line);
    if (match) values[match[1]!] = Number(match[2]);
  }
  return values;
}

// ---- fan-out clients ------------------------------------------------------------------------------------------------

const INIT = Buffer.from(JSON.stringify({ type: 'connection_init' }));
const COMPLETED_NEEDLE = Buffer.from('"COMPLETED"');
/** Only a `complete` message carries this (statuses are upper case). */
const COMPLETE_NEEDLE = Buffer.from('"complete"');

interface JobUpdatedMessage {
  id?: string;
  type?: string;
  payload?: { data?: { jobUpdated?: { id?: string; status?: string } | null }; errors?: unknown };
}

/**
 * N raw `ws` clients, one subscription each, all to the same job. Per-subscriber state lives in typed arrays; the
 * live-phase message handler timestamps first, then does one substring search (and one JSON.parse for COMPLETED).
 */
class FanOutClients {
  readonly firstAt: Float64Array;
  readonly completedAt: Float64Array;
  readonly completeAt: Float64Array;
  private readonly sockets: Array<WebSocket | undefined>;
  private readonly subscribeMessage: Buffer;
  live = 0;
  completedCount = 0;
  completeCount = 0;
  badPayloads = 0;
  unexpectedMessages = 0;
  unexpectedCloses = 0;
  connectFailures = 0;
  /** The first few problems, verbatim. */
  readonly problems: string[] = [];
  private settled = 0;
  private closing = false;
  private onSettled: (() => void) | undefined;

  constructor(
    private readonly wsUrl: string,
    private readonly jobId: string,
    readonly size: number,
  ) {
    this.firstAt = new Float64Array(size);
    this.completedAt = new Float64Array(size);
    this.completeAt = new Float64Array(size);
    this.sockets = new Array<WebSocket | undefined>(size);
    this.subscribeMessage = Buffer.from(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { id: jobId } } }));
  }

  private problem(message: string): void {
    if (this.problems.length < 10) this.problems.push(message);
  }

  /** Opens subscribers [from, to) with bounded concurrency; resolves when each has its first `next` or failed. */
  async connect(from: number, to: number, concurrency = CONNECT_CONCURRENCY): Promise<void> {
    let next = from;
    const worker = async () => {
      while (next < to) {
        const index = next++;
        try {
          await this.open(index);
        } catch (error) {
          this.connectFailures++;
          this.problem(`subscriber ${index}: ${(error as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, to - from) }, worker));
  }

  private open(index: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.wsUrl, 'graphql-transport-ws', { perMessageDeflate: false, skipUTF8Validation: true });
      this.sockets[index] = ws;
      // 0: waiting for connection_ack, 1: waiting for the first next, 2: live, 3: failed before going live
      let stage = 0;
      const fail = (error: Error) => {
        if (stage >= 2) return;
        stage = 3;
        clearTimeout(timer);
        ws.terminate();
        reject(error);
      };
      const timer = setTimeout(() => fail(new Error(`no first next within 20 s (stage ${stage})`)), 20_000);
      ws.on('open', () => ws.send(INIT));
      ws.on('message', (data: Buffer) => {
        if (stage === 2) return this.onLive(index, data);
        if (stage === 3) return;
        const text = data.toString('utf8');
        let message: JobUpdatedMessage;
        try {
          message = JSON.parse(text) as JobUpdatedMessage;
        } catch {
          return fail(new Error(`not JSON: ${text.slice(0, 200)}`));
        }
        if (stage === 0) {
          if (message.type !== 'connection_ack') return fail(new Error(`expected connection_ack, got ${text.slice(0, 200)}`));
          stage = 1;
          ws.send(this.subscribeMessage);
          return;
        }
        const job = message.payload?.data?.jobUpdated;
        if (message.type !== 'next' || message.id !== '1' || job?.id !== this.jobId || job.status !== 'IN_PROGRESS')
          return fail(new Error(`expected a first next with ${this.jobId} IN_PROGRESS, got ${text.slice(0, 300)}`));
        stage = 2;
        clearTimeout(timer);
        this.firstAt[index] = performance.now();
        this.live++;
        resolve();
      });
      ws.on('error', (error) => {
        if (stage === 2 && !this.closing) this.problem(`subscriber ${index}: socket error ${error.message}`);
        fail(error);
      });
      ws.on('close', (code, reason) => {
        if (stage < 2) return fail(new Error(`closed (${code} ${reason.toString()}) before its first next`));
        if (stage !== 2 || this.closing) return;
        if (this.completeAt[index] === 0) {
          this.unexpectedCloses++;
          this.problem(`subscriber ${index}: closed (${code} ${reason.toString()}) before complete`);
          this.settle();
        }
      });
    });
  }

  private onLive(index: number, data: Buffer): void {
    const at = performance.now();
    if (data.includes(COMPLETED_NEEDLE)) {
      if (this.completedAt[index] !== 0) {
        this.unexpectedMessages++;
        this.problem(`subscriber ${index}: a second COMPLETED`);
        return;
      }
      this.completedAt[index] = at;
      this.completedCount++;
      const message = JSON.parse(data.toString('utf8')) as JobUpdatedMessage;
      const job = message.payload?.data?.jobUpdated;
      if (message.type !== 'next' || message.id !== '1' || job?.id !== this.jobId || job.status !== 'COMPLETED' || message.payload?.errors) {
        this.badPayloads++;
        this.problem(`subscriber ${index}: wrong COMPLETED payload ${data.toString('utf8').slice(0, 300)}`);
      }
    } else if (data.includes(COMPLETE_NEEDLE)) {
      if (this.completeAt[index] !== 0) return;
      this.completeAt[index] = at;
      this.completeCount++;
      this.settle();
    } else {
      this.unexpectedMessages++;
      this.problem(`subscriber ${index}: unexpected message ${data.toString('utf8').slice(0, 300)}`);
    }
  }

  private settle(): void {
    this.settled++;
    if (this.settled >= this.live) this.onSettled?.();
  }

  /** Resolves when every live subscriber got `complete` or closed, or after `timeoutMs` (returns false then). */
  whenSettled(timeoutMs: number): Promise<boolean> {
    if (this.settled >= this.live) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.onSettled = undefined;
        resolve(false);
      }, timeoutMs);
      this.onSettled = () => {
        clearTimeout(timer);
        this.onSettled = undefined;
        resolve(true);
      };
    });
  }

  /** Drops every socket (TCP reset, no close handshake). */
  terminateAll(): void {
    this.closing = true;
    for (const ws of this.sockets) ws?.terminate();
  }
}

// ---- a multiplexing client (cross-replica part) ---------------------------------------------------------------------

interface Watch {
  first: Promise<number>;
  completed: Promise<number>;
  complete: Promise<number>;
}

/** One socket, many subscriptions (one per job), every message timestamped on arrival. */
class MultiplexClient {
  private readonly handlers = new Map<string, (message: JobUpdatedMessage, text: string, at: number) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const at = performance.now();
      const text = data.toString('utf8');
      const message = JSON.parse(text) as JobUpdatedMessage;
      if (message.id !== undefined) this.handlers.get(message.id)?.(message, text, at);
    });
  }

  static connect(wsUrl: string): Promise<MultiplexClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
      const timer = setTimeout(() => reject(new Error(`${wsUrl}: no connection_ack within 10 s`)), 10_000);
      ws.once('error', reject);
      ws.on('open', () => ws.send(INIT));
      ws.once('message', (data: Buffer) => {
        clearTimeout(timer);
        const message = JSON.parse(data.toString('utf8')) as JobUpdatedMessage;
        if (message.type === 'connection_ack') resolve(new MultiplexClient(ws));
        else reject(new Error(`${wsUrl}: expected connection_ack, got ${data.toString('utf8')}`));
      });
    });
  }

  /** Subscribes to `jobUpdated(jobId)` as operation `opId`; the promises reject on errors or a wrong payload. */
  watch(opId: string, jobId: string, timeoutMs: number): Watch {
    const deferred = () => {
      let resolve!: (at: number) => void;
      let reject!: (error: Error) => void;
      const promise = new Promise<number>((res, rej) => ((resolve = res), (reject = rej)));
      promise.catch(() => {}); // observed later (or not at all when an earlier stage failed)
      return { promise, resolve, reject };
    };
    const first = deferred();
    const completed = deferred();
    const complete = deferred();
    let nexts = 0;
    const failAll = (error: Error) => {
      clearTimeout(timer);
      this.handlers.delete(opId);
      for (const d of [first, completed, complete]) d.reject(error);
    };
    const timer = setTimeout(() => failAll(new Error(`${opId} (${jobId}): not complete within ${timeoutMs} ms`)), timeoutMs);
    this.handlers.set(opId, (message, text, at) => {
      if (message.type === 'next') {
        const job = message.payload?.data?.jobUpdated;
        if (job?.id !== jobId || message.payload?.errors) return failAll(new Error(`${opId}: wrong payload for ${jobId}: ${text.slice(0, 300)}`));
        nexts++;
        if (nexts === 1) {
          if (job.status !== 'IN_PROGRESS') return failAll(new Error(`${opId}: expected IN_PROGRESS first, got ${text.slice(0, 300)}`));
          first.resolve(at);
        } else if (job.status === 'COMPLETED') completed.resolve(at);
        else return failAll(new Error(`${opId}: unexpected status in ${text.slice(0, 300)}`));
      } else if (message.type === 'complete') {
        clearTimeout(timer);
        this.handlers.delete(opId);
        complete.resolve(at);
        const error = new Error(`${opId}: complete without COMPLETED`);
        first.reject(error);
        completed.reject(error);
      } else failAll(new Error(`${opId}: ${text.slice(0, 300)}`));
    });
    this.ws.send(JSON.stringify({ id: opId, type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { id: jobId } } }));
    return { first: first.promise, completed: completed.promise, complete: complete.promise };
  }

  close(): void {
    this.ws.terminate();
  }
}

/** Times the COMPLETED event of each job on the Redis channel, as seen by a plain subscriber in this process. */
class PublishWatcher {
  private readonly seen = new Map<string, number>();
  private readonly waiters = new Map<string, (at: number) => void>();
  private constructor(readonly redis: Redis) {
    redis.on('pmessage', (_pattern: string, channel: string, message: string) => {
      const at = performance.now();
      if (!message.includes('COMPLETED')) return;
      const jobId = channel.slice(EVENT_CHANNEL_PREFIX.length);
      if (this.seen.has(jobId)) return;
      this.seen.set(jobId, at);
      this.waiters.get(jobId)?.(at);
    });
  }

  static async start(url: string): Promise<PublishWatcher> {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    await redis.psubscribe(`${EVENT_CHANNEL_PREFIX}*`);
    return new PublishWatcher(redis);
  }

  /** When the COMPLETED event for `jobId` was seen, waiting up to `timeoutMs` for it. */
  publishedAt(jobId: string, timeoutMs: number): Promise<number> {
    const at = this.seen.get(jobId);
    if (at !== undefined) return Promise.resolve(at);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(jobId);
        reject(new Error(`no COMPLETED event for ${jobId} on ${EVENT_CHANNEL_PREFIX}${jobId} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.set(jobId, (seenAt) => {
        clearTimeout(timer);
        this.waiters.delete(jobId);
        resolve(seenAt);
      });
    });
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

// ---- part 1: fan-out ------------------------------------------------------------------------------------------------

interface MemoryPoint {
  label: string;
  subscribers: number;
  rss: number[];
  /** From the gateway's /metrics; empty for the reference server. */
  metrics: Record<string, number>;
}

/** One round: N fresh subscribers to one running job, then the job finished at T0. */
interface FanOutRound {
  connected: number;
  connectMs: number;
  /** Ascending delays after T0. */
  delays: Float64Array;
  completeDelays: Float64Array;
  completedCount: number;
  completeCount: number;
  badPayloads: number;
  unexpectedMessages: number;
  unexpectedCloses: number;
  settledInTime: boolean;
  triggerAnsweredMs: number;
  windowMs: number;
  serverCpuMs: number;
  benchCpuMs: number;
  /** Share of all CPUs used by processes outside the benchmark: while connecting (the busiest phase), during the fan-out. */
  otherShareConnecting: number;
  otherShareFanOut: number;
  problems: string[];
}

/** What the fan-out rounds against one server (gateway or reference) measured. */
interface FanOutMeasure {
  idle: MemoryPoint;
  /** RSS at the checkpoints of the first round. */
  memory: MemoryPoint[];
  afterDisconnect: MemoryPoint | undefined;
  /** `subscription_streams` of the gateway with everybody connected (first round). */
  streams: number | undefined;
  rounds: FanOutRound[];
}

interface FanOutServer {
  name: string;
  pid: number;
  wsUrl: string;
  /** The gateway's base URL, for /metrics; undefined for the reference server. */
  metricsUrl: string | undefined;
  /** Other processes of the benchmark (the simulator): not "other load". */
  helperPids: number[];
  /** A running job to subscribe to. */
  newJob(): Promise<string>;
  /** Makes the server send COMPLETED for the job (T0 is taken just before calling it). */
  finish(jobId: string): Promise<void>;
}

/** Subscriber counts at which RSS is sampled: a fifth, half and all (only all below 1,000). */
function checkpoints(n: number): number[] {
  if (n < 1_000) return [n];
  return [...new Set([Math.round(n / 5), Math.round(n / 2), n])];
}

async function memoryPoint(label: string, subscribers: number, pid: number, metricsUrl: string | undefined, settleMs = 2_000): Promise<MemoryPoint> {
  await sleep(settleMs);
  const rss = await sampleRss(pid, 5, 400);
  const metrics = metricsUrl ? await scrapeMetrics(metricsUrl) : {};
  log(`${label}: RSS ${fmtMiB(median(rss))} (${fmt(subscribers)} subscribers)`);
  return { label, subscribers, rss, metrics };
}

/**
 * Connects N subscribers to `jobId` (pausing at `points`: RSS sampled into `memory` when given, else a plain 2 s
 * pause), then T0, `finish()`, and every subscriber's COMPLETED and `complete` timed. Leaves the sockets open.
 */
async function fanOutRound(
  server: FanOutServer,
  label: string,
  n: number,
  jobId: string,
  points: number[],
  memory: MemoryPoint[] | undefined,
): Promise<{ round: FanOutRound; clients: FanOutClients }> {
  const clients = new FanOutClients(server.wsUrl, jobId, n);
  const meterPids = [server.pid, ...server.helperPids];
  let connectMs = 0;
  let from = 0;
  let otherShareConnecting = 0;
  for (const upTo of points) {
    log(`${label}: connecting subscribers ${fmt(from)}–${fmt(upTo)} (${CONNECT_CONCURRENCY} at a time)`);
    const meter = new CpuMeter(meterPids);
    meter.start();
    const started = performance.now();
    await clients.connect(from, upTo);
    connectMs += performance.now() - started;
    otherShareConnecting = Math.max(otherShareConnecting, meter.stop().otherShare);
    from = upTo;
    if (memory) memory.push(await memoryPoint(`${server.name}: ${fmt(upTo)} subscribers`, clients.live, server.pid, server.metricsUrl));
    else await sleep(2_000);
  }
  log(`${label}: ${fmt(clients.live)} of ${fmt(n)} subscribers live after ${fmtMs(connectMs)} ms of connecting; finishing the job`);

  const meter = new CpuMeter(meterPids);
  meter.start();
  const benchCpu0 = readProcCpuMs(process.pid);
  const serverCpu0 = readProcCpuMs(server.pid);
  const t0 = performance.now();
  await server.finish(jobId);
  const triggerAnsweredMs = performance.now() - t0;
  const settledInTime = await clients.whenSettled(FAN_OUT_TIMEOUT_MS);
  const windowMs = performance.now() - t0;
  const otherShareFanOut = meter.stop().otherShare;
  const benchCpuMs = readProcCpuMs(process.pid) - benchCpu0;
  const serverCpuMs = readProcCpuMs(server.pid) - serverCpu0;

  const delays: number[] = [];
  const completeDelays: number[] = [];
  for (let i = 0; i < n; i++) {
    if (clients.completedAt[i]! > 0) delays.push(clients.completedAt[i]! - t0);
    if (clients.completeAt[i]! > 0) completeDelays.push(clients.completeAt[i]! - t0);
  }
  const sortedDelays = Float64Array.from(delays).sort();
  log(`${label}: ${fmt(clients.completedCount)} COMPLETED, max ${fmtMs(percentile(sortedDelays, 1))} ms after T0`);
  const round: FanOutRound = {
    connected: clients.live,
    connectMs,
    delays: sortedDelays,
    completeDelays: Float64Array.from(completeDelays).sort(),
    completedCount: clients.completedCount,
    completeCount: clients.completeCount,
    badPayloads: clients.badPayloads,
    unexpectedMessages: clients.unexpectedMessages,
    unexpectedCloses: clients.unexpectedCloses,
    settledInTime,
    triggerAnsweredMs,
    windowMs,
    serverCpuMs,
    benchCpuMs,
    otherShareConnecting,
    otherShareFanOut,
    problems: [...clients.problems, ...(clients.connectFailures ? [`${clients.connectFailures} subscribers failed to connect`] : [])],
  };
  return { round, clients };
}

/**
 * Idle RSS; then FAN_OUT_ROUNDS rounds, each with N fresh subscribers and a fresh job. The first round pauses at the
 * checkpoints to sample RSS, and RSS is sampled again 5 s after its sockets were dropped.
 */
async function measureFanOut(server: FanOutServer, n: number): Promise<FanOutMeasure> {
  const firstJob = await server.newJob();
  const idle = await memoryPoint(`${server.name}: idle`, 0, server.pid, server.metricsUrl, 3_000);
  const memory: MemoryPoint[] = [];
  const rounds: FanOutRound[] = [];
  let afterDisconnect: MemoryPoint | undefined;
  for (let r = 0; r < FAN_OUT_ROUNDS; r++) {
    const jobId = r === 0 ? firstJob : await server.newJob();
    const label = `${server.name} round ${r + 1}/${FAN_OUT_ROUNDS}`;
    const { round, clients } = await fanOutRound(server, label, n, jobId, r === 0 ? checkpoints(n) : [n], r === 0 ? memory : undefined);
    rounds.push(round);
    clients.terminateAll();
    if (r === 0) {
      try {
        afterDisconnect = await memoryPoint(`${server.name}: 5 s after every socket closed`, 0, server.pid, server.metricsUrl, 5_000);
      } catch (error) {
        log(`${server.name}: no sample after disconnecting: ${(error as Error).message}`);
      }
    } else await sleep(2_000);
  }
  return { idle, memory, afterDisconnect, streams: memory.at(-1)?.metrics.subscription_streams, rounds };
}

/** The round whose max delay is the median of the rounds' (the upper one of the middle two for an even count). */
function medianRound(fan: FanOutMeasure): FanOutRound {
  const sorted = [...fan.rounds].sort((x, y) => percentile(x.delays, 1) - percentile(y.delays, 1));
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function runGatewayFanOut(ctx: BenchContext, simUrl: string, simPid: number): Promise<FanOutMeasure> {
  const n = ctx.options.subscribers;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const gateway = await startBuiltGateway(
    ctx.children,
    { HUME_API_KEY: API_KEY, HUME_BASE_URL: simUrl, PUBLIC_URL: url, SANDBOX: 'false', LOG_LEVEL: 'warn' },
    { port, name: 'gateway' },
  );
  const pid = gateway.child.pid;
  const wsUrl = `ws://127.0.0.1:${port}/graphql`;
  log(`fan-out: gateway at ${url} (pid ${pid})`);
  try {
    // Warm-up: a few HTTP requests and a few subscribers through a whole job (first state, completion, complete).
    const warmJob = await startJob(url);
    for (let i = 0; i < 20; i++) await graphqlPost(url, 'query($id: ID!){ job(id: $id) { id status } }', { id: warmJob });
    const warm = new FanOutClients(wsUrl, warmJob, WARMUP_SUBSCRIBERS);
    await warm.connect(0, WARMUP_SUBSCRIBERS);
    check(warm.live === WARMUP_SUBSCRIBERS, `warm-up: only ${warm.live} of ${WARMUP_SUBSCRIBERS} subscribers got their first next: ${warm.problems.join('; ')}`);
    await finishJob(simUrl, warmJob);
    check(await warm.whenSettled(10_000), `warm-up: subscribers did not complete within 10 s: ${warm.problems.join('; ')}`);
    check(warm.completedCount === WARMUP_SUBSCRIBERS && warm.badPayloads === 0, `warm-up: ${warm.completedCount} COMPLETED, ${warm.badPayloads} wrong: ${warm.problems.join('; ')}`);
    warm.terminateAll();

    const result = await measureFanOut(
      { name: 'gateway', pid, wsUrl, metricsUrl: url, helperPids: [simPid], newJob: () => startJob(url), finish: (jobId) => finishJob(simUrl, jobId) },
      n,
    );
    check(gateway.child.running, `the gateway exited during the fan-out${gateway.child.describeTail()}`);
    return result;
  } finally {
    await gateway.child.stop();
  }
}

/**
 * The reference: a plain `ws` server speaking just enough graphql-transport-ws (ack, one `next` on subscribe) that,
 * on `POST /finish`, serialises and sends the COMPLETED `next` to every subscriber in one synchronous loop, then
 * `complete` in a second loop. No GraphQL, no async iteration: what Node and the kernel of this machine need to
 * write one message to each socket.
 */
const REFERENCE_SERVER = `
import http from 'node:http';
import { WebSocketServer } from 'ws';
const jobId = process.env.JOB_ID;
const state = (id, status) => JSON.stringify({ id, type: 'next', payload: { data: { jobUpdated: { id: jobId, status } } } });
let subscribers = [];
const server = http.createServer((req, res) => {
  res.end('ok');
  if (req.method !== 'POST' || req.url !== '/finish') return;
  const finishing = subscribers;
  subscribers = [];
  for (const [ws, id] of finishing) ws.send(state(id, 'COMPLETED'));
  for (const [ws, id] of finishing) ws.send(JSON.stringify({ id, type: 'complete' }));
});
const wss = new WebSocketServer({ server, path: '/graphql', perMessageDeflate: false, handleProtocols: (p) => (p.has('graphql-transport-ws') ? 'graphql-transport-ws' : false) });
wss.on('connection', (ws) => {
  ws.on('error', () => {});
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'connection_init') ws.send(JSON.stringify({ type: 'connection_ack' }));
    else if (message.type === 'subscribe') {
      subscribers.push([ws, message.id]);
      ws.send(state(message.id, 'IN_PROGRESS'));
    }
  });
});
server.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + server.address().port));
`;

async function runReferenceFanOut(ctx: BenchContext): Promise<FanOutMeasure> {
  const n = ctx.options.subscribers;
  const jobId = 'reference-job';
  const child = ctx.children.spawnNode('reference ws server', ['--input-type=module', '-e', REFERENCE_SERVER], { JOB_ID: jobId });
  try {
    const url = (await child.waitForLine(/listening on (http:\/\/\S+)/, 10_000))[1]!;
    const wsUrl = `${url.replace('http:', 'ws:')}/graphql`;
    const finish = async (_jobId?: string) => {
      const res = await fetch(`${url}/finish`, { method: 'POST' });
      await res.arrayBuffer();
    };
    log(`reference: plain ws server at ${url} (pid ${child.pid})`);
    const warm = new FanOutClients(wsUrl, jobId, WARMUP_SUBSCRIBERS);
    await warm.connect(0, WARMUP_SUBSCRIBERS);
    await finish();
    check(await warm.whenSettled(10_000) && warm.completedCount === WARMUP_SUBSCRIBERS, `reference warm-up failed: ${warm.problems.join('; ')}`);
    warm.terminateAll();
    const result = await measureFanOut(
      { name: 'reference', pid: child.pid, wsUrl, metricsUrl: undefined, helperPids: [], newJob: () => Promise.resolve(jobId), finish },
      n,
    );
    check(child.running, `the reference server exited${child.describeTail()}`);
    return result;
  } finally {
    await child.stop();
  }
}

// ---- part 2: across replicas ----------------------------------------------------------------------------------------

interface ReplicaSample {
  total: number;
  fromPublish: number;
  toPublish: number;
}

interface ReplicaResult {
  samples: ReplicaSample[];
  failures: string[];
  wallMs: number;
  /** Share of all CPUs used by processes outside the benchmark during the measurement. */
  otherShare: number;
}

async function runCrossReplica(ctx: BenchContext, simUrl: string, simPid: number): Promise<ReplicaResult> {
  const { children } = ctx;
  const redis = await startRedisServer(children);
  log(`cross-replica: redis-server at ${redis.url} (pid ${redis.child.pid})`);
  const gateways: ChildHandle[] = [];
  try {
    const start = async (name: string) => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const gateway = await startBuiltGateway(
        children,
        {
          HUME_API_KEY: API_KEY,
          HUME_BASE_URL: simUrl,
          PUBLIC_URL: url,
          SANDBOX: 'false',
          LOG_LEVEL: 'warn',
          REDIS_URL: redis.url,
          WEBHOOK_SECRET,
        },
        { port, name },
      );
      gateways.push(gateway.child);
      log(`cross-replica: ${name} at ${url} (pid ${gateway.child.pid})`);
      return { url, wsUrl: `ws://127.0.0.1:${port}/graphql` };
    };
    const a = await start('gateway A');
    const b = await start('gateway B');
    const watcher = await PublishWatcher.start(redis.url);
    const client = await MultiplexClient.connect(b.wsUrl);
    try {
      const total = ctx.options.replicaEvents;
      const samples: ReplicaSample[] = [];
      const failures: string[] = [];
      let next = 0;
      const one = async (k: number): Promise<ReplicaSample> => {
        const jobId = await startJob(a.url);
        const watch = client.watch(`e${k}`, jobId, 20_000);
        await watch.first;
        await sleep(REPLICA_SETTLE_MS);
        const t0 = performance.now();
        await finishJob(simUrl, jobId);
        const atB = await watch.completed;
        await watch.complete;
        const published = await watcher.publishedAt(jobId, 5_000);
        return { total: atB - t0, fromPublish: atB - published, toPublish: published - t0 };
      };
      const worker = async (w: number) => {
        await sleep((w * (REPLICA_SETTLE_MS + 200)) / REPLICA_WORKERS); // spread the workers' completions apart
        while (next < total) {
          const k = next++;
          try {
            samples.push(await one(k));
          } catch (error) {
            failures.push(`event ${k}: ${(error as Error).message}`);
          }
        }
      };
      log(`cross-replica: ${total} jobs started on A, watched on B, ${REPLICA_WORKERS} at a time`);
      const meter = new CpuMeter([simPid, redis.child.pid, ...gateways.map((g) => g.pid)]);
      meter.start();
      const started = performance.now();
      await Promise.all(Array.from({ length: Math.min(REPLICA_WORKERS, total) }, (_, w) => worker(w)));
      const wallMs = performance.now() - started;
      const { otherShare } = meter.stop();
      for (const child of [...gateways, redis.child])
        check(child.running, `${child.name} exited during the cross-replica part${child.describeTail()}`);
      return { samples, failures, wallMs, otherShare };
    } finally {
      client.close();
      await watcher.close();
    }
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
    await redis.child.stop();
  }
}

// ---- report ---------------------------------------------------------------------------------------------------------

function distributionRow(label: string, values: ArrayLike<number>): string[] {
  const sorted = Float64Array.from(values).sort();
  return [label, fmt(sorted.length), fmtMs(percentile(sorted, 0)), fmtMs(percentile(sorted, 0.5)), fmtMs(percentile(sorted, 0.9)), fmtMs(percentile(sorted, 0.99)), fmtMs(percentile(sorted, 1))];
}

const DISTRIBUTION_HEADER = ['measure', 'n', 'min ms', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'];
const MEMORY_HEADER = ['process', 'subscribers', 'VmRSS median (min – max of 5)', 'RSS − idle, per subscriber', 'marginal RSS per subscriber', 'V8 heap used', 'V8 heap total', 'external'];

/** Rows of the memory table for one fan-out: idle, each checkpoint, after disconnecting. */
function memoryRows(name: string, fan: FanOutMeasure): string[][] {
  const idleRss = median(fan.idle.rss);
  const range = (p: MemoryPoint) => `${fmtMiB(median(p.rss))} (${fmtMiB(Math.min(...p.rss))} – ${fmtMiB(Math.max(...p.rss))})`;
  const v8 = (p: MemoryPoint, metric: string) => (p.metrics[metric] === undefined ? '–' : fmtMiB(p.metrics[metric]));
  const row = (label: string, p: MemoryPoint, perSubscriber: string, marginal: string) => [
    `${name}: ${label}`,
    fmt(p.subscribers),
    range(p),
    perSubscriber,
    marginal,
    v8(p, 'nodejs_heap_size_used_bytes'),
    v8(p, 'nodejs_heap_size_total_bytes'),
    v8(p, 'nodejs_external_memory_bytes'),
  ];
  const rows = [row('idle', fan.idle, '–', '–')];
  let previous = fan.idle;
  for (const point of fan.memory) {
    const perSubscriber = (median(point.rss) - idleRss) / Math.max(1, point.subscribers);
    const perMetric = (metric: string) => {
      const now = point.metrics[metric];
      const before = fan.idle.metrics[metric];
      return now === undefined || before === undefined ? undefined : (now - before) / Math.max(1, point.subscribers);
    };
    const heapUsed = perMetric('nodejs_heap_size_used_bytes');
    const marginal = (median(point.rss) - median(previous.rss)) / Math.max(1, point.subscribers - previous.subscribers);
    rows.push(
      row(
        `${fmt(point.subscribers)} subscribers`,
        point,
        `${fmt(perSubscriber / KB, 1)} KB${heapUsed === undefined ? '' : ` (V8 heap used ${fmt(heapUsed / KB, 1)} KB)`}`,
        previous === fan.idle && fan.memory.length === 1 ? '–' : `${fmt(marginal / KB, 1)} KB`,
      ),
    );
    previous = point;
  }
  if (fan.afterDisconnect) rows.push(row('5 s after every socket closed', fan.afterDisconnect, '–', '–'));
  return rows;
}

function perSubscriberRss(fan: FanOutMeasure, n: number): number {
  return (median(fan.memory.at(-1)!.rss) - median(fan.idle.rss)) / n;
}

/** Facts of the median round of each server, plus the max delay of every round. */
function fanOutFacts(n: number, gateway: FanOutMeasure, reference: FanOutMeasure): string[][] {
  const within = (round: FanOutRound, ms: number) => round.delays.filter((d) => d <= ms).length;
  const share = (cpuMs: number, round: FanOutRound) => (round.windowMs > 0 ? cpuMs / round.windowMs : 0);
  const g = medianRound(gateway);
  const r = medianRound(reference);
  const both = (label: string, value: (round: FanOutRound) => string) => [label, value(g), value(r)];
  const maxima = (fan: FanOutMeasure) =>
    fan.rounds.map((round) => `${fmtMs(percentile(round.delays, 1))} (${fmt(Math.max(round.otherShareFanOut, round.otherShareConnecting) * 100)} %)`).join(', ');
  const position = (fan: FanOutMeasure, round: FanOutRound) => `round ${fan.rounds.indexOf(round) + 1} of ${fan.rounds.length}`;
  return [
    ['max delay of COMPLETED after T0 in ms, each round (other load)', maxima(gateway), maxima(reference)],
    ['the median round, described below', position(gateway, g), position(reference, r)],
    both('got their first `next` (IN_PROGRESS)', (f) => `${fmt(f.connected)} of ${fmt(n)}`),
    both(`connection time for all (${CONNECT_CONCURRENCY} at a time; open → ack → subscribe → first next)`, (f) => `${fmt(f.connectMs / 1000, 2)} s (${fmt(f.connected / (f.connectMs / 1000))}/s)`),
    ['shared subscription streams with all connected (`subscription_streams`, round 1)', gateway.streams === undefined ? '–' : fmt(gateway.streams), '–'],
    both('received COMPLETED / `complete`', (f) => `${fmt(f.completedCount)} / ${fmt(f.completeCount)}`),
    both('… COMPLETED within 100 / 200 / 300 ms of T0', (f) => `${fmt(within(f, 100))} / ${fmt(within(f, 200))} / ${fmt(within(f, 300))}`),
    both('COMPLETED payloads with a wrong job id or status', (f) => fmt(f.badPayloads)),
    both('unexpected messages / unexpected closes', (f) => `${fmt(f.unexpectedMessages)} / ${fmt(f.unexpectedCloses)}`),
    both('the trigger (`finishJob` / `POST /finish`) answered after', (f) => `${fmtMs(f.triggerAnsweredMs)} ms`),
    both('server CPU from T0 to the last `complete`', (f) => `${fmt(f.serverCpuMs)} ms (${fmt((f.serverCpuMs * 1000) / Math.max(1, f.completedCount), 1)} µs per subscriber; ${fmt(share(f.serverCpuMs, f) * 100)} % of one CPU over ${fmtMs(f.windowMs)} ms)`),
    both('bench process CPU in the same window (the clients)', (f) => `${fmt(f.benchCpuMs)} ms (${fmt(share(f.benchCpuMs, f) * 100)} % of one CPU)`),
    both('other load: connecting (busiest phase) / fan-out', (f) => `${fmt(f.otherShareConnecting * 100)} % / ${fmt(f.otherShareFanOut * 100)} %`),
  ];
}

/** Correctness problems of every round. */
function fanOutFailures(name: string, n: number, fan: FanOutMeasure): string[] {
  const failures: string[] = [];
  fan.rounds.forEach((round, index) => {
    const which = `${name} round ${index + 1}`;
    if (round.connected < n) failures.push(`${which}: only ${round.connected} of ${n} subscribers got their first next`);
    if (round.completedCount < n) failures.push(`${which}: only ${round.completedCount} of ${n} subscribers received COMPLETED`);
    if (round.completeCount < n)
      failures.push(`${which}: only ${round.completeCount} of ${n} subscribers received complete${round.settledInTime ? '' : ` within ${FAN_OUT_TIMEOUT_MS / 1000} s`}`);
    if (round.badPayloads) failures.push(`${which}: ${round.badPayloads} COMPLETED payloads with a wrong job id or status`);
    if (round.unexpectedMessages || round.unexpectedCloses) failures.push(`${which}: ${round.unexpectedMessages} unexpected messages, ${round.unexpectedCloses} unexpected closes`);
    failures.push(...round.problems.map((p) => `${which}: ${p}`));
  });
  return failures;
}

async function run(ctx: BenchContext): Promise<BenchReport> {
  const { options, children } = ctx;
  await ctx.ensureBuilt();
  const inherited = inheritedEnvironment();
  const m = machine();
  const revision = gitRevision();
  const n = options.subscribers;

  // Jobs run "forever" (10 minutes) unless the bench finishes them.
  const sim = await startHumeSimulator(children, API_KEY, { queuedMs: 0, runningMs: 600_000 });
  log(`hume simulator at ${sim.url} (pid ${sim.child.pid})`);
  let fan: FanOutMeasure;
  let reference: FanOutMeasure;
  let replica: ReplicaResult;
  try {
    fan = await runGatewayFanOut(ctx, sim.url, sim.child.pid);
    reference = await runReferenceFanOut(ctx);
    replica = await runCrossReplica(ctx, sim.url, sim.child.pid);
    check(sim.child.running, `the simulator exited${sim.child.describeTail()}`);
  } finally {
    await sim.child.stop();
  }

  // ---- fan-out figures
  const memory = [...memoryRows('gateway', fan), ...memoryRows('reference', reference)];
  const facts = fanOutFacts(n, fan, reference);
  const FACTS_HEADER = ['fan-out', 'gateway', 'plain ws reference'];
  const gatewayRound = medianRound(fan);
  const referenceRound = medianRound(reference);
  const fanRows = [
    ...fan.rounds.map((round, i) => distributionRow(`gateway round ${i + 1}: finishJob (T0) → COMPLETED \`next\``, round.delays)),
    distributionRow(`gateway round ${fan.rounds.indexOf(gatewayRound) + 1} (median): finishJob (T0) → \`complete\``, gatewayRound.completeDelays),
    ...reference.rounds.map((round, i) => distributionRow(`reference round ${i + 1}: POST /finish (T0) → COMPLETED \`next\``, round.delays)),
    distributionRow(`reference round ${reference.rounds.indexOf(referenceRound) + 1} (median): POST /finish (T0) → \`complete\``, referenceRound.completeDelays),
  ];
  const perSubscriberBytes = perSubscriberRss(fan, n);
  const fanMax = percentile(gatewayRound.delays, 1);
  const fanMaxes = fan.rounds.map((round) => percentile(round.delays, 1));
  const referenceMax = percentile(referenceRound.delays, 1);
  const allCompleted = fan.rounds.every((round) => round.completedCount === n);
  const benchShare = gatewayRound.windowMs > 0 ? gatewayRound.benchCpuMs / gatewayRound.windowMs : 0;
  const benchLine =
    `During the gateway's median round the bench process (all ${fmt(n)} clients, one thread) used ${fmt(benchShare * 100)} % of one CPU between T0 and the last \`complete\`` +
    (benchShare >= 0.9
      ? ": it was busy for most of the window, so arrival times include its own queueing and overstate the gateway's delay."
      : "; it was not saturated, so the arrival times are the gateway's (plus loopback). It shares the machine's CPUs with the gateway, as the simulator does.");
  const busyRounds = [
    ...fan.rounds.map((round, i) => ({ name: `gateway round ${i + 1}`, share: Math.max(round.otherShareConnecting, round.otherShareFanOut) })),
    ...reference.rounds.map((round, i) => ({ name: `reference round ${i + 1}`, share: Math.max(round.otherShareConnecting, round.otherShareFanOut) })),
  ].filter((r) => r.share > BUSY_SHARE);
  const otherMax = Math.max(...[...fan.rounds, ...reference.rounds].flatMap((round) => [round.otherShareConnecting, round.otherShareFanOut]));
  const loadLine =
    `"other load": the share of all CPUs used by processes outside the benchmark (\`/proc/stat\` minus the bench, server and simulator processes); at most ${fmt(otherMax * 100)} % here` +
    (busyRounds.length
      ? ` — **above ${fmt(BUSY_SHARE * 100)} % in ${busyRounds.map((r) => `${r.name} (${fmt(r.share * 100)} %)`).join(', ')}: the machine was busy with other work then, so those times are unreliable.**`
      : '.');
  const referenceLine =
    `The reference (a plain \`ws\` server that serialises and sends the message to every socket in one synchronous loop) shows what one Node thread ` +
    `and this machine's loopback TCP need for the same ${fmt(n)} messages: COMPLETED reached the last subscriber after ${fmtMs(referenceMax)} ms, ` +
    `${fmtMs(fanMax)} ms through the gateway (median rounds; ${fmt(fanMax / referenceMax, 1)}×). ` +
    (referenceRound.windowMs > 0 && referenceRound.benchCpuMs / referenceRound.windowMs >= 0.9
      ? 'The bench process was near one full CPU during the reference fan-out, so the reference may be limited by the clients: the true floor is, if anything, lower. '
      : '') +
    `Its RSS per socket with all ${fmt(n)} connected, ${fmt(perSubscriberRss(reference, n) / KB, 1)} KB, is about the cost of a Node \`ws\` socket alone.`;

  // ---- cross-replica figures
  const totals = replica.samples.map((s) => s.total);
  const fromPublish = replica.samples.map((s) => s.fromPublish);
  const toPublish = replica.samples.map((s) => s.toPublish);
  const replicaRows = [
    distributionRow('finishJob (T0) → COMPLETED on B (upper bound)', totals),
    distributionRow('event published on A (seen by a Redis subscriber) → COMPLETED on B', fromPublish),
    distributionRow('finishJob (T0) → event seen on Redis (callback to A, A re-reads the job, PUBLISH)', toPublish),
  ];
  const p99FromPublish = percentile(Float64Array.from(fromPublish).sort(), 0.99);
  const p99Total = percentile(Float64Array.from(totals).sort(), 0.99);
  const beforePublish = fromPublish.filter((v) => v < 0).length;
  const replicaLine =
    `${fmt(replica.samples.length)} of ${fmt(options.replicaEvents)} events measured in ${fmt(replica.wallMs / 1000, 1)} s; other load ${fmt(replica.otherShare * 100)} %` +
    (replica.otherShare > BUSY_SHARE ? ' (busy machine: unreliable).' : '.') +
    (beforePublish ? ` ${beforePublish} reached B before the bench's own Redis subscriber saw the publish (negative values).` : '');

  const targets = [
    target(
      `all ${fmt(n)} subscribers receive COMPLETED (max delay after finishJob, median of ${fan.rounds.length} rounds)`,
      `≤ ${TARGETS.fanOutMaxMs} ms`,
      `${fmtMs(fanMax)} ms (rounds: ${fanMaxes.map(fmtMs).join(', ')})`,
      allCompleted && fanMax <= TARGETS.fanOutMaxMs,
    ),
    target(
      `${fmt(n)} subscribers told of the completion, vs the plain ws reference (max delay, median rounds)`,
      `≤ ${TARGETS.vsReference}×`,
      `${(fanMax / referenceMax).toFixed(2)}× (${fmtMs(fanMax)} / ${fmtMs(referenceMax)} ms)`,
      allCompleted && fanMax / referenceMax <= TARGETS.vsReference,
    ),
    target(`gateway RSS per subscriber ((RSS with ${fmt(n)} − idle) / ${fmt(n)})`, `≤ ${TARGETS.perSubscriberKB} KB`, `${fmt(perSubscriberBytes / KB, 1)} KB`, perSubscriberBytes <= TARGETS.perSubscriberKB * KB),
    target('cross-replica p99, event published on A → subscriber on B', `≤ ${TARGETS.crossReplicaP99Ms} ms`, `${fmtMs(p99FromPublish)} ms`, p99FromPublish <= TARGETS.crossReplicaP99Ms),
    target('cross-replica p99, finishJob → subscriber on B (upper bound)', `≤ ${TARGETS.crossReplicaP99Ms} ms`, `${fmtMs(p99Total)} ms`, p99Total <= TARGETS.crossReplicaP99Ms),
  ];

  const failures = [
    ...fanOutFailures('fan-out', n, fan),
    ...fanOutFailures('reference fan-out', n, reference),
    ...(replica.failures.length
      ? [`cross-replica: ${replica.failures.length} of ${options.replicaEvents} events failed`, ...replica.failures.slice(0, 10).map((f) => `cross-replica: ${f}`)]
      : []),
  ];

  const consoleText = [
    '',
    `Subscriptions — one job fanned out to ${fmt(n)} WebSocket subscribers on one gateway process, and a plain ws server for reference`,
    textTable(MEMORY_HEADER, memory),
    '',
    textTable(FACTS_HEADER, facts),
    '',
    textTable(DISTRIBUTION_HEADER, fanRows),
    benchLine,
    loadLine.replaceAll('**', ''),
    referenceLine,
    '',
    `Across replicas through Redis — ${fmt(options.replicaEvents)} events, ${REPLICA_WORKERS} at a time`,
    textTable(DISTRIBUTION_HEADER, replicaRows),
    replicaLine,
    '',
    `For scale (from the issue): ${ISSUE_BASELINE}.`,
    '',
    targetsText(targets),
    ...(failures.length ? ['', 'FAILED checks:', ...failures.map((f) => `  ${f}`)] : []),
    '',
  ].join('\n');

  const right = (header: string[]) => ['l' as const, ...header.slice(1).map(() => 'r' as const)];
  const markdown = [
    ...sectionHeading('Subscriptions', m, ctx.command, revision),
    `- Setup: everything on loopback. The Hume simulator (\`src/simulators/cli.ts hume\`, queued 0 ms, running 10 min unless ` +
      `finished by \`POST /_simulator/settings {"finishJob": id}\`, which ends the job and sends its callback at once) and the built gateway ` +
      `(\`node dist/src/main.js\` as in \`start:prod\`, \`SANDBOX=false LOG_LEVEL=warn\`, \`PUBLIC_URL\` = its own URL so Hume calls it back) run as child processes. ` +
      `Jobs are started through the gateway's \`startJob\` mutation (text input). Clients speak \`graphql-transport-ws\` at \`ws://…/graphql\` ` +
      `(\`${SUBSCRIPTION}\`) with the raw \`ws\` client, \`perMessageDeflate: false\`, in the bench process.` +
      (inherited ? ` Inherited by the children: ${inherited}.` : ''),
    `- For scale (from the issue): "${ISSUE_BASELINE}".`,
    '',
    `### Fan-out: one job, ${fmt(n)} subscribers, one gateway process`,
    '',
    `- The gateway runs without Redis (in-memory event bus). Warm-up: 20 HTTP queries and ${WARMUP_SUBSCRIBERS} subscribers through a whole job (first state, completion, \`complete\`); ` +
      'then "idle" is sampled with the measured job already started.',
    `- ${fmt(n)} sockets are opened ${CONNECT_CONCURRENCY} at a time, each sending \`connection_init\`, then \`subscribe\` after the ack, and counted once its first \`next\` (IN_PROGRESS, right job id) arrived. ` +
      `Connecting pauses at ${checkpoints(n).map((c) => fmt(c)).join(', ')} subscribers: 2 s to settle, then 5 VmRSS samples 400 ms apart (\`/proc/<pid>/status\`) and the V8 heap figures from the gateway's \`/metrics\`. ` +
      'The connection time adds up the connecting phases only.',
    `- The fan-out runs ${FAN_OUT_ROUNDS} times per server (rounds), each with ${fmt(n)} fresh sockets and a fresh job; RSS is sampled in the first round only, later rounds pause 2 s after connecting. ` +
      'One fan-out varies by tens of percent from run to run, so the target is judged on the round with the median max delay; every round is listed.',
    '- "RSS − idle, per subscriber" = (median RSS with the subscribers − median idle RSS) / subscribers; "marginal" = the RSS growth since the previous row / the subscribers added. No GC is forced, so these include garbage not yet collected. KB = 1,000 bytes.',
    '- T0 is taken just before the bench sends `finishJob` to the simulator, so the delays include the callback to the gateway, its re-read of the job from the simulator, the event, and the fan-out of the result to every socket. ' +
      'Each client timestamps a message on arrival (`performance.now()` before any parsing), then looks for `"COMPLETED"` and parses that one message to check the job id and status.',
    `- Reference: the same clients against a plain \`ws\` server (a child process, \`node -e\`) that answers the handshake and, on \`POST /finish\`, sends COMPLETED to every socket in one synchronous loop, then \`complete\`.`,
    '',
    markdownTable(MEMORY_HEADER, memory, right(MEMORY_HEADER)),
    '',
    markdownTable(FACTS_HEADER, facts, ['l', 'r', 'r']),
    '',
    markdownTable(DISTRIBUTION_HEADER, fanRows, right(DISTRIBUTION_HEADER)),
    '',
    benchLine,
    '',
    loadLine,
    '',
    referenceLine,
    '',
    '### Across replicas through Redis',
    '',
    `- A redis-server of our own (no persistence) and two gateways A and B on it (\`REDIS_URL\`, the same \`WEBHOOK_SECRET\`; each with \`PUBLIC_URL\` = its own URL). ` +
      `${fmt(options.replicaEvents)} times (${REPLICA_WORKERS} at a time): start a job through A (so Hume calls A back), subscribe to it on B (one multiplexed WebSocket), wait for B's first \`next\`, ` +
      `wait ${fmt(REPLICA_SETTLE_MS)} ms more (B's one early re-read is then over, so B can learn of the completion only through Redis), \`finishJob\` (T0), and time B's COMPLETED \`next\`.`,
    "- \"finishJob → COMPLETED on B\" is an upper bound of the publish-to-deliver latency: it includes the callback delivery to A, A's re-read of the job from Hume, the Redis hop, and B's re-read of the job from Hume.",
    `- "event published on A → COMPLETED on B": the bench also subscribes to \`${EVENT_CHANNEL_PREFIX}*\` on the same Redis and timestamps each COMPLETED event as it arrives; ` +
      "B receives the same message at about the same moment, so this is Redis → B → B's re-read from Hume → WebSocket → client (it leaves out only A's PUBLISH reaching Redis, well under a millisecond on loopback).",
    '',
    markdownTable(DISTRIBUTION_HEADER, replicaRows, right(DISTRIBUTION_HEADER)),
    '',
    replicaLine,
    '',
    '### Targets',
    '',
    targetsMarkdown(targets),
    ...(failures.length ? ['', '**Checks failed:**', '', ...failures.map((f) => `- ${f}`)] : []),
  ].join('\n');

  return { console: consoleText, markdown, targets, failures };
}

export const subscriptions: Benchmark = { id: 'subscriptions', title: 'Subscriptions', run };
