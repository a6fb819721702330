/**
 * The yoga plugins that only HTTP needs (WebSocket authenticates at connection_init and carries no uploads):
 * authentication, the cross-site request check, bounded bodies of unknown length, and the multipart parser.
 */
import type { Readable } from 'node:stream';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { AuthenticationError, type Authenticator, type Viewer } from './auth.js';
import type { GatewayContext } from './context.js';
import type { Logger } from './logger.js';
import { parseMultipart, type MultipartLimits, type UploadBudget } from './uploads/multipart.js';

/** The viewer each authenticated HTTP request carries, for the context factory. */
export const requestViewers = new WeakMap<Request, Viewer>();

const unauthenticated = (message: string) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] }), {
    status: 401,
    headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer' },
  });

/** GraphiQL's page (a browser asking for HTML, no operation) is not an operation: it needs no token. */
function isGraphiQLPage(request: Request): boolean {
  return request.method === 'GET' && (request.headers.get('accept') ?? '').includes('text/html') && !new URL(request.url).searchParams.has('query');
}

/** Every GraphQL request over HTTP (and SSE, the same requests) carries `Authorization: Bearer <jwt>`. */
export function useAuthentication(auth: Authenticator, logger: Logger): Plugin<GatewayContext> {
  return {
    async onRequest({ request, endResponse }) {
      if (!auth.enabled || isGraphiQLPage(request) || request.method === 'OPTIONS') return;
      try {
        requestViewers.set(request, await auth.authenticate(request.headers.get('authorization')));
      } catch (error) {
        if (!(error instanceof AuthenticationError)) logger.error('authentication failed unexpectedly', { error: String(error) });
        endResponse(unauthenticated(error instanceof AuthenticationError ? error.message : 'authentication failed'));
      }
    },
  };
}

/**
 * CORS answers `Access-Control-Allow-Origin: *`: yoga's CORS (whatwg-node) echoes the caller's origin for `*`,
 * which tells a browser this origin in particular is trusted. Credentials are never allowed (server.ts); callers
 * authenticate with a bearer token, which no other site's page holds.
 */
export function useWildcardOrigin(): Plugin<GatewayContext> {
  return {
    onResponse({ response }) {
      if (response.headers.has('access-control-allow-origin')) response.headers.set('access-control-allow-origin', '*');
    },
  };
}

/** Content types a browser form (or a `no-cors` fetch) may send cross-site without a preflight. */
const SIMPLE_CONTENT_TYPES = ['multipart/form-data', 'application/x-www-form-urlencoded', 'text/plain'];
export const PREFLIGHT_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight'];

/**
 * Cross-site request forgery: a POST another site's page could send without a preflight (multipart, url-encoded,
 * text/plain) must carry a header such a page cannot set. Either yoga's or Apollo's header name is accepted, as
 * upload clients send one of them. JSON POSTs need a preflight anyway, and GET never runs mutations.
 * (yoga's own plugin also demands the header on GET queries, which the contract leaves free.)
 */
export function useCsrfPreflight(): Plugin<GatewayContext> {
  return {
    onRequestParse({ request }) {
      if (request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').toLowerCase();
      if (!SIMPLE_CONTENT_TYPES.some((simple) => type.startsWith(simple))) return;
      if (PREFLIGHT_HEADERS.some((name) => request.headers.has(name))) return;
      throw new GraphQLError(`A ${type.split(';')[0]} request must carry one of the headers ${PREFLIGHT_HEADERS.join(' or ')} (any value)`, {
        extensions: { code: 'CSRF_HEADER_MISSING', http: { status: 403 } },
      });
    },
  };
}

/** Reads a body of unknown length (chunked) up to `limit` bytes, refusing past it without reading further. */
async function readBounded(request: Request, limit: number): Promise<string> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new GraphQLError(`request body larger than ${limit} bytes`, { extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } } });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface RequestParsingOptions {
  schema: GraphQLSchema;
  /** Largest non-multipart body. */
  maxBodyBytes: number;
  multipart: MultipartLimits;
  uploads: UploadBudget;
}

/**
 * Request bodies: multipart through the checked, disk-backed parser (src/uploads/multipart.ts), its files removed
 * when the response ends; JSON bodies without a Content-Length (a router forwarding chunked) counted as they arrive.
 * Bodies with a Content-Length are sized before anything reads them (src/server.ts).
 */
export function useRequestParsing(options: RequestParsingOptions): Plugin<GatewayContext> {
  return {
    onRequestParse({ request, setRequestParser, serverContext }) {
      if (request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').toLowerCase();
      const node = serverContext as NodeContext;
      if (type.startsWith('multipart/form-data')) {
        setRequestParser(
          closingOnRefusal(node, async (req) => {
            const parsed = await parseMultipart(req, node.req ?? null, options.schema, options.multipart, options.uploads);
            const res = node.res;
            if (res) res.once('close', () => void parsed.cleanup());
            else void parsed.cleanup();
            return parsed.params;
          }),
        );
      } else if (type.startsWith('application/json') && !request.headers.has('content-length')) {
        setRequestParser(
          closingOnRefusal(node, async (req) => {
            const text = await readBounded(req, options.maxBodyBytes);
            try {
              return JSON.parse(text);
            } catch {
              throw new GraphQLError('the body is not valid JSON', { extensions: { http: { status: 400 } } });
            }
          }),
        );
      }
    },
  };
}

type NodeReq = Readable & { complete?: boolean; socket?: import('node:net').Socket };
type NodeContext = {
  req?: NodeReq;
  res?: { once(event: 'close', listener: () => void): void; setHeader(name: string, value: string): void; headersSent?: boolean; socket?: import('node:net').Socket | null };
};

/** How long a refused request's socket is kept after the answer, its bytes discarded, before it is closed. */
const LINGER_MS = 2000;

/**
 * A body refused before its end (too large, a bad map) is not read further: the answer says `Connection: close`,
 * so Node closes the socket once it is sent instead of reading the rest to reuse the connection. The close lingers
 * (as web servers' "lingering close"): for up to LINGER_MS what the client still sends is discarded, never kept,
 * so the client reads the answer before the socket goes; closing at once would reset the connection under the
 * client's unread answer.
 */
function closingOnRefusal<T>(node: NodeContext, parse: (request: Request) => Promise<T>): (request: Request) => Promise<T> {
  return async (request) => {
    try {
      return await parse(request);
    } catch (error) {
      const { req, res } = node;
      if (req && !req.complete && res && !res.headersSent) {
        res.setHeader('connection', 'close');
        req.unpipe();
        req.removeAllListeners('data');
        req.resume();
        // (A cancelled body stream may have let go of the request's socket; the response still holds it.)
        const socket = res.socket ?? req.socket;
        if (socket)
          socket.destroySoon = function lingeringClose(this: import('node:net').Socket) {
            this.end();
            setTimeout(() => this.destroy(), LINGER_MS).unref();
          };
      }
      throw error;
    }
  };
}
