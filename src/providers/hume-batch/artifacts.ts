/**
 * Signed, expiring links to a job's artifacts ZIP. The gateway streams the ZIP from Hume, so the browser never
 * sees the Hume key; the link names the job and its expiry, and the signature covers both.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ProviderHttpError } from '../../domain/failures.js';
import type { LinkSigner, ProviderRoute } from '../../domain/provider.js';
import type { HumeArtifacts } from './client.js';

const PURPOSE = 'artifacts';
export const ARTIFACTS_PATH = '/artifacts/hume/';

export function artifactsLink(signer: LinkSigner, base: string, jobId: string, lifetimeSeconds: number, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + lifetimeSeconds;
  const signature = signer.sign(PURPOSE, `${jobId}:${expires}`);
  return `${base.replace(/\/+$/, '')}${ARTIFACTS_PATH}${encodeURIComponent(jobId)}?expires=${expires}&signature=${signature}`;
}

function refuse(res: ServerResponse, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** The route that streams a job's artifacts to whoever holds a valid link. */
export function artifactsRoute(signer: LinkSigner, open: (jobId: string) => Promise<HumeArtifacts>): ProviderRoute {
  return { prefix: ARTIFACTS_PATH, handle: (req, res, _rest, url) => serveArtifacts(req, res, url, signer, open) };
}

/** GET /artifacts/hume/<jobId>?expires=&signature= */
export async function serveArtifacts(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  signer: LinkSigner,
  open: (jobId: string) => Promise<HumeArtifacts>,
  now = Date.now(),
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'method not allowed');
  let jobId: string;
  try {
    jobId = decodeURIComponent(url.pathname.slice(ARTIFACTS_PATH.length));
  } catch {
    return refuse(res, 404, 'not found');
  }
  const expires = url.searchParams.get('expires') ?? '';
  const signature = url.searchParams.get('signature') ?? '';
  if (!/^\d{1,12}$/.test(expires) || !signer.verify(PURPOSE, `${jobId}:${expires}`, signature))
    return refuse(res, 403, 'invalid link signature');
  if (Number(expires) * 1000 < now) return refuse(res, 403, 'link expired');

  let artifacts;
  try {
    artifacts = await open(jobId);
  } catch (error) {
    if (error instanceof ProviderHttpError && error.status === 404) return refuse(res, 404, 'job not found');
    if (error instanceof ProviderHttpError && error.status === 400) return refuse(res, 409, 'artifacts are not available for this job');
    return refuse(res, 502, 'Hume could not provide the artifacts');
  }
  res.writeHead(200, {
    'content-type': 'application/zip',
    'content-disposition': `attachment; filename="${jobId.replace(/[^A-Za-z0-9_-]/g, '_')}-artifacts.zip"`,
    'cache-control': 'private, no-store',
    ...(artifacts.contentLength !== undefined ? { 'content-length': String(artifacts.contentLength) } : {}),
  });
  if (req.method === 'HEAD') {
    discard(artifacts.body);
    res.end();
    return;
  }
  // A client that goes away mid-download ends the upstream stream too.
  await pipeline(artifacts.body, res).catch(() => discard(artifacts.body));
}

/**
 * Ends an upstream body we will not read. Destroying undici's body emits an AbortError; without a listener that
 * would be an uncaught exception and take the process down.
 */
function discard(body: Readable): void {
  body.on('error', () => {});
  body.destroy();
}
