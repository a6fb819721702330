/**
 * Environment -> typed configuration. The gateway's own variables are read here; each provider module reads its
 * own (src/providers/<name>/index.ts). A bad value throws a ConfigError whose message is one line naming the
 * variable, and start-up stops on it.
 */
import { randomBytes } from 'node:crypto';
import type { AuthConfig } from './auth.js';
import { ConfigError, fail, parseBoolean, parseDuration, parseInteger, parseUrl, read, shown, type Env } from './env.js';
import { defaultLimits, type OperationLimits } from './pipeline.js';
import type { AnyProviderModule } from './domain/provider.js';
import { providerModules } from './providers/index.js';

export { ConfigError };

export interface GatewayConfig {
  port: number;
  /** Each configured provider's own configuration, by provider id. */
  providers: Map<string, unknown>;
  /** Externally reachable base URL, without a trailing slash; providers that call back get callbacks under it. */
  publicUrl: string | null;
  webhookSecret: string;
  /** True when WEBHOOK_SECRET was not set: fine for one process, wrong for several replicas. */
  webhookSecretGenerated: boolean;
  redisUrl: string | null;
  /** Start every simulator in-process and point the gateway at them. */
  sandbox: boolean;
  production: boolean;
  /** JWT authentication; null runs without it (one tenant), which production allows only with AUTH=none. */
  auth: AuthConfig | null;
  /** Operation limits, the same on every transport. */
  limits: OperationLimits;
  /** Introspection and field suggestions (off by default under NODE_ENV=production). */
  introspection: boolean;
  /** Starts per tenant per minute. */
  startsPerMinute: number;
  /** Bytes of uploads being received or held at once. */
  uploadBytesInFlight: number;
  /** Tuning (rarely changed): how long tracked work waits to move when its replica dies. */
  trackingLeaseMs: number;
  /** Tuning: how often a live subscription re-reads state without events (lost pub/sub messages). */
  subscriptionResyncMs: number;
}

function parsePort(env: Env): number {
  const raw = read(env, 'PORT');
  if (raw === undefined) return 4000;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) fail('PORT', `expected an integer from 0 to 65535, got ${shown(raw)}`);
  return Number(raw);
}

/** The configuration `module` read, or null when it is not configured here. */
export function providerConfig<C>(config: GatewayConfig, module: { identity: { id: string }; readConfig(env: Env): C | null }): C | null {
  return (config.providers.get(module.identity.id) as C | undefined) ?? null;
}

export function loadConfig(env: Env = process.env, modules: readonly AnyProviderModule[] = providerModules): GatewayConfig {
  const port = parsePort(env);
  const providers = new Map<string, unknown>();
  for (const module of modules) {
    const config = module.readConfig(env);
    if (config !== null) providers.set(module.identity.id, config);
  }
  const publicUrl = parseUrl(env, 'PUBLIC_URL', ['https:', 'http:']) ?? null;
  const redisUrl = parseUrl(env, 'REDIS_URL', ['redis:', 'rediss:']) ?? null;
  const secret = read(env, 'WEBHOOK_SECRET');
  if (secret !== undefined && secret.length < 16) fail('WEBHOOK_SECRET', 'must be at least 16 characters');
  if (secret === undefined && redisUrl !== null)
    fail('WEBHOOK_SECRET', 'required with REDIS_URL: every replica must sign and verify callback URLs with the same secret');
  const production = read(env, 'NODE_ENV') === 'production';
  const askedSandbox = parseBoolean(env, 'SANDBOX');
  // Production never falls back to simulators: no provider there is a mistake to say, not a sandbox to start.
  if (production && askedSandbox === true) fail('SANDBOX', 'sandbox mode is never used under NODE_ENV=production');
  if (production && providers.size === 0)
    fail(
      'NODE_ENV',
      `production with no provider configured: set ${modules.map(providerVariables).join(', or ')} (see the README)`,
    );
  const sandbox = production ? false : (askedSandbox ?? providers.size === 0);
  const auth = readAuth(env, production);

  return {
    port,
    providers,
    publicUrl,
    webhookSecret: secret ?? randomBytes(32).toString('base64url'),
    webhookSecretGenerated: secret === undefined,
    redisUrl,
    sandbox,
    production,
    auth,
    limits: {
      maxDepth: parseInteger(env, 'GRAPHQL_MAX_DEPTH', defaultLimits.maxDepth, 1, 1000),
      maxAliases: parseInteger(env, 'GRAPHQL_MAX_ALIASES', defaultLimits.maxAliases, 0, 10_000),
      maxDirectives: parseInteger(env, 'GRAPHQL_MAX_DIRECTIVES', defaultLimits.maxDirectives, 0, 10_000),
      maxTokens: parseInteger(env, 'GRAPHQL_MAX_TOKENS', defaultLimits.maxTokens, 100, 1_000_000),
      maxCost: parseInteger(env, 'GRAPHQL_MAX_COST', defaultLimits.maxCost, 1, 100_000_000),
      maxRequestedItems: parseInteger(env, 'GRAPHQL_MAX_ITEMS', defaultLimits.maxRequestedItems, 1, 100_000_000),
      maxDistinctIds: parseInteger(env, 'GRAPHQL_MAX_IDS', defaultLimits.maxDistinctIds, 1, 100_000),
      maxQueryLength: parseInteger(env, 'GRAPHQL_MAX_QUERY_LENGTH', defaultLimits.maxQueryLength, 100, 2 * 1024 * 1024),
    },
    introspection: parseBoolean(env, 'GRAPHQL_INTROSPECTION') ?? !production,
    startsPerMinute: parseInteger(env, 'START_RATE_LIMIT', 60, 1, 1_000_000),
    uploadBytesInFlight: parseInteger(env, 'MAX_UPLOAD_BYTES_IN_FLIGHT', 2 * 1024 ** 3, 1024 * 1024, 2 ** 50),
    trackingLeaseMs: parseDuration(env, 'TRACKING_LEASE_MS', 10_000),
    subscriptionResyncMs: parseDuration(env, 'SUBSCRIPTION_RESYNC_MS', 30_000),
  };
}

function readAuth(env: Env, production: boolean): AuthConfig | null {
  const jwksUrl = parseUrl(env, 'AUTH_JWKS_URL', ['https:', 'http:']);
  const mode = read(env, 'AUTH')?.toLowerCase();
  if (mode !== undefined && mode !== 'none' && mode !== 'jwt') fail('AUTH', `expected "none" or "jwt", got ${shown(mode)}`);
  if (mode === 'none' && jwksUrl !== undefined) fail('AUTH', 'AUTH=none contradicts AUTH_JWKS_URL; unset one of them');
  if (jwksUrl === undefined) {
    if (mode === 'jwt') fail('AUTH_JWKS_URL', 'AUTH=jwt needs the JWKS URL of the token issuer');
    if (production && mode !== 'none')
      fail('AUTH_JWKS_URL', 'production without authentication: set AUTH_JWKS_URL (JWTs), or AUTH=none to run open on purpose');
    return null;
  }
  const claim = read(env, 'AUTH_TENANT_CLAIM') ?? 'tenant';
  return {
    jwksUrl,
    issuer: read(env, 'AUTH_ISSUER') ?? null,
    audience: read(env, 'AUTH_AUDIENCE') ?? null,
    tenantClaim: claim,
    adminScope: read(env, 'AUTH_ADMIN_SCOPE') ?? null,
  };
}

/** The variables that enable a provider, for the production start-up message. */
function providerVariables(module: AnyProviderModule): string {
  return module.enabledBy;
}
