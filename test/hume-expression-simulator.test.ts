/**
 * Drives a real Hume expression (v1) simulator over HTTP and WebSocket on an ephemeral port. Expectations are
 * written out from /work/shared/providers/hume-expression-v1.md (sizes, positions, hand-computed measurement
 * schedules, error codes), never derived from the simulator's own constants.
 */
import { once } from 'node:events';
import http from 'node:http';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AUDIO_EXPRESSIONS, FACE_DESCRIPTIONS, FACE_EXPRESSIONS, VOICE_ATTRIBUTES } from '../src/simulators/hume-expression/labels.js';
import { HumeExpressionSimulator } from '../src/simulators/hume-expression/simulator.js';
import type { RunningServer } from '../src/simulators/kit.js';
import { jpeg, rawPcm, speechSamples, speechWav, wavFile } from './support/expression-media.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

const KEY = 'test-key';
const TOKEN = 'test-access-token';
const AUTH = { 'x-hume-api-key': KEY };
const AUDIO = '/v1/expression/audio/file';
const VIDEO = '/v1/expression/video/file';
const RUNS = '/v1/expression/run';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REQUEST_ID = /^[0-9a-f]{32}$/;
const START = Date.parse('2026-11-02T10:00:00.000Z');

let sim: HumeExpressionSimulator;
let server: RunningServer;
let clock = START;

beforeAll(async () => {
  sim = new HumeExpressionSimulator({ apiKey: KEY, accessToken: TOKEN, now: () => clock });
  server = await sim.listen(0);
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.faults.clear();
  sim.enforceSendRate = false;
  sim.userId = 'sim-user';
  sim.timing = { measureDelayMs: 0 };
});

// --- helpers -------------------------------------------------------------------------------------------------------

interface Part {
  name: string;
  data: Buffer | string;
  filename?: string;
  type?: string;
}

function form(parts: Part[]): FormData {
  const fd = new FormData();
  for (const p of parts) {
    if (typeof p.data === 'string' && p.filename === undefined && p.type === undefined) fd.append(p.name, p.data);
    else fd.append(p.name, new Blob([typeof p.data === 'string' ? p.data : new Uint8Array(p.data)], { type: p.type ?? '' }), p.filename ?? 'blob');
  }
  return fd;
}

async function call(method: string, path: string, options: { body?: FormData | string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${server.url}${path}`, { method, body: options.body, headers: options.headers ?? AUTH });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

const audioPart = (data: Buffer, filename = 'speech.wav', type = 'audio/wav'): Part => ({ name: 'file', data, filename, type });
const imagePart = (data: Buffer, filename = 'face.jpg'): Part => ({ name: 'file', data, filename, type: 'image/jpeg' });
const configPart = (config: unknown): Part => ({ name: 'config', data: typeof config === 'string' ? config : JSON.stringify(config), type: 'application/json', filename: 'config.json' });
const postAudio = (parts: Part[], headers?: Record<string, string>) => call('POST', AUDIO, { body: form(parts), headers });
const postImages = (parts: Part[]) => call('POST', VIDEO, { body: form(parts) });

/** Just the schedule: what §3.4 determines, without the scores. */
const schedule = (measurements: any[]) => measurements.map((m) => [m.utterance_id, m.trigger, m.audio_start_ms, m.audio_end_ms]);

function expectServiceError(res: { status: number; body: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body).toEqual({ type: 'error', code, message: expect.any(String), request_id: expect.stringMatching(REQUEST_ID) });
}

function expectScores(scores: any[], vocabulary: readonly string[]) {
  expect(scores.length).toBeGreaterThan(0);
  for (const s of scores) {
    expect(Object.keys(s).sort()).toEqual(['name', 'probability']);
    expect(vocabulary).toContain(s.name);
    expect(s.probability).toBeGreaterThan(0);
    expect(s.probability).toBeLessThanOrEqual(1);
    expect(Math.round(s.probability * 10_000) / 10_000).toBe(s.probability);
  }
  const probabilities = scores.map((s) => s.probability);
  expect(probabilities).toEqual([...probabilities].sort((a, b) => b - a));
  expect(new Set(scores.map((s) => s.name)).size).toBe(scores.length);
}

async function runCount(query = ''): Promise<number> {
  const { body } = await call('GET', `${RUNS}?page_size=200${query}`);
  return body.runs.length;
}

/** A WebSocket with every message kept in order, and the close code once it closes. */
class Session {
  readonly messages: any[] = [];
  readonly closed: Promise<{ code: number }>;
  private waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      this.messages.push(isBinary ? data : JSON.parse(String(data)));
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code) => resolve({ code })));
    ws.on('error', () => undefined);
  }

  /** Waits until a message of this type arrives (after `from`), returns every message up to and including it. */
  async until(type: string, from = 0): Promise<any[]> {
    for (;;) {
      const index = this.messages.findIndex((m, i) => i >= from && m.type === type);
      if (index >= 0) return this.messages.slice(from, index + 1);
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} message; got ${JSON.stringify(this.messages.map((m) => m.type))}`)), 3000);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  sendJson(message: unknown) {
    this.ws.send(JSON.stringify(message));
  }
}

async function openSession(kind: 'audio' | 'video', headers: Record<string, string> = AUTH): Promise<Session> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/v1/expression/${kind}/realtime`, { headers });
  const session = new Session(ws);
  await once(ws, 'open');
  await session.until('session.created');
  return session;
}

/** The handshake's HTTP answer when the upgrade is refused. */
async function refusedHandshake(path: string, headers: Record<string, string>): Promise<{ status: number; body: any; headers: http.IncomingHttpHeaders }> {
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, { headers });
  ws.on('error', () => undefined);
  const [, res] = (await once(ws, 'unexpected-response')) as [unknown, http.IncomingMessage];
  let text = '';
  for await (const chunk of res) text += chunk;
  ws.terminate();
  return { status: res.statusCode ?? 0, body: JSON.parse(text), headers: res.headers };
}

// --- vocabularies (§8) ---------------------------------------------------------------------------------------------

describe('vocabularies', () => {
  const sortedUnique = (list: readonly string[]) => {
    expect(new Set(list).size).toBe(list.length);
    for (let i = 1; i < list.length; i++) expect(list[i - 1]! < list[i]!).toBe(true);
    for (const name of list) expect(name).toBe(name.toLowerCase());
  };

  it('audio expressions: 415 names, alphabetical, the table heads at 1/105/209/313 and the rows below them', () => {
    expect(AUDIO_EXPRESSIONS).toHaveLength(415);
    sortedUnique(AUDIO_EXPRESSIONS);
    const at = (position: number) => AUDIO_EXPRESSIONS[position - 1];
    expect([at(1), at(105), at(209), at(313)]).toEqual(['abhorrence', 'dumbfoundedness', 'feeling uplifted', 'pleasure']);
    expect([at(2), at(106), at(210), at(314)]).toEqual(['admiration', 'eagerness', 'feeling upset', 'pondering']);
    expect([at(3), at(107)]).toEqual(['adoration', 'earnestness']);
    for (const name of ['neutral', 'amusement', 'interest', 'joy', 'anger']) expect(AUDIO_EXPRESSIONS).toContain(name);
  });

  it('voice attributes: 190 names with monotone, clear and calm', () => {
    expect(VOICE_ATTRIBUTES).toHaveLength(190);
    sortedUnique(VOICE_ATTRIBUTES);
    for (const name of ['monotone', 'clear', 'calm']) expect(VOICE_ATTRIBUTES).toContain(name);
  });

  it('face expressions: 48 names, admiration 1, adoration 2, contemplation 13, contempt 14, entrancement 25, realization 37', () => {
    expect(FACE_EXPRESSIONS).toHaveLength(48);
    sortedUnique(FACE_EXPRESSIONS);
    expect([1, 2, 13, 14, 25, 37].map((p) => FACE_EXPRESSIONS[p - 1])).toEqual(['admiration', 'adoration', 'contemplation', 'contempt', 'entrancement', 'realization']);
    for (const name of ['amusement', 'joy', 'concentration', 'interest']) expect(FACE_EXPRESSIONS).toContain(name);
  });

  it('face descriptions: the 27 provisional names', () => {
    expect(FACE_DESCRIPTIONS).toEqual([
      'beaming', 'biting lip', 'cheering', 'cringe', 'cry', 'eyes closed', 'face in hands', 'frown', 'gasp', 'glare',
      'glaring', 'grimace', 'grin', 'jaw drop', 'laugh', 'licking lip', 'pout', 'scowl', 'smile', 'smirk', 'snarl',
      'squint', 'sulking', 'tongue out', 'wide-eyed', 'wince', 'wrinkled nose',
    ]);
  });
});

// --- authentication (§2) -------------------------------------------------------------------------------------------

describe('authentication', () => {
  it('accepts the API key or the bearer token', async () => {
    expect((await call('GET', RUNS, { headers: { 'x-hume-api-key': KEY } })).status).toBe(200);
    expect((await call('GET', RUNS, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('401 from the gateway: message, request_id only when an API key was refused, never type or code', async () => {
    const none = await call('GET', RUNS, { headers: {} });
    expect(none).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
    expect(Object.keys(none.body)).toEqual(['message']);

    const badKey = await call('GET', RUNS, { headers: { 'x-hume-api-key': 'nope' } });
    expect(badKey.status).toBe(401);
    expect(badKey.body).toEqual({ message: 'Unauthorized', request_id: expect.stringMatching(REQUEST_ID) });

    const badToken = await call('GET', RUNS, { headers: { authorization: 'Bearer nope' } });
    expect(badToken.status).toBe(401);
    expect(Object.keys(badToken.body)).toEqual(['message']);
    expect((await call('GET', RUNS, { headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
  });

  it('refuses both credentials at once with 401', async () => {
    const both = await call('GET', RUNS, { headers: { 'x-hume-api-key': KEY, authorization: `Bearer ${TOKEN}` } });
    expect(both.status).toBe(401);
    expect(both.body).toEqual({ message: expect.stringMatching(/^Unauthorized/), request_id: expect.stringMatching(REQUEST_ID) });
    expect(both.body.type).toBeUndefined();
  });

  it('a simulator without an access token refuses every bearer token', async () => {
    const keyOnly = new HumeExpressionSimulator({ apiKey: KEY });
    const running = await keyOnly.listen(0);
    try {
      const res = await fetch(`${running.url}${RUNS}`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(401);
    } finally {
      await keyOnly.close();
    }
  });

  it('checks the WebSocket handshake before the upgrade', async () => {
    const refused = await refusedHandshake('/v1/expression/audio/realtime', {});
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ message: 'Unauthorized' });
    expect((await refusedHandshake('/v1/expression/video/realtime', { 'x-hume-api-key': 'nope' })).status).toBe(401);
    const bearer = await openSession('audio', { authorization: `Bearer ${TOKEN}` });
    bearer.ws.close();
  });
});

// --- audio upload (§3) ---------------------------------------------------------------------------------------------

describe('audio upload', () => {
  it('measures the reference example: speech 420..7900, timer 3000 → intervals at 3420 and 6420, speech_ended at 7900', async () => {
    const res = await postAudio([audioPart(speechWav(9000, [{ startMs: 420, endMs: 7900 }]))]);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['measurements', 'run_id', 'utterances']);
    expect(res.body.run_id).toMatch(UUID);
    expect(res.body.utterances).toEqual([{ utterance_id: 0, audio_start_ms: 420, audio_end_ms: 7900 }]);
    expect(schedule(res.body.measurements)).toEqual([
      [0, 'interval', 420, 3420],
      [0, 'interval', 420, 6420],
      [0, 'speech_ended', 420, 7900],
    ]);
    for (const m of res.body.measurements) {
      expect(Object.keys(m).sort()).toEqual(['audio_end_ms', 'audio_start_ms', 'expressions', 'trigger', 'utterance_id', 'voice_attributes']);
      expectScores(m.expressions, AUDIO_EXPRESSIONS);
      expectScores(m.voice_attributes, VOICE_ATTRIBUTES);
    }
  });

  it('suppresses speech_ended when the previous measurement ended 880 ms earlier (speech ends at 7300)', async () => {
    const res = await postAudio([audioPart(speechWav(9000, [{ startMs: 420, endMs: 7300 }]))]);
    expect(res.body.utterances).toEqual([{ utterance_id: 0, audio_start_ms: 420, audio_end_ms: 7300 }]);
    expect(schedule(res.body.measurements)).toEqual([
      [0, 'interval', 420, 3420],
      [0, 'interval', 420, 6420],
    ]);
  });

  it('covers the last 10 s of a 25 s utterance (timer 10000)', async () => {
    const res = await postAudio([audioPart(speechWav(27000, [{ startMs: 1000, endMs: 26000 }])), configPart({ measurement_timer_ms: 10000 })]);
    expect(res.status).toBe(200);
    expect(schedule(res.body.measurements)).toEqual([
      [0, 'interval', 1000, 11000],
      [0, 'interval', 11000, 21000],
      [0, 'speech_ended', 16000, 26000],
    ]);
  });

  it('splits speech at silences of 500 ms, bridges 200 ms gaps, gives every utterance a measurement', async () => {
    const split = await postAudio([audioPart(speechWav(4000, [{ startMs: 1000, endMs: 2000 }, { startMs: 2500, endMs: 3200, frequency: 300 }]))]);
    expect(split.body.utterances).toEqual([
      { utterance_id: 0, audio_start_ms: 1000, audio_end_ms: 2000 },
      { utterance_id: 1, audio_start_ms: 2500, audio_end_ms: 3200 },
    ]);
    expect(schedule(split.body.measurements)).toEqual([
      [0, 'speech_ended', 1000, 2000],
      [1, 'speech_ended', 2500, 3200],
    ]);
    const bridged = await postAudio([audioPart(speechWav(4000, [{ startMs: 1000, endMs: 2000 }, { startMs: 2200, endMs: 3000 }]))]);
    expect(bridged.body.utterances).toEqual([{ utterance_id: 0, audio_start_ms: 1000, audio_end_ms: 3000 }]);
  });

  it('ends an utterance with the audio; a noise burst between silences is an utterance of its own', async () => {
    const res = await postAudio([audioPart(speechWav(4000, [{ startMs: 500, endMs: 4000 }]))]);
    expect(res.body.utterances).toEqual([{ utterance_id: 0, audio_start_ms: 500, audio_end_ms: 4000 }]);
    // 4000 − 3500 < 1000: no speech_ended after the interval.
    expect(schedule(res.body.measurements)).toEqual([[0, 'interval', 500, 3500]]);

    const samples = speechSamples(3000, []);
    for (let i = 16_000; i < 16_000 + 4_800; i++) samples[i] = ((i * 7919) % 16_001) - 8_000; // 300 ms of loud noise at 1000 ms
    const burst = await postAudio([audioPart(wavFile(rawPcm(samples)))]);
    expect(burst.body.utterances).toEqual([{ utterance_id: 0, audio_start_ms: 1000, audio_end_ms: 1300 }]);
  });

  it('answers silence with no utterances, and still records a run', async () => {
    const before = await runCount('&endpoint=audio');
    const res = await postAudio([audioPart(speechWav(3000, [{ startMs: 0, endMs: 3000, amplitude: 100 }]))]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ run_id: expect.stringMatching(UUID), utterances: [], measurements: [] });
    expect(await runCount('&endpoint=audio')).toBe(before + 1);
  });

  it('is deterministic in the audio: same samples (WAV or raw) → same scores, other audio → other scores', async () => {
    const samples = speechSamples(5000, [{ startMs: 200, endMs: 4800 }]);
    const wav = await postAudio([audioPart(wavFile(rawPcm(samples)))]);
    const again = await postAudio([audioPart(wavFile(rawPcm(samples)), 'again.wav')]);
    const raw = await postAudio([audioPart(rawPcm(samples), 'speech.pcm', 'application/octet-stream')]);
    expect(again.body.measurements).toEqual(wav.body.measurements);
    expect(raw.body.measurements).toEqual(wav.body.measurements);
    expect(again.body.run_id).not.toBe(wav.body.run_id);
    const otherChannel = await postAudio([audioPart(wavFile(rawPcm(speechSamples(5000, [{ startMs: 200, endMs: 4800 }], 1))))]);
    expect(schedule(otherChannel.body.measurements)).toEqual(schedule(wav.body.measurements));
    expect(otherChannel.body.measurements[0].expressions).not.toEqual(wav.body.measurements[0].expressions);
  });

  it('accepts measurement_timer_ms from 3000 to 10000, as a plain field or a JSON file part', async () => {
    const wav = speechWav(12000, [{ startMs: 0, endMs: 11000 }]);
    const five = await postAudio([audioPart(wav), { name: 'config', data: '{"measurement_timer_ms": 5000}' }]);
    expect(schedule(five.body.measurements)).toEqual([
      [0, 'interval', 0, 5000],
      [0, 'interval', 0, 10000],
      [0, 'speech_ended', 1000, 11000],
    ]);
    expect((await postAudio([audioPart(wav), configPart({ measurement_timer_ms: 3000 })])).status).toBe(200);
    expect((await postAudio([audioPart(wav), configPart({ measurement_timer_ms: 10000 })])).status).toBe(200);
    expect((await postAudio([audioPart(wav), configPart({})])).status).toBe(200);
  });

  it('refuses bad configuration with 400 config_invalid, in the documented wording', async () => {
    const wav = speechWav(1000, []);
    const unknown = await postAudio([audioPart(wav), configPart('{"timer_ms": 5000}')]);
    expectServiceError(unknown, 400, 'config_invalid');
    expect(unknown.body.message).toBe('the config part is not valid: unknown field `timer_ms`, expected `measurement_timer_ms` at line 1 column 11');
    for (const bad of ['{"measurement_timer_ms": 2999}', '{"measurement_timer_ms": 10001}', '{"measurement_timer_ms": "5000"}', '{"measurement_timer_ms": 5000.5}', '{"measurement_timer_ms": ', '[5000]', 'null']) {
      expectServiceError(await postAudio([audioPart(wav), configPart(bad)]), 400, 'config_invalid');
    }
    expect((await postAudio([audioPart(wav), configPart('{"measurement_timer_ms": 2000}')])).body.message).toBe(
      'the config part is not valid: invalid value: integer `2000`, expected an integer from 3000 to 10000 at line 1 column 29',
    );
  });

  it('refuses audio in another format with 400 audio_invalid and records no run', async () => {
    const before = await runCount();
    const tone = rawPcm(speechSamples(1000, [{ startMs: 0, endMs: 1000 }]));
    const cases = [
      wavFile(Buffer.concat([tone, tone]), { channels: 2 }),
      wavFile(tone, { rate: 44_100 }),
      wavFile(Buffer.alloc(64_000), { bits: 32, formatTag: 3 }),
      wavFile(Buffer.alloc(16_000), { bits: 8 }),
    ];
    const messages: string[] = [];
    for (const wav of cases) {
      const res = await postAudio([audioPart(wav)]);
      expectServiceError(res, 400, 'audio_invalid');
      messages.push(res.body.message);
    }
    expect(messages[0]).toContain('2 channels');
    expect(messages[1]).toContain('44100 Hz');
    expect(messages[2]).toContain('float');
    expect(messages[3]).toContain('8-bit');
    expectServiceError(await postAudio([audioPart(Buffer.alloc(3201), 'odd.pcm', 'application/octet-stream')]), 400, 'audio_invalid');
    expectServiceError(await postAudio([audioPart(Buffer.from('ID3 not a wav'), 'song.wav', 'audio/wav')]), 400, 'audio_invalid');
    expectServiceError(await postAudio([audioPart(Buffer.alloc(100), 'song.mp3', 'audio/mpeg')]), 400, 'audio_invalid');
    expect(await runCount()).toBe(before);
  });

  it('refuses unreadable or wrongly shaped multipart bodies with 400 message_invalid', async () => {
    const wav = speechWav(1000, []);
    expectServiceError(await postAudio([]), 400, 'message_invalid');
    expectServiceError(await postAudio([audioPart(wav), audioPart(wav, 'second.wav')]), 400, 'message_invalid');
    expectServiceError(await postAudio([audioPart(wav), { name: 'json', data: '{}' }]), 400, 'message_invalid');
    expectServiceError(await postAudio([audioPart(wav), configPart({}), configPart({})]), 400, 'message_invalid');
    expectServiceError(await call('POST', AUDIO, { body: '{"file": "x"}', headers: { ...AUTH, 'content-type': 'application/json' } }), 400, 'message_invalid');
    const cut = '--b\r\ncontent-disposition: form-data; name="file"; filename="a.wav"\r\ncontent-type: audio/wav\r\n\r\nRIFF';
    expectServiceError(await call('POST', AUDIO, { body: cut, headers: { ...AUTH, 'content-type': 'multipart/form-data; boundary=b' } }), 400, 'message_invalid');
  });

  it('the internal-error trigger records an errored run and answers 500 internal_error', async () => {
    const res = await postAudio([audioPart(speechWav(1000, []), 'internal-error.wav')]);
    expectServiceError(res, 500, 'internal_error');
    const { body } = await call('GET', `${RUNS}?status=errored&endpoint=audio&page_size=1`);
    expect(body.runs[0]).toMatchObject({ status: 'errored', endpoint: 'audio', mode: 'file', ended_at: expect.any(String) });
  });
});

// --- request size (§3.2, §4.1) -------------------------------------------------------------------------------------

describe('request size limit', () => {
  /** Sends up to `maxBytes`, stopping when the answer comes; resolves with the answer and the bytes sent. */
  function overlongUpload(headers: Record<string, string>, maxBytes: number) {
    return new Promise<{ status: number; body: any; sent: number }>((resolve, reject) => {
      const req = http.request(`${server.url}${AUDIO}`, { method: 'POST', headers: { ...AUTH, 'content-type': 'multipart/form-data; boundary=b', ...headers } });
      let sent = 0;
      let answered = false;
      req.on('response', async (res) => {
        answered = true;
        let text = '';
        for await (const chunk of res) text += chunk;
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), sent });
      });
      req.on('error', (err) => {
        if (!answered) reject(err);
      });
      const chunk = Buffer.alloc(1 << 20, 0x61);
      void (async () => {
        req.write('--b\r\ncontent-disposition: form-data; name="file"; filename="long.pcm"\r\ncontent-type: application/octet-stream\r\n\r\n');
        while (!answered && sent < maxBytes) {
          sent += chunk.length;
          if (!req.write(chunk)) await Promise.race([once(req, 'drain'), new Promise((r) => setTimeout(r, 100))]);
        }
      })();
    });
  }

  it('answers 413 request_too_large at once when Content-Length says more than 25 MB', async () => {
    const res = await overlongUpload({ 'content-length': String(30_000_000) }, 30_000_000);
    expectServiceError(res, 413, 'request_too_large');
    expect(res.sent).toBeLessThan(25_000_000);
  });

  it('stops reading a chunked body once it passes 25 MB', async () => {
    const res = await overlongUpload({}, 200 * (1 << 20));
    expectServiceError(res, 413, 'request_too_large');
    // The server stopped reading: the client could not push the remaining 170 MB.
    expect(res.sent).toBeLessThan(60 * (1 << 20));
    expect((await call('GET', RUNS)).status).toBe(200);
  });
});

// --- image upload (§4) ---------------------------------------------------------------------------------------------

describe('image upload', () => {
  const area = (f: any) => f.bounding_box.width * f.bounding_box.height;

  function expectListingRules(faces: any[], image: { width: number; height: number }, config: { threshold: number; min_size: number }) {
    expect(faces.length).toBeLessThanOrEqual(32);
    const measured = faces.filter((f) => f.face_id !== null);
    const unmeasured = faces.filter((f) => f.face_id === null);
    expect(measured.length).toBeLessThanOrEqual(2);
    expect(faces.slice(0, measured.length)).toEqual(measured); // measured first
    expect(measured.map(area)).toEqual([...measured.map(area)].sort((a, b) => b - a));
    expect(unmeasured.map((f) => f.confidence)).toEqual([...unmeasured.map((f) => f.confidence)].sort((a, b) => b - a));
    for (const m of measured) for (const u of unmeasured) expect(area(m)).toBeGreaterThanOrEqual(area(u));
    for (const f of faces) {
      expect(Object.keys(f.bounding_box).sort()).toEqual(['height', 'width', 'x', 'y']);
      const { x, y, width, height } = f.bounding_box;
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(x + width).toBeLessThanOrEqual(image.width);
      expect(y + height).toBeLessThanOrEqual(image.height);
      expect(Math.min(width, height)).toBeGreaterThanOrEqual(config.min_size);
      expect(f.confidence).toBeGreaterThanOrEqual(config.threshold);
      expect(f.confidence).toBeLessThanOrEqual(1);
    }
    for (const f of measured) {
      expect(typeof f.face_id).toBe('string');
      expectScores(f.expressions, FACE_EXPRESSIONS);
      expectScores(f.descriptions, FACE_DESCRIPTIONS);
    }
    for (const f of unmeasured) expect(f).toMatchObject({ face_id: null, expressions: null, descriptions: null });
    return { measured, unmeasured };
  }

  it('lists one result per image in part order; no faces is an empty list', async () => {
    const a = jpeg({ width: 640, height: 480, comment: 'crowd' });
    const res = await postImages([imagePart(a, 'a.jpg'), imagePart(jpeg({ width: 320, height: 240 }), 'no-faces.jpg'), imagePart(a, 'a-again.jpg')]);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['results', 'run_id']);
    expect(res.body.run_id).toMatch(UUID);
    expect(res.body.results).toHaveLength(3);
    expect(res.body.results[1]).toEqual({ faces: [] });
    expectListingRules(res.body.results[0].faces, { width: 640, height: 480 }, { threshold: 0.9, min_size: 60 });
    // Identical faces within one request keep their IDs.
    expect(res.body.results[2]).toEqual(res.body.results[0]);
    expect(res.body.results[0].faces.filter((f: any) => f.face_id !== null).length).toBe(2);
  });

  it('drops faces under the threshold and min_size, measures the 2 largest, lists at most 32', async () => {
    const crowd = jpeg({ width: 1280, height: 720, comment: 'crowd 2' });
    const permissive = await postImages([imagePart(crowd), configPart({ face: { threshold: 0, min_size: 1 } })]);
    const all = expectListingRules(permissive.body.results[0].faces, { width: 1280, height: 720 }, { threshold: 0, min_size: 1 });
    expect(permissive.body.results[0].faces).toHaveLength(32);
    expect(all.measured).toHaveLength(2);
    const strict = await postImages([imagePart(crowd), configPart({ face: { threshold: 0.95, min_size: 100 } })]);
    const kept = expectListingRules(strict.body.results[0].faces, { width: 1280, height: 720 }, { threshold: 0.95, min_size: 100 });
    expect(strict.body.results[0].faces.length).toBeLessThan(32);
    expect(kept.measured.length + kept.unmeasured.length).toBeGreaterThan(0);
  });

  it('returns a face_state and continues face IDs from it (config.face.face_state or config.face_state)', async () => {
    const image = jpeg({ width: 800, height: 600, comment: 'crowd 3' });
    const first = await postImages([imagePart(image), configPart({ face: { return_face_state: true } })]);
    expect(typeof first.body.face_state).toBe('string');
    const ids = first.body.results[0].faces.filter((f: any) => f.face_id).map((f: any) => f.face_id);
    expect(ids).toEqual(['0', '1']);

    const other = jpeg({ width: 800, height: 600, comment: 'crowd 4' });
    const nested = await postImages([imagePart(other), configPart({ face: { face_state: first.body.face_state, return_face_state: true } })]);
    const topLevel = await postImages([imagePart(other), configPart({ face_state: first.body.face_state })]);
    const fresh = await postImages([imagePart(other)]);
    expect(topLevel.body.results).toEqual(nested.body.results);
    expect(fresh.body.results[0].faces.filter((f: any) => f.face_id).map((f: any) => f.face_id)).toEqual(['0', '1']);
    // With the state, a face keeps an earlier ID only where its box overlaps that face's by IoU >= 0.5; others
    // get IDs after the state's two.
    const iou = (a: any, b: any) => {
      const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      const overlap = w > 0 && h > 0 ? w * h : 0;
      return overlap / (a.width * a.height + b.width * b.height - overlap);
    };
    const earlier = new Map(first.body.results[0].faces.filter((f: any) => f.face_id).map((f: any) => [f.face_id, f.bounding_box]));
    for (const face of nested.body.results[0].faces.filter((f: any) => f.face_id)) {
      if (Number(face.face_id) < 2) expect(iou(earlier.get(face.face_id), face.bounding_box)).toBeGreaterThanOrEqual(0.5);
      else expect(['2', '3']).toContain(face.face_id);
    }
    const back = await postImages([imagePart(image), configPart({ face_state: first.body.face_state })]);
    expect(back.body.results).toEqual(first.body.results);
  });

  it('refuses bad face configuration with 400 config_invalid and records no run', async () => {
    const before = await runCount('&endpoint=video');
    const image = imagePart(jpeg({ width: 64, height: 64 }));
    const unknown = await postImages([image, configPart('{"face": {"foo": 1}}')]);
    expectServiceError(unknown, 400, 'config_invalid');
    expect(unknown.body.message).toBe('the config part is not valid: unknown field `foo`, expected one of `threshold`, `min_size`, `return_face_state`, `face_state` at line 1 column 15');
    for (const bad of [{ face: { threshold: 1.5 } }, { face: { min_size: 0 } }, { face: { min_size: 2.5 } }, { face: { return_face_state: 'yes' } }, { face_state: 'not-a-state' }, { face: { face_state: 'x' }, face_state: 'x' }, { models: {} }]) {
      expectServiceError(await postImages([image, configPart(bad)]), 400, 'config_invalid');
    }
    expectServiceError(await postImages([configPart({})]), 400, 'message_invalid');
    expect(await runCount('&endpoint=video')).toBe(before);
  });

  it('checks each image: JPEG structure, 8,294,400 pixels, 2 MB; a failure leaves an errored run', async () => {
    const ok = await postImages([imagePart(jpeg({ width: 3840, height: 2160, comment: 'no-faces' }))]);
    expect(ok.status).toBe(200);
    const before = await runCount('&status=errored&endpoint=video');
    expectServiceError(await postImages([imagePart(jpeg({ width: 3841, height: 2160 }))]), 400, 'image_invalid');
    expectServiceError(await postImages([imagePart(Buffer.from('GIF89a not a jpeg'))]), 400, 'image_invalid');
    expectServiceError(await postImages([imagePart(jpeg({ width: 64, height: 64, withoutEoi: true }))]), 400, 'image_invalid');
    const second = await postImages([imagePart(jpeg({ width: 64, height: 64 })), imagePart(Buffer.alloc(10), 'broken.jpg')]);
    expectServiceError(second, 400, 'image_invalid');
    expect(second.body.message).toContain('file part 2 (broken.jpg)');
    expectServiceError(await postImages([imagePart(jpeg({ width: 64, height: 64, paddingBytes: 2_000_001 }))]), 413, 'image_too_large');
    expect(await runCount('&status=errored&endpoint=video')).toBe(before + 5);
  });

  it('is deterministic in the image bytes', async () => {
    const image = jpeg({ width: 1024, height: 768, comment: 'crowd 5' });
    const one = await postImages([imagePart(image)]);
    const two = await postImages([imagePart(image, 'renamed.jpg')]);
    expect(two.body.results).toEqual(one.body.results);
    const other = await postImages([imagePart(jpeg({ width: 1024, height: 768, comment: 'crowd 6' }))]);
    expect(other.body.results).not.toEqual(one.body.results);
  });

  it('the internal-error trigger answers 500 internal_error after recording an errored run', async () => {
    const before = await runCount('&status=errored');
    expectServiceError(await postImages([imagePart(jpeg({ width: 64, height: 64 }), 'internal-error.jpg')]), 500, 'internal_error');
    expect(await runCount('&status=errored')).toBe(before + 1);
  });
});

// --- runs (§6) -----------------------------------------------------------------------------------------------------

describe('runs', () => {
  it('records an upload run with its fields, and 404 run_not_found for unknown or malformed IDs', async () => {
    clock = Date.parse('2026-11-03T08:00:00.000Z');
    const res = await postAudio([audioPart(speechWav(2000, [{ startMs: 500, endMs: 1500 }]))]);
    const run = await call('GET', `${RUNS}/${res.body.run_id}`);
    expect(run.status).toBe(200);
    expect(run.body).toEqual({
      run_id: res.body.run_id,
      user_id: 'sim-user',
      status: 'ended',
      endpoint: 'audio',
      mode: 'file',
      started_at: '2026-11-03T08:00:00.000Z',
      ended_at: '2026-11-03T08:00:00.000Z',
      close_code: null,
      config: { measurement_timer_ms: 3000 },
      received: { audio_ms: 2000 },
    });
    expect((await call('GET', `${RUNS}/${res.body.run_id.toUpperCase()}`)).status).toBe(200);
    expectServiceError(await call('GET', `${RUNS}/00000000-0000-4000-8000-000000000000`), 404, 'run_not_found');
    expectServiceError(await call('GET', `${RUNS}/not-a-uuid`), 404, 'run_not_found');
    expectServiceError(await call('GET', `${RUNS}/not-a-uuid/events`), 404, 'run_not_found');
    const events = await call('GET', `${RUNS}/${res.body.run_id}/events`);
    expect(events.body).toEqual({ events: [], at_cap: false, capped_kinds: [], gaps: false, next_cursor: null });
  });

  it('reads live while an upload is being measured', async () => {
    sim.timing = { measureDelayMs: 300 };
    const pending = postAudio([audioPart(speechWav(1000, []), 'slow.wav')]);
    await new Promise((r) => setTimeout(r, 150));
    const live = await call('GET', `${RUNS}?status=live&mode=file&page_size=1`);
    expect(live.body.runs[0]).toMatchObject({ status: 'live', ended_at: null, mode: 'file' });
    const done = await pending;
    expect(done.status).toBe(200);
    expect((await call('GET', `${RUNS}/${live.body.runs[0].run_id}`)).body.status).toBe('ended');
  });

  describe('list', () => {
    const ids: string[] = [];
    const T0 = Date.parse('2027-01-01T00:00:00.000Z');
    const upload = async (at: number, user: string, kind: 'audio' | 'video') => {
      clock = at;
      sim.userId = user;
      const res = kind === 'audio' ? await postAudio([audioPart(speechWav(200, []))]) : await postImages([imagePart(jpeg({ width: 16, height: 16 }))]);
      return res.body.run_id as string;
    };
    const iso = (ms: number) => new Date(ms).toISOString();
    const filtered = `&started_after=${iso(T0)}`;

    beforeAll(async () => {
      // Five runs one minute apart, alternating users and endpoints, after every other test's runs.
      for (let i = 0; i < 5; i++) ids.push(await upload(T0 + i * 60_000, i % 2 ? 'user-b' : 'user-a', i < 3 ? 'audio' : 'video'));
    });

    it('lists newest first and pages with an opaque cursor until next_cursor is null', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: any = await call('GET', `${RUNS}?page_size=2${filtered}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(['next_cursor', 'runs']);
        seen.push(...res.body.runs.map((r: any) => r.run_id));
        cursor = res.body.next_cursor;
        pages++;
      } while (cursor !== null);
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
    });

    it('filters by user, endpoint, mode, status and time (after inclusive, before exclusive)', async () => {
      const list = async (query: string) => (await call('GET', `${RUNS}?page_size=200${query}`)).body.runs.map((r: any) => r.run_id);
      expect(await list(`${filtered}&user_id=user-b`)).toEqual([ids[3], ids[1]]);
      expect(await list(`${filtered}&endpoint=video`)).toEqual([ids[4], ids[3]]);
      expect(await list(`${filtered}&endpoint=audio&user_id=user-a`)).toEqual([ids[2], ids[0]]);
      expect(await list(`${filtered}&mode=realtime`)).toEqual([]);
      expect(await list(`${filtered}&mode=file&status=ended`)).toHaveLength(5);
      const boundary = iso(T0 + 2 * 60_000);
      expect(await list(`&started_after=${boundary}`)).toEqual([ids[4], ids[3], ids[2]]);
      expect(await list(`${filtered}&started_before=${boundary}`)).toEqual([ids[1], ids[0]]);
      // Adjacent ranges sharing a boundary neither skip nor repeat a run; offsets are honoured.
      expect(await list(`&started_after=${encodeURIComponent('2027-01-01T01:02:00+01:00')}&started_before=${iso(T0 + 4 * 60_000)}`)).toEqual([ids[3], ids[2]]);
    });

    it('defaults page_size to 50', async () => {
      while ((await runCount()) < 51) await postAudio([audioPart(speechWav(100, []))]);
      const res = await call('GET', RUNS);
      expect(res.body.runs).toHaveLength(50);
      expect(typeof res.body.next_cursor).toBe('string');
    });

    it('validates every query parameter with 400 query_invalid, cursors with cursor_invalid', async () => {
      for (const query of ['page_size=0', 'page_size=201', 'page_size=ten', 'status=done', 'mode=stream', 'endpoint=text', 'started_after=yesterday', 'started_before=2027-01-01', 'limit=5', 'status=live&status=ended']) {
        expectServiceError(await call('GET', `${RUNS}?${query}`), 400, 'query_invalid');
      }
      expect((await call('GET', `${RUNS}?page_size=200`)).status).toBe(200);
      expect((await call('GET', `${RUNS}?page_size=1`)).body.runs).toHaveLength(1);
      expectServiceError(await call('GET', `${RUNS}?cursor=garbage`), 400, 'cursor_invalid');
      const first = await call('GET', `${RUNS}?page_size=1&endpoint=audio`);
      expectServiceError(await call('GET', `${RUNS}?page_size=1&endpoint=video&cursor=${first.body.next_cursor}`), 400, 'cursor_invalid');
      expect((await call('GET', `${RUNS}?page_size=1&endpoint=audio&cursor=${first.body.next_cursor}`)).status).toBe(200);
    });
  });
});

// --- realtime audio (§5.1, §5.2) -----------------------------------------------------------------------------------

describe('realtime audio', () => {
  it('opens with session.created (session_id = run, default config), takes session.update until the first frame', async () => {
    const s = await openSession('audio');
    const created = s.messages[0];
    expect(created).toEqual({ type: 'session.created', session_id: expect.stringMatching(UUID), config: { measurement_timer_ms: 3000 } });
    const run = await call('GET', `${RUNS}/${created.session_id}`);
    expect(run.body).toMatchObject({ status: 'live', mode: 'realtime', endpoint: 'audio', ended_at: null, close_code: null });

    s.sendJson({ type: 'session.update', config: { measurement_timer_ms: 5000 } });
    expect((await s.until('session.updated')).pop()).toEqual({ type: 'session.updated', config: { measurement_timer_ms: 5000 } });
    s.sendJson({ type: 'session.update', config: { timer_ms: 4000 } });
    const invalid = (await s.until('error')).pop();
    expect(invalid).toMatchObject({ type: 'error', code: 'config_invalid', message: expect.stringContaining('unknown field `timer_ms`') });
    // Replacing the config: omitted fields take their defaults again.
    s.sendJson({ type: 'session.update', session: {} });
    expect((await s.until('session.updated', 3)).pop()).toEqual({ type: 'session.updated', config: { measurement_timer_ms: 3000 } });

    s.ws.send(Buffer.alloc(3200));
    s.sendJson({ type: 'session.update', config: { measurement_timer_ms: 5000 } });
    const locked = await s.until('session.closed', 4);
    expect(locked.map((m) => m.type)).toEqual(['error', 'session.closed']);
    expect(locked[0]).toMatchObject({ code: 'config_invalid' });
    expect(locked[1]).toMatchObject({ reason: 'config_invalid' });
    expect((await s.closed).code).toBe(1008);
    const ended = await call('GET', `${RUNS}/${created.session_id}`);
    expect(ended.body).toMatchObject({ status: 'errored', close_code: 1008, ended_at: expect.any(String), config: { measurement_timer_ms: 3000 } });
  });

  it('gives the same measurements as the upload for the same audio, however the frames are cut', async () => {
    const samples = speechSamples(9000, [{ startMs: 420, endMs: 7900 }]);
    const upload = await postAudio([audioPart(wavFile(rawPcm(samples)))]);
    const s = await openSession('audio');
    const bytes = rawPcm(samples);
    // 100 ms frames, except one of 4,002 bytes and one of 2 bytes: frames may be cut on any sample boundary.
    const cuts = [0, 4002, 4004];
    for (let at = 4004 + 3200; at < bytes.length; at += 3200) cuts.push(at);
    cuts.push(bytes.length);
    for (let i = 0; i + 1 < cuts.length; i++) s.ws.send(bytes.subarray(cuts[i], cuts[i + 1]));
    s.sendJson({ type: 'session.close' });
    const messages = await s.until('session.closed');
    expect(messages.map((m) => m.type)).toEqual(['session.created', 'utterance.start', 'measurement.result', 'measurement.result', 'measurement.result', 'utterance.end', 'session.closed']);
    expect(messages[1]).toEqual({ type: 'utterance.start', utterance_id: 0, audio_start_ms: 420 });
    expect(messages.slice(2, 5).map(({ type: _t, ...m }) => m)).toEqual(upload.body.measurements);
    expect(messages[5]).toEqual({ type: 'utterance.end', utterance_id: 0, audio_start_ms: 420, audio_end_ms: 7900 });
    expect(messages[6]).toEqual({ type: 'session.closed', reason: 'client_closed', received: { audio_ms: 9000 }, produced: { utterances: 1, measurements: 3 } });
    expect((await s.closed).code).toBe(1000);
    const run = (await call('GET', `${RUNS}/${messages[0].session_id}`)).body;
    expect(run).toMatchObject({ status: 'ended', close_code: 1000, received: { audio_ms: 9000 } });
  });

  it('ends open speech at session.close, as at the end of a file', async () => {
    const s = await openSession('audio');
    s.ws.send(rawPcm(speechSamples(4000, [{ startMs: 500, endMs: 4000 }])));
    await s.until('measurement.result');
    s.sendJson({ type: 'session.close' });
    const rest = await s.until('session.closed', 1);
    expect(rest.map((m) => m.type)).toEqual(['utterance.start', 'measurement.result', 'utterance.end', 'session.closed']);
    expect(rest[2]).toEqual({ type: 'utterance.end', utterance_id: 0, audio_start_ms: 500, audio_end_ms: 4000 });
  });

  it('refuses empty, odd and over-10-s frames with invalid_audio_frame and goes on; text errors are message_invalid', async () => {
    const s = await openSession('audio');
    s.ws.send(Buffer.alloc(0));
    s.ws.send(Buffer.alloc(3201));
    s.ws.send(Buffer.alloc(320_002));
    s.ws.send('{"type": "session.update"');
    s.sendJson({ type: 'session.start' });
    s.sendJson({ hello: 'world' });
    s.ws.send(Buffer.alloc(320_000)); // exactly 10 s: accepted, not acknowledged
    s.sendJson({ type: 'session.close' });
    const messages = await s.until('session.closed');
    expect(messages.slice(1).map((m) => m.code ?? m.type)).toEqual([
      'invalid_audio_frame', 'invalid_audio_frame', 'invalid_audio_frame', 'message_invalid', 'message_invalid', 'message_invalid', 'session.closed',
    ]);
    expect(messages.at(-1)).toMatchObject({ received: { audio_ms: 10000 } });
    const events = (await call('GET', `${RUNS}/${messages[0].session_id}/events`)).body;
    expect(events.events.map((e: any) => [e.seq, e.kind])).toEqual([
      [1, 'invalid_audio_frame'], [2, 'invalid_audio_frame'], [3, 'invalid_audio_frame'], [4, 'message_invalid'], [5, 'message_invalid'], [6, 'message_invalid'],
    ]);
    expect(events).toMatchObject({ at_cap: false, capped_kinds: [], gaps: false, next_cursor: null });
    const page = (await call('GET', `${RUNS}/${messages[0].session_id}/events?page_size=4`)).body;
    expect(page.events.map((e: any) => e.seq)).toEqual([1, 2, 3, 4]);
    const next = (await call('GET', `${RUNS}/${messages[0].session_id}/events?page_size=4&cursor=${page.next_cursor}`)).body;
    expect(next.events.map((e: any) => e.seq)).toEqual([5, 6]);
    expect(next.next_cursor).toBeNull();
  });

  it('ends the session on a message over 1 MiB with message_too_large and close 1009', async () => {
    const s = await openSession('audio');
    s.ws.send(Buffer.alloc(1_048_578));
    const messages = await s.until('session.closed');
    expect(messages[1]).toMatchObject({ type: 'error', code: 'message_too_large' });
    expect(messages[2]).toMatchObject({ type: 'session.closed', reason: 'message_too_large' });
    expect((await s.closed).code).toBe(1009);
    const run = (await call('GET', `${RUNS}/${messages[0].session_id}`)).body;
    expect(run).toMatchObject({ status: 'errored', close_code: 1009 });
    const events = (await call('GET', `${RUNS}/${messages[0].session_id}/events`)).body;
    expect(events.events.map((e: any) => e.kind)).toEqual(['message_too_large']);
  });

  it('with send rates enforced, refuses audio more than 1 s ahead of real time with rate_limited', async () => {
    sim.enforceSendRate = true;
    const s = await openSession('audio');
    for (let i = 0; i < 11; i++) s.ws.send(Buffer.alloc(3200)); // 11 × 100 ms at once, on a clock that stands still
    s.sendJson({ type: 'session.close' });
    const messages = await s.until('session.closed');
    expect(messages.slice(1).map((m) => m.code ?? m.type)).toEqual(['rate_limited', 'session.closed']);
    expect(messages.at(-1)).toMatchObject({ received: { audio_ms: 1000 } });
  });

  it('records a lost connection as errored with close_code 1011, a client close with its code', async () => {
    const lost = await openSession('audio');
    const lostId = lost.messages[0].session_id;
    lost.ws.terminate();
    const polite = await openSession('audio');
    const politeId = polite.messages[0].session_id;
    polite.ws.close(4000);
    await polite.closed;
    await new Promise((r) => setTimeout(r, 50));
    expect((await call('GET', `${RUNS}/${lostId}`)).body).toMatchObject({ status: 'errored', close_code: 1011 });
    expect((await call('GET', `${RUNS}/${politeId}`)).body).toMatchObject({ status: 'ended', close_code: 4000 });
  });

  it('reports a live session not heard from for 5 minutes as errored, and live again once heard from', async () => {
    const s = await openSession('audio');
    const id = s.messages[0].session_id;
    clock += 5 * 60_000;
    expect((await call('GET', `${RUNS}/${id}`)).body).toMatchObject({ status: 'errored', ended_at: expect.any(String) });
    s.ws.send(Buffer.alloc(320));
    s.sendJson({ type: 'session.update', config: {} }); // answered with an error: proof the frame was handled
    await s.until('session.closed');
    expect((await call('GET', `${RUNS}/${id}`)).body.status).toBe('errored');
    const t = await openSession('audio');
    clock += 5 * 60_000;
    t.ws.send(Buffer.alloc(0));
    await t.until('error');
    expect((await call('GET', `${RUNS}/${t.messages[0].session_id}`)).body).toMatchObject({ status: 'live', ended_at: null });
    t.ws.close();
  });
});

// --- realtime video (§5.3) -----------------------------------------------------------------------------------------

describe('realtime video', () => {
  it('answers every frame once, in order; frame_id counts results; faces match the upload', async () => {
    const image = jpeg({ width: 640, height: 480, comment: 'crowd 7' });
    const upload = await postImages([imagePart(image)]);
    const s = await openSession('video');
    expect(s.messages[0]).toEqual({ type: 'session.created', session_id: expect.stringMatching(UUID), config: { face: { threshold: 0.9, min_size: 60 } } });
    s.ws.send(image);
    s.ws.send(Buffer.from('not a jpeg'));
    s.ws.send(Buffer.alloc(0));
    s.ws.send(jpeg({ width: 3841, height: 2160 }));
    s.ws.send(image);
    s.sendJson({ type: 'session.close' });
    const messages = await s.until('session.closed');
    expect(messages.slice(1).map((m) => m.code ?? m.type)).toEqual([
      'measurement.result', 'invalid_image_frame', 'invalid_image_frame', 'invalid_image_frame', 'measurement.result', 'session.closed',
    ]);
    expect(messages[1]).toEqual({ type: 'measurement.result', frame_id: 0, faces: upload.body.results[0].faces });
    expect(messages[5]).toEqual({ type: 'measurement.result', frame_id: 1, faces: upload.body.results[0].faces });
    expect(messages[6]).toEqual({ type: 'session.closed', reason: 'client_closed', received: { frames: 5 }, produced: { results: 2, errors: 3 } });
    expect((await s.closed).code).toBe(1000);
    expect((await call('GET', `${RUNS}/${messages[0].session_id}`)).body).toMatchObject({ endpoint: 'video', mode: 'realtime', status: 'ended', close_code: 1000 });
  });

  it('takes face settings before the first frame, ends the session on a later update (1008)', async () => {
    const s = await openSession('video');
    s.sendJson({ type: 'session.update', config: { face: { threshold: 0, min_size: 1 } } });
    expect((await s.until('session.updated')).pop()).toEqual({ type: 'session.updated', config: { face: { threshold: 0, min_size: 1 } } });
    s.sendJson({ type: 'session.update', config: { face: { return_face_state: true } } });
    expect((await s.until('error')).pop()).toMatchObject({ code: 'config_invalid' });
    s.ws.send(jpeg({ width: 640, height: 480, comment: 'crowd 8' }));
    const result = (await s.until('measurement.result')).pop();
    expect(result.faces).toHaveLength(32);
    s.sendJson({ type: 'session.update', config: { face: { threshold: 0.5 } } });
    expect((await s.until('session.closed')).slice(-2).map((m) => m.code ?? m.reason)).toEqual(['config_invalid', 'config_invalid']);
    expect((await s.closed).code).toBe(1008);
  });

  it('ends the session on a message over 2 MB (message_too_large, 1009)', async () => {
    const s = await openSession('video');
    s.ws.send(jpeg({ width: 64, height: 64, paddingBytes: 2_000_000 }));
    const messages = await s.until('session.closed');
    expect(messages.slice(1).map((m) => m.code ?? m.type)).toEqual(['message_too_large', 'session.closed']);
    expect((await s.closed).code).toBe(1009);
  });

  it('fails a frame with internal_error on the trigger; five in a row end the session (1011)', async () => {
    const s = await openSession('video');
    const failing = jpeg({ width: 64, height: 64, comment: 'internal-error' });
    s.ws.send(failing);
    s.ws.send(jpeg({ width: 64, height: 64 })); // a success resets the count
    for (let i = 0; i < 5; i++) s.ws.send(failing);
    const messages = await s.until('session.closed');
    expect(messages.slice(1).map((m) => m.code ?? m.type)).toEqual([
      'internal_error', 'measurement.result', 'internal_error', 'internal_error', 'internal_error', 'internal_error', 'internal_error', 'session.closed',
    ]);
    expect(messages.at(-1)).toMatchObject({ reason: 'internal_error', produced: { results: 1, errors: 6 } });
    expect((await s.closed).code).toBe(1011);
    const events = (await call('GET', `${RUNS}/${messages[0].session_id}/events`)).body;
    expect(events.events.map((e: any) => e.kind)).toEqual(Array(6).fill('inference_failed'));
    expect((await call('GET', `${RUNS}/${messages[0].session_id}`)).body).toMatchObject({ status: 'errored', close_code: 1011 });
  });

  it('with send rates enforced, refuses a fourth frame within one second with rate_limited', async () => {
    sim.enforceSendRate = true;
    const s = await openSession('video');
    const image = jpeg({ width: 64, height: 64 });
    for (let i = 0; i < 4; i++) s.ws.send(image);
    s.sendJson({ type: 'session.close' });
    const messages = await s.until('session.closed');
    expect(messages.slice(1).map((m) => m.code ?? m.type)).toEqual(['measurement.result', 'measurement.result', 'measurement.result', 'rate_limited', 'session.closed']);
  });
});

// --- faults, control, routing --------------------------------------------------------------------------------------

describe('faults and control routes', () => {
  const addFault = (rule: unknown) => fetch(`${server.url}/_simulator/faults`, { method: 'POST', body: JSON.stringify(rule) });

  it('injects 5xx with the service body, 429 with Retry-After and the gateway body, malformed JSON, drops and delays', async () => {
    await addFault({ path: '^/v1/expression/audio/file$', fault: { kind: 'status', status: 503 } });
    expectServiceError(await postAudio([audioPart(speechWav(200, []))]), 503, 'internal_error');

    await addFault({ path: '^/v1/expression/run$', fault: { kind: 'rate-limit', retryAfterSeconds: 7 } });
    const limited = await call('GET', RUNS);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.body).toEqual({ message: 'API rate limit exceeded' });

    await addFault({ path: '^/v1/expression/run$', fault: { kind: 'malformed-json' } });
    const malformed = await call('GET', RUNS);
    expect(malformed.status).toBe(200);
    expect(typeof malformed.body).toBe('string');

    await addFault({ path: '^/v1/expression/video/file$', fault: { kind: 'drop' } });
    await expect(fetch(`${server.url}${VIDEO}`, { method: 'POST', headers: AUTH, body: form([imagePart(jpeg({ width: 8, height: 8 }))]) })).rejects.toThrow();

    await addFault({ path: '^/v1/expression/run$', fault: { kind: 'slow', delayMs: 150 } });
    const started = Date.now();
    expect((await call('GET', RUNS)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('applies faults to WebSocket handshakes', async () => {
    await addFault({ path: '^/v1/expression/audio/realtime$', fault: { kind: 'status', status: 500 } });
    const refused = await refusedHandshake('/v1/expression/audio/realtime', AUTH);
    expect(refused.status).toBe(500);
    expect(refused.body).toMatchObject({ type: 'error', code: 'internal_error' });
    await addFault({ path: '^/v1/expression/video/realtime$', fault: { kind: 'rate-limit', retryAfterSeconds: 3 } });
    const limited = await refusedHandshake('/v1/expression/video/realtime', AUTH);
    expect(limited).toMatchObject({ status: 429, body: { message: 'API rate limit exceeded' } });
    expect(limited.headers['retry-after']).toBe('3');
  });

  it('logs requests and takes settings (userId, timing, enforceSendRate)', async () => {
    await fetch(`${server.url}/_simulator/requests`, { method: 'DELETE' });
    const settings = await fetch(`${server.url}/_simulator/settings`, { method: 'POST', body: JSON.stringify({ userId: 'user-z', timing: { measureDelayMs: 0 }, enforceSendRate: false }) });
    expect(settings.status).toBe(200);
    const res = await postAudio([audioPart(speechWav(200, []))]);
    expect((await call('GET', `${RUNS}/${res.body.run_id}`)).body.user_id).toBe('user-z');
    const log = (await (await fetch(`${server.url}/_simulator/requests`)).json()) as any[];
    expect(log.map((e) => `${e.method} ${e.path}`)).toEqual([`POST ${AUDIO}`, `GET ${RUNS}/${res.body.run_id}`]);
    expect((await fetch(`${server.url}/_simulator/settings`, { method: 'POST', body: '{"userId": 5}' })).status).toBe(400);
  });

  it('answers unknown paths with the gateway 404 and other methods with 405', async () => {
    expect(await call('GET', '/v0/batch/jobs')).toMatchObject({ status: 404, body: { message: 'Not Found' } });
    expect((await call('GET', AUDIO)).status).toBe(405);
    expect((await call('DELETE', RUNS)).status).toBe(405);
    expect((await call('GET', '/v1/expression/audio/realtime')).status).toBe(426);
  });
});

describe('CLI', () => {
  it('runs hume-expression on its own with the key from HUME_API_KEY', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulators/cli.ts', 'hume-expression', '--port', '0'], {
      env: { ...process.env, HUME_API_KEY: 'cli-key' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          out += chunk;
          const match = /hume-expression simulator listening on (http:\/\/\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
      });
      expect((await fetch(`${url}${RUNS}`, { headers: { 'x-hume-api-key': 'cli-key' } })).status).toBe(200);
      expect((await fetch(`${url}${RUNS}`, { headers: { 'x-hume-api-key': KEY } })).status).toBe(401);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
