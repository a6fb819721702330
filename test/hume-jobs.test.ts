/**
 * Hume jobs end to end: the real gateway over HTTP against the real Hume simulator on ephemeral ports.
 * Upstream calls are counted in the simulator's request log.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { graphql } from './gql/index.js';
import { eventually, useHumeStack, type HumeStack } from './support/hume-stack.js';

const StartJob = graphql(`
  mutation StartJob($input: StartJobInput!) {
    startJob(input: $input) {
      __typename
      ... on StartJobSuccess { job { id status } }
      ... on ValidationError { message fields { field path message } }
      ... on ProviderError { message provider status code retryable }
      ... on RateLimitedError { message provider retryAfterSeconds }
    }
  }
`);

const JobStatus = graphql(`
  query JobStatus($id: ID!) {
    job(id: $id) {
      id
      status
      state {
        __typename
        ... on JobQueued { createdAt }
        ... on JobInProgress { createdAt startedAt }
        ... on JobCompleted { createdAt startedAt endedAt numPredictions numErrors }
        ... on JobFailed { createdAt endedAt message }
      }
    }
  }
`);

const JobRequest = graphql(`
  query JobRequest($id: ID!) {
    job(id: $id) {
      request {
        urls
        text
        notify
        callbackEnabled
        transcriptionEnabled
        transcription { language identifySpeakers confidenceThreshold }
        files { filename md5sum contentType }
        models {
          face { fpsPred probThreshold identifyFaces minFaceSize facs descriptions saveFaces }
          burst
          prosody { granularity identifySpeakers window { length step } }
          language { granularity sentiment toxicity identifySpeakers }
          ner { identifySpeakers }
          facemesh
        }
      }
    }
  }
`);

const AllPredictions = graphql(`
  query AllPredictions($id: ID!) {
    job(id: $id) {
      status
      predictions {
        source {
          __typename
          ... on UrlSource { url }
          ... on FileSource { md5sum filename contentType }
        }
        error
        errors { file message }
        predictions {
          file
          fileType
          models {
            face {
              groupedPredictions {
                id
                predictions(first: 2) {
                  totalCount
                  nodes { frame time prob box { x y w h } emotions { name score } facs { name } descriptions { name } top: emotions(top: 3) { name score } }
                }
              }
            }
            burst { groupedPredictions { id predictions(first: 1) { nodes { time { begin end } emotions { name } descriptions { name } } } } }
            prosody {
              metadata { confidence detectedLanguage }
              groupedPredictions { id predictions(first: 1) { nodes { text time { begin end } confidence speakerConfidence emotions { name } } } }
            }
            language {
              metadata { confidence }
              groupedPredictions {
                id
                predictions(first: 1) { nodes { text position { begin end } time { begin end } emotions { name } sentiment { name score } toxicity { name score } } }
              }
            }
            ner { groupedPredictions { id predictions(first: 1) { nodes { entity uri linkWord support entityConfidence position { begin end } emotions { name } } } } }
            facemesh { groupedPredictions { id predictions(first: 1) { nodes { emotions { name } } } } }
          }
        }
      }
    }
  }
`);

let stack: HumeStack;
useHumeStack((started) => (stack = started), { publicUrl: true });

async function startJob(input: object) {
  const result = await stack.execute(StartJob, { input: input as never });
  expect(result.errors).toBeUndefined();
  return result.data!.startJob;
}

async function startedJobId(input: object): Promise<string> {
  const result = await startJob(input);
  if (result.__typename !== 'StartJobSuccess') throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result.job.id;
}

async function completed(id: string) {
  return eventually(async () => {
    const { data } = await stack.execute(JobStatus, { id });
    return data?.job?.status === 'COMPLETED' || data?.job?.status === 'FAILED' ? data.job : undefined;
  });
}

describe('starting jobs and reading them back', () => {
  it('runs a URL job through every model and exposes typed predictions', async () => {
    const id = await startedJobId({
      urls: ['https://media.example/clip.mp4?duration=20'],
      models: { face: { facs: true, descriptions: true }, burst: true, prosody: {}, language: { sentiment: true, toxicity: true }, ner: {}, facemesh: true },
    });
    const job = await completed(id);
    expect(job.state.__typename).toBe('JobCompleted');

    const { data, errors } = await stack.execute(AllPredictions, { id });
    expect(errors).toBeUndefined();
    const source = data!.job!.predictions![0]!;
    expect(source.source).toEqual({ __typename: 'UrlSource', url: 'https://media.example/clip.mp4?duration=20' });
    const models = source.predictions![0]!.models;
    const face = models.face!.groupedPredictions[0]!.predictions;
    expect(face.totalCount).toBeGreaterThan(2);
    expect(face.nodes).toHaveLength(2);
    expect(face.nodes[0]!.emotions).toHaveLength(48);
    // Hume's 36 FACS action units and 27 face descriptions, all of them.
    expect(face.nodes[0]!.facs).toHaveLength(36);
    expect(face.nodes[0]!.descriptions).toHaveLength(27);
    const top = face.nodes[0]!.top;
    expect(top).toHaveLength(3);
    expect(top[0]!.score).toBeGreaterThanOrEqual(top[1]!.score);
    expect(top[1]!.score).toBeGreaterThanOrEqual(top[2]!.score);
    const best = Math.max(...face.nodes[0]!.emotions.map((e) => e.score));
    expect(top[0]!.score).toBe(best);
    expect(models.burst!.groupedPredictions[0]!.predictions.nodes[0]!.descriptions).toHaveLength(67);
    expect(models.prosody!.groupedPredictions[0]!.predictions.nodes[0]!.emotions).toHaveLength(48);
    expect(models.prosody!.metadata!.confidence).toBeGreaterThanOrEqual(0);
    const language = models.language!.groupedPredictions[0]!.predictions.nodes[0]!;
    expect(language.emotions).toHaveLength(53);
    expect(language.sentiment!.map((s) => s.name)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(language.toxicity!.map((s) => s.name)).toEqual(['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate']);
    expect(language.time).not.toBeNull();
    expect(models.ner!.groupedPredictions[0]!.predictions.nodes[0]!.uri).toMatch(/^https?:\/\//);
    expect(models.facemesh!.groupedPredictions[0]!.predictions.nodes[0]!.emotions).toHaveLength(48);
  });

  it('runs a text job with the language model and slices positions from the original text', async () => {
    const text = 'I love this gateway in Paris. It is lovely in spring.';
    const id = await startedJobId({ text: [text], models: { language: { granularity: 'WORD' }, ner: {} } });
    await completed(id);
    const { data } = await stack.execute(AllPredictions, { id });
    const source = data!.job!.predictions![0]!;
    expect(source.source.__typename).toBe('TextSource');
    const models = source.predictions![0]!.models;
    expect(models.face).toBeNull();
    const word = models.language!.groupedPredictions[0]!.predictions.nodes[0]!;
    expect(text.slice(word.position.begin, word.position.end)).toBe(word.text);
    expect(word.sentiment).toBeNull();
    expect(word.toxicity).toBeNull();
    const entity = models.ner!.groupedPredictions[0]!.predictions.nodes[0]!;
    expect(text.slice(entity.position.begin, entity.position.end)).toBe(entity.entity);
  });

  it('uploads two files as multipart with a json part, and Hume sees the same bytes', async () => {
    const first = new Uint8Array(4096).map((_, i) => (i * 7) % 256);
    const second = new TextEncoder().encode('a second file with other bytes');
    const result = await stack.upload(
      StartJob,
      { input: { files: [null, null] as never, models: { face: {} } } },
      {
        'variables.input.files.0': { name: 'face.png', type: 'image/png', data: first },
        'variables.input.files.1': { name: 'notes.txt', type: 'text/plain', data: second },
      },
    );
    expect(result.errors).toBeUndefined();
    const start = result.data!.startJob;
    if (start.__typename !== 'StartJobSuccess') throw new Error(JSON.stringify(start));
    const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
    const received = stack.sim.uploadsOf(start.job.id);
    expect(received.map((f) => [f.filename, f.md5sum, f.size])).toEqual([
      ['face.png', md5(first), first.length],
      ['notes.txt', md5(second), second.length],
    ]);
    const { data } = await stack.execute(JobRequest, { id: start.job.id });
    expect(data!.job!.request.files).toEqual([
      { filename: 'face.png', md5sum: md5(first), contentType: 'image/png' },
      { filename: 'notes.txt', md5sum: md5(second), contentType: 'text/plain' },
    ]);
    const post = stack.sim.requests.matching({ method: 'POST', path: '/v0/batch/jobs' }).at(-1)!;
    expect(String(post.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
  });

  it('echoes the request with defaults, switches transcription off, and sets a signed callback URL', async () => {
    const id = await startedJobId({
      urls: ['https://media.example/talk.mp3'],
      models: { prosody: { window: { length: 2, step: 1 } } },
      transcription: { enabled: false },
      notify: true,
    });
    const { data } = await stack.execute(JobRequest, { id });
    const request = data!.job!.request;
    expect(request.transcriptionEnabled).toBe(false);
    expect(request.transcription).toBeNull();
    expect(request.notify).toBe(true);
    expect(request.callbackEnabled).toBe(true);
    expect(request.models!.prosody).toEqual({ granularity: 'UTTERANCE', identifySpeakers: false, window: { length: 2, step: 1 } });
    expect(request.models!.face).toBeNull();
    expect(request.models!.burst).toBe(false);
    const sent = stack.sim.requests.matching({ method: 'POST', path: '/v0/batch/jobs' }).at(-1)!;
    expect(sent.headers['x-hume-api-key']).toBe('test-hume-key-0123456789');
    // The callback reaches the gateway and is accepted.
    const callback = await eventually(async () => stack.sim.callbacks.find((c) => (c.body as { job_id?: string }).job_id === id));
    expect(callback.url).toMatch(new RegExp(`^${stack.gateway.url}/webhooks/hume/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`));
    expect(callback.status).toBe(202);
  });

  it('fills every default when models are omitted', async () => {
    const id = await startedJobId({ urls: ['https://media.example/faces.zip'] });
    const { data } = await stack.execute(JobRequest, { id });
    expect(data!.job!.request.models).toEqual({
      face: { fpsPred: 3, probThreshold: 0.99, identifyFaces: false, minFaceSize: 60, facs: false, descriptions: false, saveFaces: false },
      burst: true,
      prosody: { granularity: 'UTTERANCE', identifySpeakers: false, window: null },
      language: { granularity: 'WORD', sentiment: false, toxicity: false, identifySpeakers: false },
      ner: { identifySpeakers: false },
      facemesh: true,
    });
    expect(data!.job!.request.transcription).toEqual({ language: null, identifySpeakers: false, confidenceThreshold: 0.5 });
  });

  it('reports a failed job and per-source errors', async () => {
    const failed = await startedJobId({ urls: ['https://media.example/job-fails.mp4'] });
    const job = await completed(failed);
    expect(job.state).toMatchObject({ __typename: 'JobFailed', message: expect.stringContaining('job failed') });
    const { data } = await stack.execute(AllPredictions, { id: failed });
    expect(data!.job!.predictions).toBeNull();

    const partial = await startedJobId({ urls: ['https://media.example/unreachable.mp4', 'https://media.example/ok.jpg'] });
    await completed(partial);
    const { data: partialData } = await stack.execute(AllPredictions, { id: partial });
    const [bad, good] = partialData!.job!.predictions!;
    expect(bad!.error).toContain('Failed to download');
    expect(bad!.predictions).toBeNull();
    expect(good!.error).toBeNull();
    expect(good!.predictions![0]!.models.face).not.toBeNull();
  });

  it('moves through QUEUED and IN_PROGRESS with DateTime timestamps', async () => {
    stack.sim.timing = { queuedMs: 300, runningMs: 300 };
    const id = await startedJobId({ text: ['slow one'] });
    const queued = (await stack.execute(JobStatus, { id })).data!.job!;
    expect(queued.state.__typename).toBe('JobQueued');
    const running = await eventually(async () => {
      const job = (await stack.execute(JobStatus, { id })).data!.job!;
      return job.state.__typename === 'JobInProgress' ? job : undefined;
    });
    expect(running.status).toBe('IN_PROGRESS');
    const done = await completed(id);
    if (done.state.__typename !== 'JobCompleted') throw new Error('not completed');
    expect(Date.parse(done.state.endedAt)).toBeGreaterThanOrEqual(Date.parse(done.state.startedAt));
    expect(done.state.numErrors).toBe(0);
  });

  it('returns null (not an error) for an unknown job id', async () => {
    const response = await fetch(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ job(id: "00000000-0000-4000-8000-000000000000") { id status } }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { job: null } });
  });
});

describe('idempotency', () => {
  it('returns the first job for a repeated key and refuses the key for another request', async () => {
    const before = stack.sim.requests.count({ method: 'POST' });
    const input = { text: ['same request'], idempotencyKey: 'order-42' };
    const [a, b] = await Promise.all([startedJobId(input), startedJobId(input)]);
    expect(a).toBe(b);
    expect(stack.sim.requests.count({ method: 'POST' }) - before).toBe(1);
    const other = await startJob({ text: ['another request'], idempotencyKey: 'order-42' });
    expect(other).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'input.idempotencyKey' }] });
  });
});
