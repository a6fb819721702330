/**
 * What every provider adapter is to the rest of the gateway: an identity, a module that reads its configuration and
 * builds the adapter from the core's services, and the adapter's lifecycle (readiness, background work, routes).
 * The schema, the error mapping, readiness, metrics, sandbox and configuration all go through these, so adding a
 * provider adds a module here and names nothing elsewhere.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, RecordStore, WorkRunner, WorkTracking } from './tracking.js';
import type { ProviderHttpError, ProviderUnavailableError } from './failures.js';

export interface ProviderIdentity {
  /** Stable lower-case id: logs, metric labels, store namespaces, error origins. */
  id: string;
  /** The value in the GraphQL `Provider` enum (errors and failures). */
  graphqlName: string;
  /** How messages name it. */
  displayName: string;
}

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

/** An HTTP route a provider needs beside GraphQL (a callback receiver, a download), mounted under `prefix`. */
export interface ProviderRoute {
  /** e.g. `/webhooks/hume/`; the rest of the path is handed to `handle`. */
  prefix: string;
  handle(req: IncomingMessage, res: ServerResponse, rest: string, url: URL): Promise<void>;
}

export interface ProviderAdapter {
  readonly identity: ProviderIdentity;
  /** Reachable, and the gateway's credentials accepted. */
  readiness(): Promise<ReadinessCheck>;
  /** Begins background work: resumes what a previous process or a dead replica left unfinished. */
  start(): void;
  /** Stops background work (handing leases over) and closes connections. */
  close(): Promise<void>;
  /** Pieces of work this replica follows now. */
  trackedCount(): number;
  readonly routes: ProviderRoute[];
}

/** Hooks for metrics and logs, called by every provider client; each is optional. */
export interface ProviderObserver {
  requestFinished?(provider: string, operation: string, status: number | 'error', durationMs: number): void;
  retrying?(provider: string, operation: string, failure: ProviderHttpError | ProviderUnavailableError, delayMs: number): void;
}

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Client tuning every adapter honours (tests shorten timeouts and retry delays). */
export interface ClientTuning {
  retry?: RetryPolicy;
  /** Time to wait for response headers. */
  headersTimeoutMs?: number;
  /** Time to wait for the headers of an upload's answer, where an adapter keeps that apart (Hume expression). */
  uploadHeadersTimeoutMs?: number;
}

/** Signed callback URLs: a provider that calls back gets one per piece of work (only with a public URL). */
export interface CallbackIssuer {
  /** A fresh URL for the next start, or null when the gateway has no public URL (it polls then). */
  prepare(): { url: string; bind(workId: string): Promise<void> } | null;
  /** Whether callbacks reach this gateway now. */
  enabled(): boolean;
}

/** Signed, expiring links to routes of the gateway (downloads streamed through it). */
export interface LinkSigner {
  sign(purpose: string, payload: string): string;
  verify(purpose: string, payload: string, signature: string): boolean;
}

/** What the core gives an adapter. Domain interfaces only: an adapter never imports the store or the schema. */
export interface AdapterDeps {
  records: RecordStore;
  /** Work followed to its end across replicas, with a lease per piece (one tracker per kind). */
  trackWork(kind: string, runner: WorkRunner): WorkTracking;
  /**
   * A piece of work reached a new status: subscribers of `topic` (e.g. `jobUpdated`) for `id`, and of any analysis
   * it belongs to, are told.
   */
  announce(topic: string, id: string, status: string): Promise<void>;
  /** Callbacks of this provider, handed to `onCallback` by the core's receiver. */
  callbacks(onCallback: (workId: string) => Promise<unknown>): CallbackIssuer;
  links: LinkSigner;
  clock: Clock;
  log: (message: string, fields?: Record<string, unknown>) => void;
  observer: ProviderObserver;
  tuning: ClientTuning;
  /** Lease lifetime for tracked work. */
  leaseMs: number;
}

type Env = Record<string, string | undefined>;

export interface ProviderModule<Config = unknown, Adapter extends ProviderAdapter = ProviderAdapter> {
  readonly identity: ProviderIdentity;
  /** Its environment variables: null when not configured; throws a ConfigError naming a bad variable. */
  readConfig(env: Env): Config | null;
  /** The variables that turn it on, for messages (e.g. "HUME_API_KEY"). */
  readonly enabledBy: string;
  /** What the start-up log says about its configuration (never a key). */
  describe(config: Config): string;
  create(config: Config, deps: AdapterDeps, options?: unknown): Adapter;
}

/**
 * Any provider module, whatever its configuration type (a module's config is read and consumed by the module alone,
 * so the core never needs to know it).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProviderModule = ProviderModule<any, ProviderAdapter>;

/** The adapter type a module builds. */
export type AdapterOf<M> = M extends ProviderModule<infer _C, infer A> ? A : never;
