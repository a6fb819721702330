/**
 * A real JWKS endpoint for tests: an HTTP server on a free loopback port publishing the public halves of keys made
 * with jose for this run, and the signer of tokens with them. Keys can be published and retired while it runs
 * (rotation), every GET of the key set is counted, and it can answer another status than 200 on demand (an issuer
 * that is down). Beside good tokens it forges the bad ones a gateway must refuse: `alg: none`, HS256 signed with the
 * public key's bytes (key confusion), wrong issuer or audience, expired, not yet valid, unknown `kid`, tampered,
 * garbage, over-long, and without a tenant claim.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, exportSPKI, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';

export const TEST_ISSUER = 'https://issuer.auth.test/';
export const TEST_AUDIENCE = 'emotion-gateway-tests';
/** The claim naming the tenant, and the operators' scope, as the auth tests configure the gateway. */
export const TEST_TENANT_CLAIM = 'org';
export const TEST_ADMIN_SCOPE = 'emotion:admin';

export type AsymmetricAlg = 'RS256' | 'PS256' | 'ES256' | 'ES384' | 'EdDSA';

export interface TestKey {
  kid: string;
  alg: AsymmetricAlg;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public JWK as the JWKS publishes it (with `kid`, `alg`, `use`). */
  publicJwk: JWK;
}

export interface SignOptions {
  /** The key, by kid (default: the newest published key). */
  kid?: string;
  /** Sign with this key (published or not) instead of one looked up by kid. */
  key?: TestKey;
  /** Seconds from now until `exp` (negative: already expired); default 300. `null` leaves `exp` out. */
  expiresIn?: number | null;
  /** Seconds from now until `nbf` (positive: not valid yet); absent by default. */
  notBefore?: number;
  /** Default TEST_ISSUER; `null` leaves `iss` out. */
  issuer?: string | null;
  /** Default TEST_AUDIENCE; `null` leaves `aud` out. */
  audience?: string | string[] | null;
  /** The `kid` the header names, when it should differ from the signing key's own. */
  headerKid?: string;
}

export interface JwksServer {
  /** The key set's URL (for AUTH_JWKS_URL). */
  readonly url: string;
  /** GETs of the key set so far. */
  readonly gets: number;
  /** When set, the key set answers this status (with a small error body) instead of 200. */
  failWith: number | null;
  /** The kids published now, in publishing order. */
  readonly published: string[];
  /** Makes a key; `publish: false` keeps it off the JWKS (a kid the gateway cannot know). */
  createKey(options?: { alg?: AsymmetricAlg; kid?: string; publish?: boolean }): Promise<TestKey>;
  /** Publishes a key made earlier (rotation: the new key appears). */
  publish(key: TestKey): void;
  /** Takes a key off the JWKS (rotation: the old key is gone). */
  retire(kid: string): void;
  key(kid: string): TestKey;
  /** A signed JWT with the given claims (and iss, aud, iat, exp by default). */
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
  forge: Forgeries;
  resetCount(): void;
  close(): Promise<void>;
}

export interface Forgeries {
  /** Unsigned: `alg: none`, empty signature. */
  algNone(claims: JWTPayload): Promise<string>;
  /** HS256 with the published RSA key's SPKI PEM as the HMAC secret (the classic key confusion). */
  hs256WithPublicPem(claims: JWTPayload): Promise<string>;
  /** HS256 with the published key's JWK JSON as the HMAC secret. */
  hs256WithPublicJwk(claims: JWTPayload): Promise<string>;
  /** A valid token with one payload byte changed after signing. */
  tampered(claims: JWTPayload): Promise<string>;
  /** Signed by a key the JWKS does not publish, under a kid it does not know. */
  unknownKid(claims: JWTPayload): Promise<string>;
  /** `count` tokens signed by one key the JWKS does not publish, each under a random kid (cheap: one key made). */
  randomKids(claims: JWTPayload, count: number): Promise<string[]>;
  /** Signed by a key the JWKS does not publish, under the kid of one it does. */
  wrongKeyKnownKid(claims: JWTPayload): Promise<string>;
  /** A well-formed, correctly signed token longer than any gateway should read (a 20 KB claim). */
  overLong(claims: JWTPayload): Promise<string>;
}

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function startJwksServer(options: { keys?: AsymmetricAlg[] } = {}): Promise<JwksServer> {
  const keys = new Map<string, TestKey>();
  const published: string[] = [];
  let gets = 0;
  const state = { failWith: null as number | null };

  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/.well-known/jwks.json') {
      gets++;
      if (state.failWith !== null) {
        res.writeHead(state.failWith, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
        return;
      }
      const body = JSON.stringify({ keys: published.map((kid) => keys.get(kid)!.publicJwk) });
      res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(body);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;

  async function createKey(opts: { alg?: AsymmetricAlg; kid?: string; publish?: boolean } = {}): Promise<TestKey> {
    const alg = opts.alg ?? 'RS256';
    const kid = opts.kid ?? `key-${randomUUID()}`;
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
    const key: TestKey = { kid, alg, privateKey, publicKey, publicJwk };
    keys.set(kid, key);
    if (opts.publish !== false) published.push(kid);
    return key;
  }

  const newestPublished = (): TestKey => {
    const kid = published.at(-1);
    if (!kid) throw new Error('the JWKS publishes no key');
    return keys.get(kid)!;
  };

  const newestRsa = (): TestKey => {
    const kid = [...published].reverse().find((k) => keys.get(k)!.alg === 'RS256');
    if (!kid) throw new Error('the JWKS publishes no RS256 key');
    return keys.get(kid)!;
  };

  function claimsFor(claims: JWTPayload, opts: SignOptions): JWTPayload {
    const payload: JWTPayload = { iat: now(), ...claims };
    const issuer = opts.issuer === undefined ? TEST_ISSUER : opts.issuer;
    const audience = opts.audience === undefined ? TEST_AUDIENCE : opts.audience;
    if (issuer !== null) payload.iss = issuer;
    if (audience !== null) payload.aud = audience;
    const expiresIn = opts.expiresIn === undefined ? 300 : opts.expiresIn;
    if (expiresIn !== null) payload.exp = now() + expiresIn;
    if (opts.notBefore !== undefined) payload.nbf = now() + opts.notBefore;
    return payload;
  }

  async function sign(claims: JWTPayload, opts: SignOptions = {}): Promise<string> {
    const key = opts.key ?? (opts.kid ? keys.get(opts.kid) : newestPublished());
    if (!key) throw new Error(`no key ${opts.kid}`);
    return new SignJWT(claimsFor(claims, opts)).setProtectedHeader({ alg: key.alg, kid: opts.headerKid ?? key.kid, typ: 'JWT' }).sign(key.privateKey);
  }

  const hs256 = (claims: JWTPayload, kid: string, secret: Uint8Array) =>
    new SignJWT(claimsFor(claims, {})).setProtectedHeader({ alg: 'HS256', kid, typ: 'JWT' }).sign(secret);

  const forge: Forgeries = {
    async algNone(claims) {
      return `${b64({ alg: 'none', typ: 'JWT', kid: newestPublished().kid })}.${b64(claimsFor(claims, {}))}.`;
    },
    async hs256WithPublicPem(claims) {
      const key = newestRsa();
      return hs256(claims, key.kid, new TextEncoder().encode(await exportSPKI(key.publicKey)));
    },
    async hs256WithPublicJwk(claims) {
      const key = newestRsa();
      return hs256(claims, key.kid, new TextEncoder().encode(JSON.stringify(key.publicJwk)));
    },
    async tampered(claims) {
      const [header, payload, signature] = (await sign(claims)).split('.') as [string, string, string];
      const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as JWTPayload;
      return `${header}.${b64({ ...decoded, admin: true, tampered: 'yes' })}.${signature}`;
    },
    async unknownKid(claims) {
      return sign(claims, { key: await createKey({ publish: false }) });
    },
    async randomKids(claims, count) {
      const stranger = await createKey({ publish: false });
      return Promise.all(Array.from({ length: count }, () => sign(claims, { key: stranger, headerKid: `random-${randomUUID()}` })));
    },
    async wrongKeyKnownKid(claims) {
      const stranger = await createKey({ alg: newestPublished().alg, publish: false });
      return sign(claims, { key: stranger, headerKid: newestPublished().kid });
    },
    async overLong(claims) {
      return sign({ ...claims, padding: 'x'.repeat(20 * 1024) });
    },
  };

  for (const alg of options.keys ?? ['RS256']) await createKey({ alg });

  return {
    url,
    get gets() {
      return gets;
    },
    get failWith() {
      return state.failWith;
    },
    set failWith(status: number | null) {
      state.failWith = status;
    },
    get published() {
      return [...published];
    },
    createKey,
    publish(key) {
      if (!published.includes(key.kid)) published.push(key.kid);
    },
    retire(kid) {
      const at = published.indexOf(kid);
      if (at >= 0) published.splice(at, 1);
    },
    key(kid) {
      const key = keys.get(kid);
      if (!key) throw new Error(`no key ${kid}`);
      return key;
    },
    sign,
    forge,
    resetCount() {
      gets = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The gateway's environment for authentication against `jwks`. */
export const authEnvFor = (jwks: JwksServer) => ({
  AUTH_JWKS_URL: jwks.url,
  AUTH_ISSUER: TEST_ISSUER,
  AUTH_AUDIENCE: TEST_AUDIENCE,
  AUTH_TENANT_CLAIM: TEST_TENANT_CLAIM,
  AUTH_ADMIN_SCOPE: TEST_ADMIN_SCOPE,
});
