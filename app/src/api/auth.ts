/**
 * The caller's bearer token. The gateway asks for one when it runs with authentication (AUTH_JWKS_URL): HTTP sends
 * it as `Authorization: Bearer <jwt>`, the WebSocket in `connection_init` as `{ authorization: "Bearer <jwt>" }`.
 * It comes from the person (the token prompt) or from the page that embeds the app in a frame, which answers the
 * app's `emotion-gateway:token-request` message with `{ type: "emotion-gateway:token", token }`. Kept for the tab
 * only (sessionStorage), never in the URL.
 */
const STORAGE_KEY = 'emotion-gateway:token';
const listeners = new Set<() => void>();

function stored(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

let token: string | null = stored();
/** Why the gateway turned the caller away (no token, or the token was refused), in words; null while all is well. */
let refusal: string | null = null;

function changed(): void {
  for (const listener of listeners) listener();
}

export const auth = {
  get token(): string | null {
    return token;
  },
  get refusal(): string | null {
    return refusal;
  },
  /** A new token: requests use it from now on, and live updates reconnect with it. */
  setToken(value: string): void {
    token = value.trim().replace(/^Bearer\s+/i, '') || null;
    refusal = null;
    try {
      if (token) sessionStorage.setItem(STORAGE_KEY, token);
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Storage may be off (private mode, a sandboxed frame): the token then lasts until the page closes.
    }
    changed();
  },
  signOut(): void {
    this.setToken('');
  },
  /** The gateway answered 401 (HTTP) or closed the socket with 4403: say why, and ask again. */
  refused(message: string): void {
    if (refusal === message) return;
    refusal = message;
    changed();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** Takes a token from the embedding page, if there is one; only messages from the parent window count. */
export function listenForEmbedderToken(): void {
  if (window.parent === window) return;
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent) return;
    const data = event.data as { type?: unknown; token?: unknown } | null;
    if (data?.type === 'emotion-gateway:token' && typeof data.token === 'string') auth.setToken(data.token);
  });
  window.parent.postMessage({ type: 'emotion-gateway:token-request' }, '*');
}
