/**
 * Artifact downloads: `Job.artifactsUrl` is a signed, expiring gateway link that streams Hume's artifacts ZIP, so
 * the browser never sees the Hume key or Hume's address. The real gateway over HTTP against the real simulator.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { artifactsLink } from '../src/providers/hume-batch/artifacts.js';
import { graphql } from './gql/index.js';
import { eventually, useHumeStack, TEST_HUME_KEY, type HumeStack } from './support/hume-stack.js';

const ArtStartJob = graphql(`
  mutation ArtStartJob($input: StartJobInput!) {
    startJob(input: $input) {
      __typename
      ... on StartJobSuccess { job { id } }
    }
  }
`);

const ArtJob = graphql(`
  query ArtJob($id: ID!, $expiresInSeconds: Int) {
    job(id: $id) { id status artifactsUrl(expiresInSeconds: $expiresInSeconds) }
  }
`);

let stack: HumeStack;
useHumeStack((started) => (stack = started));

async function startedJobId(input: object): Promise<string> {
  const result = await stack.execute(ArtStartJob, { input: input as never });
  const start = result.data?.startJob;
  if (start?.__typename !== 'StartJobSuccess') throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return start.job.id;
}

/** The link as the gateway gave it: relative, since this gateway has no PUBLIC_URL. */
async function rawLink(id: string, expiresInSeconds?: number, headers?: Record<string, string>): Promise<string> {
  return eventually(async () => {
    const { data, errors } = await stack.execute(ArtJob, { id, expiresInSeconds }, headers);
    expect(errors).toBeUndefined();
    return data!.job!.status === 'COMPLETED' ? data!.job!.artifactsUrl : undefined;
  });
}

/** The link resolved against the gateway, as a browser on the gateway's origin would. */
async function completedLink(id: string, expiresInSeconds?: number): Promise<string> {
  return new URL(await rawLink(id, expiresInSeconds), stack.gateway.url).toString();
}

/** What Hume itself answers for the job's artifacts, fetched directly with the key. */
async function humeArtifacts(id: string): Promise<Buffer> {
  const response = await fetch(`${stack.humeUrl}/v0/batch/jobs/${id}/artifacts`, { headers: { 'x-hume-api-key': TEST_HUME_KEY } });
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

const withParam = (link: string, name: string, value: string | null) => {
  const url = new URL(link);
  if (value === null) url.searchParams.delete(name);
  else url.searchParams.set(name, value);
  return url.toString();
};

describe('Job.artifactsUrl', () => {
  it('is null until the job is COMPLETED', async () => {
    stack.sim.timing = { queuedMs: 60_000, runningMs: 0 };
    const queued = await startedJobId({ text: ['waiting in the queue'] });
    stack.sim.timing = { queuedMs: 0, runningMs: 60_000 };
    const running = await startedJobId({ text: ['running for a while'] });
    for (const [id, status] of [[queued, 'QUEUED'], [running, 'IN_PROGRESS']] as const) {
      const { data, errors } = await stack.execute(ArtJob, { id });
      expect(errors).toBeUndefined();
      expect(data!.job).toEqual({ id, status, artifactsUrl: null });
    }
  });

  it('once COMPLETED, is a link that streams the same ZIP Hume has', async () => {
    const id = await startedJobId({ urls: ['https://media.example/artifacts.mp4?duration=5'], models: { face: {}, prosody: {} } });
    // Without PUBLIC_URL the link is relative: no Host header a caller sends can choose where it points.
    const relative = await rawLink(id, undefined, { host: 'evil.example', 'x-forwarded-host': 'evil.example' });
    expect(relative.startsWith('/artifacts/hume/')).toBe(true);
    const link = await completedLink(id);
    expect(link).not.toContain(TEST_HUME_KEY);
    expect(link).not.toContain(stack.humeUrl);
    expect(link).not.toContain(String(new URL(stack.humeUrl).port));

    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/zip');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9_-]+-artifacts\.zip"$/);
    const zip = Buffer.from(await response.arrayBuffer());
    expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    // The gateway asked Hume once, with the key; the browser never had it.
    const upstream = stack.sim.requests.matching({ method: 'GET', path: `/v0/batch/jobs/${id}/artifacts` });
    expect(upstream).toHaveLength(1);
    expect(upstream[0]!.headers['x-hume-api-key']).toBe(TEST_HUME_KEY);
    expect(zip.equals(await humeArtifacts(id))).toBe(true);
  });

  it('is null for a failed job', async () => {
    const id = await startedJobId({ urls: ['https://media.example/job-fails.mp4'] });
    const { data } = await stack.execute(ArtJob, { id });
    expect(data!.job).toMatchObject({ status: 'FAILED', artifactsUrl: null });
  });

  it('refuses a lifetime out of range', async () => {
    const id = await startedJobId({ text: ['lifetime'] });
    const { errors } = await stack.execute(ArtJob, { id, expiresInSeconds: 10 });
    expect(errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('the download link', () => {
  let id: string;
  let other: string;
  let link: string;

  beforeAll(async () => {
    id = await startedJobId({ text: ['the link under test'] });
    other = await startedJobId({ text: ['another job of the same account'] });
    link = await completedLink(id);
    await completedLink(other);
  });

  it('works as given', async () => {
    const response = await fetch(link);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  });

  it('refuses a tampered signature', async () => {
    const signature = new URL(link).searchParams.get('signature')!;
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
    const before = stack.sim.requests.count({ method: 'GET', path: /\/artifacts$/ });
    for (const bad of [flipped, `${signature}x`, '', 'x'.repeat(signature.length)]) {
      const response = await fetch(withParam(link, 'signature', bad));
      expect(response.status).toBe(403);
      await response.arrayBuffer();
    }
    expect(stack.sim.requests.count({ method: 'GET', path: /\/artifacts$/ })).toBe(before);
  });

  it('refuses another job id under the same signature', async () => {
    const url = new URL(link);
    url.pathname = url.pathname.replace(encodeURIComponent(id), encodeURIComponent(other));
    expect(url.toString()).not.toBe(link);
    const response = await fetch(url);
    expect(response.status).toBe(403);
    await response.arrayBuffer();
  });

  it('refuses a changed expiry', async () => {
    const expires = Number(new URL(link).searchParams.get('expires'));
    const response = await fetch(withParam(link, 'expires', String(expires + 3600)));
    expect(response.status).toBe(403);
    await response.arrayBuffer();
  });

  it('refuses a link without a signature or expiry', async () => {
    for (const name of ['signature', 'expires']) {
      const response = await fetch(withParam(link, name, null));
      expect(response.status).toBe(403);
      await response.arrayBuffer();
    }
  });

  it('refuses an expired link, correctly signed', async () => {
    const expired = artifactsLink(stack.gateway.signer, stack.gateway.url, id, 60, Date.now() - 3600_000);
    const response = await fetch(expired);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'link expired' });
    // The same helper with the current time makes a working link: only the expiry differs.
    const fresh = await fetch(artifactsLink(stack.gateway.signer, stack.gateway.url, id, 60));
    expect(fresh.status).toBe(200);
    await fresh.arrayBuffer();
  });

  it('answers 405 to anything but GET and HEAD', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await fetch(link, { method });
      expect(response.status).toBe(405);
      await response.arrayBuffer();
    }
    const head = await fetch(link, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/zip');
    // Dropping the upstream body of a HEAD must not hurt the gateway: it still serves the download.
    const after = await fetch(link);
    expect(after.status).toBe(200);
    expect(Buffer.from(await after.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
  });

  it('reports Hume failing as 502 without details', async () => {
    stack.sim.faults.add({ method: 'GET', path: `/v0/batch/jobs/${id}/artifacts`, times: Infinity, fault: { kind: 'status', status: 500 } });
    const response = await fetch(link);
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(text).not.toContain(stack.humeUrl);
    expect(text).not.toContain(TEST_HUME_KEY);
  });

  it('is refused for a job that is not completed (409) or unknown (404)', async () => {
    stack.sim.timing = { queuedMs: 60_000, runningMs: 0 };
    const queued = await startedJobId({ text: ['not yet'] });
    const early = await fetch(artifactsLink(stack.gateway.signer, stack.gateway.url, queued, 60));
    expect(early.status).toBe(409);
    await early.arrayBuffer();
    const unknown = await fetch(artifactsLink(stack.gateway.signer, stack.gateway.url, '00000000-0000-4000-8000-000000000000', 60));
    expect(unknown.status).toBe(404);
    await unknown.arrayBuffer();
  });
});
