/**
 * Environment -> typed configuration. Every variable of the design brief is read here and nowhere else; a bad
 * value throws a ConfigError whose message is one line naming the variable, and start-up stops on it.
 */
import { randomBytes } from 'node:crypto';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface GatewayConfig {
  port: number;
  hume: { apiKey: string; baseUrl: string } | null;
  phonexia: { baseUrl: string; headers: Record<string, string> } | null;
  /** Externally reachable base URL, without a trailing slash; Hume jobs get callbacks under it. */
  publicUrl: string | null;
  webhookSecret: string;
  /** True when WEBHOOK_SECRET was not set: fine for one process, wrong for several replicas. */
  webhookSecretGenerated: boolean;
  redisUrl: string | null;
  /** Start both simulators in-process and point the gateway at them. */
  sandbox: boolean;
  /** Tuning (rarely changed): how long tracked work waits to move when its replica dies. */
  trackingLeaseMs: number;
  /** Tuning: how often a live subscription re-reads state without events (lost pub/sub messages). */
  subscriptionResyncMs: number;
}

type Env = Record<string, string | undefined>;

function fail(variable: string, problem: string): never {
  throw new ConfigError(`${variable}: ${problem}`);
}

/** Unset and empty both mean "not given". */
function read(env: Env, variable: string): string | undefined {
  const value = env[variable]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function parsePort(env: Env): number {
  const raw = read(env, 'PORT');
  if (raw === undefined) return 4000;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) fail('PORT', `expected an integer from 0 to 65535, got ${shown(raw)}`);
  return Number(raw);
}

/** A value quoted for a one-line message: control characters (a pasted newline) are escaped, long values cut. */
function shown(raw: string): string {
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}...` : raw);
}

/** URLs are not echoed: they may carry credentials (redis://:password@host), and the message ends up in logs. */
function parseUrl(env: Env, variable: string, protocols: string[]): string | undefined {
  const raw = read(env, variable);
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    fail(variable, `not a valid absolute URL (expected ${protocols.join(' or ')}//host...)`);
  }
  if (!protocols.includes(url.protocol)) fail(variable, `expected a ${protocols.join(' or ')} URL, got a ${shown(url.protocol)} URL`);
  return raw.replace(/\/+$/, '');
}

function parseHeaders(env: Env): Record<string, string> {
  const raw = read(env, 'PHONEXIA_HEADERS');
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    fail('PHONEXIA_HEADERS', 'expected a JSON object of header names to string values, e.g. {"Authorization":"Bearer ..."}');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    fail('PHONEXIA_HEADERS', 'expected a JSON object of header names to string values');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) fail('PHONEXIA_HEADERS', `${shown(name)} is not a valid header name`);
    if (typeof value !== 'string') fail('PHONEXIA_HEADERS', `the value of ${shown(name)} must be a string`);
    headers[name] = value;
  }
  return headers;
}

function parseDuration(env: Env, variable: string, fallback: number): number {
  const raw = read(env, variable);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 100 || Number(raw) > 3_600_000)
    fail(variable, `expected milliseconds from 100 to 3600000, got "${raw}"`);
  return Number(raw);
}

function parseBoolean(env: Env, variable: string): boolean | undefined {
  const raw = read(env, variable)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  fail(variable, `expected true or false, got ${shown(env[variable] ?? '')}`);
}

export function loadConfig(env: Env = process.env): GatewayConfig {
  const port = parsePort(env);
  const humeApiKey = read(env, 'HUME_API_KEY');
  const humeBaseUrl = parseUrl(env, 'HUME_BASE_URL', ['https:', 'http:']) ?? 'https://api.hume.ai';
  const phonexiaBaseUrl = parseUrl(env, 'PHONEXIA_BASE_URL', ['https:', 'http:']);
  const phonexiaHeaders = parseHeaders(env);
  const publicUrl = parseUrl(env, 'PUBLIC_URL', ['https:', 'http:']) ?? null;
  const redisUrl = parseUrl(env, 'REDIS_URL', ['redis:', 'rediss:']) ?? null;
  const secret = read(env, 'WEBHOOK_SECRET');
  if (secret !== undefined && secret.length < 16) fail('WEBHOOK_SECRET', 'must be at least 16 characters');
  if (secret === undefined && redisUrl !== null)
    fail('WEBHOOK_SECRET', 'required with REDIS_URL: every replica must sign and verify callback URLs with the same secret');
  const noProvider = humeApiKey === undefined && phonexiaBaseUrl === undefined;
  const sandbox = parseBoolean(env, 'SANDBOX') ?? noProvider;

  return {
    port,
    hume: humeApiKey === undefined ? null : { apiKey: humeApiKey, baseUrl: humeBaseUrl },
    phonexia: phonexiaBaseUrl === undefined ? null : { baseUrl: phonexiaBaseUrl, headers: phonexiaHeaders },
    publicUrl,
    webhookSecret: secret ?? randomBytes(32).toString('base64url'),
    webhookSecretGenerated: secret === undefined,
    redisUrl,
    sandbox,
    trackingLeaseMs: parseDuration(env, 'TRACKING_LEASE_MS', 10_000),
    subscriptionResyncMs: parseDuration(env, 'SUBSCRIPTION_RESYNC_MS', 30_000),
  };
}
