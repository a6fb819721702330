/**
 * Provider callbacks. Each piece of work gets its own callback URL `PUBLIC_URL/webhooks/<provider>/<nonce>.<sig>`;
 * the store maps the nonce to the work once the provider has told us its id. The receiver trusts nothing in the
 * body: it checks the token, answers at once, and hands the work id to the provider's adapter, which re-reads the
 * work and reports only a real change of state, so a forged, replayed or malformed callback changes nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallbackIssuer, ProviderRoute } from '../domain/provider.js';
import type { RecordStore } from '../domain/tracking.js';
import type { UrlSigner } from '../signing.js';

export const WEBHOOK_PATH = '/webhooks/';
/** A provider keeps results for a while; a callback later than this is not expected. */
const BINDING_TTL_MS = 30 * 24 * 3600 * 1000;
/** A callback can beat the start POST's answer (a fast job): wait this long for the binding. */
const BINDING_WAIT_MS = 10_000;

/** The callbacks of one provider: the issuer its adapter uses, and the route the server mounts. */
export class ProviderCallbacks implements CallbackIssuer {
  readonly route: ProviderRoute;
  private readonly purpose: string;

  constructor(
    /** Provider id: part of the path, the signature's purpose and the bindings' namespace. */
    provider: string,
    private readonly signer: UrlSigner,
    private readonly store: RecordStore,
    /** Re-reads the work from the provider and announces a real change of state. */
    private readonly onCallback: (workId: string) => Promise<unknown>,
    /** Read at each start: in sandbox mode the URL is known only once the server listens. */
    private readonly publicUrl: () => string | null,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void = () => {},
  ) {
    this.purpose = `${provider}-callback`;
    const prefix = `${WEBHOOK_PATH}${provider}/`;
    this.route = { prefix, handle: (req, res, token) => this.handle(req, res, token) };
  }

  enabled(): boolean {
    return this.publicUrl() !== null;
  }

  /** Before the start POST: a fresh callback URL, or null when the gateway has no public URL (it polls then). */
  prepare(): { url: string; bind(workId: string): Promise<void> } | null {
    const base = this.publicUrl();
    if (!base) return null;
    const { token, nonce } = this.signer.issueToken(this.purpose);
    return {
      url: `${base}${this.route.prefix}${token}`,
      // After the provider answered: the callback with this nonce now belongs to this work, and only to it.
      bind: (workId) => this.store.put(this.purpose, nonce, workId, BINDING_TTL_MS),
    };
  }

  /** POST <prefix><token> */
  private async handle(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    const answer = (status: number, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json', connection: status >= 400 ? 'close' : 'keep-alive' });
      res.end(JSON.stringify({ [status < 300 ? 'status' : 'error']: message }));
      // The body is never needed: drop it without buffering (a completion body can be very large).
      req.resume();
    };
    if (req.method !== 'POST') return answer(405, 'method not allowed');
    const nonce = this.signer.openToken(this.purpose, token);
    if (!nonce) return answer(404, 'unknown callback');
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return answer(415, 'expected application/json');
    answer(202, 'accepted');
    void this.refresh(nonce).catch((error: unknown) => this.log('callback refresh failed', { purpose: this.purpose, error: String(error) }));
  }

  private async refresh(nonce: string): Promise<void> {
    const workId = await this.waitForBinding(nonce);
    if (!workId) {
      this.log('callback for a token that was never bound', { purpose: this.purpose });
      return;
    }
    await this.onCallback(workId);
  }

  private async waitForBinding(nonce: string): Promise<string | undefined> {
    const deadline = Date.now() + BINDING_WAIT_MS;
    for (let delay = 25; ; delay = Math.min(delay * 2, 1000)) {
      const workId = await this.store.get<string>(this.purpose, nonce);
      if (workId || Date.now() >= deadline) return workId;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
