/**
 * Hume completion callbacks. Each job gets its own callback URL `PUBLIC_URL/webhooks/hume/<nonce>.<signature>`;
 * the store maps the nonce to the job once Hume has told us its id. The receiver trusts nothing in the body: it
 * checks the token, answers at once, re-reads the job from Hume and reports only a real change of state, so a
 * forged, replayed or malformed callback changes nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { UrlSigner } from '../signing.js';
import type { GatewayStore } from '../store/store.js';

const PURPOSE = 'hume-callback';
const BINDINGS = 'hume-callback';
export const HUME_WEBHOOK_PATH = '/webhooks/hume/';
/** Hume keeps results for a while; a callback later than this is not expected. */
const BINDING_TTL_MS = 30 * 24 * 3600 * 1000;
/** A callback can beat the start POST's answer (a fast job): wait this long for the binding. */
const BINDING_WAIT_MS = 10_000;

export interface PreparedCallback {
  url: string;
  bind(jobId: string): Promise<void>;
}

export class HumeCallbacks {
  constructor(
    private readonly signer: UrlSigner,
    private readonly store: GatewayStore,
    /** Re-reads a job from Hume and announces a real change of state. */
    private readonly refreshJob: (jobId: string) => Promise<unknown>,
    /** Read at each start: in sandbox mode the URL is known only once the server listens. */
    private readonly publicUrl: () => string | null,
    private readonly log: (message: string, fields?: Record<string, unknown>) => void = () => {},
  ) {}

  /** Before the start POST: a fresh callback URL, or null when the gateway has no public URL (it polls then). */
  prepare(): PreparedCallback | null {
    const base = this.publicUrl();
    if (!base) return null;
    const { token, nonce } = this.signer.issueToken(PURPOSE);
    return {
      url: `${base}${HUME_WEBHOOK_PATH}${token}`,
      // After Hume answered: the callback with this nonce now belongs to this job, and only to it.
      bind: (jobId) => this.store.put(BINDINGS, nonce, jobId, BINDING_TTL_MS),
    };
  }

  /** POST /webhooks/hume/<token> */
  async handle(req: IncomingMessage, res: ServerResponse, token: string): Promise<void> {
    const answer = (status: number, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json', connection: status >= 400 ? 'close' : 'keep-alive' });
      res.end(JSON.stringify({ [status < 300 ? 'status' : 'error']: message }));
      // The body is never needed: drop it without buffering (a completion body can be very large).
      req.resume();
    };
    if (req.method !== 'POST') return answer(405, 'method not allowed');
    const nonce = this.signer.openToken(PURPOSE, token);
    if (!nonce) return answer(404, 'unknown callback');
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') return answer(415, 'expected application/json');
    answer(202, 'accepted');
    void this.refresh(nonce).catch((error: unknown) => this.log('hume callback refresh failed', { error: String(error) }));
  }

  private async refresh(nonce: string): Promise<void> {
    const jobId = await this.waitForBinding(nonce);
    if (!jobId) {
      this.log('hume callback for a token that was never bound', {});
      return;
    }
    await this.refreshJob(jobId);
  }

  private async waitForBinding(nonce: string): Promise<string | undefined> {
    const deadline = Date.now() + BINDING_WAIT_MS;
    for (let delay = 25; ; delay = Math.min(delay * 2, 1000)) {
      const jobId = await this.store.get<string>(BINDINGS, nonce);
      if (jobId || Date.now() >= deadline) return jobId;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
