/**
 * What a simulator's HTTP server receives, seen from inside its process without changing what it answers: the raw
 * body of every upload (its request log keeps headers only), and a hold that keeps uploads from reaching the
 * simulator until the test lets them go, so a run stays RUNNING exactly until the test has seen it RUNNING (no
 * timing guesses on a loaded machine).
 */
import type http from 'node:http';
import busboy from 'busboy';

export interface TappedPart {
  name: string;
  /** Undefined for a plain field. */
  fileName: string | undefined;
  mimeType: string;
  data: Buffer;
}

export interface TappedUpload {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  /** When it arrived (before any hold). */
  at: number;
  /** Everything the simulator read of the body, once it stopped reading (end of body, or the connection closed). */
  body: Promise<Buffer>;
  /** The multipart parts, in order. */
  parts(): Promise<TappedPart[]>;
}

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export class UploadTap {
  readonly uploads: TappedUpload[] = [];
  private readonly original: Listener[];
  private held: { promise: Promise<void>; release: () => void } | null = null;

  constructor(
    private readonly server: http.Server,
    /** Which requests are uploads (the rest pass untouched). */
    private readonly isUpload: (method: string, path: string) => boolean = (method) => method === 'POST',
  ) {
    this.original = server.listeners('request') as Listener[];
    server.removeAllListeners('request');
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => void this.dispatch(req, res));
  }

  /** Uploads arriving from now on wait until release(). */
  hold(): void {
    if (this.held) return;
    let release!: () => void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.held = { promise, release };
  }

  /** Lets held uploads (and later ones) through. */
  release(): void {
    this.held?.release();
    this.held = null;
  }

  /** Uploads to one path, in arrival order. */
  to(path: string): TappedUpload[] {
    return this.uploads.filter((u) => u.path === path);
  }

  /** Puts the simulator's own listeners back. */
  detach(): void {
    this.release();
    this.server.removeAllListeners('request');
    for (const listener of this.original) this.server.on('request', listener);
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://tap.local').pathname;
    if (this.isUpload(req.method ?? 'GET', path) && !path.startsWith('/_simulator/')) {
      const upload = record(req, path);
      this.uploads.push(upload);
      // The body stays buffered in the paused request (and then in the socket) while held: nothing is lost.
      if (this.held) await this.held.promise;
    }
    for (const listener of this.original) listener.call(this.server, req, res);
  }
}

/**
 * Sees the body as the simulator reads it: chunks are taken from the request's own 'data' events (wrapping emit),
 * so the tap adds no listener, does not switch the stream into flowing mode and cannot steal a chunk.
 */
function record(req: http.IncomingMessage, path: string): TappedUpload {
  const chunks: Buffer[] = [];
  let resolve!: (body: Buffer) => void;
  const body = new Promise<Buffer>((r) => (resolve = r));
  const emit = req.emit.bind(req);
  req.emit = ((event: string | symbol, ...args: unknown[]) => {
    if (event === 'data') chunks.push(Buffer.from(args[0] as Buffer));
    if (event === 'end' || event === 'close') resolve(Buffer.concat(chunks));
    return emit(event, ...args);
  }) as typeof req.emit;
  const headers = { ...req.headers };
  return { method: req.method ?? 'GET', path, headers, at: Date.now(), body, parts: async () => partsOf(headers, await body) };
}

export function partsOf(headers: http.IncomingHttpHeaders, body: Buffer): Promise<TappedPart[]> {
  return new Promise((resolve, reject) => {
    const parts: TappedPart[] = [];
    const parser = busboy({ headers, defParamCharset: 'utf8' });
    parser.on('file', (name, stream, info) => {
      const part: TappedPart = { name, fileName: info.filename, mimeType: info.mimeType, data: Buffer.alloc(0) };
      parts.push(part);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => (part.data = Buffer.concat(chunks)));
    });
    parser.on('field', (name, value, info) => parts.push({ name, fileName: undefined, mimeType: info.mimeType, data: Buffer.from(value) }));
    parser.on('close', () => resolve(parts));
    parser.on('error', reject);
    parser.end(body);
  });
}
