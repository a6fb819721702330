/**
 * Small toolkit shared by the provider simulators: request log, fault injection, control routes, body reading.
 * It knows nothing of either provider's wire format: each simulator supplies its own error bodies.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string[]>;
  headers: Record<string, string | string[] | undefined>;
  at: number;
}

/** Every request a simulator received, in order; tests count upstream calls with it. */
export class RequestLog {
  readonly entries: RecordedRequest[] = [];

  record(req: IncomingMessage, url: URL): void {
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
    this.entries.push({ method: req.method ?? 'GET', path: url.pathname, query, headers: { ...req.headers }, at: Date.now() });
  }

  count(filter: { method?: string; path?: string | RegExp } = {}): number {
    return this.matching(filter).length;
  }

  matching(filter: { method?: string; path?: string | RegExp } = {}): RecordedRequest[] {
    return this.entries.filter(
      (e) =>
        (filter.method === undefined || e.method === filter.method) &&
        (filter.path === undefined || (typeof filter.path === 'string' ? e.path === filter.path : filter.path.test(e.path))),
    );
  }

  clear(): void {
    this.entries.length = 0;
  }
}

export type Fault =
  /** Answer with this status; the simulator fills in its provider's error body unless `body` is given. */
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  /** 429 with Retry-After (seconds) and the simulator's rate-limit headers. */
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  /** Wait, then answer normally. */
  | { kind: 'slow'; delayMs: number }
  /** Destroy the socket without answering. */
  | { kind: 'drop' }
  /** 200 with a JSON content type and a body that is not JSON. */
  | { kind: 'malformed-json' };

export interface FaultRule {
  method?: string;
  /** Exact path, or a regular expression source (when given over HTTP) / RegExp (in process). */
  path?: string | RegExp;
  /** How many matching requests get the fault; default 1. Infinity for "until cleared". */
  times?: number;
  fault: Fault;
}

export class FaultInjector {
  private rules: Array<FaultRule & { remaining: number }> = [];

  add(rule: FaultRule): void {
    this.rules.push({ ...rule, remaining: rule.times ?? 1 });
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule matching this request, consumed once. */
  take(method: string, path: string): Fault | undefined {
    const rule = this.rules.find(
      (r) =>
        r.remaining > 0 &&
        (r.method === undefined || r.method === method) &&
        (r.path === undefined || (typeof r.path === 'string' ? r.path === path : r.path.test(path))),
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.fault;
  }
}

export class BodyTooLargeError extends Error {}

/** Reads a whole body, refusing more than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(`body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface FaultResponders {
  /** Body for an injected error status in the provider's own error shape. */
  errorBody(status: number): unknown;
  /** Extra headers for an injected 429 (besides Retry-After). */
  rateLimitHeaders?(retryAfterSeconds: number): Record<string, string>;
}

/**
 * Applies an injected fault. Returns true when the fault answered (or dropped) the request, false when the
 * simulator should go on and answer normally (after a `slow` delay).
 */
export async function applyFault(fault: Fault, res: ServerResponse, responders: FaultResponders): Promise<boolean> {
  switch (fault.kind) {
    case 'slow':
      await sleep(fault.delayMs);
      return false;
    case 'drop':
      res.socket?.destroy();
      return true;
    case 'malformed-json': {
      const text = '{"this is": not json';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return true;
    }
    case 'rate-limit':
      sendJson(res, 429, responders.errorBody(429), {
        'retry-after': String(fault.retryAfterSeconds),
        ...responders.rateLimitHeaders?.(fault.retryAfterSeconds),
      });
      return true;
    case 'status':
      if (fault.body !== undefined) {
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        res.end(fault.body);
      } else {
        sendJson(res, fault.status, responders.errorBody(fault.status), fault.headers);
      }
      return true;
  }
}

/**
 * Control routes under `/_simulator/` so tools outside the process (the benchmark, other gateway processes, a
 * browser) can inject faults and read the request log:
 * `GET /_simulator/requests`, `DELETE /_simulator/requests`, `POST /_simulator/faults` (a FaultRule, `path` as
 * a regular expression source), `DELETE /_simulator/faults`.
 * Returns true when the request was a control request.
 */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  log: RequestLog,
  faults: FaultInjector,
  extra?: (body: unknown) => void,
): Promise<boolean> {
  if (!url.pathname.startsWith('/_simulator/')) return false;
  const route = `${req.method} ${url.pathname}`;
  try {
    if (route === 'GET /_simulator/requests') sendJson(res, 200, log.entries);
    else if (route === 'DELETE /_simulator/requests') {
      log.clear();
      sendJson(res, 200, { ok: true });
    } else if (route === 'POST /_simulator/faults') {
      const rule = JSON.parse((await readBody(req, 65_536)).toString('utf8')) as FaultRule & { path?: string };
      faults.add({ ...rule, path: rule.path === undefined ? undefined : new RegExp(rule.path) });
      sendJson(res, 200, { ok: true });
    } else if (route === 'DELETE /_simulator/faults') {
      faults.clear();
      sendJson(res, 200, { ok: true });
    } else if (route === 'POST /_simulator/settings' && extra) {
      extra(JSON.parse((await readBody(req, 65_536)).toString('utf8')));
      sendJson(res, 200, { ok: true });
    } else sendJson(res, 404, { message: 'unknown simulator control route' });
  } catch (err) {
    sendJson(res, 400, { message: `bad control request: ${(err as Error).message}` });
  }
  return true;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens on the given port (0 = ephemeral) and host, returning the base URL and a close that ends keep-alive sockets. */
export async function listen(server: http.Server, port = 0, host = '127.0.0.1'): Promise<RunningServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
