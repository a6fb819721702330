/**
 * HMAC signatures for the URLs the gateway hands out: Hume callback tokens and artifact download links.
 * Each purpose signs under its own derived key, so a signature made for one can never pass as the other.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class UrlSigner {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly secret: string) {}

  sign(purpose: string, payload: string): string {
    return createHmac('sha256', this.key(purpose)).update(payload).digest('base64url');
  }

  /** Constant-time comparison, so the check leaks nothing about how much of a forged signature was right. */
  verify(purpose: string, payload: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(purpose, payload));
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** A fresh random token `<nonce>.<signature>` for one use. */
  issueToken(purpose: string): { token: string; nonce: string } {
    const nonce = randomBytes(18).toString('base64url');
    return { token: `${nonce}.${this.sign(purpose, nonce)}`, nonce };
  }

  /** The nonce of a well-formed, correctly signed token; undefined otherwise. */
  openToken(purpose: string, token: string): string | undefined {
    const match = /^([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return undefined;
    return this.verify(purpose, match[1]!, match[2]!) ? match[1] : undefined;
  }

  private key(purpose: string): Buffer {
    let key = this.keys.get(purpose);
    if (!key) {
      key = createHmac('sha256', this.secret).update(`emotion-gateway:${purpose}`).digest();
      this.keys.set(purpose, key);
    }
    return key;
  }
}
