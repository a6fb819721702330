/**
 * HumeExpressionClient against a small loopback server of this file's own, answering as
 * providers/hume-expression-v1.md documents (and in every alternative shape it lists for UNVERIFIED points).
 * Deliberately not the hume-expression simulator: two independent readings of the reference catch each other.
 */
import { afterEach, describe, expect, it } from 'vitest';
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import { ProviderHttpError, ProviderUnavailableError, type ProviderError, type RetryPolicy } from '../src/providers/http.js';
import {
  HUME_EXPRESSION,
  HumeExpressionClient,
  type HumeExpressionClientOptions,
  type ImageUpload,
} from '../src/providers/hume-expression/client.js';
import {
  MalformedAnswerError,
  type ExpressionRunInfo,
  type FaceMeasurement,
  type ImageMeasurementResult,
  type SpeechMeasurementResult,
} from '../src/providers/hume-expression/wire.js';
import { pcmWav } from './support/wav.js';

const KEY = 'hume-test-key-4b1d9e';
/** Placed in malformed answers: no error may repeat what it found there. */
const SENTINEL = 'RAW-ANSWER-SENTINEL';
/** Fast backoff; Retry-After still applies up to 2 s. */
const FAST_RETRY: RetryPolicy = { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 2000 };

// ---------------------------------------------------------------------------------------------------------
// A loopback "Hume" that records every request and answers from a script

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

type Reply = (res: ServerResponse, req: Seen) => void;

class FakeHume {
  readonly seen: Seen[] = [];
  private replies: Reply[] = [];
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const seen = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body: Buffer.concat(chunks) };
      this.seen.push(seen);
      // Hume's gateway refuses a wrong key before the service sees the request (§2).
      if (req.headers['x-hume-api-key'] !== KEY) return json(401, { message: 'Unauthorized', request_id: 'req-401' })(res, seen);
      const reply = this.replies.length > 1 ? this.replies.shift()! : this.replies[0];
      (reply ?? json(500, { type: 'error', code: 'internal_error', message: 'no reply scripted' }))(res, seen);
    });
  });

  /** Each request takes the next reply; the last one answers every request after it. */
  reply(...replies: Reply[]): this {
    this.replies = replies;
    return this;
  }

  async listen(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  count(method: string): number {
    return this.seen.filter((s) => s.method === method).length;
  }
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

const text =
  (status: number, body: string, contentType = 'text/html'): Reply =>
  (res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(body);
  };

/** The connection dies after Hume read the whole request: it may well have measured (and billed) it. */
const drop: Reply = (res) => res.socket?.destroy();
/** Hume took the request and never answers. */
const hang: Reply = () => undefined;

const later =
  (ms: number, reply: Reply): Reply =>
  (res, req) =>
    setTimeout(() => reply(res, req), ms);

interface Part {
  name: string;
  fileName: string | undefined;
  mimeType: string;
  data: Buffer;
}

/** The request's multipart parts in order, as busboy reads them (a part without filename is a field). */
function partsOf(seen: Seen | undefined): Promise<Part[]> {
  return new Promise((resolve, reject) => {
    if (!seen) return reject(new Error('no request'));
    const parts: Part[] = [];
    const parser = busboy({ headers: seen.headers, defParamCharset: 'utf8' });
    parser.on('file', (name, stream, info) => {
      const part: Part = { name, fileName: info.filename, mimeType: info.mimeType, data: Buffer.alloc(0) };
      parts.push(part);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => (part.data = Buffer.concat(chunks)));
    });
    parser.on('field', (name, value, info) => parts.push({ name, fileName: undefined, mimeType: info.mimeType, data: Buffer.from(value) }));
    parser.on('close', () => resolve(parts));
    parser.on('error', reject);
    parser.end(seen.body);
  });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const closables: Array<{ close(): Promise<unknown> }> = [];
afterEach(async () => {
  for (const closable of closables.splice(0).reverse()) await closable.close();
});

interface Setup {
  hume: FakeHume;
  client: HumeExpressionClient;
  url: string;
  retries: Array<{ operation: string; failure: ProviderError; delayMs: number }>;
  finished: unknown[][];
}

async function setup(options: Partial<HumeExpressionClientOptions> = {}): Promise<Setup> {
  const hume = new FakeHume();
  const url = await hume.listen();
  closables.push(hume);
  const retries: Setup['retries'] = [];
  const finished: unknown[][] = [];
  const client = new HumeExpressionClient({
    baseUrl: `${url}/`,
    apiKey: KEY,
    retry: FAST_RETRY,
    observer: {
      retrying: (_provider, operation, failure, delayMs) => retries.push({ operation, failure, delayMs }),
      requestFinished: (...args) => finished.push(args),
    },
    ...options,
  });
  closables.push(client);
  return { hume, client, url, retries, finished };
}

// ---------------------------------------------------------------------------------------------------------
// Answers as the reference constructs them (§3.5, §4.4, §6)

const RUN_ID = '5b0e7c2a-3f41-4c8e-9d7a-0a1b2c3d4e5f';
const IMAGE_RUN_ID = 'a9d2c3e4-1b2a-4c5d-8e9f-0a1b2c3d4e5f';

const wav = pcmWav({ seconds: 0.05, sampleRate: 16_000 });

const s = (name: string, probability: number) => ({ name, probability });
const interest = s('interest', 0.6231);
const amusement = s('amusement', 0.4187);
const clear = s('clear', 0.9612);
const calm = s('calm', 0.9148);
const joy = s('joy', 0.5308);

/** Two utterances, 420-7900 and 9000-13400, with their measurements (§3.4 rules: 10 s windows, the 1 s rule). */
const utteranceSpans = [
  { audio_start_ms: 420, audio_end_ms: 7900 },
  { audio_start_ms: 9000, audio_end_ms: 13_400 },
];
const measurementsOf = [
  [
    { trigger: 'interval', audio_start_ms: 420, audio_end_ms: 3420, expressions: [interest, amusement], voice_attributes: [clear, calm] },
    { trigger: 'interval', audio_start_ms: 420, audio_end_ms: 6420, expressions: [joy], voice_attributes: [] },
    { trigger: 'speech_ended', audio_start_ms: 420, audio_end_ms: 7900, expressions: [], voice_attributes: [calm] },
  ],
  [
    { trigger: 'interval', audio_start_ms: 9000, audio_end_ms: 12_000, expressions: [amusement], voice_attributes: [clear] },
    { trigger: 'speech_ended', audio_start_ms: 9000, audio_end_ms: 13_400, expressions: [interest], voice_attributes: [] },
  ],
] as const;

/** The normalised form every speech alternative below must decode to. */
const expectedSpeech: SpeechMeasurementResult = {
  runId: RUN_ID,
  utterances: utteranceSpans.map((span, u) => ({
    startMs: span.audio_start_ms,
    endMs: span.audio_end_ms,
    measurements: measurementsOf[u]!.map((m) => ({
      trigger: m.trigger,
      startMs: m.audio_start_ms,
      endMs: m.audio_end_ms,
      expressions: [...m.expressions],
      voiceAttributes: [...m.voice_attributes],
    })),
  })),
};

/** Flat `measurements` linked by `utterance_id`, as in the reference's example. */
const referenceSpeechAnswer = {
  run_id: RUN_ID,
  utterances: utteranceSpans.map((span, u) => ({ utterance_id: u, ...span })),
  measurements: measurementsOf.flatMap((list, u) => list.map((m) => ({ utterance_id: u, ...m }))),
};

const measuredFace = {
  bounding_box: { x: 412, y: 96, width: 188, height: 231 },
  confidence: 0.9987,
  face_id: '0',
  expressions: [s('amusement', 0.7124), joy],
  descriptions: [s('smile', 0.8419), s('grin', 0.3172)],
};
const unmeasuredFace = { bounding_box: { x: 40, y: 300, width: 64, height: 70 }, confidence: 0.93, face_id: null, expressions: null, descriptions: null };
const referenceImageResults = [{ faces: [measuredFace, unmeasuredFace] }, { faces: [] }];
const referenceImageAnswer = { run_id: IMAGE_RUN_ID, results: referenceImageResults, face_state: 'opaque-string' };

const jpeg = (fill: number) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, fill, fill, fill, 0xff, 0xd9]);
const twoImages: ImageUpload[] = [
  { fileName: 'first.jpg', data: jpeg(1) },
  { fileName: 'second.jpg', data: new Blob([jpeg(2)], { type: 'image/jpeg' }) },
];

const expectedFaces: FaceMeasurement[] = [
  {
    box: { x: 412, y: 96, width: 188, height: 231 },
    confidence: 0.9987,
    faceId: '0',
    expressions: [s('amusement', 0.7124), joy],
    descriptions: [s('smile', 0.8419), s('grin', 0.3172)],
  },
  { box: { x: 40, y: 300, width: 64, height: 70 }, confidence: 0.93, faceId: null, expressions: null, descriptions: null },
];

const expectedImages = (runId: string | null, faceState: string | null): ImageMeasurementResult => ({
  runId,
  faceState,
  images: [
    { fileName: 'first.jpg', faces: expectedFaces },
    { fileName: 'second.jpg', faces: [] },
  ],
});

const liveRun = {
  run_id: '1f7c0d2e-9a8b-4c3d-8e7f-6a5b4c3d2e1f',
  user_id: 'user-7',
  status: 'live',
  endpoint: 'audio',
  mode: 'realtime',
  started_at: '2026-10-21T09:15:02.120Z',
  ended_at: null,
};
const endedRun = {
  run_id: RUN_ID,
  user_id: 'user-7',
  status: 'ended',
  endpoint: 'video',
  mode: 'file',
  started_at: '2026-10-21T09:00:00Z',
  ended_at: '2026-10-21T11:00:03.5+02:00',
  close_code: 1000,
};
const expectedLiveRun: ExpressionRunInfo = {
  runId: liveRun.run_id,
  userId: 'user-7',
  status: 'live',
  endpoint: 'audio',
  mode: 'realtime',
  startedAt: '2026-10-21T09:15:02.120Z',
  endedAt: null,
  closeCode: null,
};
const expectedEndedRun: ExpressionRunInfo = {
  runId: RUN_ID,
  userId: 'user-7',
  status: 'ended',
  endpoint: 'video',
  mode: 'file',
  startedAt: '2026-10-21T09:00:00Z',
  endedAt: '2026-10-21T11:00:03.5+02:00',
  closeCode: 1000,
};

// ---------------------------------------------------------------------------------------------------------

describe('measureSpeech', () => {
  it('posts one audio/wav `file` part and no config part when no setting was chosen', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, referenceSpeechAnswer));
    await client.measureSpeech(wav);
    expect(hume.seen.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/expression/audio/file']);
    expect(hume.seen[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const parts = await partsOf(hume.seen[0]);
    expect(parts.map(({ name, fileName, mimeType }) => ({ name, fileName, mimeType }))).toEqual([
      { name: 'file', fileName: 'audio.wav', mimeType: 'audio/wav' },
    ]);
    expect(new Uint8Array(parts[0]!.data)).toEqual(wav);
  });

  it('adds a `config` field of type application/json carrying measurement_timer_ms when it is chosen', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, referenceSpeechAnswer));
    await client.measureSpeech(new Blob([wav]), { measurementTimerMs: 5000, fileName: 'channel-1.wav' });
    const parts = await partsOf(hume.seen[0]);
    expect(parts.map(({ name, fileName, mimeType }) => ({ name, fileName, mimeType }))).toEqual([
      { name: 'file', fileName: 'channel-1.wav', mimeType: 'audio/wav' },
      { name: 'config', fileName: undefined, mimeType: 'application/json' },
    ]);
    expect(new Uint8Array(parts[0]!.data)).toEqual(wav);
    expect(JSON.parse(parts[1]!.data.toString())).toEqual({ measurement_timer_ms: 5000 });
  });

  it('decodes the reference shape: flat measurements linked by utterance_id', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, referenceSpeechAnswer));
    expect(await client.measureSpeech(wav)).toEqual(expectedSpeech);
  });

  it('links by utterance_id value, not by position, when utterances carry ids', async () => {
    const { hume, client } = await setup();
    const ids = ['u-b', 'u-a'];
    hume.reply(
      json(200, {
        run_id: RUN_ID,
        utterances: [
          { utterance_id: ids[1], ...utteranceSpans[1] },
          { utterance_id: ids[0], ...utteranceSpans[0] },
        ],
        measurements: measurementsOf.flatMap((list, u) => list.map((m) => ({ utterance_id: ids[u], ...m }))),
      }),
    );
    expect(await client.measureSpeech(wav)).toEqual(expectedSpeech);
  });

  it('decodes flat measurements linked by utterance_index (the position in the answer, before sorting)', async () => {
    const { hume, client } = await setup();
    hume.reply(
      json(200, {
        run_id: RUN_ID,
        utterances: [utteranceSpans[1], utteranceSpans[0]],
        measurements: measurementsOf.flatMap((list, u) => list.map((m) => ({ utterance_index: 1 - u, ...m }))),
      }),
    );
    expect(await client.measureSpeech(wav)).toEqual(expectedSpeech);
  });

  it('decodes measurements nested inside each utterance', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, { run_id: RUN_ID, utterances: utteranceSpans.map((span, u) => ({ ...span, measurements: measurementsOf[u] })) }));
    expect(await client.measureSpeech(wav)).toEqual(expectedSpeech);
  });

  it('assigns unlinked measurements to the utterance whose span contains them', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, { run_id: RUN_ID, utterances: utteranceSpans, measurements: measurementsOf.flat().reverse() }));
    expect(await client.measureSpeech(wav)).toEqual(expectedSpeech);
  });

  it('assigns an unlinked measurement a millisecond outside every span to the utterance it overlaps most', async () => {
    const { hume, client } = await setup();
    const [first, ...rest] = measurementsOf[1];
    hume.reply(
      json(200, {
        run_id: RUN_ID,
        utterances: utteranceSpans,
        measurements: [...measurementsOf[0], { ...first, audio_start_ms: 8999 }, ...rest],
      }),
    );
    const result = await client.measureSpeech(wav);
    expect(result.utterances.map((u) => u.measurements.map((m) => m.startMs))).toEqual([
      [420, 420, 420],
      [8999, 9000],
    ]);
  });

  it('reads utterance spans named start_ms/end_ms', async () => {
    const { hume, client } = await setup();
    hume.reply(
      json(200, {
        ...referenceSpeechAnswer,
        utterances: utteranceSpans.map((span, u) => ({ utterance_id: u, start_ms: span.audio_start_ms, end_ms: span.audio_end_ms })),
      }),
    );
    expect(await client.measureSpeech(wav)).toEqual(expectedSpeech);
  });

  it('accepts any 2xx status', async () => {
    const { hume, client } = await setup();
    hume.reply(json(201, referenceSpeechAnswer));
    expect(await client.measureSpeech(wav)).toEqual(expectedSpeech);
  });

  it('sorts utterances by start and measurements by end, but keeps score arrays in Hume order', async () => {
    const { hume, client } = await setup();
    const unsortedScores = [s('calmness', 0.1), s('joy', 0.9), s('aesthetic appreciation', 0.5)];
    const answer = structuredClone(referenceSpeechAnswer) as { measurements: Array<Record<string, unknown>>; utterances: unknown[] };
    answer.utterances.reverse();
    answer.measurements.reverse();
    answer.measurements[0]!.expressions = unsortedScores;
    hume.reply(json(200, answer));
    const result = await client.measureSpeech(wav);
    expect(result.utterances.map((u) => [u.startMs, u.measurements.map((m) => m.endMs)])).toEqual([
      [420, [3420, 6420, 7900]],
      [9000, [12_000, 13_400]],
    ]);
    // The gateway's emotions(top) sorts; without `top` the contract is "provider order".
    expect(result.utterances[1]?.measurements[1]?.expressions).toEqual(unsortedScores);
  });

  it('ignores unknown fields at every level', async () => {
    const { hume, client } = await setup();
    hume.reply(
      json(200, {
        run_id: RUN_ID,
        billable_seconds: 12.4,
        model: { version: 'x' },
        utterances: referenceSpeechAnswer.utterances.map((u) => ({ ...u, transcript: 'hi', speaker: 2 })),
        measurements: referenceSpeechAnswer.measurements.map((m) => ({
          ...m,
          confidence: 0.7,
          expressions: m.expressions.map((e) => ({ ...e, rank: 1 })),
          voice_attributes: m.voice_attributes.map((e) => ({ ...e, category: 'timbre' })),
        })),
      }),
    );
    expect(await client.measureSpeech(wav)).toEqual(expectedSpeech);
  });
});

describe('measureImages', () => {
  it('posts one image/jpeg `file` part per image, in order, and no config part by default', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, referenceImageAnswer));
    await client.measureImages(twoImages);
    expect(hume.seen.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/expression/video/file']);
    const parts = await partsOf(hume.seen[0]);
    expect(parts.map(({ name, fileName, mimeType }) => ({ name, fileName, mimeType }))).toEqual([
      { name: 'file', fileName: 'first.jpg', mimeType: 'image/jpeg' },
      { name: 'file', fileName: 'second.jpg', mimeType: 'image/jpeg' },
    ]);
    expect(parts.map((p) => [...p.data])).toEqual([[...jpeg(1)], [...jpeg(2)]]);
  });

  it('sends the face settings and the face state under config.face', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, referenceImageAnswer));
    await client.measureImages(twoImages, { threshold: 0.8, minSize: 40, returnFaceState: true, faceState: 'state-from-before' });
    const parts = await partsOf(hume.seen[0]);
    expect(parts.map((p) => p.name)).toEqual(['file', 'file', 'config']);
    expect(parts[2]).toMatchObject({ fileName: undefined, mimeType: 'application/json' });
    expect(JSON.parse(parts[2]!.data.toString())).toEqual({
      face: { threshold: 0.8, min_size: 40, return_face_state: true, face_state: 'state-from-before' },
    });
  });

  it('escapes a file name so it cannot add header lines to its part', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, { run_id: IMAGE_RUN_ID, results: [{ faces: [] }] }));
    const result = await client.measureImages([{ fileName: 'evil"\r\nX-Injected: 1.jpg', data: jpeg(3) }]);
    const parts = await partsOf(hume.seen[0]);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ name: 'file', fileName: 'evil%22%0D%0AX-Injected: 1.jpg', mimeType: 'image/jpeg' });
    expect(result.images[0]?.fileName).toBe('evil"\r\nX-Injected: 1.jpg');
  });

  it('decodes the reference shape: `results`, bounding_box x/y/width/height, confidence, string face_id, top-level face_state', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, referenceImageAnswer));
    expect(await client.measureImages(twoImages)).toEqual(expectedImages(IMAGE_RUN_ID, 'opaque-string'));
  });

  it('decodes a top-level array (no run_id, no face state)', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, referenceImageResults));
    expect(await client.measureImages(twoImages)).toEqual(expectedImages(null, null));
  });

  it('decodes an `images` container', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, { run_id: IMAGE_RUN_ID, images: referenceImageResults }));
    expect(await client.measureImages(twoImages)).toEqual(expectedImages(IMAGE_RUN_ID, null));
  });

  /** Rewrites the reference faces with other field names for the box, its size and the confidence. */
  const renamedFaces = (boxKey: string, size: 'width/height' | 'w/h', confidenceKey: string) =>
    referenceImageResults.map((image) => ({
      faces: image.faces.map(({ bounding_box: b, confidence, ...rest }) => ({
        ...rest,
        [boxKey]: size === 'w/h' ? { x: b.x, y: b.y, w: b.width, h: b.height } : b,
        [confidenceKey]: confidence,
      })),
    }));

  it.each([
    ['box', 'width/height', 'confidence'],
    ['bbox', 'width/height', 'confidence'],
    ['bounding_box', 'w/h', 'confidence'],
    ['bounding_box', 'width/height', 'detection_confidence'],
    ['bounding_box', 'width/height', 'probability'],
  ] as const)('decodes faces with the box as `%s` sized by %s and the confidence as `%s`', async (boxKey, size, confidenceKey) => {
    const { hume, client } = await setup();
    hume.reply(json(200, { run_id: IMAGE_RUN_ID, results: renamedFaces(boxKey, size, confidenceKey) }));
    expect(await client.measureImages(twoImages)).toEqual(expectedImages(IMAGE_RUN_ID, null));
  });

  it('normalises an integer face_id to a string', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, { run_id: IMAGE_RUN_ID, results: [{ faces: [{ ...measuredFace, face_id: 0 }, unmeasuredFace] }, { faces: [] }] }));
    expect(await client.measureImages(twoImages)).toEqual(expectedImages(IMAGE_RUN_ID, null));
  });

  it('reads unmeasured faces whose face_id, expressions and descriptions are absent instead of null', async () => {
    const { hume, client } = await setup();
    const { face_id: _id, expressions: _e, descriptions: _d, ...bare } = unmeasuredFace;
    hume.reply(json(200, { run_id: IMAGE_RUN_ID, results: [{ faces: [measuredFace, bare] }, { faces: [] }] }));
    expect(await client.measureImages(twoImages)).toEqual(expectedImages(IMAGE_RUN_ID, null));
  });

  it('keeps an empty expressions array of a measured face apart from the null of an unmeasured one', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, { run_id: IMAGE_RUN_ID, results: [{ faces: [{ ...measuredFace, expressions: [], descriptions: [] }] }] }));
    const result = await client.measureImages([twoImages[0]!]);
    expect(result.images[0]?.faces[0]).toMatchObject({ faceId: '0', expressions: [], descriptions: [] });
  });

  it('reads a face state returned under `face`, beside the settings it continues', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, { run_id: IMAGE_RUN_ID, results: referenceImageResults, face: { face_state: 'nested-state', threshold: 0.9 } }));
    expect(await client.measureImages(twoImages)).toEqual(expectedImages(IMAGE_RUN_ID, 'nested-state'));
  });

  it('ignores unknown fields at every level, keeping scores in Hume order', async () => {
    const { hume, client } = await setup();
    hume.reply(
      json(200, {
        run_id: IMAGE_RUN_ID,
        frame_count: 2,
        face: 'not ours to refuse',
        results: [
          {
            image_index: 0,
            width: 1920,
            faces: [
              { ...measuredFace, landmarks: [[1, 2]], bounding_box: { ...measuredFace.bounding_box, rotation: 0 } },
              { ...unmeasuredFace, reason: 'not among the largest' },
            ],
          },
          { faces: [], note: 'no faces' },
        ],
      }),
    );
    expect(await client.measureImages(twoImages)).toEqual(expectedImages(IMAGE_RUN_ID, null));
  });
});

describe('runs', () => {
  it('lists runs with every filter sent as a snake_case query parameter', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, { runs: [liveRun, endedRun], next_cursor: null }));
    const page = await client.listRuns({
      pageSize: 20,
      cursor: 'c1',
      status: 'ended',
      mode: 'file',
      endpoint: 'video',
      startedBefore: new Date('2026-10-22T00:00:00Z'),
      startedAfter: '2026-10-21T00:00:00+02:00',
      userId: 'user-7',
    });
    expect(page).toEqual({ runs: [expectedLiveRun, expectedEndedRun], nextCursor: null });
    expect(hume.seen[0]?.path).toBe('/v1/expression/run');
    expect(Object.fromEntries(hume.seen[0]!.query)).toEqual({
      page_size: '20',
      cursor: 'c1',
      status: 'ended',
      mode: 'file',
      endpoint: 'video',
      started_before: '2026-10-22T00:00:00.000Z',
      started_after: '2026-10-21T00:00:00+02:00',
      user_id: 'user-7',
    });
  });

  it('sends no query string without filters', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, { runs: [] }));
    await client.listRuns();
    expect([...hume.seen[0]!.query]).toEqual([]);
  });

  it('pages with next_cursor passed back unchanged; an absent next_cursor ends the list', async () => {
    const { hume, client } = await setup();
    const cursor = 'eyJrIjoxfQ==/+&x';
    hume.reply(json(200, { runs: [liveRun], next_cursor: cursor }), json(200, { runs: [endedRun] }));
    const first = await client.listRuns({ pageSize: 1, status: 'ended' });
    expect(first).toEqual({ runs: [expectedLiveRun], nextCursor: cursor });
    const second = await client.listRuns({ pageSize: 1, status: 'ended', cursor: first.nextCursor! });
    expect(second).toEqual({ runs: [expectedEndedRun], nextCursor: null });
    expect(hume.seen[1]?.query.get('cursor')).toBe(cursor);
  });

  it('ends the list on next_cursor null, and on an empty next_cursor', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, { runs: [liveRun], next_cursor: null }), json(200, { runs: [liveRun], next_cursor: '' }));
    expect((await client.listRuns()).nextCursor).toBeNull();
    expect((await client.listRuns()).nextCursor).toBeNull();
  });

  it('keeps status, mode and endpoint values the reference does not list, and ignores unknown run fields', async () => {
    const { hume, client } = await setup();
    const future = { ...endedRun, status: 'archived', mode: 'batch', endpoint: 'text' };
    const extras = { received: { audio_ms: 61_200 }, stored: {}, config: { measurement_timer_ms: 3000 }, billable_seconds: 61.2 };
    hume.reply(json(200, { runs: [{ ...future, ...extras }], next_cursor: null, total: 1 }));
    expect((await client.listRuns()).runs).toEqual([{ ...expectedEndedRun, status: 'archived', mode: 'batch', endpoint: 'text' }]);
  });

  it('gets one run, with an absent mode, ended_at and close_code read as null', async () => {
    const { hume, client } = await setup();
    const { mode: _mode, ended_at: _ended, ...sparse } = liveRun;
    hume.reply(json(200, sparse));
    expect(await client.getRun(liveRun.run_id)).toEqual({ ...expectedLiveRun, mode: null });
    expect(hume.seen[0]?.path).toBe(`/v1/expression/run/${liveRun.run_id}`);
  });

  it('gets an unknown run as null on 404, without retrying, and encodes the id into the path', async () => {
    const { hume, client } = await setup();
    hume.reply(json(404, { type: 'error', code: 'run_not_found', message: 'no such run', request_id: 'r1' }));
    expect(await client.getRun('not a/uuid')).toBeNull();
    expect(hume.seen.map((r) => r.path)).toEqual(['/v1/expression/run/not%20a%2Fuuid']);
  });

  it('reads a run event page, keeping event kinds the reference does not list', async () => {
    const { hume, client } = await setup();
    hume.reply(
      json(200, {
        events: [
          { seq: 1, at: '2026-10-21T09:15:03Z', kind: 'rate_limited', frame: 12 },
          { seq: 2, at: '2026-10-21T09:15:04.5Z', kind: 'session_resumed' },
        ],
        at_cap: true,
        capped_kinds: ['rate_limited'],
        gaps: false,
        next_cursor: 'ev2',
      }),
    );
    expect(await client.getRunEvents(liveRun.run_id, { pageSize: 2, cursor: 'ev1' })).toEqual({
      events: [
        { seq: 1, at: '2026-10-21T09:15:03Z', kind: 'rate_limited' },
        { seq: 2, at: '2026-10-21T09:15:04.5Z', kind: 'session_resumed' },
      ],
      atCap: true,
      cappedKinds: ['rate_limited'],
      gaps: false,
      nextCursor: 'ev2',
    });
    expect(hume.seen[0]?.path).toBe(`/v1/expression/run/${liveRun.run_id}/events`);
    expect(Object.fromEntries(hume.seen[0]!.query)).toEqual({ page_size: '2', cursor: 'ev1' });
  });

  it('reads an event page without at_cap, capped_kinds and gaps as nothing reported; 404 as null', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, { events: [] }), json(404, { message: 'Not Found' }));
    expect(await client.getRunEvents(RUN_ID)).toEqual({ events: [], atCap: false, cappedKinds: [], gaps: false, nextCursor: null });
    expect(await client.getRunEvents(RUN_ID)).toBeNull();
  });
});

describe('malformed answers become typed errors naming the first bad path, never the value found', () => {
  const speech = (c: HumeExpressionClient) => c.measureSpeech(wav);
  const images = (c: HumeExpressionClient) => c.measureImages(twoImages);
  const list = (c: HumeExpressionClient) => c.listRuns();
  const run = (c: HumeExpressionClient) => c.getRun(RUN_ID);
  const events = (c: HumeExpressionClient) => c.getRunEvents(RUN_ID);
  const withMeasurement = (index: number, change: Record<string, unknown>) => ({
    ...referenceSpeechAnswer,
    measurements: referenceSpeechAnswer.measurements.map((m, i) => (i === index ? { ...m, ...change } : m)),
  });
  const withFace = (change: Record<string, unknown>) => ({
    ...referenceImageAnswer,
    results: [{ faces: [{ ...measuredFace, ...change }] }, { faces: [] }],
  });
  const { run_id: _runId, ...speechWithoutRunId } = referenceSpeechAnswer;
  const { user_id: _userId, ...runWithoutUser } = endedRun;

  const cases: Array<[string, (c: HumeExpressionClient) => Promise<unknown>, unknown, string]> = [
    ['speech answer is null', speech, null, ''],
    ['speech answer without run_id', speech, speechWithoutRunId, 'run_id'],
    ['speech run_id is an object', speech, { ...referenceSpeechAnswer, run_id: { id: SENTINEL } }, 'run_id'],
    ['speech utterances is a string', speech, { ...referenceSpeechAnswer, utterances: SENTINEL }, 'utterances'],
    ['speech utterance without a span', speech, { ...referenceSpeechAnswer, utterances: [{ utterance_id: 0, duration_ms: 5 }] }, 'utterances.0'],
    ['speech trigger outside the enum', speech, withMeasurement(0, { trigger: SENTINEL }), 'measurements.0.trigger'],
    ['speech audio_end_ms is a string', speech, withMeasurement(1, { audio_end_ms: SENTINEL }), 'measurements.1.audio_end_ms'],
    ['speech audio_end_ms before audio_start_ms', speech, withMeasurement(1, { audio_end_ms: 100 }), 'measurements.1'],
    ['speech probability is a string', speech, withMeasurement(0, { expressions: [interest, { name: 'joy', probability: SENTINEL }] }), 'measurements.0.expressions.1.probability'],
    ['speech probability above 1', speech, withMeasurement(0, { voice_attributes: [{ name: SENTINEL, probability: 4.2 }] }), 'measurements.0.voice_attributes.0.probability'],
    ['speech measurement linked to an utterance id not in the answer', speech, withMeasurement(2, { utterance_id: 9 }), 'measurements.2.utterance_id'],
    ['speech utterance_index out of range', speech, { ...referenceSpeechAnswer, utterances: utteranceSpans, measurements: [{ ...measurementsOf[0][0], utterance_index: 5 }] }, 'measurements.0.utterance_index'],
    ['speech unlinked measurement in no utterance', speech, { ...referenceSpeechAnswer, utterances: utteranceSpans, measurements: [{ ...measurementsOf[0][0], audio_start_ms: 20_000, audio_end_ms: 21_000 }] }, 'measurements.0'],
    ['image answer with neither results nor images', images, { run_id: IMAGE_RUN_ID, faces: [] }, ''],
    ['image envelope without run_id', images, { results: referenceImageResults }, 'run_id'],
    ['image answer with fewer results than images', images, { run_id: IMAGE_RUN_ID, results: [{ faces: [] }] }, 'results'],
    ['image result without faces', images, { run_id: IMAGE_RUN_ID, images: [{ faces: [] }, { detections: SENTINEL }] }, 'images.1.faces'],
    ['face box without a size', images, withFace({ bounding_box: { x: 1, y: 2 } }), 'results.0.faces.0.bounding_box'],
    ['face_id is a boolean', images, withFace({ face_id: true }), 'results.0.faces.0.face_id'],
    ['face expressions is an object', images, withFace({ expressions: { joy: SENTINEL } }), 'results.0.faces.0.expressions'],
    ['face confidence is a string in a bare array', images, [{ faces: [{ ...measuredFace, confidence: SENTINEL }] }, { faces: [] }], '0.faces.0.confidence'],
    ['run list without runs', list, { items: [], next_cursor: null }, 'runs'],
    ['run list next_cursor is a number', list, { runs: [], next_cursor: 2 }, 'next_cursor'],
    ['listed run without user_id', list, { runs: [liveRun, runWithoutUser] }, 'runs.1.user_id'],
    ['run started_at is not RFC 3339', run, { ...endedRun, started_at: `yesterday ${SENTINEL}` }, 'started_at'],
    ['run close_code is a string', run, { ...endedRun, close_code: SENTINEL }, 'close_code'],
    ['run status is empty', run, { ...endedRun, status: '' }, 'status'],
    ['run event seq is 0', events, { events: [{ seq: 0, at: '2026-10-21T09:15:03Z', kind: 'rate_limited' }] }, 'events.0.seq'],
  ];

  it.each(cases)('%s', async (_name, call, answer, path) => {
    const { hume, client } = await setup();
    hume.reply(json(200, answer));
    const error = await caught(call(client));
    expect(error).toBeInstanceOf(MalformedAnswerError);
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ provider: HUME_EXPRESSION, path, mayHaveReachedProvider: true });
    const { reason, message } = error as MalformedAnswerError;
    expect(reason).toContain(path === '' ? 'top level' : `at ${path}:`);
    expect(`${reason} ${message}`).not.toContain(SENTINEL);
    // A shape Hume does not document will not change by asking again (and an upload is never repeated).
    expect(hume.seen).toHaveLength(1);
  });

  it('turns a 2xx that is not JSON into ProviderUnavailableError, and does not repeat the upload', async () => {
    const { hume, client } = await setup();
    hume.reply(text(200, '<html>gateway</html>'));
    const error = await caught(client.measureSpeech(wav));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ reason: 'answer is not valid JSON', mayHaveReachedProvider: true });
    expect(hume.count('POST')).toBe(1);
  });

  it('asks again when a read answered JSON cut short', async () => {
    const { hume, client } = await setup();
    hume.reply(text(200, '{"runs": [', 'application/json'), json(200, { runs: [] }));
    expect(await client.listRuns()).toEqual({ runs: [], nextCursor: null });
    expect(hume.count('GET')).toBe(2);
  });
});

describe('error answers', () => {
  it('carries the service error `message` and `code` (not the raw body) in ProviderHttpError; a 400 upload is not repeated', async () => {
    const { hume, client } = await setup();
    const message = 'the config part is not valid: unknown field `timer_ms`, expected `measurement_timer_ms` at line 1 column 11';
    hume.reply(json(400, { type: 'error', code: 'config_invalid', message, request_id: '3f9a1c07e2b84d56a0c7e19b5d2f8a64', debug: SENTINEL }));
    const error = await caught(client.measureSpeech(wav, { measurementTimerMs: 5000 }));
    expect(error).toBeInstanceOf(ProviderHttpError);
    expect(error).toMatchObject({
      provider: HUME_EXPRESSION,
      status: 400,
      providerMessage: message,
      body: { code: 'config_invalid', message, requestId: '3f9a1c07e2b84d56a0c7e19b5d2f8a64' },
    });
    expect(JSON.stringify((error as ProviderHttpError).body)).not.toContain(SENTINEL);
    expect(hume.count('POST')).toBe(1);
  });

  it('reads a gateway error without code (401 for a rejected key) and keeps the key out of the error', async () => {
    const { client, finished } = await setup({ apiKey: 'wrong-key-secret' });
    const error = await caught(client.listRuns());
    expect(error).toMatchObject({ status: 401, providerMessage: 'Unauthorized', body: { code: null, message: 'Unauthorized', requestId: 'req-401' } });
    const everything = `${(error as Error).message} ${(error as Error).stack} ${JSON.stringify(error)} ${JSON.stringify(finished)}`;
    expect(everything).not.toContain('wrong-key-secret');
  });

  it('passes nothing of an error body of unknown shape, nor of a non-JSON one', async () => {
    const { hume, client } = await setup();
    hume.reply(json(418, { detail: SENTINEL }), text(502, `<html>${SENTINEL}</html>`));
    for (const status of [418, 502]) {
      const error = await caught(client.measureSpeech(wav));
      expect(error).toMatchObject({ status, providerMessage: undefined, body: undefined });
      expect((error as Error).message).not.toContain(SENTINEL);
    }
  });

  it('uses the code as the message when an error body has a code only', async () => {
    const { hume, client } = await setup();
    hume.reply(json(413, { type: 'error', code: 'payload_too_large' }));
    expect(await caught(client.measureSpeech(wav))).toMatchObject({
      status: 413,
      providerMessage: 'payload_too_large',
      body: { code: 'payload_too_large', message: null, requestId: null },
    });
  });
});

describe('authentication', () => {
  it('sends the key as X-Hume-Api-Key on every request and no other credential; never to the observer', async () => {
    const { hume, client, finished, retries } = await setup();
    hume.reply(
      json(503, { type: 'error', code: 'internal_error', message: 'busy' }),
      json(200, referenceSpeechAnswer),
      json(200, referenceImageAnswer),
      json(200, { runs: [] }),
      json(200, endedRun),
      json(200, { events: [] }),
    );
    await client.measureSpeech(wav);
    await client.measureImages(twoImages);
    await client.listRuns();
    await client.getRun(RUN_ID);
    await client.getRunEvents(RUN_ID);
    expect(hume.seen).toHaveLength(6);
    for (const req of hume.seen) {
      expect(req.headers['x-hume-api-key']).toBe(KEY);
      expect(req.headers.authorization).toBeUndefined();
    }
    expect(finished.map(([provider, operation, status]) => [provider, operation, status])).toEqual([
      [HUME_EXPRESSION, 'measureSpeech', 503],
      [HUME_EXPRESSION, 'measureSpeech', 200],
      [HUME_EXPRESSION, 'measureImages', 200],
      [HUME_EXPRESSION, 'listRuns', 200],
      [HUME_EXPRESSION, 'getRun', 200],
      [HUME_EXPRESSION, 'getRunEvents', 200],
    ]);
    expect(JSON.stringify({ finished, retries })).not.toContain(KEY);
  });
});

describe('retries', () => {
  const busy = json(503, { type: 'error', code: 'internal_error', message: 'busy' });
  const limited = (retryAfter: string) => json(429, { message: 'API rate limit exceeded' }, { 'retry-after': retryAfter });

  it('repeats a read after a 503', async () => {
    const { hume, client, retries } = await setup();
    hume.reply(busy, json(200, endedRun));
    expect(await client.getRun(RUN_ID)).toEqual(expectedEndedRun);
    expect(hume.count('GET')).toBe(2);
    expect(retries.map((r) => [r.operation, (r.failure as ProviderHttpError).status])).toEqual([['getRun', 503]]);
  });

  it('repeats a read after a 429 only once its Retry-After has passed', async () => {
    const { hume, client, retries } = await setup();
    hume.reply(limited('0.4'), json(200, { runs: [] }));
    const began = performance.now();
    await client.listRuns();
    expect(performance.now() - began).toBeGreaterThanOrEqual(380);
    expect(retries.map((r) => r.delayMs)).toEqual([400]);
    expect(hume.count('GET')).toBe(2);
  });

  it('repeats a read after a dropped connection and after a timeout', async () => {
    const { hume, client } = await setup({ headersTimeoutMs: 150 });
    hume.reply(drop, hang, json(200, { events: [] }));
    expect(await client.getRunEvents(RUN_ID)).toMatchObject({ events: [] });
    expect(hume.count('GET')).toBe(3);
  });

  it('gives up on a read once the retries are spent', async () => {
    const { hume, client } = await setup();
    hume.reply(json(502, { message: 'Bad Gateway' }));
    expect(await caught(client.listRuns())).toMatchObject({ status: 502, providerMessage: 'Bad Gateway' });
    expect(hume.count('GET')).toBe(3);
  });

  it.each([
    ['429 with Retry-After', limited('0.05'), 50],
    ['503', busy, undefined],
  ] as const)('repeats an upload Hume refused with %s, with the same bytes', async (_name, refusal, hintedDelay) => {
    const { hume, client, retries } = await setup();
    hume.reply(refusal, json(200, referenceSpeechAnswer));
    expect(await client.measureSpeech(wav, { measurementTimerMs: 4000 })).toEqual(expectedSpeech);
    expect(hume.count('POST')).toBe(2);
    expect(hume.seen[1]?.body.equals(hume.seen[0]!.body)).toBe(true);
    if (hintedDelay !== undefined) expect(retries.map((r) => r.delayMs)).toEqual([hintedDelay]);
  });

  it('does not wait out a Retry-After longer than the policy allows: the delay goes to the caller', async () => {
    const { hume, client } = await setup();
    hume.reply(limited('120'));
    expect(await caught(client.measureImages(twoImages))).toMatchObject({ status: 429, retryAfterMs: 120_000 });
    expect(hume.count('POST')).toBe(1);
  });

  it('repeats an upload whose connection was refused, and succeeds once Hume listens', async () => {
    const probe = new FakeHume();
    const url = await probe.listen();
    await probe.close();
    const hume = new FakeHume().reply(json(200, referenceImageAnswer));
    closables.push(hume);
    const refusals: ProviderError[] = [];
    let listening: Promise<string> | undefined;
    const client = new HumeExpressionClient({
      baseUrl: url,
      apiKey: KEY,
      retry: { maxRetries: 2, baseDelayMs: 200, maxDelayMs: 2000 },
      observer: {
        retrying: (_provider, _operation, failure) => {
          refusals.push(failure);
          // Starts listening while the client waits out its backoff (200 ms), so the retry finds Hume there.
          listening ??= hume.listen(Number(new URL(url).port));
        },
      },
    });
    closables.push(client);
    expect(await client.measureImages(twoImages)).toEqual(expectedImages(IMAGE_RUN_ID, 'opaque-string'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ reason: 'could not connect (ECONNREFUSED)', mayHaveReachedProvider: false });
    expect(hume.count('POST')).toBe(1);
  });

  it('reports an upload that never connected as never sent, after the retries', async () => {
    const probe = new FakeHume();
    const url = await probe.listen();
    await probe.close();
    const attempts: string[] = [];
    const client = new HumeExpressionClient({ baseUrl: url, apiKey: KEY, retry: FAST_RETRY, observer: { retrying: (_p, operation) => attempts.push(operation) } });
    closables.push(client);
    const error = await caught(client.measureSpeech(wav));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ mayHaveReachedProvider: false });
    expect(attempts).toEqual(['measureSpeech', 'measureSpeech']);
  });

  it('does not repeat an upload answered 500: it may have been measured and billed', async () => {
    const { hume, client, retries } = await setup();
    hume.reply(json(500, { type: 'error', code: 'internal_error', message: 'measurement failed', request_id: 'r5' }));
    expect(await caught(client.measureSpeech(wav))).toMatchObject({ status: 500, body: { code: 'internal_error' } });
    expect(hume.count('POST')).toBe(1);
    expect(retries).toEqual([]);
  });

  it('does not repeat an upload that timed out', async () => {
    const { hume, client } = await setup({ uploadHeadersTimeoutMs: 150 });
    hume.reply(hang);
    const error = await caught(client.measureSpeech(wav));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ reason: 'timed out waiting for the answer', mayHaveReachedProvider: true });
    expect(hume.count('POST')).toBe(1);
  });

  it('does not repeat an upload whose connection dropped after sending', async () => {
    const { hume, client } = await setup();
    hume.reply(drop);
    const error = await caught(client.measureImages(twoImages));
    expect(error).toBeInstanceOf(ProviderUnavailableError);
    expect(error).toMatchObject({ mayHaveReachedProvider: true });
    expect(hume.count('POST')).toBe(1);
  });

  it('waits for a slow measurement longer than for a read', async () => {
    const { hume, client } = await setup({ headersTimeoutMs: 100, uploadHeadersTimeoutMs: 5000 });
    hume.reply(later(300, json(200, referenceSpeechAnswer)));
    expect(await client.measureSpeech(wav)).toEqual(expectedSpeech);
  });
});

describe('close', () => {
  it('closes the agent, and may be called twice', async () => {
    const { hume, client } = await setup();
    hume.reply(json(200, { runs: [] }));
    await client.listRuns();
    await client.close();
    await client.close();
    expect(await caught(client.listRuns())).toBeInstanceOf(ProviderUnavailableError);
    expect(hume.count('GET')).toBe(1);
  });
});
