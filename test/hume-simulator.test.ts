/**
 * Drives a real Hume batch simulator over HTTP. Expected label lists and the job-details echo are written out
 * literally here (from /work/shared/providers/hume-batch.md), independently of the simulator's own constants.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HumeSimulator } from '../src/simulators/hume-batch/simulator.js';
import { pcmWav } from './support/wav.js';

const KEY = 'test-key';
const JOBS = '/v0/batch/jobs';

// --- literal expectations (doc §5) ---------------------------------------------------------------------------------

const EXPECTED_48 = [
  'Admiration', 'Adoration', 'Aesthetic Appreciation', 'Amusement', 'Anger', 'Anxiety', 'Awe', 'Awkwardness', 'Boredom',
  'Calmness', 'Concentration', 'Confusion', 'Contemplation', 'Contempt', 'Contentment', 'Craving', 'Desire',
  'Determination', 'Disappointment', 'Disgust', 'Distress', 'Doubt', 'Ecstasy', 'Embarrassment', 'Empathic Pain',
  'Entrancement', 'Envy', 'Excitement', 'Fear', 'Guilt', 'Horror', 'Interest', 'Joy', 'Love', 'Nostalgia', 'Pain',
  'Pride', 'Realization', 'Relief', 'Romance', 'Sadness', 'Satisfaction', 'Shame', 'Surprise (negative)',
  'Surprise (positive)', 'Sympathy', 'Tiredness', 'Triumph',
];
const EXPECTED_53 = [
  'Admiration', 'Adoration', 'Aesthetic Appreciation', 'Amusement', 'Anger', 'Annoyance', 'Anxiety', 'Awe',
  'Awkwardness', 'Boredom', 'Calmness', 'Concentration', 'Confusion', 'Contemplation', 'Contempt', 'Contentment',
  'Craving', 'Desire', 'Determination', 'Disappointment', 'Disapproval', 'Disgust', 'Distress', 'Doubt', 'Ecstasy',
  'Embarrassment', 'Empathic Pain', 'Enthusiasm', 'Entrancement', 'Envy', 'Excitement', 'Fear', 'Gratitude', 'Guilt',
  'Horror', 'Interest', 'Joy', 'Love', 'Nostalgia', 'Pain', 'Pride', 'Realization', 'Relief', 'Romance', 'Sadness',
  'Sarcasm', 'Satisfaction', 'Shame', 'Surprise (negative)', 'Surprise (positive)', 'Sympathy', 'Tiredness', 'Triumph',
];
const EXPECTED_BURST_67 = [
  'Cackle', 'Cheer', 'Chuckle', 'Cry', 'Gasp', 'Giggle', 'Groan', 'Growl', 'Grunt', 'Hiss', 'Hoot', 'Howl', 'Laugh',
  'Moan', 'Pant', 'Roar', 'Scream', 'Screech', 'Shout', 'Shriek', 'Sigh', 'Snicker', 'Snort', 'Sob', 'Squeal', 'Wail',
  'Wheep', 'Whimper', 'Yawn', 'Yelp', 'Ah', 'Aha', 'Ahh', 'Argh', 'Aww', 'Eek', 'Eww', 'Grr', 'Ha', 'Hah', 'Haha', 'Hehe',
  'Hmm', 'Huh', 'Hurray', 'Mhm', 'Mmm', 'Oh', 'Ohh', 'Ooh', 'Ooph', 'Ouch', 'Oww', 'Pff', 'Phew', 'Tsk', 'Ugh', 'Uh',
  'Uh-huh', 'Umm', 'Whee', 'Whew', 'Woah', 'Wow', 'Yay', 'Yippee', 'Yuck',
];
const EXPECTED_FACS_36 = [
  'AU1 Inner Brow Raise', 'AU2 Outer Brow Raise', 'AU4 Brow Lowerer', 'AU5 Upper Lid Raise', 'AU6 Cheek Raise',
  'AU7 Lids Tight', 'AU9 Nose Wrinkle', 'AU10 Upper Lip Raiser', 'AU11 Nasolabial Furrow Deepener',
  'AU12 Lip Corner Puller', 'AU14 Dimpler', 'AU15 Lip Corner Depressor', 'AU16 Lower Lip Depress', 'AU17 Chin Raiser',
  'AU18 Lip Pucker', 'AU19 Tongue Show', 'AU20 Lip Stretch', 'AU22 Lip Funneler', 'AU23 Lip Tightener',
  'AU24 Lip Presser', 'AU25 Lips Part', 'AU26 Jaw Drop', 'AU27 Mouth Stretch', 'AU28 Lips Suck', 'AU32 Bite',
  'AU34 Puff', 'AU37 Lip Wipe', 'AU38 Nostril Dilate', 'AU43 Eye Closure', 'AU53 Head Up', 'AU54 Head Down',
  'Hand over Mouth', 'Hand over Eyes', 'Hand over Forehead', 'Hand over Face', 'Hand touching Face / Head',
];
const EXPECTED_FACE_DESCRIPTIONS_27 = [
  'Beaming', 'Biting lip', 'Cheering', 'Cringe', 'Cry', 'Eyes closed', 'Face in hands', 'Frown', 'Gasp', 'Glare',
  'Glaring', 'Grimace', 'Grin', 'Jaw drop', 'Laugh', 'Licking lip', 'Pout', 'Scowl', 'Smile', 'Smirk', 'Snarl',
  'Squint', 'Sulking', 'Tongue out', 'Wide-eyed', 'Wince', 'Wrinkled nose',
];
const EXPECTED_SENTIMENT = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
const EXPECTED_TOXICITY = ['toxic', 'severe_toxic', 'obscene', 'threat', 'insult', 'identity_hate'];

// --- helpers -------------------------------------------------------------------------------------------------------

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

let sim: HumeSimulator;
let base: string;

function api(path: string, init: RequestInit = {}, key: string | null = KEY): Promise<Response> {
  const headers = new Headers(init.headers);
  if (key !== null) headers.set('x-hume-api-key', key);
  return fetch(base + path, { ...init, headers });
}

function postJson(body: unknown, contentType = 'application/json'): Promise<Response> {
  return api(JOBS, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(body) });
}

async function startJob(body: unknown): Promise<string> {
  const res = await postJson(body);
  const json = (await res.json()) as Any;
  expect(res.status, JSON.stringify(json)).toBe(200);
  expect(json.job_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  return json.job_id;
}

async function details(id: string): Promise<Any> {
  const res = await api(`${JOBS}/${id}`);
  expect(res.status).toBe(200);
  return res.json();
}

async function predictionsOf(id: string): Promise<Any[]> {
  const res = await api(`${JOBS}/${id}/predictions`);
  expect(res.status).toBe(200);
  return (await res.json()) as Any[];
}

/** The first file prediction's `models` of the first source of a fresh job. */
async function modelsOfSingle(body: unknown): Promise<Any> {
  const [element] = await predictionsOf(await startJob(body));
  return element.results.predictions[0].models;
}

const names = (scores: Array<{ name: string; score: number }>) => scores.map((s) => s.name);
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

const wav = (seconds: number) => pcmWav({ seconds, sampleRate: 16_000 });

beforeAll(async () => {
  sim = new HumeSimulator({ apiKey: KEY, timing: { queuedMs: 0, runningMs: 0 } });
  base = (await sim.listen()).url;
});

afterAll(async () => {
  await sim.close();
});

// --- tests ---------------------------------------------------------------------------------------------------------

describe('auth', () => {
  it('rejects a missing key with the gateway fault body', async () => {
    const res = await api(JOBS, {}, null);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      fault: {
        faultstring: 'Failed to resolve API Key variable request.header.X-Hume-Api-Key',
        detail: { errorcode: 'steps.oauth.v2.FailedToResolveAPIKey' },
      },
    });
  });

  it('rejects a wrong key', async () => {
    const res = await api(JOBS, {}, 'nope');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ fault: { faultstring: 'Invalid ApiKey', detail: { errorcode: 'oauth.v2.InvalidApiKey' } } });
  });
});

describe('start job (JSON) and details', () => {
  it('echoes the request with every default filled in (doc §4.1 example)', async () => {
    const id = await startJob({ urls: ['https://hume-tutorials.s3.amazonaws.com/faces.zip'], notify: true });
    const job = await details(id);
    expect(job.job_id).toBe(id);
    expect(job.type).toBe('INFERENCE');
    expect(job.request).toEqual({
      files: [],
      models: {
        face: { fps_pred: 3, prob_threshold: 0.99, identify_faces: false, min_face_size: 60, facs: null, descriptions: null, save_faces: false },
        burst: {},
        prosody: { granularity: 'utterance', window: null, identify_speakers: false },
        language: { granularity: 'word', sentiment: null, toxicity: null, identify_speakers: false },
        ner: { identify_speakers: false },
        facemesh: {},
      },
      transcription: { language: null, identify_speakers: false, confidence_threshold: 0.5 },
      urls: ['https://hume-tutorials.s3.amazonaws.com/faces.zip'],
      text: [],
      callback_url: null,
      notify: true,
    });
    expect(job.state).toEqual({
      status: 'COMPLETED',
      created_timestamp_ms: expect.any(Number),
      started_timestamp_ms: expect.any(Number),
      ended_timestamp_ms: expect.any(Number),
      num_predictions: 3, // faces.zip holds three images
      num_errors: 0,
    });
  });

  it('fills defaults of the requested models and sets the others to null', async () => {
    const id = await startJob({
      models: { face: { fps_pred: 1, facs: {} }, language: { granularity: 'sentence', toxicity: {} }, unknown_model: {} },
      text: ['Hello there.'],
      callback_url: 'http://127.0.0.1:9/cb',
    });
    const { request } = await details(id);
    expect(request.models).toEqual({
      face: { fps_pred: 1, prob_threshold: 0.99, identify_faces: false, min_face_size: 60, facs: {}, descriptions: null, save_faces: false },
      burst: null,
      prosody: null,
      language: { granularity: 'sentence', sentiment: null, toxicity: {}, identify_speakers: false },
      ner: null,
      facemesh: null,
    });
    expect(request.callback_url).toBe('http://127.0.0.1:9/cb');
    expect(request.notify).toBe(false);
  });

  it('echoes transcription: null (disabled) and a partial transcription with defaults', async () => {
    const off = await details(await startJob({ urls: ['https://x.test/a.wav'], transcription: null }));
    expect(off.request.transcription).toBeNull();
    const fr = await details(await startJob({ urls: ['https://x.test/a.wav'], transcription: { language: 'fr-CA' } }));
    expect(fr.request.transcription).toEqual({ language: 'fr-CA', identify_speakers: false, confidence_threshold: 0.5 });
  });

  it('accepts application/json with a charset parameter', async () => {
    const res = await postJson({ text: ['x'] }, 'application/json; charset=utf-8');
    expect(res.status).toBe(200);
  });

  it('answers 404 for an unknown job on every job route', async () => {
    for (const suffix of ['', '/predictions', '/artifacts']) {
      const res = await api(`${JOBS}/00000000-0000-4000-8000-000000000000${suffix}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: 'job not found' });
    }
  });
});

describe('validation', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['no input', { models: { face: {} } }, /at least one of urls, text or file/],
    ['too many urls', { urls: Array.from({ length: 101 }, (_, i) => `https://x.test/${i}.jpg`) }, /urls/],
    ['too many texts', { text: Array.from({ length: 101 }, () => 'x') }, /text/],
    ['bad url', { urls: ['not a url'] }, /urls\[0\]/],
    ['prob_threshold > 1', { text: ['x'], models: { face: { prob_threshold: 1.5 } } }, /models\.face\.prob_threshold/],
    ['prob_threshold < 0', { text: ['x'], models: { face: { prob_threshold: -0.1 } } }, /models\.face\.prob_threshold/],
    ['negative fps_pred', { text: ['x'], models: { face: { fps_pred: -1 } } }, /models\.face\.fps_pred/],
    ['confidence_threshold', { text: ['x'], transcription: { confidence_threshold: 2 } }, /transcription\.confidence_threshold/],
    ['window length', { text: ['x'], models: { prosody: { window: { length: 0.4 } } } }, /models\.prosody\.window\.length/],
    ['window step', { text: ['x'], models: { prosody: { window: { step: 0.1 } } } }, /models\.prosody\.window\.step/],
    ['granularity', { text: ['x'], models: { language: { granularity: 'paragraph' } } }, /models\.language\.granularity/],
    ['prosody granularity', { text: ['x'], models: { prosody: { granularity: 'Word' } } }, /models\.prosody\.granularity/],
    ['bcp47 case', { text: ['x'], transcription: { language: 'en-us' } }, /transcription\.language/],
    ['bcp47 unknown', { text: ['x'], transcription: { language: 'xx' } }, /transcription\.language/],
    ['no model enabled', { text: ['x'], models: {} }, /models/],
    ['model not an object', { text: ['x'], models: { face: true } }, /models\.face/],
    ['callback_url', { text: ['x'], callback_url: 'ftp://x' }, /callback_url/],
    ['notify type', { text: ['x'], notify: 'yes' }, /notify/],
    ['body not an object', [1, 2], /JSON object/],
  ];
  it.each(cases)('400 for %s', async (_label, body, message) => {
    const res = await postJson(body);
    expect(res.status).toBe(400);
    const json = (await res.json()) as Any;
    expect(Object.keys(json)).toEqual(['message']);
    expect(json.message).toMatch(message);
  });

  it('400 for malformed JSON and 415 for other content types', async () => {
    const bad = await api(JOBS, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"urls": [' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Any).message).toMatch(/JSON/);
    const other = await api(JOBS, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(other.status).toBe(415);
  });

  it('accepts the window boundaries and ignores unknown model keys', async () => {
    const id = await startJob({
      text: ['x'],
      models: { prosody: { window: { length: 0.5, step: 0.5 } }, language: { language: 'en', use_existing_partition: true } },
    });
    const { request } = await details(id);
    expect(request.models.prosody.window).toEqual({ length: 0.5, step: 0.5 });
    expect(request.models.language).toEqual({ granularity: 'word', sentiment: null, toxicity: null, identify_speakers: false });
  });
});

describe('start job (multipart)', () => {
  const jpeg = new Uint8Array(Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff));
  const audio = wav(7);

  it('hashes every uploaded file and echoes them (json part as a plain field)', async () => {
    const form = new FormData();
    form.append('json', JSON.stringify({ models: { face: {}, burst: {} }, notify: true }));
    form.append('file', new Blob([jpeg], { type: 'image/jpeg' }), 'david_hume.jpeg');
    form.append('file', new Blob([audio], { type: 'audio/wav' }), 'speech.wav');
    const res = await api(JOBS, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const { job_id } = (await res.json()) as Any;
    const { request } = await details(job_id);
    expect(request.files).toEqual([
      { filename: 'david_hume.jpeg', md5sum: md5(jpeg), content_type: 'image/jpeg' },
      { filename: 'speech.wav', md5sum: md5(audio), content_type: 'audio/wav' },
    ]);
    expect(request.notify).toBe(true);
    expect(request.models.prosody).toBeNull();
    expect(sim.uploadsOf(job_id)).toEqual([
      { filename: 'david_hume.jpeg', md5sum: md5(jpeg), size: jpeg.length, contentType: 'image/jpeg' },
      { filename: 'speech.wav', md5sum: md5(audio), size: audio.length, contentType: 'audio/wav' },
    ]);

    const preds = await predictionsOf(job_id);
    expect(preds.map((p) => p.source)).toEqual([
      { type: 'file', md5sum: md5(jpeg), filename: 'david_hume.jpeg', content_type: 'image/jpeg' },
      { type: 'file', md5sum: md5(audio), filename: 'speech.wav', content_type: 'audio/wav' },
    ]);
    const [image, speech] = preds.map((p) => p.results.predictions[0]);
    expect(image.file).toBe('david_hume.jpeg');
    expect(image.file_type).toBe('image');
    expect(Object.keys(image.models)).toEqual(['face']);
    expect(speech.file_type).toBe('audio');
    expect(Object.keys(speech.models)).toEqual(['burst']);
    // The WAV header says 7 s: one burst every 2.5 s.
    expect(speech.models.burst.grouped_predictions[0].predictions).toHaveLength(3);
  });

  it('accepts the json part as a file part, and no json part at all', async () => {
    const form = new FormData();
    form.append('json', new Blob([JSON.stringify({ models: { language: { granularity: 'sentence' } } })], { type: 'application/json' }), 'json');
    form.append('file', new Blob(['One. Two.'], { type: 'text/plain' }), 'notes.txt');
    const res = await api(JOBS, { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const { job_id } = (await res.json()) as Any;
    expect((await details(job_id)).request.models.language.granularity).toBe('sentence');
    const [element] = await predictionsOf(job_id);
    const texts = element.results.predictions[0].models.language.grouped_predictions[0].predictions.map((p: Any) => p.text);
    expect(texts).toEqual(['One.', 'Two.']);

    const bare = new FormData();
    bare.append('json', 'null');
    bare.append('file', new Blob([jpeg]), 'x.png');
    const res2 = await api(JOBS, { method: 'POST', body: bare });
    expect(res2.status).toBe(200);
    const { request } = await details(((await res2.json()) as Any).job_id);
    expect(Object.values(request.models).every((m) => m !== null)).toBe(true);
  });

  it('rejects a form without files and a malformed json part', async () => {
    const empty = new FormData();
    empty.append('json', '{}');
    const res = await api(JOBS, { method: 'POST', body: empty });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Any).message).toMatch(/file/);

    const badJson = new FormData();
    badJson.append('json', '{nope');
    badJson.append('file', new Blob([jpeg]), 'x.png');
    const res2 = await api(JOBS, { method: 'POST', body: badJson });
    expect(res2.status).toBe(400);
    expect(((await res2.json()) as Any).message).toMatch(/json/);
  });

  it('answers 413 for a file over 100 MB', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(100 * 1024 * 1024 + 1)]), 'huge.mp4');
    const res = await api(JOBS, { method: 'POST', body: form });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ message: 'file too large: huge.mp4 exceeds 100 MB' });
  });
});

describe('state machine', () => {
  it('goes QUEUED → IN_PROGRESS → COMPLETED following the clock', async () => {
    let clock = 1_000_000;
    const timed = new HumeSimulator({ apiKey: KEY, timing: { queuedMs: 100, runningMs: 200 }, now: () => clock });
    const { url } = await timed.listen();
    try {
      const headers = { 'x-hume-api-key': KEY, 'content-type': 'application/json' };
      const start = await fetch(url + JOBS, { method: 'POST', headers, body: JSON.stringify({ text: ['Hi there.'] }) });
      const { job_id } = (await start.json()) as Any;
      const state = async () => ((await (await fetch(`${url}${JOBS}/${job_id}`, { headers })).json()) as Any).state;

      expect(await state()).toEqual({ status: 'QUEUED', created_timestamp_ms: 1_000_000 });
      const early = await fetch(`${url}${JOBS}/${job_id}/predictions`, { headers });
      expect(early.status).toBe(400);
      expect(await early.json()).toEqual({ message: 'job is not completed' });

      clock += 100;
      expect(await state()).toEqual({ status: 'IN_PROGRESS', created_timestamp_ms: 1_000_000, started_timestamp_ms: 1_000_100 });
      expect((await fetch(`${url}${JOBS}/${job_id}/artifacts`, { headers })).status).toBe(400);

      clock += 199;
      expect((await state()).status).toBe('IN_PROGRESS');
      clock += 1;
      expect(await state()).toEqual({
        status: 'COMPLETED',
        created_timestamp_ms: 1_000_000,
        started_timestamp_ms: 1_000_100,
        ended_timestamp_ms: 1_000_300,
        num_predictions: 1,
        num_errors: 0,
      });
      expect((await fetch(`${url}${JOBS}/${job_id}/predictions`, { headers })).status).toBe(200);
    } finally {
      await timed.close();
    }
  });

  it('applies a changed timing to jobs created afterwards (real clock)', async () => {
    sim.timing = { queuedMs: 250, runningMs: 50 };
    try {
      const id = await startJob({ text: ['x'] });
      expect((await details(id)).state.status).toBe('QUEUED');
      await new Promise((r) => setTimeout(r, 400));
      expect((await details(id)).state.status).toBe('COMPLETED');
    } finally {
      sim.timing = { queuedMs: 0, runningMs: 0 };
    }
  });
});

describe('list jobs', () => {
  let clock = 0;
  let lister: HumeSimulator;
  let url: string;
  const ids: Record<string, string> = {};
  const headers = { 'x-hume-api-key': KEY, 'content-type': 'application/json' };
  const list = async (query: string) => {
    const res = await fetch(`${url}${JOBS}${query}`, { headers });
    return { status: res.status, body: (await res.json()) as Any };
  };
  const idsOf = async (query: string) => {
    const { status, body } = await list(query);
    expect(status).toBe(200);
    return (body as Any[]).map((j) => Object.keys(ids).find((k) => ids[k] === j.job_id));
  };

  beforeAll(async () => {
    lister = new HumeSimulator({ apiKey: KEY, timing: { queuedMs: 100, runningMs: 100 }, now: () => clock });
    url = (await lister.listen()).url;
    const create = async (name: string, at: number, source: string) => {
      clock = at;
      const res = await fetch(url + JOBS, { method: 'POST', headers, body: JSON.stringify({ urls: [source] }) });
      ids[name] = ((await res.json()) as Any).job_id;
    };
    await create('A', 1000, 'https://x.test/a.jpg');
    await create('B', 2000, 'https://x.test/job-fails.jpg');
    await create('C', 3000, 'https://x.test/c.jpg');
    clock = 3050; // A COMPLETED, B FAILED, C QUEUED
  });
  afterAll(() => lister.close());

  it('returns a bare array, newest first by default', async () => {
    const { body } = await list('');
    expect(Array.isArray(body)).toBe(true);
    expect(body.map((j: Any) => j.state.status)).toEqual(['QUEUED', 'FAILED', 'COMPLETED']);
    expect(await idsOf('')).toEqual(['C', 'B', 'A']);
  });

  it('filters by repeated status', async () => {
    expect(await idsOf('?status=COMPLETED&status=FAILED')).toEqual(['B', 'A']);
    expect(await idsOf('?status=QUEUED')).toEqual(['C']);
    expect(await idsOf('?status=IN_PROGRESS')).toEqual([]);
  });

  it('filters by when / timestamp_ms (default now)', async () => {
    expect(await idsOf('?when=created_before&timestamp_ms=2000')).toEqual(['A']);
    expect(await idsOf('?when=created_after&timestamp_ms=2000')).toEqual(['C']);
    expect(await idsOf('?when=created_before')).toEqual(['C', 'B', 'A']);
    expect(await idsOf('?when=created_after')).toEqual([]);
  });

  it('sorts by created / started / ended in both directions, missing timestamps last', async () => {
    expect(await idsOf('?direction=asc')).toEqual(['A', 'B', 'C']);
    expect(await idsOf('?sort_by=ended&direction=asc')).toEqual(['A', 'B', 'C']);
    expect(await idsOf('?sort_by=ended&direction=desc')).toEqual(['B', 'A', 'C']);
    expect(await idsOf('?sort_by=started')).toEqual(['B', 'A', 'C']);
  });

  it('limits', async () => {
    expect(await idsOf('?limit=1')).toEqual(['C']);
    expect(await idsOf('?limit=2&direction=asc')).toEqual(['A', 'B']);
  });

  it('400 for bad enum values and limits', async () => {
    for (const query of ['?status=DONE', '?status=queued', '?when=before', '?sort_by=name', '?direction=up', '?limit=0', '?limit=abc', '?limit=1.5', '?timestamp_ms=soon']) {
      const { status, body } = await list(query);
      expect(status, query).toBe(400);
      expect(typeof body.message).toBe('string');
    }
  });
});

describe('predictions', () => {
  it('face: 48 emotions, facs/descriptions only when requested, thresholds and box bounds', async () => {
    const plain = await modelsOfSingle({ urls: ['https://x.test/me.jpg'], models: { face: {} } });
    expect(plain.face.metadata).toBeNull();
    const [p] = plain.face.grouped_predictions[0].predictions;
    expect(plain.face.grouped_predictions[0].id).toBe('unknown');
    expect(names(p.emotions)).toEqual(EXPECTED_48);
    expect(p.facs).toBeNull();
    expect(p.descriptions).toBeNull();
    expect(p.frame).toBe(0);
    expect(p.time).toBe(0);
    expect(p.prob).toBeGreaterThanOrEqual(0.99);
    expect(p.prob).toBeLessThanOrEqual(1);

    const full = await modelsOfSingle({
      urls: ['https://x.test/me.jpg'],
      models: { face: { facs: {}, descriptions: {}, prob_threshold: 0.5, min_face_size: 120, identify_faces: true } },
    });
    const [q] = full.face.grouped_predictions[0].predictions;
    expect(full.face.grouped_predictions.map((g: Any) => g.id)).toEqual(['face_0']);
    expect(names(q.facs)).toEqual(EXPECTED_FACS_36);
    expect(names(q.descriptions)).toEqual(EXPECTED_FACE_DESCRIPTIONS_27);
    expect(q.box.w).toBeGreaterThanOrEqual(120);
    expect(q.box.h).toBeGreaterThanOrEqual(120);
    for (const s of [...q.emotions, ...q.facs, ...q.descriptions]) {
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(1);
    }
  });

  it('face: samples frames by fps_pred on 30 fps video; two faces when identified', async () => {
    const frames = async (fps: number) => {
      const models = await modelsOfSingle({ urls: ['https://x.test/clip.mp4?duration=2'], models: { face: { fps_pred: fps } } });
      return models.face.grouped_predictions[0].predictions.map((p: Any) => p.frame);
    };
    expect(await frames(3)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(await frames(6)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
    expect(await frames(0)).toEqual(Array.from({ length: 60 }, (_, i) => i));

    const two = await modelsOfSingle({ urls: ['https://x.test/clip.mp4?duration=1'], models: { face: { identify_faces: true } } });
    expect(two.face.grouped_predictions.map((g: Any) => g.id)).toEqual(['face_0', 'face_1']);
    const times = two.face.grouped_predictions[0].predictions.map((p: Any) => p.time);
    expect(times[1]).toBeCloseTo(10 / 30, 9);
  });

  it('facemesh: emotions only', async () => {
    const models = await modelsOfSingle({ urls: ['https://x.test/me.png'], models: { facemesh: {} } });
    expect(Object.keys(models)).toEqual(['facemesh']);
    expect(models.facemesh.metadata).toBeNull();
    const [p] = models.facemesh.grouped_predictions[0].predictions;
    expect(Object.keys(p)).toEqual(['emotions']);
    expect(names(p.emotions)).toEqual(EXPECTED_48);
  });

  it('burst: one every ~2.5 s with 48 emotions and 67 descriptions', async () => {
    const models = await modelsOfSingle({ urls: ['https://x.test/laugh.mp3?duration=10'], models: { burst: {} } });
    const group = models.burst.grouped_predictions[0];
    expect(group.id).toBe('unknown');
    expect(group.predictions).toHaveLength(4);
    for (const p of group.predictions) {
      expect(names(p.emotions)).toEqual(EXPECTED_48);
      expect(names(p.descriptions)).toEqual(EXPECTED_BURST_67);
      expect(p.time.end).toBeGreaterThan(p.time.begin);
      expect(p.time.end).toBeLessThanOrEqual(10);
    }
  });

  it('prosody: utterances with text and metadata; windows; speakers; transcription disabled', async () => {
    const utter = await modelsOfSingle({ urls: ['https://x.test/talk.wav?duration=12'], models: { prosody: {} }, transcription: { language: 'de' } });
    expect(utter.prosody.metadata).toEqual({ confidence: expect.any(Number), detected_language: 'de' });
    const up = utter.prosody.grouped_predictions[0].predictions;
    expect(up).toHaveLength(4);
    expect(typeof up[0].text).toBe('string');
    expect(up[0].speaker_confidence).toBeNull();
    expect(names(up[0].emotions)).toEqual(EXPECTED_48);

    const windowed = await modelsOfSingle({ urls: ['https://x.test/talk.wav?duration=6'], models: { prosody: { window: { length: 2, step: 1 } } } });
    const wp = windowed.prosody.grouped_predictions[0].predictions;
    expect(wp.map((p: Any) => p.time.begin)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(wp[0].time.end).toBe(2);
    expect(wp.every((p: Any) => p.text === undefined)).toBe(true);

    const speakers = await modelsOfSingle({ urls: ['https://x.test/talk.wav?duration=12'], models: { prosody: { identify_speakers: true } } });
    expect(speakers.prosody.grouped_predictions.map((g: Any) => g.id)).toEqual(['spk_0', 'spk_1']);
    expect(typeof speakers.prosody.grouped_predictions[0].predictions[0].speaker_confidence).toBe('number');

    const silent = await modelsOfSingle({ urls: ['https://x.test/talk.wav?duration=6'], transcription: null });
    expect(Object.keys(silent)).toEqual(['burst', 'prosody']);
    expect(silent.prosody.metadata).toBeNull();
    expect(silent.prosody.grouped_predictions[0].predictions[0].text).toBeUndefined();
  });

  it('language on text: positions slice the original string, per granularity; sentiment/toxicity on request', async () => {
    const text = '  Hello world!  It is  a sunny day in Paris.\nBye';
    const language = async (granularity: string, extra: object = {}) => {
      const models = await modelsOfSingle({ text: [text], models: { language: { granularity, ...extra } } });
      expect(models.language.metadata).toBeNull();
      return models.language.grouped_predictions[0].predictions as Any[];
    };
    const words = await language('word');
    expect(words.map((p) => p.text)).toEqual(['Hello', 'world', 'It', 'is', 'a', 'sunny', 'day', 'in', 'Paris', 'Bye']);
    for (const p of words) {
      expect(text.slice(p.position.begin, p.position.end)).toBe(p.text);
      expect(names(p.emotions)).toEqual(EXPECTED_53);
      expect(p.sentiment).toBeUndefined();
      expect(p.toxicity).toBeUndefined();
      expect(p.confidence).toBeNull();
      expect(p.speaker_confidence).toBeNull();
    }
    const sentences = await language('sentence', { sentiment: {}, toxicity: {} });
    expect(sentences.map((p) => p.text)).toEqual(['Hello world!', 'It is  a sunny day in Paris.', 'Bye']);
    for (const p of sentences) {
      expect(text.slice(p.position.begin, p.position.end)).toBe(p.text);
      expect(names(p.sentiment)).toEqual(EXPECTED_SENTIMENT);
      expect(names(p.toxicity)).toEqual(EXPECTED_TOXICITY);
    }
    expect((await language('utterance')).map((p) => p.text)).toEqual(sentences.map((p) => p.text));
    const turn = await language('conversational_turn');
    expect(turn).toHaveLength(1);
    expect(turn[0].position).toEqual({ begin: 2, end: text.length });
  });

  it('language and ner on audio carry time and a synthetic transcript', async () => {
    const models = await modelsOfSingle({ urls: ['https://x.test/talk.mp3?duration=15'], models: { language: {}, ner: {} } });
    const transcriptWords = models.language.grouped_predictions[0].predictions as Any[];
    expect(transcriptWords.length).toBeGreaterThan(10);
    expect(transcriptWords[0].time).toEqual({ begin: 0, end: expect.any(Number) });
    expect(typeof transcriptWords[0].confidence).toBe('number');
    expect(models.language.metadata).toEqual({ confidence: expect.any(Number), detected_language: 'en' });
    const entities = models.ner.grouped_predictions[0].predictions as Any[];
    expect(entities.length).toBeGreaterThan(0);
    expect(entities[0].time).toEqual({ begin: expect.any(Number), end: expect.any(Number) });
  });

  it('ner on text: capitalised words not starting a sentence', async () => {
    const text = 'Yesterday I met Anna in Edinburgh. She loves Hume.';
    const models = await modelsOfSingle({ text: [text], models: { ner: {} } });
    const entities = models.ner.grouped_predictions[0].predictions as Any[];
    expect(entities.map((e) => e.entity)).toEqual(['Anna', 'Edinburgh', 'Hume']);
    const [anna] = entities;
    expect(text.slice(anna.position.begin, anna.position.end)).toBe('Anna');
    expect(anna.uri).toBe('https://en.wikipedia.org/wiki/Anna');
    expect(anna.link_word).toBe('Anna');
    expect(typeof anna.entity_confidence).toBe('number');
    expect(typeof anna.support).toBe('number');
    expect(names(anna.emotions)).toEqual(EXPECTED_53);
  });

  it('one element per source: urls, then files order; text sources; models by media kind', async () => {
    const id = await startJob({
      urls: ['https://x.test/clip.mp4?duration=3', 'https://x.test/set.tar.gz?count=2', 'https://x.test/doc.txt'],
      text: ['First text.', 'Second text.'],
    });
    const preds = await predictionsOf(id);
    expect(preds.map((p) => p.source)).toEqual([
      { type: 'url', url: 'https://x.test/clip.mp4?duration=3' },
      { type: 'url', url: 'https://x.test/set.tar.gz?count=2' },
      { type: 'url', url: 'https://x.test/doc.txt' },
      { type: 'text' },
      { type: 'text' },
    ]);
    const files = preds.map((p) => p.results.predictions.map((f: Any) => [f.file, f.file_type, Object.keys(f.models)]));
    expect(files).toEqual([
      [['clip.mp4', 'video', ['face', 'burst', 'prosody', 'language', 'ner', 'facemesh']]],
      [
        ['set/1.jpg', 'image', ['face', 'facemesh']],
        ['set/2.jpg', 'image', ['face', 'facemesh']],
      ],
      [['doc.txt', 'text', ['language', 'ner']]],
      [['text', 'text', ['language', 'ner']]],
      [['text', 'text', ['language', 'ner']]],
    ]);
    expect(preds.every((p) => Array.isArray(p.results.errors) && p.results.errors.length === 0)).toBe(true);
    expect((await details(id)).state.num_predictions).toBe(6);
  });

  it('is deterministic for the same input', async () => {
    const body = { urls: ['https://x.test/same.mp4?duration=2'] };
    const a = await predictionsOf(await startJob(body));
    const b = await predictionsOf(await startJob(body));
    expect(b).toEqual(a);
  });

  // Speed is measured by `npm run bench`, not here: this checks the size and that repeats are byte-identical.
  it('serves a 3-hour video (32,400 face predictions at fps 3) identically on every read', async () => {
    const id = await startJob({ urls: ['https://x.test/long.mp4?duration=10800'], models: { face: {} } });
    const text = await (await api(`${JOBS}/${id}/predictions`)).text();
    const [element] = JSON.parse(text) as Any[];
    expect(element.results.predictions[0].models.face.grouped_predictions[0].predictions).toHaveLength(32_400);
    const again = await (await api(`${JOBS}/${id}/predictions`)).text();
    expect(again).toBe(text);
  });
});

describe('failure triggers', () => {
  it('job-fails → FAILED with message; predictions refused', async () => {
    const id = await startJob({ urls: ['https://x.test/ok.jpg', 'https://x.test/job-fails.mp4'] });
    const { state } = await details(id);
    expect(state).toEqual({
      status: 'FAILED',
      created_timestamp_ms: expect.any(Number),
      started_timestamp_ms: expect.any(Number),
      ended_timestamp_ms: expect.any(Number),
      message: 'job failed: could not process https://x.test/job-fails.mp4',
    });
    const res = await api(`${JOBS}/${id}/predictions`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: 'job is not completed' });
  });

  it('unreachable → source error without results; corrupt → results.errors', async () => {
    const id = await startJob({ urls: ['https://x.test/unreachable.mp4', 'https://x.test/corrupt.wav', 'https://x.test/fine.jpg'] });
    const [unreachable, corrupt, fine] = await predictionsOf(id);
    expect(unreachable).toEqual({ source: { type: 'url', url: 'https://x.test/unreachable.mp4' }, error: 'Failed to download https://x.test/unreachable.mp4' });
    expect(corrupt.results).toEqual({
      predictions: [],
      errors: [{ file: 'corrupt.wav', message: 'transcript confidence (0.0) below threshold value (0.5)' }],
    });
    expect(fine.results.predictions).toHaveLength(1);
    expect((await details(id)).state).toMatchObject({ status: 'COMPLETED', num_predictions: 1, num_errors: 1 });
  });

  it('media over 3 hours and odd URLs do not break the job', async () => {
    const id = await startJob({ urls: ['https://x.test/too-long.mp4?duration=10801', 'https://x.test/100%.mp4'], models: { face: {} } });
    const [tooLong, odd] = await predictionsOf(id);
    expect(tooLong.results.predictions).toEqual([]);
    expect(tooLong.results.errors).toEqual([{ file: 'too-long.mp4', message: expect.stringMatching(/3 hours/) }]);
    expect(odd.results.predictions[0].file).toBe('100%.mp4');
    expect((await api(`${JOBS}/%E0%A4%A/predictions`)).status).toBe(404);
  });

  it('triggers also match uploaded filenames', async () => {
    const form = new FormData();
    form.append('file', new Blob(['x']), 'job-fails.jpg');
    const res = await api(JOBS, { method: 'POST', body: form });
    const { job_id } = (await res.json()) as Any;
    expect((await details(job_id)).state.message).toBe('job failed: could not process job-fails.jpg');
  });
});

describe('artifacts', () => {
  it('is a ZIP with one top-level directory of CSVs per model and file', async () => {
    const id = await startJob({ urls: ['https://x.test/clip.mp4?duration=2'], text: ['Hello Anna.'], models: { face: {}, language: { toxicity: {} } } });
    const res = await api(`${JOBS}/${id}/artifacts`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    const entries = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const paths = Object.keys(entries);
    expect(new Set(paths.map((p) => p.split('/')[0]))).toEqual(new Set([id]));
    expect(paths).toEqual(expect.arrayContaining([`${id}/csv/clip/face.csv`, `${id}/csv/clip/language.csv`, `${id}/csv/text/language.csv`]));
    const face = strFromU8(entries[`${id}/csv/clip/face.csv`]!).trimEnd().split('\n');
    expect(face[0]).toBe(['Id', 'Frame', 'Time', 'Probability', 'FaceX0', 'FaceY0', 'FaceWidth', 'FaceHeight', ...EXPECTED_48].join(','));
    expect(face).toHaveLength(1 + 6);
    const language = strFromU8(entries[`${id}/csv/text/language.csv`]!).trimEnd().split('\n');
    expect(language[0]).toBe(
      ['Id', 'Text', 'BeginPosition', 'EndPosition', 'BeginTime', 'EndTime', 'Confidence', 'SpeakerConfidence', ...EXPECTED_53, ...EXPECTED_TOXICITY]
        .map((h) => (h.includes(',') ? `"${h}"` : h))
        .join(','),
    );
    expect(language[1]!.startsWith('unknown,Hello,0,5,')).toBe(true);
  });
});

describe('callbacks', () => {
  let receiver: http.Server;
  let receiverUrl: string;
  const received: Array<{ headers: http.IncomingHttpHeaders; body: Any }> = [];
  let waiters: Array<() => void> = [];

  beforeAll(async () => {
    receiver = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        res.writeHead(204).end();
        waiters.forEach((w) => w());
        waiters = [];
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  const nextDelivery = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => (received.length >= count ? resolve() : waiters.push(check));
      check();
    });
  const waitFor = async (cond: () => boolean) => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  };

  it('POSTs {job_id, status, predictions} on completion', async () => {
    const before = received.length;
    const id = await startJob({ text: ['Nice!'], models: { language: {} }, callback_url: receiverUrl });
    await nextDelivery(before + 1);
    const { headers, body } = received[before]!;
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(body).toEqual({ job_id: id, status: 'COMPLETED', predictions: await predictionsOf(id) });
    await waitFor(() => sim.callbacks.some((c) => (c.body as Any).job_id === id));
    const record = sim.callbacks.find((c) => (c.body as Any).job_id === id)!;
    expect(record).toMatchObject({ url: receiverUrl, status: 204 });
    expect(record.error).toBeUndefined();
  });

  it('POSTs {job_id, status: FAILED, message} on failure', async () => {
    const before = received.length;
    const id = await startJob({ urls: ['https://x.test/job-fails.jpg'], callback_url: receiverUrl });
    await nextDelivery(before + 1);
    expect(received[before]!.body).toEqual({ job_id: id, status: 'FAILED', message: 'job failed: could not process https://x.test/job-fails.jpg' });
  });

  it('records undeliverable and dropped callbacks without crashing', async () => {
    const unreachableId = await startJob({ text: ['x'], callback_url: 'http://127.0.0.1:1/nothing' });
    await waitFor(() => sim.callbacks.some((c) => (c.body as Any).job_id === unreachableId));
    const failed = sim.callbacks.find((c) => (c.body as Any).job_id === unreachableId)!;
    expect(failed.error).toMatch(/\S/); // the network error, whatever its wording
    expect(failed.error).not.toBe('dropped');
    expect(failed.status).toBeUndefined();

    sim.dropCallbacks = true;
    try {
      const before = received.length;
      const id = await startJob({ text: ['x'], callback_url: receiverUrl });
      await waitFor(() => sim.callbacks.some((c) => (c.body as Any).job_id === id));
      expect(sim.callbacks.find((c) => (c.body as Any).job_id === id)).toMatchObject({ url: receiverUrl, error: 'dropped' });
      await new Promise((r) => setTimeout(r, 30));
      expect(received.length).toBe(before);
    } finally {
      sim.dropCallbacks = false;
    }
    expect((await api(JOBS)).status).toBe(200);
  });
});

describe('faults and control routes', () => {
  it('status fault uses the {message} body', async () => {
    sim.faults.add({ method: 'GET', path: JOBS, fault: { kind: 'status', status: 503 } });
    const res = await api(JOBS);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ message: 'Service Unavailable' });
    expect((await api(JOBS)).status).toBe(200);
  });

  it('faults come before auth', async () => {
    sim.faults.add({ path: JOBS, fault: { kind: 'status', status: 500 } });
    expect((await api(JOBS, {}, 'wrong')).status).toBe(500);
  });

  it('rate-limit fault sets Retry-After', async () => {
    sim.faults.add({ path: JOBS, fault: { kind: 'rate-limit', retryAfterSeconds: 7 } });
    const res = await api(JOBS);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ message: 'Too Many Requests' });
  });

  it('slow, drop and malformed-json faults', async () => {
    sim.faults.add({ path: JOBS, fault: { kind: 'slow', delayMs: 150 } });
    const t = performance.now();
    expect((await api(JOBS)).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(140);

    sim.faults.add({ path: JOBS, fault: { kind: 'drop' } });
    await expect(api(JOBS)).rejects.toThrow();

    sim.faults.add({ path: JOBS, fault: { kind: 'malformed-json' } });
    const res = await api(JOBS);
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow();
  });

  it('control routes over HTTP: faults, request log, settings', async () => {
    const control = (method: string, path: string, body?: unknown) =>
      fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

    expect((await control('DELETE', '/_simulator/requests')).status).toBe(200);
    await api(JOBS);
    const log = (await (await control('GET', '/_simulator/requests')).json()) as Any[];
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ method: 'GET', path: JOBS });
    expect(sim.requests.count({ path: JOBS })).toBe(1);

    expect((await control('POST', '/_simulator/faults', { path: '^/v0/batch/jobs/[^/]+$', times: 2, fault: { kind: 'status', status: 502 } })).status).toBe(200);
    expect((await api(`${JOBS}/abc`)).status).toBe(502);
    expect((await api(`${JOBS}/abc`)).status).toBe(502);
    expect((await api(`${JOBS}/abc`)).status).toBe(404);
    await control('POST', '/_simulator/faults', { fault: { kind: 'status', status: 500 }, times: 5 });
    expect((await control('DELETE', '/_simulator/faults')).status).toBe(200);
    expect((await api(JOBS)).status).toBe(200);

    try {
      expect((await control('POST', '/_simulator/settings', { timing: { queuedMs: 60_000 }, dropCallbacks: true })).status).toBe(200);
      expect(sim.timing).toEqual({ queuedMs: 60_000, runningMs: 0 });
      expect(sim.dropCallbacks).toBe(true);
      expect((await details(await startJob({ text: ['x'] }))).state.status).toBe('QUEUED');
      expect((await control('POST', '/_simulator/settings', { timing: { queuedMs: -1 } })).status).toBe(400);
    } finally {
      await control('POST', '/_simulator/settings', { timing: { queuedMs: 0, runningMs: 0 }, dropCallbacks: false });
    }
    expect(sim.timing).toEqual({ queuedMs: 0, runningMs: 0 });
    expect(sim.dropCallbacks).toBe(false);
    // Control requests are not logged.
    expect(sim.requests.entries.some((e) => e.path.startsWith('/_simulator/'))).toBe(false);
  });
});
