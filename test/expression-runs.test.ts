/**
 * Hume expression (v1) through the gateway: measureAudio, measureImages, expressionRun(s), expressionRunUpdated and
 * the Hume expression side of analyzeMedia, over real HTTP, WebSocket and SSE against the real simulator. The
 * simulator's server is tapped (test/support/upload-tap.ts) so the bytes Hume received are checked, not assumed,
 * and uploads can be held until a subscriber has seen the run RUNNING.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { humeExpression } from '../src/providers/hume-expression/index.js';
import { graphql } from './gql/index.js';
import type { ExprRunsQuery } from './gql/graphql.js';
import { jpeg, readWav, rmsBetween, toneWav, wavFile, type ToneSpan } from './support/expression-media.js';
import { subscribeSse, subscribeWs, wsClient } from './support/live-clients.js';
import { TEST_HUME_KEY, eventually, startStack, type Stack, type UploadFile } from './support/stack.js';
import { UploadTap, type TappedPart, type TappedUpload } from './support/upload-tap.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const AUDIO_PATH = '/v1/expression/audio/file';
const VIDEO_PATH = '/v1/expression/video/file';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Utterance edges move by the simulator's 20 ms VAD frames and the resampler's filter; more would be a real shift. */
const EDGE_TOLERANCE_MS = 45;

const MeasureAudio = graphql(`
  mutation ExprMeasureAudio($input: MeasureAudioInput!) {
    measureAudio(input: $input) {
      __typename
      ... on MeasureSuccess { run { id status kind } }
      ... on ValidationError { message fields { field message } }
      ... on PayloadTooLargeError { message provider maxBytes }
      ... on RateLimitedError { message provider retryAfterSeconds }
      ... on ProviderError { message provider status code }
    }
  }
`);

const MeasureImages = graphql(`
  mutation ExprMeasureImages($input: MeasureImagesInput!) {
    measureImages(input: $input) {
      __typename
      ... on MeasureSuccess { run { id status kind } }
      ... on ValidationError { message fields { field message } }
      ... on PayloadTooLargeError { message provider maxBytes }
      ... on RateLimitedError { message provider retryAfterSeconds }
      ... on ProviderError { message provider status code }
    }
  }
`);

const RunQuery = graphql(`
  query ExprRun($id: ID!) {
    expressionRun(id: $id) {
      id
      kind
      status
      error
      createdAt
      request {
        __typename
        ... on AudioMeasurementRequest { fileName fileSize sourceFormat channels measurementTimerMs durationMs }
        ... on ImageMeasurementRequest { fileNames threshold minSize }
      }
      audio {
        channel
        humeRunId
        utterances {
          startMs
          endMs
          measurements {
            trigger
            startMs
            endMs
            emotions { name score }
            voiceAttributes { name score }
            top3: emotions(top: 3) { name score }
            topVoice: voiceAttributes(top: 2) { name score }
          }
        }
      }
      images {
        fileName
        faces {
          faceId
          measured
          box { x y width height }
          confidence
          emotions { name score }
          descriptions { name score }
          top2: emotions(top: 2) { name score }
        }
      }
    }
  }
`);

const RunUpdated = graphql(`
  subscription ExprRunUpdated($id: ID!) {
    expressionRunUpdated(id: $id) {
      id
      status
      error
      audio { channel humeRunId utterances { startMs endMs measurements { trigger startMs endMs emotions { name score } } } }
    }
  }
`);

const RunsQuery = graphql(`
  query ExprRuns($first: Int, $after: String, $filter: ExpressionRunFilter) {
    expressionRuns(first: $first, after: $after, filter: $filter) {
      edges { cursor node { id status kind createdAt } }
      pageInfo { hasNextPage hasPreviousPage endCursor }
    }
  }
`);

const AnalyzeMedia = graphql(`
  mutation ExprAnalyzeMedia($input: AnalyzeMediaInput!) {
    analyzeMedia(input: $input) {
      __typename
      ... on AnalyzeMediaSuccess { analysis { id status sides { provider workId } failures { provider stage status code message } } }
      ... on ValidationError { fields { field message } }
    }
  }
`);

const AnalysisQuery = graphql(`
  query ExprAnalysis($id: ID!) {
    mediaAnalysis(id: $id) {
      id
      status
      failures { provider stage code message }
      job { id status }
      emotionTask { id status }
      expressionRun { id status audio { channel } }
      channels {
        channel
        emotions { channel emotions { name score } }
        utterances { startMs endMs measurements { trigger startMs endMs } }
      }
    }
  }
`);

let stack: Stack;
let tap: UploadTap;

beforeAll(async () => {
  stack = await startStack({ publicUrl: true });
  tap = new UploadTap(stack.expression.server);
});
afterAll(async () => {
  tap?.detach();
  await stack?.close();
});
afterEach(() => {
  tap.release();
  stack.expression.faults.clear();
  stack.expression.timing = { measureDelayMs: 0 };
  // A 429 a test provoked holds this replica's Hume expression calls back; the next test starts with the gate open.
  stack.gateway.services.providers.get(humeExpression)?.client.gate.reset();
});

// --- helpers -------------------------------------------------------------------------------------------------------

const asUpload = (name: string, data: Buffer, type = 'audio/wav'): UploadFile => ({ name, type, data: new Uint8Array(data) as Uint8Array<ArrayBuffer> });

async function measureAudio(name: string, data: Buffer, input: { channels?: number[]; measurementTimerMs?: number; idempotencyKey?: string } = {}, type = 'audio/wav') {
  const result = await stack.upload(MeasureAudio, { input: { ...input, file: null as never } }, { 'variables.input.file': asUpload(name, data, type) });
  expect(result.errors).toBeUndefined();
  return result.data!.measureAudio;
}

async function startAudio(name: string, data: Buffer, input: Parameters<typeof measureAudio>[2] = {}) {
  const result = await measureAudio(name, data, input);
  if (result.__typename !== 'MeasureSuccess') throw new Error(`measureAudio: ${JSON.stringify(result)}`);
  return result.run;
}

async function measureImages(files: Array<{ name: string; data: Buffer; type?: string }>, input: { face?: { threshold?: number; minSize?: number }; idempotencyKey?: string } = {}) {
  const uploads = Object.fromEntries(files.map((f, i) => [`variables.input.files.${i}`, asUpload(f.name, f.data, f.type ?? 'image/jpeg')]));
  const result = await stack.upload(MeasureImages, { input: { ...input, files: files.map(() => null) as never } }, uploads);
  expect(result.errors).toBeUndefined();
  return result.data!.measureImages;
}

async function readRun(id: string) {
  const result = await stack.execute(RunQuery, { id });
  expect(result.errors).toBeUndefined();
  return result.data!.expressionRun;
}

/** The run once it left RUNNING. */
const settled = (id: string, timeoutMs = 10_000) =>
  eventually(async () => {
    const run = await readRun(id);
    return run && run.status !== 'RUNNING' ? run : undefined;
  }, timeoutMs);

const requestCount = () => stack.expression.requests.entries.length;

/** The file and config parts of an upload. */
async function partsByName(upload: TappedUpload): Promise<{ file: TappedPart; config: TappedPart | undefined; names: string[] }> {
  const parts = await upload.parts();
  const file = parts.find((p) => p.name === 'file');
  if (!file) throw new Error('no file part');
  return { file, config: parts.find((p) => p.name === 'config'), names: parts.map((p) => p.name) };
}

/** Audio uploads since `from`, waited for until `count` arrived. */
const audioUploadsSince = (from: number, count: number) =>
  eventually(async () => {
    const uploads = tap.uploads.slice(from).filter((u) => u.path === AUDIO_PATH);
    return uploads.length >= count ? uploads : undefined;
  });

/** What the simulator answers for exactly these bytes (and config), put the way the gateway exposes measurements. */
async function simulatorMeasures(wav: Buffer, config?: object) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'direct.wav');
  if (config) form.append('config', JSON.stringify(config));
  const response = await fetch(`${stack.expressionUrl}${AUDIO_PATH}`, { method: 'POST', body: form, headers: { 'x-hume-api-key': TEST_HUME_KEY } });
  expect(response.status).toBe(200);
  const answer = (await response.json()) as any;
  const scores = (list: any[]) => list.map((s) => ({ name: s.name, score: s.probability }));
  return answer.utterances.map((u: any) => ({
    startMs: u.audio_start_ms,
    endMs: u.audio_end_ms,
    measurements: answer.measurements
      .filter((m: any) => m.utterance_id === u.utterance_id)
      .map((m: any) => ({
        trigger: m.trigger.toUpperCase(),
        startMs: m.audio_start_ms,
        endMs: m.audio_end_ms,
        emotions: scores(m.expressions),
        voiceAttributes: scores(m.voice_attributes),
      })),
  }));
}

/** Checks an upload is a 16 kHz mono 16-bit PCM WAV lasting `durationMs` (within 1 %), and returns its samples. */
function expectSpeechWav(file: TappedPart, durationMs: number): Int16Array {
  expect(file.mimeType).toBe('audio/wav');
  const wav = readWav(file.data);
  expect({ formatTag: wav.formatTag, rate: wav.rate, channels: wav.channels, bits: wav.bits }).toEqual({ formatTag: 1, rate: 16_000, channels: 1, bits: 16 });
  expect(Math.abs(wav.durationMs - durationMs)).toBeLessThanOrEqual(durationMs * 0.01);
  return wav.samples;
}

function expectSpans(utterances: Array<{ startMs: number; endMs: number }>, spans: ToneSpan[]) {
  expect(utterances).toHaveLength(spans.length);
  utterances.forEach((u, i) => {
    expect(Math.abs(u.startMs - spans[i]!.startMs), `utterance ${i} start ${u.startMs}`).toBeLessThanOrEqual(EDGE_TOLERANCE_MS);
    expect(Math.abs(u.endMs - spans[i]!.endMs), `utterance ${i} end ${u.endMs}`).toBeLessThanOrEqual(EDGE_TOLERANCE_MS);
  });
}

/** Failure messages reach callers: no internal URL, no key, no stack trace. */
function expectNothingInternal(message: string | null | undefined) {
  expect(message).toBeTruthy();
  for (const secret of [stack.expressionUrl, `:${new URL(stack.expressionUrl).port}`, '127.0.0.1', 'http', '/v1/expression', TEST_HUME_KEY, '    at ']) {
    expect(message, `"${message}" contains ${secret}`).not.toContain(secret);
  }
}

const byScore = (list: Array<{ name: string; score: number }>) => [...list].sort((a, b) => b.score - a.score);

/** A valid JPEG of exactly `bytes` bytes (padding in APPn segments of up to 65,000 bytes, 4 bytes of framing each). */
function jpegOfSize(bytes: number): Buffer {
  const base = jpeg({ width: 64, height: 64 }).length;
  for (let padding = bytes - base - 4 * Math.ceil((bytes - base) / 65_000); padding < bytes; padding++) {
    const image = jpeg({ width: 64, height: 64, paddingBytes: padding });
    if (image.length === bytes) return image;
    if (image.length > bytes) break;
  }
  throw new Error(`no JPEG of ${bytes} bytes`);
}

const oneBurst = (ms: number, span: ToneSpan) => toneWav({ totalMs: ms, channels: [[span]] });

// --- measureAudio ----------------------------------------------------------------------------------------------------

describe('measureAudio', () => {
  it('answers RUNNING at once, measures each channel of a stereo WAV on its own and announces COMPLETED over WebSocket and SSE', async () => {
    // Speech-like bursts in channel 1 only: channel 0 is digital silence.
    const speech: ToneSpan[] = [
      { startMs: 1000, endMs: 6500 },
      { startMs: 7200, endMs: 7900 },
    ];
    const file = toneWav({ rate: 44_100, bits: 16, totalMs: 8500, channels: [[], speech] });
    const from = tap.uploads.length;
    // Hume answers nothing until both subscribers have seen the run RUNNING.
    tap.hold();
    const run = await startAudio('interview.wav', file, { measurementTimerMs: 4000 });
    expect(run).toMatchObject({ status: 'RUNNING', kind: 'AUDIO', id: expect.stringMatching(UUID) });

    const client = wsClient(stack.gateway.url);
    try {
      const ws = subscribeWs(client, RunUpdated, { id: run.id });
      const sse = subscribeSse(stack.gateway.url, RunUpdated, { id: run.id });
      await Promise.all([ws.first, sse.first]);
      tap.release();
      const [wsResults, sseResults] = await Promise.all([ws.done, sse.done]);
      for (const results of [wsResults, sseResults]) {
        expect(results.every((r) => r.errors === undefined), JSON.stringify(results.map((r) => r.errors))).toBe(true);
        expect(results.map((r) => r.data!.expressionRunUpdated.status)).toEqual(['RUNNING', 'COMPLETED']);
        expect(results[0]!.data!.expressionRunUpdated.audio).toBeNull();
        expect(results[1]!.data!.expressionRunUpdated.audio!.map((c) => c.channel)).toEqual([0, 1]);
      }
      expect(sseResults[1]!.data).toEqual(wsResults[1]!.data);
    } finally {
      await client.dispose();
    }

    // Hume got exactly two uploads, one per channel: 16 kHz mono s16le of the file's length, with the chosen timer.
    const uploads = tap.uploads.slice(from);
    expect(uploads.map((u) => u.path)).toEqual([AUDIO_PATH, AUDIO_PATH]);
    const sent = await Promise.all(uploads.map(partsByName));
    expect(sent.map((s) => s.file.fileName)).toEqual(['interview-channel-0.wav', 'interview-channel-1.wav']);
    for (const { config, names } of sent) {
      expect(names).toEqual(['file', 'config']);
      expect(config!.mimeType).toBe('application/json');
      expect(JSON.parse(config!.data.toString('utf8'))).toEqual({ measurement_timer_ms: 4000 });
    }
    const [left, right] = sent.map((s) => expectSpeechWav(s.file, 8500));
    // The energy went where it was: none in channel 0, channel 1 loud in its bursts and quiet between them.
    expect(rmsBetween(left!, 0, 8500)).toBeLessThan(50);
    expect(rmsBetween(right!, 1100, 6400)).toBeGreaterThan(4000);
    expect(rmsBetween(right!, 7300, 7800)).toBeGreaterThan(4000);
    expect(rmsBetween(right!, 100, 900)).toBeLessThan(50);
    expect(rmsBetween(right!, 6600, 7100)).toBeLessThan(50);

    const done = (await readRun(run.id))!;
    expect(done.status).toBe('COMPLETED');
    expect(done.error).toBeNull();
    expect(done.request).toEqual({
      __typename: 'AudioMeasurementRequest',
      fileName: 'interview.wav',
      fileSize: file.length,
      sourceFormat: 'PCM WAV, 16-bit integer, 2 channels, 44,100 Hz, 8.5 s',
      channels: [0, 1],
      measurementTimerMs: 4000,
      durationMs: 8500,
    });
    const [silent, spoken] = done.audio!;
    expect(silent).toMatchObject({ channel: 0, utterances: [] });
    expect(spoken!.channel).toBe(1);
    expectSpans(spoken!.utterances, speech);
    // With a 4 s timer: an interval 4 s into the first utterance, then speech_ended (1.5 s later); one for the second.
    expect(spoken!.utterances.map((u) => u.measurements.map((m) => m.trigger))).toEqual([['INTERVAL', 'SPEECH_ENDED'], ['SPEECH_ENDED']]);
    const [interval] = spoken!.utterances[0]!.measurements;
    expect(interval!.endMs - spoken!.utterances[0]!.startMs).toBe(4000);

    // Each channel's results are the simulator's answer for the bytes it got, names and scores as given.
    for (const [i, channel] of done.audio!.entries()) {
      const expected = await simulatorMeasures(sent[i]!.file.data, { measurement_timer_ms: 4000 });
      expect(channel.utterances.map((u) => ({ ...u, measurements: u.measurements.map(({ top3: _t, topVoice: _v, ...m }) => m) }))).toEqual(expected);
      expect(channel.humeRunId).toMatch(UUID);
      expect(stack.expression.runs.get(channel.humeRunId!)).toMatchObject({ endpoint: 'audio', mode: 'file', state: 'ended' });
    }
    for (const m of spoken!.utterances.flatMap((u) => u.measurements)) {
      expect(m.emotions.length).toBeGreaterThan(3);
      expect(m.voiceAttributes.length).toBeGreaterThan(2);
      expect(m.top3).toEqual(byScore(m.emotions).slice(0, 3));
      expect(m.topVoice).toEqual(byScore(m.voiceAttributes).slice(0, 2));
    }
  });

  it("sends no config part when measurementTimerMs is not chosen, and Hume's 3000 ms default applies", async () => {
    const speech = { startMs: 500, endMs: 7800 };
    const from = tap.uploads.length;
    const run = await startAudio('memo.wav', oneBurst(8000, speech));
    const done = await settled(run.id);
    expect(done.status).toBe('COMPLETED');
    const [upload] = await audioUploadsSince(from, 1);
    const { names } = await partsByName(upload!);
    expect(names).toEqual(['file']);
    expect(done.request).toMatchObject({ measurementTimerMs: 3000 });
    // Intervals every 3 s of speech, then speech_ended (1.3 s after the last interval).
    const [utterance] = done.audio![0]!.utterances;
    expect(utterance!.measurements.map((m) => [m.trigger, m.endMs - utterance!.startMs])).toEqual([
      ['INTERVAL', 3000],
      ['INTERVAL', 6000],
      ['SPEECH_ENDED', utterance!.endMs - utterance!.startMs],
    ]);
  });

  it('uploads only the selected channels, in the order asked for', async () => {
    const spans: ToneSpan[][] = [[{ startMs: 200, endMs: 900 }], [], [{ startMs: 1200, endMs: 1800 }]];
    const from = tap.uploads.length;
    const run = await startAudio('three.wav', toneWav({ rate: 16_000, totalMs: 2000, channels: spans }), { channels: [2, 0] });
    const done = await settled(run.id);
    expect(done.status).toBe('COMPLETED');
    expect(done.request).toMatchObject({ channels: [2, 0] });
    expect(done.audio!.map((c) => c.channel)).toEqual([2, 0]);
    expectSpans(done.audio![0]!.utterances, spans[2]!);
    expectSpans(done.audio![1]!.utterances, spans[0]!);
    const uploads = tap.uploads.slice(from);
    expect(uploads).toHaveLength(2);
    const sent = await Promise.all(uploads.map(partsByName));
    expect(sent.map((s) => s.file.fileName)).toEqual(['three-channel-2.wav', 'three-channel-0.wav']);
  });

  // The speech sits in the last channel of each file, so a converter reading the wrong channel finds silence.
  it.each([
    { label: '8-bit unsigned 22.05 kHz mono', rate: 22_050, bits: 8 as const, channels: 1 },
    { label: '24-bit 44.1 kHz stereo', rate: 44_100, bits: 24 as const, channels: 2 },
    { label: '32-bit integer 32 kHz stereo', rate: 32_000, bits: 32 as const, channels: 2 },
    { label: '32-bit float 44.1 kHz stereo', rate: 44_100, bits: 32 as const, float: true, channels: 2 },
    { label: '16-bit 48 kHz mono', rate: 48_000, bits: 16 as const, channels: 1 },
  ])('converts a $label WAV to 16 kHz mono s16le with the speech where it was', async ({ rate, bits, float, channels }) => {
    const speech: ToneSpan = { startMs: 400, endMs: 1900 };
    const perChannel: ToneSpan[][] = Array.from({ length: channels }, (_, i) => (i === channels - 1 ? [speech] : []));
    const from = tap.uploads.length;
    const run = await startAudio(`format-${rate}-${bits}.wav`, toneWav({ rate, bits, float, totalMs: 2500, channels: perChannel }), { channels: [channels - 1] });
    const done = await settled(run.id);
    expect(done.status, done.error ?? '').toBe('COMPLETED');
    const [upload] = await audioUploadsSince(from, 1);
    const samples = expectSpeechWav((await partsByName(upload!)).file, 2500);
    expect(rmsBetween(samples, 500, 1800)).toBeGreaterThan(4000);
    expect(rmsBetween(samples, 2000, 2500)).toBeLessThan(50);
    expect(done.audio!.map((c) => c.channel)).toEqual([channels - 1]);
    expectSpans(done.audio![0]!.utterances, [speech]);
  });
});

describe('measureAudio refuses bad input without calling Hume', () => {
  const mono = () => oneBurst(1000, { startMs: 100, endMs: 900 });

  /** The result, after checking the simulator saw no request at all. */
  async function refused(run: () => Promise<unknown>) {
    const before = requestCount();
    const result = await run();
    expect(requestCount()).toBe(before);
    return result as any;
  }

  it.each([
    { what: 'MP3 bytes', name: 'song.mp3', data: Buffer.concat([Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000', 'latin1'), Buffer.alloc(2000, 0xfb)]), found: 'MP3' },
    { what: 'garbage', name: 'noise.wav', data: Buffer.from('this is not audio at all, just some text that came in a file'), found: 'not a WAV' },
    { what: 'an empty file', name: 'empty.wav', data: Buffer.alloc(0), found: 'empty' },
    { what: 'an A-law WAV', name: 'alaw.wav', data: wavFile(Buffer.alloc(8000, 0xd5), { rate: 8000, bits: 8, formatTag: 6 }), found: 'A-law' },
    { what: 'an MP3-in-WAV', name: 'mpeg.wav', data: wavFile(Buffer.alloc(4000, 0), { rate: 8000, bits: 0 as never, formatTag: 0x55 }), found: 'MP3' },
  ])('refuses $what as input.file', async ({ name, data, found }) => {
    const result = await refused(() => measureAudio(name, data));
    expect(result.__typename).toBe('ValidationError');
    expect(result.fields).toEqual([{ field: 'input.file', message: expect.stringContaining(found) }]);
  });

  it('refuses a channel the file does not have, and a negative channel', async () => {
    const stereo = toneWav({ totalMs: 500, channels: [[], []] });
    const missing = await refused(() => measureAudio('stereo.wav', stereo, { channels: [0, 2] }));
    expect(missing).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'input.channels', message: expect.stringMatching(/Channel 2 does not exist.*channels 0 to 1/) }] });
    const negative = await refused(() => measureAudio('stereo.wav', stereo, { channels: [-1] }));
    expect(negative).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'input.channels.0', message: expect.any(String) }] });
  });

  it.each([2999, 10_001, 0, -3000])('refuses measurementTimerMs %d', async (measurementTimerMs) => {
    const result = await refused(() => measureAudio('memo.wav', mono(), { measurementTimerMs }));
    expect(result).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'input.measurementTimerMs', message: expect.stringContaining('3000 to 10000') }] });
  });

  it('refuses a fractional measurementTimerMs already as a GraphQL Int', async () => {
    const before = requestCount();
    const result = await stack.upload(MeasureAudio, { input: { file: null as never, measurementTimerMs: 3000.5 } }, { 'variables.input.file': asUpload('memo.wav', mono()) });
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.message).toMatch(/Int cannot represent non-integer value: 3000\.5/);
    expect(requestCount()).toBe(before);
  });

  it("refuses a file whose converted channel exceeds Hume's 25 MB with PayloadTooLargeError", async () => {
    // 14 minutes of 8 kHz 8-bit mono are 6.7 MB here, but 26.9 MB as 16 kHz 16-bit: over Hume's 25 MB per request.
    const long = toneWav({ rate: 8000, bits: 8, totalMs: 14 * 60_000, channels: [[]] });
    expect(long.length).toBeLessThan(7_000_000);
    const result = await refused(() => measureAudio('long-call.wav', long));
    expect(result).toMatchObject({ __typename: 'PayloadTooLargeError', provider: 'HUME_EXPRESSION', maxBytes: 25_000_000 });
    expect(result.message).toMatch(/14\.0 minutes/);
  });
});

// --- measureImages -----------------------------------------------------------------------------------------------------

describe('measureImages', () => {
  it('measures the faces of every image in upload order, as the simulator answers them', async () => {
    const images = [
      { name: 'crowd.jpg', data: jpeg({ width: 1280, height: 720, comment: 'crowd' }) },
      { name: 'empty-room.jpg', data: jpeg({ width: 640, height: 480, comment: 'no-faces' }) },
      { name: 'portrait.jpg', data: jpeg({ width: 800, height: 1000, comment: 'portrait' }) },
    ];
    const from = tap.uploads.length;
    const result = await measureImages(images, { face: { threshold: 0.5, minSize: 10 } });
    if (result.__typename !== 'MeasureSuccess') throw new Error(JSON.stringify(result));
    expect(result.run).toMatchObject({ status: 'RUNNING', kind: 'IMAGES' });
    const done = await settled(result.run.id);
    expect(done.status, done.error ?? '').toBe('COMPLETED');
    expect(done.audio).toBeNull();
    expect(done.request).toEqual({ __typename: 'ImageMeasurementRequest', fileNames: ['crowd.jpg', 'empty-room.jpg', 'portrait.jpg'], threshold: 0.5, minSize: 10 });

    // One upload with the images as parts in order, and the face settings in Hume's names.
    const uploads = tap.uploads.slice(from);
    expect(uploads.map((u) => u.path)).toEqual([VIDEO_PATH]);
    const parts = await uploads[0]!.parts();
    expect(parts.map((p) => [p.name, p.fileName ?? null])).toEqual([['file', 'crowd.jpg'], ['file', 'empty-room.jpg'], ['file', 'portrait.jpg'], ['config', null]]);
    parts.slice(0, 3).forEach((p, i) => expect(p.data.equals(images[i]!.data)).toBe(true));
    expect(JSON.parse(parts[3]!.data.toString('utf8'))).toEqual({ face: { threshold: 0.5, min_size: 10 } });

    const [crowd, empty] = done.images!;
    expect(done.images!.map((i) => i.fileName)).toEqual(['crowd.jpg', 'empty-room.jpg', 'portrait.jpg']);
    expect(empty!.faces).toEqual([]);
    // The crowd: two measured faces (largest first), then the others listed with their box only, 32 in all.
    expect(crowd!.faces).toHaveLength(32);
    const measured = crowd!.faces.filter((f) => f.measured);
    expect(crowd!.faces.slice(0, 2)).toEqual(measured);
    for (const face of measured) {
      expect(face.faceId).not.toBeNull();
      expect(face.emotions.length).toBeGreaterThan(0);
      expect(face.descriptions!.length).toBeGreaterThan(0);
      expect(face.top2).toEqual(byScore(face.emotions).slice(0, 2));
    }
    const area = (f: (typeof measured)[number]) => f.box!.width * f.box!.height;
    expect(area(measured[0]!)).toBeGreaterThanOrEqual(area(measured[1]!));
    for (const face of crowd!.faces.slice(2)) expect(face).toMatchObject({ measured: false, faceId: null, emotions: [], descriptions: null, top2: [] });

    // Every face as the simulator answers these very images.
    const form = new FormData();
    for (const image of images) form.append('file', new Blob([new Uint8Array(image.data)], { type: 'image/jpeg' }), image.name);
    form.append('config', JSON.stringify({ face: { threshold: 0.5, min_size: 10 } }));
    const direct = (await (await fetch(`${stack.expressionUrl}${VIDEO_PATH}`, { method: 'POST', body: form, headers: { 'x-hume-api-key': TEST_HUME_KEY } })).json()) as any;
    const scores = (list: any[] | null) => list?.map((s: any) => ({ name: s.name, score: s.probability })) ?? null;
    expect(done.images!.map((i) => i.faces.map(({ top2: _t, ...face }) => face))).toEqual(
      direct.results.map((r: any) =>
        r.faces.map((f: any) => ({
          faceId: f.face_id,
          measured: f.expressions !== null,
          box: f.bounding_box,
          confidence: f.confidence,
          emotions: scores(f.expressions) ?? [],
          descriptions: scores(f.descriptions),
        })),
      ),
    );
  });

  describe('refuses bad input without calling Hume', () => {
    const face = () => jpeg({ width: 320, height: 240 });

    async function refusedImages(files: Array<{ name: string; data: Buffer; type?: string }>, input: Parameters<typeof measureImages>[1] = {}) {
      const before = requestCount();
      const result = (await measureImages(files, input)) as any;
      expect(requestCount()).toBe(before);
      expect(result.__typename).toBe('ValidationError');
      return result.fields as Array<{ field: string; message: string }>;
    }

    it('refuses a file that is not a JPEG, naming it by position', async () => {
      const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
      expect(await refusedImages([{ name: 'ok.jpg', data: face() }, { name: 'logo.png', data: png, type: 'image/png' }])).toEqual([
        { field: 'input.files.1', message: expect.stringMatching(/"logo\.png".*only JPEG/) },
      ]);
    });

    it('refuses a JPEG over 2 MB', async () => {
      expect(await refusedImages([{ name: 'huge.jpg', data: jpegOfSize(2_000_001) }])).toEqual([{ field: 'input.files.0', message: expect.stringContaining('2 MB') }]);
    });

    it('refuses a JPEG over 8,294,400 pixels', async () => {
      expect(await refusedImages([{ name: '4k-plus.jpg', data: jpeg({ width: 3840, height: 2161 }) }])).toEqual([
        { field: 'input.files.0', message: expect.stringContaining('3840x2161') },
      ]);
    });

    it("takes a JPEG right at Hume's limits: 2,000,000 bytes, 3840x2160 (and sends no config without face settings)", async () => {
      const from = tap.uploads.length;
      const result = await measureImages([
        { name: 'heavy.jpg', data: jpegOfSize(2_000_000) },
        { name: 'uhd.jpg', data: jpeg({ width: 3840, height: 2160 }) },
      ]);
      if (result.__typename !== 'MeasureSuccess') throw new Error(JSON.stringify(result));
      expect((await settled(result.run.id)).status).toBe('COMPLETED');
      const [upload] = tap.uploads.slice(from);
      expect((await upload!.parts()).map((p) => p.name)).toEqual(['file', 'file']);
    });

    it("refuses images that together exceed Hume's 25 MB per request with PayloadTooLargeError", async () => {
      const heavy = jpegOfSize(1_990_000);
      const before = requestCount();
      const result = await measureImages(Array.from({ length: 13 }, (_, i) => ({ name: `page-${i}.jpg`, data: heavy })));
      expect(result).toMatchObject({ __typename: 'PayloadTooLargeError', provider: 'HUME_EXPRESSION', maxBytes: 25_000_000 });
      expect(requestCount()).toBe(before);
    });

    it('refuses no files at all', async () => {
      expect(await refusedImages([])).toEqual([{ field: 'input.files', message: expect.stringContaining('at least one') }]);
    });

    it.each([{ threshold: 1.01 }, { threshold: -0.1 }])('refuses face.threshold $threshold', async (faceInput) => {
      expect(await refusedImages([{ name: 'a.jpg', data: face() }], { face: faceInput })).toEqual([{ field: 'input.face.threshold', message: expect.any(String) }]);
    });

    it('refuses face.minSize 0', async () => {
      expect(await refusedImages([{ name: 'a.jpg', data: face() }], { face: { minSize: 0 } })).toEqual([{ field: 'input.face.minSize', message: expect.any(String) }]);
    });
  });
});

// --- provider failures -------------------------------------------------------------------------------------------------

describe('when Hume expression fails', () => {
  const memo = (tag: string) => ({ name: `${tag}.wav`, data: oneBurst(1500, { startMs: 200, endMs: 1300 }) });
  const audioPosts = (since: number) => stack.expression.requests.entries.slice(since).filter((r) => r.method === 'POST' && r.path === AUDIO_PATH);

  // 2 s: within the client's own retry budget (2 s in the test stack); 3 s: beyond it, so the run itself waits. A 503
  // with Retry-After is Hume refusing the upload for now just the same (nothing was measured). The window is at least
  // 2 s so the checks inside it have time on a loaded machine.
  it.each([
    { what: '429 with Retry-After: 2 s', retryAfterSeconds: 2, fault: { kind: 'rate-limit' as const, retryAfterSeconds: 2 } },
    { what: '429 with Retry-After: 3 s', retryAfterSeconds: 3, fault: { kind: 'rate-limit' as const, retryAfterSeconds: 3 } },
    { what: '503 with Retry-After: 3 s', retryAfterSeconds: 3, fault: { kind: 'status' as const, status: 503, headers: { 'retry-after': '3' } } },
  ])('waits out a $what, holds every other call back meanwhile, then sends the upload again and completes', async ({ retryAfterSeconds, fault }) => {
    const adapter = stack.gateway.services.providers.require(humeExpression);
    stack.expression.faults.add({ method: 'POST', path: AUDIO_PATH, fault });
    const since = requestCount();
    const first = memo('limited');
    const run = await startAudio(first.name, first.data);
    // The gateway has read the refusal: its gate for Hume expression is closed.
    await eventually(async () => adapter.client.gate.remainingMs() > 0);

    // Inside the window: a query is answered from what the gateway knows, a second measurement is refused at once.
    expect((await readRun(run.id))!.status).toBe('RUNNING');
    // (A start that waited for the gate would answer MeasureSuccess, later: the typed refusal is the "at once".)
    const second = memo('impatient');
    const refused = await measureAudio(second.name, second.data);
    expect(refused).toMatchObject({ __typename: 'RateLimitedError', provider: 'HUME_EXPRESSION', retryAfterSeconds: expect.any(Number) });
    expect((refused as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThanOrEqual(1);

    const done = await settled(run.id);
    expect(done.status, done.error ?? '').toBe('COMPLETED');
    // Exactly the refused upload and its repeat reached Hume, the repeat only once Retry-After had passed.
    const seen = stack.expression.requests.entries.slice(since);
    expect(seen.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${AUDIO_PATH}`, `POST ${AUDIO_PATH}`]);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(retryAfterSeconds * 1000);
  });

  it.each([
    { what: 'a 500', fault: { kind: 'status' as const, status: 500 } },
    { what: 'a connection dropped after the upload was sent', fault: { kind: 'drop' as const } },
    { what: 'a malformed JSON answer', fault: { kind: 'malformed-json' as const } },
  ])('fails the run on $what, says so without anything internal, and never sends the upload again', async ({ fault }) => {
    stack.expression.faults.add({ method: 'POST', path: AUDIO_PATH, fault });
    const since = requestCount();
    const { name, data } = memo('doomed');
    const run = await startAudio(name, data);
    const failed = await settled(run.id);
    expect(failed.status).toBe('FAILED');
    expect(failed.audio).toBeNull();
    expectNothingInternal(failed.error);
    expect(failed.error).toMatch(/Hume expression/);
    expect(failed.error).toMatch(/start the measurement again/);
    // The fault answered one request only: a repeat would have succeeded and completed the run.
    expect(audioPosts(since)).toHaveLength(1);
  });

  it('stops waiting out a long Retry-After when the gateway shuts down, and fails the run so it can be started again', async () => {
    // A gateway of this test's own: closing it is the test.
    const own = await startStack({ hume: false, phonexia: false });
    try {
      const adapter = own.gateway.services.providers.require(humeExpression);
      own.expression.faults.add({ method: 'POST', path: AUDIO_PATH, fault: { kind: 'rate-limit', retryAfterSeconds: 60 } });
      const { name, data } = memo('patient');
      const result = await own.upload(MeasureAudio, { input: { file: null as never } }, { 'variables.input.file': asUpload(name, data) });
      const start = result.data?.measureAudio;
      if (start?.__typename !== 'MeasureSuccess') throw new Error(JSON.stringify(result));
      await eventually(async () => adapter.client.gate.remainingMs() > 0);

      // A shutdown waits for running work; a run sleeping out Hume's 60 s must not hold it that long.
      const closed = await Promise.race([own.gateway.close().then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000))]);
      expect(closed, 'the gateway closed within 10 s').toBe(true);
      const run = await adapter.getRun(start.run.id);
      expect(run).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/stopped.*start the measurement again/) });
      expect(own.expression.requests.count({ method: 'POST', path: AUDIO_PATH })).toBe(1);
    } finally {
      // Not waited for past the test's own limit when the gateway hangs in close (the failure this test is about).
      await Promise.race([own.close(), new Promise((resolve) => setTimeout(resolve, 2_000))]);
    }
  });

  describe('with a short upload timeout', () => {
    let slowStack: Stack;
    beforeAll(async () => {
      slowStack = await startStack({ hume: false, phonexia: false, uploadHeadersTimeoutMs: 300 });
    });
    afterAll(async () => {
      await slowStack?.close();
    });

    it('fails a run whose upload timed out after it was sent, and never sends it again', async () => {
      // Hume measures for 1.5 s; the gateway gives up on the answer after 0.3 s (the upload was billed anyway).
      slowStack.expression.faults.add({ method: 'POST', path: AUDIO_PATH, fault: { kind: 'slow', delayMs: 1500 } });
      const { name, data } = memo('slow');
      const result = await slowStack.upload(MeasureAudio, { input: { file: null as never } }, { 'variables.input.file': asUpload(name, data) });
      const start = result.data?.measureAudio;
      if (start?.__typename !== 'MeasureSuccess') throw new Error(JSON.stringify(result));
      const failed = await eventually(async () => {
        const run = (await slowStack.execute(RunQuery, { id: start.run.id })).data?.expressionRun;
        return run && run.status !== 'RUNNING' ? run : undefined;
      });
      expect(failed.status).toBe('FAILED');
      expect(failed.error).toMatch(/timed out/);
      expect(failed.error).not.toContain(slowStack.expressionUrl);
      // A repeat would have been sent before the run was marked FAILED.
      expect(slowStack.expression.requests.count({ method: 'POST', path: AUDIO_PATH })).toBe(1);
    });
  });
});

// --- idempotency ----------------------------------------------------------------------------------------------------------

describe('idempotency keys', () => {
  it('gives the same run for the same key and file (one upload), and refuses the key with another file', async () => {
    const file = oneBurst(1200, { startMs: 100, endMs: 1100 });
    const since = tap.uploads.length;
    const first = await startAudio('same.wav', file, { idempotencyKey: 'expr-key-1' });
    const again = await startAudio('same.wav', file, { idempotencyKey: 'expr-key-1' });
    expect(again.id).toBe(first.id);
    expect((await settled(first.id)).status).toBe('COMPLETED');
    const repeat = await startAudio('same.wav', file, { idempotencyKey: 'expr-key-1' });
    expect(repeat.id).toBe(first.id);
    expect(tap.uploads.slice(since).filter((u) => u.path === AUDIO_PATH)).toHaveLength(1);

    const before = requestCount();
    const other = await measureAudio('same.wav', oneBurst(1200, { startMs: 300, endMs: 1100 }), { idempotencyKey: 'expr-key-1' });
    expect(other).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'input.idempotencyKey', message: expect.any(String) }] });
    expect(requestCount()).toBe(before);
  });
});

// --- expressionRuns / expressionRun ---------------------------------------------------------------------------------------

describe('expressionRuns', () => {
  async function allPages(first: number, filter?: { status?: Array<'RUNNING' | 'COMPLETED' | 'FAILED'>; kind?: 'AUDIO' | 'IMAGES' }) {
    const ids: Array<{ id: string; status: string; kind: string; createdAt: string }> = [];
    let after: string | null = null;
    for (let page = 0; page < 200; page++) {
      const result: Awaited<ReturnType<typeof stack.execute<ExprRunsQuery, unknown>>> = await stack.execute(RunsQuery, { first, after, filter });
      expect(result.errors).toBeUndefined();
      const { edges, pageInfo } = result.data!.expressionRuns;
      expect(edges.length).toBeLessThanOrEqual(first);
      expect(pageInfo.hasPreviousPage).toBe(after !== null);
      ids.push(...edges.map((e) => e.node));
      if (!pageInfo.hasNextPage) return ids;
      expect(edges).toHaveLength(first);
      after = pageInfo.endCursor!;
    }
    throw new Error('more than 200 pages');
  }

  it('lists the caller’s runs newest first, pages through them with first/after, and filters by status and kind', async () => {
    // Five runs of this test, each finished before the next starts (so each has its own createdAt).
    const mine: string[] = [];
    const audio = async (name: string) => {
      const run = await startAudio(name, oneBurst(800, { startMs: 100, endMs: 700 }));
      await settled(run.id);
      mine.push(run.id);
    };
    const images = async (name: string) => {
      const result = await measureImages([{ name, data: jpeg({ width: 200, height: 200, comment: name }) }]);
      if (result.__typename !== 'MeasureSuccess') throw new Error(JSON.stringify(result));
      await settled(result.run.id);
      mine.push(result.run.id);
    };
    await audio('list-1.wav');
    await images('list-2.jpg');
    stack.expression.faults.add({ method: 'POST', path: AUDIO_PATH, fault: { kind: 'status', status: 500 } });
    await audio('list-3-fails.wav');
    await images('list-4.jpg');
    await audio('list-5.wav');
    // More runs than one read of the index holds for a small page (first + 21), so filtered pages scan on.
    await Promise.all(Array.from({ length: 12 }, (_, i) => images(`filler-${i}.jpg`)));
    mine.splice(5);

    const everything = await allPages(100);
    expect(everything.length).toBeGreaterThan(22);
    expect(everything.slice(12, 17).map((r) => r.id)).toEqual([...mine].reverse());
    const times = everything.map((r) => Date.parse(r.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // Pages of two walk the same list, each run once.
    const paged = await allPages(2);
    expect(paged.map((r) => r.id)).toEqual(everything.map((r) => r.id));

    const failed = await allPages(2, { status: ['FAILED'] });
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.status === 'FAILED')).toBe(true);
    expect(failed.map((r) => r.id)).toContain(mine[2]);
    expect(failed.map((r) => r.id)).toEqual(everything.filter((r) => r.status === 'FAILED').map((r) => r.id));

    const imageRuns = await allPages(1, { kind: 'IMAGES' });
    expect(imageRuns.map((r) => r.id)).toEqual(everything.filter((r) => r.kind === 'IMAGES').map((r) => r.id));
    expect(imageRuns.slice(12, 14).map((r) => r.id)).toEqual([mine[3], mine[1]]);

    const completedAudio = await allPages(3, { status: ['COMPLETED'], kind: 'AUDIO' });
    expect(completedAudio.map((r) => r.id)).toEqual(everything.filter((r) => r.status === 'COMPLETED' && r.kind === 'AUDIO').map((r) => r.id));
    expect(completedAudio.slice(0, 2).map((r) => r.id)).toEqual([mine[4], mine[0]]);
  });

  it('gives a subscriber to a finished run its state, then completes', async () => {
    const run = await startAudio('finished.wav', oneBurst(800, { startMs: 100, endMs: 700 }));
    await settled(run.id);
    const client = wsClient(stack.gateway.url);
    try {
      const results = await subscribeWs(client, RunUpdated, { id: run.id }).done;
      expect(results.map((r) => r.data?.expressionRunUpdated.status)).toEqual(['COMPLETED']);
    } finally {
      await client.dispose();
    }
  });

  it('answers null for an unknown run id', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-run']) expect(await readRun(id)).toBeNull();
  });
});

// --- federation -----------------------------------------------------------------------------------------------------------

describe('federation', () => {
  it('resolves ExpressionRun representations through _entities, null for an unknown id', async () => {
    const run = await startAudio('entity.wav', oneBurst(800, { startMs: 100, endMs: 700 }));
    await settled(run.id);
    const response = await fetch(`${stack.gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on ExpressionRun { id status kind audio { channel } } } }',
        variables: { r: [{ __typename: 'ExpressionRun', id: run.id }, { __typename: 'ExpressionRun', id: '00000000-0000-4000-8000-000000000000' }] },
      }),
    });
    const body = (await response.json()) as { data?: { _entities: unknown[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data!._entities).toEqual([{ id: run.id, status: 'COMPLETED', kind: 'AUDIO', audio: [{ channel: 0 }] }, null]);
  });
});

// --- analyzeMedia -----------------------------------------------------------------------------------------------------------

describe('analyzeMedia with Hume expression', () => {
  async function analyze(input: Record<string, unknown>, file: UploadFile) {
    const result = await stack.upload(AnalyzeMedia, { input: { ...input, file: null } as never }, { 'variables.input.file': file });
    expect(result.errors).toBeUndefined();
    return result.data!.analyzeMedia;
  }

  const analysisSettled = (id: string) =>
    eventually(async () => {
      const analysis = (await stack.execute(AnalysisQuery, { id })).data?.mediaAnalysis;
      return analysis && analysis.status !== 'RUNNING' ? analysis : undefined;
    }, 15_000);

  const spans: ToneSpan[][] = [[{ startMs: 300, endMs: 1500 }], [{ startMs: 1800, endMs: 2700 }]];
  const stereo = () => asUpload('call.wav', toneWav({ rate: 16_000, totalMs: 3000, channels: spans }));

  it("puts Phonexia's emotions and Hume expression's utterances side by side per channel, with every provider", async () => {
    const result = await analyze({ providers: ['HUME_BATCH', 'HUME_EXPRESSION', 'PHONEXIA'], models: { burst: true }, expression: { measurementTimerMs: 5000 } }, stereo());
    if (result.__typename !== 'AnalyzeMediaSuccess') throw new Error(JSON.stringify(result));
    expect(result.analysis.failures).toEqual([]);
    expect(result.analysis.sides.map((s) => s.provider).sort()).toEqual(['HUME', 'HUME_EXPRESSION', 'PHONEXIA']);
    const done = await analysisSettled(result.analysis.id);
    expect(done.failures).toEqual([]);
    expect(done.status).toBe('COMPLETED');
    expect(done.job!.status).toBe('COMPLETED');
    expect(done.emotionTask!.status).toBe('DONE');
    expect(done.expressionRun!.status).toBe('COMPLETED');
    expect(done.channels!.map((c) => c.channel)).toEqual([0, 1]);
    for (const channel of done.channels!) {
      expect(channel.emotions!.channel).toBe(channel.channel);
      expect(channel.emotions!.emotions.map((e) => e.name).sort()).toEqual(['angry', 'happy', 'neutral', 'sad']);
      expectSpans(channel.utterances!, spans[channel.channel]!);
    }
    const run = (await readRun(done.expressionRun!.id))!;
    expect(run.request).toMatchObject({ measurementTimerMs: 5000, channels: [0, 1] });
  });

  it('uses Hume expression alone when it is the only provider named', async () => {
    const humePosts = stack.hume.requests.count({ method: 'POST' });
    const phonexiaPosts = stack.phonexia.requests.count({ method: 'POST' });
    const result = await analyze({ providers: ['HUME_EXPRESSION'], channels: [1] }, stereo());
    if (result.__typename !== 'AnalyzeMediaSuccess') throw new Error(JSON.stringify(result));
    expect(result.analysis.sides.map((s) => s.provider)).toEqual(['HUME_EXPRESSION']);
    const done = await analysisSettled(result.analysis.id);
    expect(done).toMatchObject({ status: 'COMPLETED', job: null, emotionTask: null, failures: [] });
    expect(done.channels!.map((c) => [c.channel, c.emotions])).toEqual([[1, null]]);
    expectSpans(done.channels![0]!.utterances!, spans[1]!);
    expect(stack.hume.requests.count({ method: 'POST' })).toBe(humePosts);
    expect(stack.phonexia.requests.count({ method: 'POST' })).toBe(phonexiaPosts);
  });

  it("refuses an out-of-range expression.measurementTimerMs before any provider sees the upload", async () => {
    const posts = () => [stack.hume, stack.phonexia, stack.expression].map((sim) => sim.requests.count({ method: 'POST' }));
    const before = posts();
    const result = await analyze({ expression: { measurementTimerMs: 12_000 } }, stereo());
    expect(result).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'input.expression.measurementTimerMs', message: expect.stringContaining('3000 to 10000') }] });
    expect(posts()).toEqual(before);
  });

  it.each([
    { label: 'every provider (default)', providers: undefined },
    { label: 'Hume expression alone', providers: ['HUME_EXPRESSION'] },
  ])(
    'refuses a channel the file does not have as input.channels before any provider sees the upload: $label',
    async ({ providers }) => {
      const posts = () => [stack.hume, stack.phonexia, stack.expression].map((sim) => sim.requests.count({ method: 'POST' }));
      const before = posts();
      const result = await analyze({ channels: [0, 5], ...(providers ? { providers } : {}) }, stereo());
      expect(result).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'input.channels', message: expect.stringContaining('Channel 5 does not exist') }] });
      expect(posts()).toEqual(before);
    },
  );

  it('leaves Hume expression out of a default analysis of a non-WAV upload (a START failure), but refuses it when named', async () => {
    const mp3 = asUpload('voice.mp3', Buffer.concat([Buffer.from('ID3\u0004\u0000\u0000\u0000\u0000\u0000\u0000', 'latin1'), Buffer.alloc(4000, 0xfb)]), 'audio/mpeg');
    const before = requestCount();
    const result = await analyze({ models: { burst: true } }, mp3);
    if (result.__typename !== 'AnalyzeMediaSuccess') throw new Error(JSON.stringify(result));
    const { sides, failures } = result.analysis;
    // The other sides took the upload.
    expect(sides.find((s) => s.provider === 'HUME')!.workId).toBeTruthy();
    expect(sides.find((s) => s.provider === 'PHONEXIA')!.workId).toBeTruthy();
    expect(sides.find((s) => s.provider === 'HUME_EXPRESSION')!.workId).toBeNull();
    expect(failures.filter((f) => f.provider === 'HUME_EXPRESSION')).toEqual([
      { provider: 'HUME_EXPRESSION', stage: 'START', status: null, code: 'UNSUPPORTED_MEDIA', message: expect.stringContaining('MP3') },
    ]);
    expect(requestCount()).toBe(before);

    const named = await analyze({ providers: ['HUME_EXPRESSION', 'PHONEXIA'] }, mp3);
    expect(named).toMatchObject({ __typename: 'ValidationError', fields: [{ field: 'input.file', message: expect.stringContaining('MP3') }] });
    expect(requestCount()).toBe(before);
  });
});
