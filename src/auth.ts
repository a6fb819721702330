/**
 * Who is calling. With AUTH_JWKS_URL set, every operation carries a JWT signed by a key of that JWKS (jose: keys
 * cached and refetched on an unknown `kid` at most once per cooldown, so random kids cannot make the gateway hammer
 * the JWKS); `exp`/`nbf` with a few seconds of clock skew, and `iss`/`aud` when configured, are checked. Only
 * asymmetric algorithms are accepted: `alg: none` and key confusion (HS256 signed with the public key) fail.
 * Without it, every caller is one tenant.
 */
import { createRemoteJWKSet, customFetch, errors as joseErrors, jwksCache, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';

export interface AuthConfig {
  jwksUrl: string;
  issuer: string | null;
  audience: string | null;
  /** The claim naming the caller's tenant; `sub` when absent. */
  tenantClaim: string;
  /** A scope that sees every tenant's work (operators), or null. */
  adminScope: string | null;
}

/** The caller, once authenticated: what it may see. */
export interface Viewer {
  tenant: string;
  /** Sees every tenant's work. */
  admin: boolean;
  /** Epoch ms after which the token no longer holds, `exp` plus the clock skew allowed (WebSocket sockets end then); null without authentication. */
  expiresAt: number | null;
}

/** Without authentication every caller is this one tenant. */
export const DEFAULT_TENANT = 'default';
export const ANONYMOUS: Viewer = { tenant: DEFAULT_TENANT, admin: false, expiresAt: null };

/** Whether `viewer` may see work that `owner` started (undefined: started elsewhere, or its record expired). */
export function sees(viewer: Viewer, owner: string | undefined, authEnabled: boolean): boolean {
  if (viewer.admin) return true;
  if (owner === undefined) return !authEnabled;
  return owner === viewer.tenant;
}

/** The token is missing or not acceptable; the message says which, never why a signature check failed inside. */
export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
}

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const CLOCK_TOLERANCE_S = 5;
const MAX_TOKEN_LENGTH = 16 * 1024;

export interface Authenticator {
  readonly enabled: boolean;
  /** The viewer for an `Authorization` header value (`Bearer <jwt>`); throws AuthenticationError. */
  authenticate(authorization: string | null | undefined): Promise<Viewer>;
}

export const noAuthentication: Authenticator = { enabled: false, authenticate: async () => ANONYMOUS };

/** How the JWKS is cached; tests shorten it. */
export interface JwksTuning {
  /** After a fetch, how long an unknown `kid` waits before it may cause another (default 30 s). */
  cooldownMs?: number;
  /** How long a fetched key set is used before it is fetched again (default 10 min). */
  maxAgeMs?: number;
}

export function createAuthenticator(config: AuthConfig, now: () => number = Date.now, tuning: JwksTuning = {}): Authenticator {
  // jose writes the time of each successful fetch of the key set here (`uat`): which key set a token was checked with.
  const keySet: { uat?: number } = {};
  const cooldownMs = tuning.cooldownMs ?? 30_000;
  // jose's cooldown starts at a successful fetch only: while the JWKS fails, every token with a kid the gateway does
  // not know would cause a fetch. After a failed fetch, the next waits this long (tokens it cannot check get 401).
  const retryAfterFailureMs = Math.min(5_000, cooldownMs);
  let fetchFailedAt = -Infinity;
  const keys = createRemoteJWKSet(new URL(config.jwksUrl), {
    cooldownDuration: cooldownMs,
    cacheMaxAge: tuning.maxAgeMs ?? 600_000,
    timeoutDuration: 5_000,
    [jwksCache]: keySet as Record<string, never>,
    [customFetch]: async (url, init) => {
      if (now() - fetchFailedAt < retryAfterFailureMs) throw new Error('the JWKS failed just before; not asked again yet');
      try {
        const response = await fetch(url, init);
        if (response.status !== 200) fetchFailedAt = now();
        return response;
      } catch (error) {
        fetchFailedAt = now();
        throw error;
      }
    },
  });
  // A verified token is remembered until it expires, as long as the key set it was verified with is the current
  // one and fresh: verifying a signature per request is the costly part, but a key the JWKS no longer publishes
  // must stop working once the gateway has fetched the key set without it (not only when its tokens expire).
  const verified = new LRUCache<string, { viewer: Viewer; keySetAt: number | undefined }>({ max: 10_000 });
  const inFlight = new Map<string, Promise<{ viewer: Viewer; keySetAt: number | undefined }>>();

  const viewerOf = (payload: JWTPayload): Viewer => {
    const claimed = payload[config.tenantClaim];
    const tenant = typeof claimed === 'string' && claimed !== '' ? claimed : typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : null;
    if (tenant === null || tenant.length > 256) throw new AuthenticationError(`the token names no tenant (claim "${config.tenantClaim}" or "sub")`);
    // Control characters have no place in a tenant's name, and the gateway's own indexes use one (the all-tenants index).
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(tenant)) throw new AuthenticationError('the token\'s tenant holds control characters');
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : Array.isArray(payload.scp) ? payload.scp.map(String) : [];
    // The token holds until exp plus the clock skew allowed, on every transport (a socket ends then).
    return { tenant, admin: config.adminScope !== null && scopes.includes(config.adminScope), expiresAt: ((payload.exp as number) + CLOCK_TOLERANCE_S) * 1000 };
  };

  const verify = async (token: string): Promise<{ viewer: Viewer; keySetAt: number | undefined }> => {
    let keySetAt: number | undefined;
    const key: JWTVerifyGetKey = async (header, jws) => {
      const found = await keys(header, jws);
      keySetAt = keySet.uat;
      return found;
    };
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['exp'],
        ...(config.issuer ? { issuer: config.issuer } : {}),
        ...(config.audience ? { audience: config.audience } : {}),
      });
      return { viewer: viewerOf(payload), keySetAt };
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new AuthenticationError('the token has expired');
      if (error instanceof joseErrors.JWTClaimValidationFailed) throw new AuthenticationError(`the token's "${error.claim}" claim is not acceptable`);
      if (error instanceof joseErrors.JWKSNoMatchingKey) throw new AuthenticationError('the token is signed by an unknown key');
      // A JWKS that cannot be fetched (down, slow, not a JWKS) is the gateway's trouble, not a bad token.
      // (jose throws a bare JOSEError only when fetching the key set failed: a status other than 200, or not JSON.)
      if (
        error instanceof joseErrors.JWKSTimeout ||
        error instanceof joseErrors.JWKSInvalid ||
        !(error instanceof joseErrors.JOSEError) ||
        error.code === joseErrors.JOSEError.code
      )
        throw new AuthenticationError('the signing keys could not be fetched; try again');
      throw new AuthenticationError('the token is not valid');
    }
  };

  return {
    enabled: true,
    async authenticate(authorization) {
      const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)\s*$/i.exec(authorization ?? '');
      if (!authorization) throw new AuthenticationError('authentication required: send "Authorization: Bearer <jwt>"');
      if (authorization.length > MAX_TOKEN_LENGTH || !match) throw new AuthenticationError('expected "Authorization: Bearer <jwt>"');
      const token = match[1]!;
      const cached = verified.get(token);
      if (cached) {
        if (cached.viewer.expiresAt !== null && cached.viewer.expiresAt <= now()) throw new AuthenticationError('the token has expired');
        if (cached.keySetAt === keySet.uat && keys.fresh) return cached.viewer;
        // The key set was fetched again (or is due): the token is checked against the keys published now.
        verified.delete(token);
      }
      let pending = inFlight.get(token);
      if (!pending) {
        pending = verify(token).finally(() => inFlight.delete(token));
        inFlight.set(token, pending);
      }
      const result = await pending;
      verified.set(token, result, { ttl: Math.max(1, (result.viewer.expiresAt ?? now()) - now()) });
      return result.viewer;
    },
  };
}
