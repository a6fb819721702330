import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import type { RunningServer } from '../src/simulators/kit.js';
import { PhonexiaSimulator, type PhonexiaSimulatorOptions } from '../src/simulators/phonexia/simulator.js';
import { probeWav } from '../src/simulators/phonexia/media.js';

const START = '/api/technology/emotion-recognition';
const EMOTIONS = ['angry', 'happy', 'neutral', 'sad'];

interface WavSpec {
  channels: number;
  seconds: number;
  sampleRate?: number;
  bits?: number;
  /** Chunks to put between `fmt ` and `data` (tests unknown-chunk skipping and odd padding). */
  extraChunks?: Array<{ id: string; body: Buffer }>;
  container?: 'RIFF' | 'RIFX' | 'RF64';
}

/** A real PCM WAV: hand-written header, a quiet sine in each channel. */
function makeWav(spec: WavSpec): Buffer {
  const sampleRate = spec.sampleRate ?? 8000;
  const bits = spec.bits ?? 16;
  const container = spec.container ?? 'RIFF';
  const le = container !== 'RIFX';
  const blockAlign = spec.channels * (bits / 8);
  const frames = Math.round(spec.seconds * sampleRate);
  const data = Buffer.alloc(frames * blockAlign);
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < spec.channels; c++) {
      const v = Math.round(3000 * Math.sin((2 * Math.PI * (220 + 110 * c) * f) / sampleRate));
      if (le) data.writeInt16LE(v, f * blockAlign + c * 2);
      else data.writeInt16BE(v, f * blockAlign + c * 2);
    }
  }
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    if (le) b.writeUInt32LE(n);
    else b.writeUInt32BE(n);
    return b;
  };
  const u16 = (n: number) => {
    const b = Buffer.alloc(2);
    if (le) b.writeUInt16LE(n);
    else b.writeUInt16BE(n);
    return b;
  };
  const chunk = (id: string, body: Buffer, size = body.length) =>
    Buffer.concat([Buffer.from(id, 'latin1'), u32(size), body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);

  const fmt = chunk('fmt ', Buffer.concat([u16(1), u16(spec.channels), u32(sampleRate), u32(sampleRate * blockAlign), u16(blockAlign), u16(bits)]));
  const chunks: Buffer[] = [];
  if (container === 'RF64') {
    const ds64 = Buffer.alloc(28);
    ds64.writeBigUInt64LE(BigInt(36 + data.length), 0);
    ds64.writeBigUInt64LE(BigInt(data.length), 8);
    ds64.writeBigUInt64LE(BigInt(frames), 16);
    chunks.push(chunk('ds64', ds64));
  }
  chunks.push(fmt, ...(spec.extraChunks ?? []).map((c) => chunk(c.id, c.body)));
  chunks.push(chunk('data', data, container === 'RF64' ? 0xffffffff : data.length));
  const body = Buffer.concat(chunks);
  return Buffer.concat([Buffer.from(container, 'latin1'), u32(container === 'RF64' ? 0xffffffff : 4 + body.length), Buffer.from('WAVE'), body]);
}

describe('simulator-media WAV probe', () => {
  it('reads RIFF mono/stereo headers and duration', () => {
    const mono = probeWav(makeWav({ channels: 1, seconds: 3 }));
    expect(mono).toEqual({
      ok: true,
      wav: { container: 'RIFF', formatTag: 1, channels: 1, sampleRate: 8000, bitsPerSample: 16, byteRate: 16000, blockAlign: 2, dataBytes: 48000, durationSeconds: 3, channelActivity: [true] },
    });
    const stereo = probeWav(makeWav({ channels: 2, seconds: 2.5 }));
    expect(stereo.ok && stereo.wav).toMatchObject({ channels: 2, byteRate: 32000, durationSeconds: 2.5 });
  });

  it('skips unknown chunks with odd sizes, reads RIFX and RF64', () => {
    const odd = probeWav(makeWav({ channels: 2, seconds: 1, extraChunks: [{ id: 'LIST', body: Buffer.alloc(7, 1) }, { id: 'JUNK', body: Buffer.alloc(3) }] }));
    expect(odd.ok && odd.wav.durationSeconds).toBe(1);
    const rifx = probeWav(makeWav({ channels: 1, seconds: 2, container: 'RIFX' }));
    expect(rifx.ok && rifx.wav).toMatchObject({ container: 'RIFX', channels: 1, sampleRate: 8000, durationSeconds: 2 });
    const rf64 = probeWav(makeWav({ channels: 2, seconds: 1.5, container: 'RF64' }));
    expect(rf64.ok && rf64.wav).toMatchObject({ container: 'RF64', channels: 2, durationSeconds: 1.5 });
  });

  it('clamps a truncated data chunk and rejects non-WAV', () => {
    const wav = makeWav({ channels: 1, seconds: 2 });
    const cut = probeWav(wav.subarray(0, 44 + 16000));
    expect(cut.ok && cut.wav.durationSeconds).toBe(1);
    expect(probeWav(Buffer.from('ID3 this is an mp3, honest')).ok).toBe(false);
    expect(probeWav(Buffer.from('RIFF\0\0\0\0AVI LIST')).ok).toBe(false);
    expect(probeWav(wav.subarray(0, 30)).ok).toBe(false); // header cut before data
  });
});

describe('PhonexiaSimulator', () => {
  let sim: PhonexiaSimulator;
  let server: RunningServer;
  let clock = 0;
  const mono = makeWav({ channels: 1, seconds: 4 });
  const stereo = makeWav({ channels: 2, seconds: 10 });

  async function start(options: PhonexiaSimulatorOptions = {}): Promise<void> {
    await sim?.close();
    clock = 1_700_000_000_000;
    sim = new PhonexiaSimulator({ now: () => clock, ...options });
    server = await sim.listen(0);
  }

  beforeEach(() => start());
  afterEach(() => sim.close());

  function form(file: Buffer | undefined, filename = 'call.wav', config?: string): FormData {
    const fd = new FormData();
    if (file) fd.append('file', new Blob([new Uint8Array(file)], { type: 'audio/wav' }), filename);
    if (config !== undefined) fd.append('config', config);
    return fd;
  }

  async function post(file: Buffer | undefined, query = '', opts: { filename?: string; config?: string; headers?: Record<string, string> } = {}) {
    const res = await fetch(`${server.url}${START}${query}`, { method: 'POST', body: form(file, opts.filename, opts.config), headers: opts.headers });
    return { res, body: (await res.json()) as any };
  }

  async function get(id: string, headers?: Record<string, string>) {
    const res = await fetch(`${server.url}${START}/${id}`, { headers });
    return { res, body: (await res.json()) as any };
  }

  /** Starts a task and advances the fake clock to its terminal state. */
  async function run(file: Buffer, query = '', opts: { filename?: string; config?: string } = {}) {
    const { res, body } = await post(file, query, opts);
    expect(res.status).toBe(202);
    clock += 1_000;
    return (await get(body.task.task_id)).body;
  }

  it('accepts an upload: 202, body, Location and X-Location', async () => {
    const { res, body } = await post(mono);
    expect(res.status).toBe(202);
    expect(body).toEqual({ task: { task_id: expect.stringMatching(/^[0-9a-f-]{36}$/), state: 'pending' } });
    const location = `${START}/${body.task.task_id}`;
    expect(res.headers.get('location')).toBe(location);
    expect(res.headers.get('x-location')).toBe(location);
    expect(sim.uploads).toEqual([
      {
        taskId: body.task.task_id,
        filename: 'call.wav',
        size: mono.length,
        md5: createHash('md5').update(mono).digest('hex'),
        query: {},
        correlationId: res.headers.get('x-correlation-id'),
      },
    ]);
  });

  it('moves pending → running → done with result only when done', async () => {
    const { body } = await post(mono);
    const id = body.task.task_id;
    expect((await get(id)).body).toEqual({ task: { task_id: id, state: 'pending' } });
    clock += 20;
    expect((await get(id)).body).toEqual({ task: { task_id: id, state: 'running' } });
    clock += 50;
    const done = (await get(id)).body;
    expect(done.task).toEqual({ task_id: id, state: 'done' });
    expect(done.error).toBeUndefined();
    expect(done.result.channels).toHaveLength(1);
    const [channel] = done.result.channels;
    expect(channel.channel_number).toBe(0);
    expect(channel.speech_length).toBe(2.8); // 70 % of 4 s
    expect(channel.scores.map((s: any) => s.emotion).sort()).toEqual(EMOTIONS);
    expect(channel.scores.map((s: any) => s.emotion)).not.toEqual(EMOTIONS); // not alphabetical on purpose
    const units = channel.scores.reduce((sum: number, s: any) => sum + Math.round(s.probability * 10_000), 0);
    expect(units).toBe(10_000);
    for (const s of channel.scores) {
      expect(s.probability).toBeGreaterThanOrEqual(0);
      expect(Math.round(s.probability * 10_000) / 10_000).toBe(s.probability);
    }
    expect(Math.abs(channel.scores.reduce((a: number, s: any) => a + s.probability, 0) - 1)).toBeLessThan(1e-9);
  });

  it('uses timing set at runtime and via the settings route', async () => {
    sim.timing = { pendingMs: 500, runningMs: 500 };
    const { body } = await post(mono);
    clock += 400;
    expect((await get(body.task.task_id)).body.task.state).toBe('pending');
    const set = await fetch(`${server.url}/_simulator/settings`, { method: 'POST', body: JSON.stringify({ timing: { pendingMs: 0, runningMs: 0 }, taskTtlMs: 5 }) });
    expect(set.status).toBe(200);
    expect(sim.timing).toEqual({ pendingMs: 0, runningMs: 0 });
    const second = await post(mono);
    expect((await get(second.body.task.task_id)).body.task.state).toBe('done');
    clock += 5;
    expect((await get(second.body.task.task_id)).res.status).toBe(404);
  });

  it('split: one entry per channel, channel selection, mix', async () => {
    const split = await run(stereo);
    expect(split.result.channels.map((c: any) => c.channel_number)).toEqual([0, 1]);
    expect(split.result.channels[0].scores).not.toEqual(split.result.channels[1].scores);

    const one = await run(stereo, '?channels=1');
    expect(one.result.channels.map((c: any) => c.channel_number)).toEqual([1]);
    expect(one.result.channels[0].speech_length).toBe(7);

    const mix = await run(stereo, '?channel_mode=mix');
    expect(mix.result.channels).toHaveLength(1);
    expect(mix.result.channels[0].channel_number).toBe(0);
    expect(mix.result.channels[0].scores.map((s: any) => s.emotion).sort()).toEqual(EMOTIONS);

    // Deterministic: same bytes and parameters → same result.
    expect((await run(stereo)).result).toEqual(split.result);
  });

  it('reflects ranges and max_speech_length in speech_length', async () => {
    const windowed = await run(stereo, '?range_from=2&range_to=6');
    expect(windowed.result.channels[0].speech_length).toBe(2.8); // 70 % of 4 s
    const beyondEnd = await run(stereo, '?range_from=8&range_to=60');
    expect(beyondEnd.result.channels[0].speech_length).toBe(1.4); // window clipped at 10 s
    const capped = await run(stereo, '?max_speech_length=1.5');
    expect(capped.result.channels.map((c: any) => c.speech_length)).toEqual([1.5, 1.5]);
    // The multipart config field works too; the query wins over it.
    const viaConfig = await run(stereo, '?channels=0', { config: JSON.stringify({ channels: '1', range_to: 5, unknown: true }) });
    expect(viaConfig.result.channels).toMatchObject([{ channel_number: 0, speech_length: 3.5 }]);
  });

  it.each([
    ['?channel_mode=stereo', 'channel_mode'],
    ['?channels=0,%201', 'channels'],
    ['?channels=a', 'channels'],
    ['?range_from=-1', 'range_from'],
    ['?range_to=0', 'range_to'],
    ['?range_from=5&range_to=5', 'range_to'],
    ['?range_from=5&range_to=2', 'range_to'],
    ['?max_speech_length=0', 'max_speech_length'],
    ['?max_speech_length=abc', 'max_speech_length'],
  ])('422 for %s', async (query, name) => {
    const { res, body } = await post(mono, query);
    expect(res.status).toBe(422);
    expect(body).toEqual({
      type: 'request.validation-error',
      message: 'Request validation error.',
      detail: [{ location: ['query', name], message: expect.any(String), type: 'value_error', context: {} }],
    });
  });

  it('422 for a missing file, a bad config and a malformed task id', async () => {
    const missing = await post(undefined);
    expect(missing.res.status).toBe(422);
    expect(missing.body.detail).toEqual([{ location: ['body', 'file'], message: 'Field required.', type: 'value_error', context: {} }]);
    const badConfig = await post(mono, '', { config: '{nope' });
    expect(badConfig.res.status).toBe(422);
    expect(badConfig.body.detail[0].location).toEqual(['body', 'config']);
    const malformed = await get('not-a-uuid');
    expect(malformed.res.status).toBe(422);
    expect(malformed.body.detail[0].location).toEqual(['path', 'task_id']);
    expect(sim.uploads).toHaveLength(0);
  });

  it('400 for a body that is not multipart or is broken', async () => {
    const json = await fetch(`${server.url}${START}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ type: 'request.invalid', message: 'Invalid request.', detail: [] });
    const broken = await fetch(`${server.url}${START}`, {
      method: 'POST',
      headers: { 'content-type': 'multipart/form-data; boundary=XYZ' },
      body: '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nabc',
    });
    expect(broken.status).toBe(400);
  });

  it('413 beyond maxFileSize, with the documented body', async () => {
    await start({ maxFileSize: 1000 });
    const { res, body } = await post(mono);
    expect(res.status).toBe(413);
    expect(body).toEqual({
      type: 'request.size-limit-exceeded',
      message: 'Request size limit exceeded.',
      detail: [
        {
          location: ['body', 'file'],
          message: 'Input media file too large.',
          type: 'media.too-large',
          context: { file_size: expect.any(Number), max_file_size: 1000, size_unit: 'bytes' },
        },
      ],
    });
    // Bytes received before the simulator stopped reading.
    expect(body.detail[0].context.file_size).toBeGreaterThan(1000);
    expect(body.detail[0].context.file_size).toBeLessThanOrEqual(mono.length);
    expect(sim.uploads).toHaveLength(0);
  });

  it('507 when stored uploads exceed the storage capacity, freed by expiry', async () => {
    await start({ storageCapacityBytes: mono.length * 2 + 10 });
    const first = await post(mono);
    expect((await post(mono)).res.status).toBe(202);
    const full = await post(mono);
    expect(full.res.status).toBe(507);
    expect(full.body).toEqual({ type: 'storage.capacity-exceeded', message: 'Storage capacity exceeded.', detail: [] });
    sim.expire(first.body.task.task_id);
    expect((await post(mono)).res.status).toBe(202);
  });

  it('403 beyond the licensed concurrency, until tasks finish', async () => {
    await start({ licensedConcurrency: 1 });
    expect((await post(mono)).res.status).toBe(202);
    const { res, body } = await post(mono);
    expect(res.status).toBe(403);
    expect(body).toEqual({
      type: 'request.forbidden',
      message: 'Request is forbidden.',
      detail: [{ location: ['license'], message: 'Licensed processing capacity exceeded.', type: 'licensing.capacity-exceeded', context: {} }],
    });
    clock += 70;
    expect((await post(mono)).res.status).toBe(202);
  });

  it('403 when a required header is missing', async () => {
    await start({ requiredHeaders: { authorization: 'Bearer s3cret' } });
    const denied = await post(mono);
    expect(denied.res.status).toBe(403);
    expect(denied.body.type).toBe('request.forbidden');
    expect((await post(mono, '', { headers: { authorization: 'Bearer s3cret' } })).res.status).toBe(202);
  });

  it('429 from the rate limiter with the four headers', async () => {
    await start({ rateLimit: { limit: 2, windowMs: 5000 } });
    const { body } = await post(mono);
    expect((await get(body.task.task_id)).res.status).toBe(200);
    clock += 1200;
    const limited = await get(body.task.task_id);
    expect(limited.res.status).toBe(429);
    expect(limited.body).toEqual({ type: 'request.rate-limit-exceeded', message: 'Rate limit exceeded: 2 per 5 second.', detail: [] });
    expect(limited.res.headers.get('retry-after')).toBe('4');
    expect(limited.res.headers.get('x-ratelimit-limit')).toBe('2');
    expect(limited.res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.res.headers.get('x-ratelimit-reset')).toBe(String(Math.ceil((1_700_000_000_000 + 5000) / 1000)));
    clock += 3800;
    expect((await get(body.task.task_id)).res.status).toBe(200);
  });

  it('rejects undecodable media and out-of-range channels/ranges; fails on the trigger', async () => {
    const { body } = await post(Buffer.from('definitely not audio'), '', { filename: 'notes.txt' });
    const id = body.task.task_id;
    clock += 19;
    expect((await get(id)).body.task.state).toBe('pending');
    clock += 1;
    expect((await get(id)).body).toEqual({
      task: { task_id: id, state: 'rejected' },
      error: {
        type: 'task.validation-error',
        message: 'Task validation error.',
        detail: [{ location: ['body', 'file'], message: 'Media file could not be decoded.', type: 'media.invalid', context: {} }],
      },
    });

    const channel = await run(mono, '?channels=0,1');
    expect(channel.task.state).toBe('rejected');
    expect(channel.result).toBeUndefined();
    expect(channel.error.detail[0]).toMatchObject({ location: ['query', 'channels'], type: 'channels.invalid' });

    const range = await run(mono, '?range_from=4');
    expect(range.task.state).toBe('rejected');
    expect(range.error.detail[0].location).toEqual(['query', 'range_from']);

    const failing = await post(mono, '', { filename: 'task-fails.wav' });
    clock += 20;
    expect((await get(failing.body.task.task_id)).body.task.state).toBe('running');
    clock += 50;
    expect((await get(failing.body.task.task_id)).body).toEqual({
      task: { task_id: failing.body.task.task_id, state: 'failed' },
      error: { type: 'internal', message: 'Internal error.', detail: [] },
    });
  });

  it('404 for unknown and expired tasks', async () => {
    const notFound = { type: 'resource.not-found', message: 'Resource not found.', detail: [] };
    const unknown = await get('3fa85f64-5717-4562-b3fc-2c963f66afa6');
    expect(unknown.res.status).toBe(404);
    expect(unknown.body).toEqual(notFound);

    await start({ taskTtlMs: 1000 });
    const { body } = await post(mono);
    const id = body.task.task_id;
    clock += 70 + 999;
    expect((await get(id)).body.task.state).toBe('done');
    clock += 1;
    expect((await get(id)).body).toEqual(notFound);

    const forced = await post(mono);
    sim.expire(forced.body.task.task_id);
    expect((await get(forced.body.task.task_id)).res.status).toBe(404);
  });

  it('405 for other methods', async () => {
    const { body } = await post(mono);
    for (const [method, path] of [
      ['DELETE', `${START}/${body.task.task_id}`],
      ['PUT', `${START}/${body.task.task_id}`],
      ['GET', START],
      ['DELETE', START],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, { method });
      expect(res.status).toBe(405);
      expect(await res.json()).toEqual({ type: 'method.invalid', message: 'Invalid HTTP method.', detail: [] });
    }
  });

  it('echoes or generates correlation and request ids', async () => {
    const given = await post(mono, '', { headers: { 'x-correlation-id': 'corr-1', 'x-request-id': 'req-1' } });
    expect(given.res.headers.get('x-correlation-id')).toBe('corr-1');
    expect(given.res.headers.get('x-request-id')).toBe('req-1');
    expect(sim.uploads[0]?.correlationId).toBe('corr-1');
    const generated = await get('3fa85f64-5717-4562-b3fc-2c963f66afa6');
    expect(generated.res.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('applies injected faults and serves the control routes', async () => {
    sim.faults.add({ method: 'POST', path: START, fault: { kind: 'drop' } });
    await expect(post(mono)).rejects.toThrow();

    sim.faults.add({ method: 'GET', fault: { kind: 'malformed-json' } });
    const malformed = await fetch(`${server.url}${START}/3fa85f64-5717-4562-b3fc-2c963f66afa6`);
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();

    sim.faults.add({ fault: { kind: 'slow', delayMs: 150 } });
    const t0 = Date.now();
    expect((await post(mono)).res.status).toBe(202);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);

    sim.faults.add({ fault: { kind: 'status', status: 503 } });
    const unavailable = await post(mono, '', { headers: { 'x-correlation-id': 'c-503' } });
    expect(unavailable.res.status).toBe(503);
    expect(unavailable.body).toEqual({ type: 'internal', message: 'Internal error.', detail: [] });
    expect(unavailable.res.headers.get('x-correlation-id')).toBe('c-503');

    sim.faults.add({ fault: { kind: 'rate-limit', retryAfterSeconds: 7 } });
    const limited = await post(mono);
    expect(limited.res.status).toBe(429);
    expect(limited.body).toEqual({ type: 'request.rate-limit-exceeded', message: 'Rate limit exceeded: 1 per 5 second.', detail: [] });
    expect(limited.res.headers.get('retry-after')).toBe('7');
    expect(limited.res.headers.get('x-ratelimit-limit')).toBe('1');
    expect(limited.res.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.res.headers.get('x-ratelimit-reset')).toBe(String(Math.ceil(clock / 1000) + 7));

    // Over HTTP: add a rule, see it fire once, read and clear the log.
    const add = await fetch(`${server.url}/_simulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ method: 'GET', path: '^/api/technology/emotion-recognition/', fault: { kind: 'status', status: 404 } }),
    });
    expect(add.status).toBe(200);
    const { body } = await post(mono);
    const injected = await get(body.task.task_id);
    expect(injected.res.status).toBe(404);
    expect(injected.body).toEqual({ type: 'resource.not-found', message: 'Resource not found.', detail: [] });
    expect((await get(body.task.task_id)).res.status).toBe(200);

    const log = (await (await fetch(`${server.url}/_simulator/requests`)).json()) as Array<{ method: string; path: string }>;
    expect(log.filter((e) => e.method === 'POST')).toHaveLength(5);
    expect(log.every((e) => !e.path.startsWith('/_simulator/'))).toBe(true);
    expect(sim.requests.count({ method: 'GET', path: /^\/api\/technology\/emotion-recognition\/.+/ })).toBe(3);
    expect((await fetch(`${server.url}/_simulator/requests`, { method: 'DELETE' })).status).toBe(200);
    expect(sim.requests.entries).toHaveLength(0);

    sim.faults.add({ times: Infinity, fault: { kind: 'status', status: 500 } });
    expect((await fetch(`${server.url}/_simulator/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await post(mono)).res.status).toBe(202);
  });
});
