/**
 * Audio conversion (src/audio): WAV header reading for every supported variant and edge case, every refusal with its
 * message, the plan's exact sizes, and the converted signal itself measured with known tones (frequency, level,
 * anti-aliasing, channel routing, duration, timing); the same output from every sample format; worker threads that
 * leave the event loop responsive (net of other processes' turns on a shared machine); and the worker resolved from
 * the compiled build.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AudioChannelError,
  AudioFormatError,
  closeAudioWorkers,
  convertToSpeechPcm,
  planSpeechConversion,
  readIntoSharedMemory,
  readWavHeader,
  SUPPORTED_AUDIO_FORMATS,
  type SampleEncoding,
  type SpeechPcm,
} from '../src/audio/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

afterAll(async () => {
  await closeAudioWorkers();
});

// ---- building WAV files -------------------------------------------------------------------------------------------

type Signal = (channel: number, t: number) => number;

interface WavSpec {
  rate: number;
  channels?: number;
  encoding?: SampleEncoding;
  seconds?: number;
  frames?: number;
  signal?: Signal;
  container?: 'RIFF' | 'RIFX' | 'RF64';
  /** WAVE_FORMAT_EXTENSIBLE with the PCM or float sub-format GUID (or `subFormat`). */
  extensible?: boolean;
  subFormat?: number;
  validBits?: number;
  /** Overrides, for refusals. */
  formatTag?: number;
  bitsPerSample?: number;
  blockAlign?: number;
  channelsField?: number;
  /** The data chunk's size field: exact (default), or what streaming writers leave. */
  dataSize?: number;
  chunksBeforeFmt?: Array<[string, Uint8Array]>;
  chunksBeforeData?: Array<[string, Uint8Array]>;
  chunksAfterData?: Array<[string, Uint8Array]>;
  /** Bytes cut off the end of the file. */
  cut?: number;
  /** A fmt chunk shorter than this is written as given (refusal tests). */
  fmtBytes?: number;
}

const BYTES: Record<SampleEncoding, number> = { u8: 1, s16: 2, s24: 3, s32: 4, f32: 4, f64: 8 };

function encodeSample(view: DataView, at: number, encoding: SampleEncoding, x: number, le: boolean): void {
  const int = (scale: number, min: number, max: number) => Math.max(min, Math.min(max, Math.round(x * scale)));
  switch (encoding) {
    case 'u8':
      view.setUint8(at, int(128, -128, 127) + 128);
      break;
    case 's16':
      view.setInt16(at, int(32768, -32768, 32767), le);
      break;
    case 's24': {
      const v = int(8388608, -8388608, 8388607);
      const [b0, b1, b2] = [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff];
      view.setUint8(at, le ? b0 : b2);
      view.setUint8(at + 1, b1);
      view.setUint8(at + 2, le ? b2 : b0);
      break;
    }
    case 's32':
      view.setInt32(at, int(2147483648, -2147483648, 2147483647), le);
      break;
    case 'f32':
      view.setFloat32(at, x, le);
      break;
    case 'f64':
      view.setFloat64(at, x, le);
      break;
  }
}

function chunk(id: string, body: Uint8Array, le = true): Uint8Array {
  const out = new Uint8Array(8 + body.length + (body.length & 1));
  for (let i = 0; i < 4; i++) out[i] = id.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, body.length, le);
  out.set(body, 8);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

const ascii = (text: string) => new TextEncoder().encode(text);

function buildWav(spec: WavSpec): Uint8Array<ArrayBuffer> {
  const channels = spec.channels ?? 1;
  const encoding = spec.encoding ?? 's16';
  const container = spec.container ?? 'RIFF';
  const le = container !== 'RIFX';
  const bytesPerSample = BYTES[encoding];
  const frames = spec.frames ?? Math.round(spec.rate * (spec.seconds ?? 1));
  const signal = spec.signal ?? (() => 0);
  const isFloat = encoding === 'f32' || encoding === 'f64';

  const samples = new Uint8Array(frames * channels * bytesPerSample);
  const sv = new DataView(samples.buffer);
  for (let i = 0; i < frames; i++)
    for (let c = 0; c < channels; c++) encodeSample(sv, (i * channels + c) * bytesPerSample, encoding, signal(c, i / spec.rate), le);

  const fmtSize = spec.extensible ? 40 : 16;
  const fmt = new Uint8Array(fmtSize);
  const fv = new DataView(fmt.buffer);
  const tag = spec.formatTag ?? (spec.extensible ? 0xfffe : isFloat ? 3 : 1);
  fv.setUint16(0, tag, le);
  fv.setUint16(2, spec.channelsField ?? channels, le);
  fv.setUint32(4, spec.rate, le);
  fv.setUint32(8, spec.rate * channels * bytesPerSample, le);
  fv.setUint16(12, spec.blockAlign ?? channels * bytesPerSample, le);
  fv.setUint16(14, spec.bitsPerSample ?? bytesPerSample * 8, le);
  if (spec.extensible) {
    fv.setUint16(16, 22, le);
    fv.setUint16(18, spec.validBits ?? bytesPerSample * 8, le);
    fv.setUint32(20, channels === 2 ? 3 : 0, le);
    fv.setUint32(24, spec.subFormat ?? (isFloat ? 3 : 1), le);
    fmt.set([0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 28);
  }
  const fmtBody = spec.fmtBytes !== undefined ? fmt.subarray(0, spec.fmtBytes) : fmt;

  const dataChunk = chunk('data', samples, le);
  const dv = new DataView(dataChunk.buffer);
  if (container === 'RF64') dv.setUint32(4, 0xffffffff, true);
  if (spec.dataSize !== undefined) dv.setUint32(4, spec.dataSize, le);

  const chunks: Uint8Array[] = [];
  if (container === 'RF64') {
    const ds64 = new Uint8Array(28);
    const v = new DataView(ds64.buffer);
    v.setUint32(8, samples.length % 2 ** 32, true);
    v.setUint32(12, Math.floor(samples.length / 2 ** 32), true);
    v.setUint32(16, frames, true);
    chunks.push(chunk('ds64', ds64));
  }
  for (const [id, body] of spec.chunksBeforeFmt ?? []) chunks.push(chunk(id, body, le));
  chunks.push(chunk('fmt ', fmtBody, le));
  for (const [id, body] of spec.chunksBeforeData ?? []) chunks.push(chunk(id, body, le));
  // A data chunk of odd length has its pad byte only when something follows it.
  chunks.push(spec.chunksAfterData?.length ? dataChunk : dataChunk.subarray(0, 8 + samples.length));
  for (const [id, body] of spec.chunksAfterData ?? []) chunks.push(chunk(id, body, le));

  const header = new Uint8Array(12);
  const body = concat(chunks);
  header.set(ascii(container === 'RF64' ? 'RF64' : container), 0);
  new DataView(header.buffer).setUint32(4, container === 'RF64' ? 0xffffffff : 4 + body.length, le);
  header.set(ascii('WAVE'), 8);
  const file = concat([header, body]);
  return spec.cut ? file.subarray(0, file.length - spec.cut) : file;
}

const tone = (frequency: number, amplitude = 0.5, start = 0): Signal => (_c, t) =>
  t < start ? 0 : amplitude * Math.sin(2 * Math.PI * frequency * (t - start));

// ---- measuring the output -----------------------------------------------------------------------------------------

/** Checks the canonical 16 kHz mono 16-bit header and returns the samples scaled to ±1. */
function speechSamples(wav: Uint8Array): Float64Array {
  const v = new DataView(wav.buffer, wav.byteOffset, wav.byteLength);
  const text = (at: number) => String.fromCharCode(...wav.subarray(at, at + 4));
  expect(text(0)).toBe('RIFF');
  expect(v.getUint32(4, true)).toBe(wav.length - 8);
  expect(text(8)).toBe('WAVE');
  expect(text(12)).toBe('fmt ');
  expect(v.getUint32(16, true)).toBe(16);
  expect([v.getUint16(20, true), v.getUint16(22, true), v.getUint32(24, true), v.getUint32(28, true), v.getUint16(32, true), v.getUint16(34, true)])
    .toEqual([1, 1, 16000, 32000, 2, 16]);
  expect(text(36)).toBe('data');
  expect(v.getUint32(40, true)).toBe(wav.length - 44);
  const n = (wav.length - 44) / 2;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = v.getInt16(44 + i * 2, true) / 32768;
  return out;
}

function int16Samples(wav: Uint8Array): Int16Array {
  return new Int16Array(wav.slice(44).buffer);
}

/** Amplitude of the `frequency` component (Hann-windowed Goertzel), over samples [from, to). */
function toneAmplitude(x: Float64Array, rate: number, frequency: number, from = 0, to = x.length): number {
  const coeff = 2 * Math.cos((2 * Math.PI * frequency) / rate);
  let s1 = 0;
  let s2 = 0;
  let windowSum = 0;
  const n = to - from;
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    windowSum += w;
    const s = x[from + i]! * w + coeff * s1 - s2;
    s2 = s1;
    s1 = s;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / windowSum;
}

/** Frequency from the rising zero crossings (interpolated) over samples [from, to). */
function zeroCrossingFrequency(x: Float64Array, rate: number, from = 0, to = x.length): number {
  const crossings: number[] = [];
  for (let i = from + 1; i < to; i++) if (x[i - 1]! < 0 && x[i]! >= 0) crossings.push(i - 1 + x[i - 1]! / (x[i - 1]! - x[i]!));
  expect(crossings.length).toBeGreaterThan(10);
  return ((crossings.length - 1) * rate) / (crossings.at(-1)! - crossings[0]!);
}

function rms(x: Float64Array, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i]! * x[i]!;
  return Math.sqrt(sum / (to - from));
}

const dB = (ratio: number) => 20 * Math.log10(ratio);

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0]!;
}

function refusal(bytes: Uint8Array): AudioFormatError {
  try {
    readWavHeader(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(AudioFormatError);
    expect((error as Error).message).toContain(SUPPORTED_AUDIO_FORMATS);
    return error as AudioFormatError;
  }
  throw new Error('expected an AudioFormatError');
}

// ---- header reading -----------------------------------------------------------------------------------------------

describe('readWavHeader', () => {
  const variants: Array<{ name: string; spec: Partial<WavSpec>; encoding: SampleEncoding; formatTag: number; container?: string }> = [
    { name: '8-bit unsigned PCM', spec: { encoding: 'u8' }, encoding: 'u8', formatTag: 1 },
    { name: '16-bit PCM', spec: { encoding: 's16' }, encoding: 's16', formatTag: 1 },
    { name: '24-bit PCM', spec: { encoding: 's24' }, encoding: 's24', formatTag: 1 },
    { name: '32-bit integer PCM', spec: { encoding: 's32' }, encoding: 's32', formatTag: 1 },
    { name: '32-bit float', spec: { encoding: 'f32' }, encoding: 'f32', formatTag: 3 },
    { name: '64-bit float', spec: { encoding: 'f64' }, encoding: 'f64', formatTag: 3 },
    { name: 'EXTENSIBLE 16-bit PCM', spec: { encoding: 's16', extensible: true }, encoding: 's16', formatTag: 0xfffe },
    { name: 'EXTENSIBLE 20-in-24-bit PCM', spec: { encoding: 's24', extensible: true, validBits: 20 }, encoding: 's24', formatTag: 0xfffe },
    { name: 'EXTENSIBLE 32-bit float', spec: { encoding: 'f32', extensible: true }, encoding: 'f32', formatTag: 0xfffe },
    { name: 'RIFX (big-endian) 16-bit', spec: { encoding: 's16', container: 'RIFX' }, encoding: 's16', formatTag: 1, container: 'RIFX' },
    { name: 'RIFX (big-endian) 24-bit', spec: { encoding: 's24', container: 'RIFX' }, encoding: 's24', formatTag: 1, container: 'RIFX' },
    { name: 'RF64 16-bit', spec: { encoding: 's16', container: 'RF64' }, encoding: 's16', formatTag: 1, container: 'RF64' },
  ];
  for (const variant of variants) {
    it(`reads ${variant.name}`, () => {
      const bytes = buildWav({ rate: 22050, channels: 3, frames: 1001, ...variant.spec });
      const info = readWavHeader(bytes);
      expect(info).toMatchObject({
        encoding: variant.encoding,
        formatTag: variant.formatTag,
        container: variant.container ?? 'RIFF',
        littleEndian: variant.container !== 'RIFX',
        channels: 3,
        sampleRate: 22050,
        frames: 1001,
        frameBytes: 3 * BYTES[variant.encoding],
        dataBytes: 1001 * 3 * BYTES[variant.encoding],
        truncated: false,
      });
      expect(info.dataOffset + info.dataBytes).toBe(bytes.length);
      expect(info.durationMs).toBeCloseTo((1001 / 22050) * 1000, 6);
    });
  }

  it('describes what it found', () => {
    expect(readWavHeader(buildWav({ rate: 44100, channels: 2, seconds: 2.5 })).description).toBe('PCM WAV, 16-bit integer, 2 channels, 44,100 Hz, 2.5 s');
    expect(readWavHeader(buildWav({ rate: 48000, encoding: 'f32', extensible: true, frames: 4800 })).description).toBe(
      'float WAV (WAVE_FORMAT_EXTENSIBLE), 32-bit float, 1 channel, 48,000 Hz, 0.1 s',
    );
    expect(readWavHeader(buildWav({ rate: 8000, encoding: 's24', extensible: true, validBits: 20, frames: 800 }))).toMatchObject({
      validBitsPerSample: 20,
      bitsPerSample: 24,
      description: 'PCM WAV (WAVE_FORMAT_EXTENSIBLE), 20-bit integer in 24-bit slots, 1 channel, 8,000 Hz, 0.1 s',
    });
  });

  it('skips unknown chunks, odd-sized ones with their pad byte, before and after fmt', () => {
    const bytes = buildWav({
      rate: 16000,
      frames: 100,
      chunksBeforeFmt: [['JUNK', new Uint8Array(3)], ['bext', new Uint8Array(17)]],
      chunksBeforeData: [['LIST', ascii('INFOISFT\x05\x00\x00\x00test\x00')], ['fact', new Uint8Array(4)]],
    });
    const info = readWavHeader(bytes);
    expect(info.frames).toBe(100);
    expect(info.dataOffset + info.dataBytes).toBe(bytes.length);
    // The samples are where the header says: the data chunk's id sits 8 bytes before them.
    expect(String.fromCharCode(...bytes.subarray(info.dataOffset - 8, info.dataOffset - 4))).toBe('data');
  });

  it('stops at the data chunk, so chunks after it are not read as samples', () => {
    const info = readWavHeader(buildWav({ rate: 16000, frames: 99, encoding: 'u8', chunksAfterData: [['LIST', new Uint8Array(40)]] }));
    expect(info.frames).toBe(99);
    expect(info.dataBytes).toBe(99);
  });

  it('reads a data size of 0 or 0xFFFFFFFF (streaming writers) as "to the end of the file"', () => {
    for (const dataSize of [0, 0xffffffff]) {
      const info = readWavHeader(buildWav({ rate: 8000, channels: 2, frames: 500, dataSize }));
      expect(info).toMatchObject({ frames: 500, truncated: false });
    }
  });

  it('reads an RF64 data size from its ds64 chunk', () => {
    // The file holds 300 frames but ds64 says 200: the declared size wins when the file has more.
    const bytes = buildWav({ rate: 8000, frames: 300, container: 'RF64' });
    const ds64 = new DataView(bytes.buffer, bytes.byteOffset + 12 + 8);
    ds64.setUint32(8, 200 * 2, true);
    expect(readWavHeader(bytes).frames).toBe(200);
  });

  it('tolerates cut-off data, to the last whole frame', () => {
    const info = readWavHeader(buildWav({ rate: 44100, channels: 2, encoding: 's24', frames: 1000, cut: 6 * 10 + 4 }));
    expect(info).toMatchObject({ frames: 989, dataBytes: 989 * 6, truncated: true });
  });

  it('drops a partial last frame of a streaming file', () => {
    const whole = buildWav({ rate: 8000, channels: 2, frames: 10, dataSize: 0 });
    const info = readWavHeader(concat([whole, new Uint8Array(3)]));
    expect(info).toMatchObject({ frames: 10, dataBytes: 40 });
  });

  it('reads 24-bit samples in 32-bit slots (blockAlign 4 × channels) as 32-bit', () => {
    const info = readWavHeader(buildWav({ rate: 48000, channels: 2, encoding: 's32', bitsPerSample: 24, frames: 10 }));
    expect(info).toMatchObject({ encoding: 's32', bytesPerSample: 4, frames: 10 });
  });

  it('reads the header without touching or copying the samples (a 256 MiB file in well under a millisecond)', () => {
    // Untouched pages of a fresh ArrayBuffer cost nothing; a copy would have to touch all 256 MiB.
    const big = new Uint8Array(256 * 1024 * 1024);
    big.set(buildWav({ rate: 48000, channels: 2, frames: 0 }).subarray(0, 44));
    readWavHeader(big);
    const started = performance.now();
    const info = readWavHeader(big);
    expect(performance.now() - started).toBeLessThan(5);
    expect(info.frames).toBe((big.length - 44) / 4);
  });
});

describe('readWavHeader refusals', () => {
  const wavOf = (spec: Partial<WavSpec>) => buildWav({ rate: 16000, frames: 16, ...spec });

  it('refuses empty and too-short input', () => {
    expect(refusal(new Uint8Array(0)).found).toBe('an empty file');
    expect(refusal(ascii('RIFF')).message).toMatch(/^Unsupported audio: a RIFF header cut off after 4 bytes\. Supported: PCM WAV: 8\/16\/24\/32-bit integer or 32-bit float, any sample rate and channel count\.$/);
  });

  it('names other audio containers', () => {
    const cases: Array<[Uint8Array, RegExp]> = [
      [concat([ascii('ID3'), new Uint8Array([4, 0, 0, 0, 0, 0, 0])]), /an MP3 file \(ID3 tag\)/],
      [new Uint8Array([0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0]), /an MP3 \(MPEG audio\) stream/],
      [new Uint8Array([0xff, 0xf1, 0x50, 0x80, 0, 0, 0, 0]), /an AAC \(ADTS\) stream/],
      [concat([ascii('OggS'), new Uint8Array(8)]), /an Ogg file/],
      [concat([ascii('fLaC'), new Uint8Array(8)]), /a FLAC file/],
      [concat([ascii('FORM'), new Uint8Array(4), ascii('AIFF')]), /an AIFF file/],
      [concat([new Uint8Array(4), ascii('ftypM4A ')]), /an MP4\/M4A file/],
      [new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0, 0, 0, 0]), /a WebM\/Matroska file/],
      [concat([ascii('RIFF'), new Uint8Array(4), ascii('AVI ')]), /a RIFF file of type "AVI ", not WAVE/],
    ];
    for (const [bytes, pattern] of cases) expect(refusal(bytes).message).toMatch(pattern);
  });

  it('refuses garbage, showing its first bytes', () => {
    expect(refusal(ascii('hello, world!')).found).toBe('data that is not a WAV file (first bytes: 68 65 6c 6c 6f 2c 20 77)');
  });

  it('refuses compressed WAVs by name', () => {
    expect(refusal(wavOf({ formatTag: 6, encoding: 'u8' })).found).toBe('a WAV with format tag 0x0006 (A-law)');
    expect(refusal(wavOf({ formatTag: 7, encoding: 'u8' })).found).toBe('a WAV with format tag 0x0007 (µ-law)');
    expect(refusal(wavOf({ formatTag: 2, bitsPerSample: 4 })).found).toBe('a WAV with format tag 0x0002 (Microsoft ADPCM)');
    expect(refusal(wavOf({ formatTag: 0x11, bitsPerSample: 4 })).found).toBe('a WAV with format tag 0x0011 (IMA ADPCM)');
    expect(refusal(wavOf({ formatTag: 0x55 })).found).toBe('a WAV with format tag 0x0055 (MPEG Layer 3 / MP3)');
    expect(refusal(wavOf({ formatTag: 0x1234 })).found).toBe('a WAV with format tag 0x1234 (not PCM)');
    expect(refusal(wavOf({ extensible: true, subFormat: 6, encoding: 'u8' })).found).toBe('a WAVE_FORMAT_EXTENSIBLE WAV with sub-format 0x0006 (A-law)');
  });

  it('refuses an EXTENSIBLE WAV with a foreign sub-format GUID', () => {
    const bytes = wavOf({ extensible: true });
    const fmtBody = 12 + 8;
    bytes[fmtBody + 39] = 0x72; // last GUID byte: no longer …-8000-00AA00389B71
    expect(refusal(bytes).found).toBe('a WAVE_FORMAT_EXTENSIBLE WAV with an unknown sub-format GUID (0100000000001000800000aa00389b72)');
  });

  it('refuses depths and float sizes it cannot read', () => {
    expect(refusal(wavOf({ encoding: 'f32', bitsPerSample: 16, formatTag: 3 })).found).toBe('a 16-bit float WAV');
    expect(refusal(wavOf({ bitsPerSample: 0 })).found).toBe('a 0-bit integer PCM WAV');
    expect(refusal(wavOf({ bitsPerSample: 40 })).found).toBe('a 40-bit integer PCM WAV');
  });

  it('refuses channel counts and rates outside the sane range', () => {
    expect(refusal(wavOf({ channelsField: 0 })).found).toBe('a WAV with 0 channels');
    expect(refusal(wavOf({ channelsField: 65 })).found).toBe('a WAV with 65 channels (at most 64)');
    expect(refusal(wavOf({ rate: 999 })).found).toBe('a WAV at 999 Hz (the rate must be 1,000 to 768,000 Hz)');
    expect(refusal(wavOf({ rate: 768001 })).found).toBe('a WAV at 768,001 Hz (the rate must be 1,000 to 768,000 Hz)');
    expect(readWavHeader(wavOf({ rate: 768000 })).sampleRate).toBe(768000);
    expect(readWavHeader(wavOf({ rate: 1000 })).sampleRate).toBe(1000);
    expect(readWavHeader(buildWav({ rate: 8000, channels: 64, frames: 2 })).channels).toBe(64);
  });

  it('refuses header-only files and files without the chunks it needs', () => {
    expect(refusal(wavOf({ frames: 0 })).found).toBe('a WAV with no samples (header only)');
    expect(refusal(wavOf({ frames: 0, dataSize: 0 })).found).toBe('a WAV with no samples (header only)');
    // One byte of a two-byte frame is no sample either.
    expect(refusal(concat([wavOf({ frames: 0, dataSize: 0 }), new Uint8Array(1)])).found).toBe('a WAV with no samples (header only)');
    const full = wavOf({});
    expect(refusal(full.subarray(0, 12 + 8 + 16)).found).toBe('a WAV header with no data chunk (header only, or cut off before the samples)');
    expect(refusal(full.subarray(0, 12)).found).toBe('a WAV header with no fmt chunk');
    expect(refusal(wavOf({ fmtBytes: 14 })).found).toBe('a WAV whose fmt chunk is too short (14 bytes, at least 16 needed)');
    expect(refusal(wavOf({ extensible: true, fmtBytes: 18 })).found).toBe('a WAVE_FORMAT_EXTENSIBLE WAV whose fmt chunk is too short (18 bytes, 40 needed)');
  });

  it('refuses a data chunk that comes before the fmt chunk', () => {
    const fmtFirst = wavOf({});
    const fmt = fmtFirst.subarray(12, 12 + 24);
    const data = fmtFirst.subarray(36);
    expect(refusal(concat([fmtFirst.subarray(0, 12), data, fmt])).found).toBe('a WAV whose data chunk comes before its fmt chunk');
  });
});

// ---- the plan -----------------------------------------------------------------------------------------------------

describe('planSpeechConversion', () => {
  it('gives the exact size of each upload for a 13-minute stereo 44.1 kHz file, from the header alone', () => {
    // 13 min × 44,100 Hz × 2 channels × 2 bytes; the untouched zero pages cost no memory.
    const frames = 13 * 60 * 44100;
    const bytes = new Uint8Array(44 + frames * 4);
    bytes.set(buildWav({ rate: 44100, channels: 2, frames: 0 }).subarray(0, 44));
    new DataView(bytes.buffer).setUint32(40, frames * 4, true);
    const plan = planSpeechConversion(readWavHeader(bytes));
    expect(plan).toMatchObject({
      channels: [0, 1],
      sampleRate: 16000,
      outputFrames: 13 * 60 * 16000,
      outputBytes: 44 + 13 * 60 * 16000 * 2,
      totalOutputBytes: 2 * (44 + 13 * 60 * 16000 * 2),
      durationMs: 780_000,
      method: 'resample',
    });
    expect(plan.outputBytes).toBe(24_960_044);
  });

  it('rounds the output length to the nearest 16 kHz sample', () => {
    // 1000 frames at 44.1 kHz = 362.81… samples at 16 kHz.
    expect(planSpeechConversion(readWavHeader(buildWav({ rate: 44100, frames: 1000 })))).toMatchObject({ outputFrames: 363, outputBytes: 44 + 726 });
    expect(planSpeechConversion(readWavHeader(buildWav({ rate: 8000, frames: 1001 })))).toMatchObject({ outputFrames: 2002 });
  });

  it('chooses copy, convert or resample', () => {
    const method = (spec: Partial<WavSpec>) => planSpeechConversion(readWavHeader(buildWav({ rate: 16000, frames: 10, ...spec }))).method;
    expect(method({})).toBe('copy');
    expect(method({ extensible: true })).toBe('copy');
    expect(method({ channels: 2 })).toBe('convert');
    expect(method({ encoding: 'f32' })).toBe('convert');
    expect(method({ container: 'RIFX' })).toBe('convert');
    expect(method({ rate: 16001 })).toBe('resample');
  });

  it('selects channels, and refuses ones the file does not have', () => {
    const stereo = readWavHeader(buildWav({ rate: 8000, channels: 2, frames: 10 }));
    expect(planSpeechConversion(stereo, [1]).channels).toEqual([1]);
    expect(planSpeechConversion(stereo, [1, 0]).channels).toEqual([1, 0]);
    const refused = (channels: number[], info = stereo) => {
      try {
        planSpeechConversion(info, channels);
      } catch (error) {
        expect(error).toBeInstanceOf(AudioChannelError);
        expect((error as AudioChannelError).channelCount).toBe(info.channels);
        return (error as Error).message;
      }
      throw new Error('expected an AudioChannelError');
    };
    expect(refused([2])).toBe('Channel 2 does not exist: the file has channels 0 to 1');
    expect(refused([-1])).toBe('Channel -1 does not exist: the file has channels 0 to 1');
    expect(refused([0.5])).toBe('Channel 0.5 does not exist: the file has channels 0 to 1');
    expect(refused([])).toBe('No channel selected; the file has channels 0 to 1');
    expect(refused([1, 1])).toBe('Channel 1 is selected twice');
    expect(refused([1], readWavHeader(buildWav({ rate: 8000, frames: 10 })))).toBe('Channel 1 does not exist: the file has only channel 0');
  });
});

// ---- the converted signal -----------------------------------------------------------------------------------------

/** Converts and checks each output against the plan (exact size, canonical header, duration). */
async function convert(bytes: Uint8Array, channels?: number[], execution: 'auto' | 'worker' | 'inline' = 'auto'): Promise<SpeechPcm[]> {
  const plan = planSpeechConversion(readWavHeader(bytes), channels);
  const results = await convertToSpeechPcm(bytes, channels, { execution });
  expect(results.map((r) => r.channel)).toEqual(plan.channels);
  for (const result of results) {
    expect(result.wav.length).toBe(plan.outputBytes);
    expect(result.durationMs).toBe(plan.durationMs);
    speechSamples(result.wav);
  }
  return results;
}

const EDGE = 800; // 50 ms at 16 kHz: the filter's start and end transients stay out of level measurements

describe('conversion: signal', () => {
  it('keeps a 1 kHz tone at 44.1 kHz at its frequency and level', async () => {
    const { wav } = only(await convert(buildWav({ rate: 44100, seconds: 2, signal: tone(1000, 0.5) })));
    const out = speechSamples(wav);
    expect(Math.abs(zeroCrossingFrequency(out, 16000, EDGE, out.length - EDGE) - 1000)).toBeLessThan(0.5);
    expect(Math.abs(dB(toneAmplitude(out, 16000, 1000, EDGE, out.length - EDGE) / 0.5))).toBeLessThan(0.1);
  });

  it('attenuates a 10 kHz tone at 44.1 kHz (above the 8 kHz Nyquist) by at least 40 dB', async () => {
    const { wav } = only(await convert(buildWav({ rate: 44100, seconds: 2, signal: tone(10000, 0.5) })));
    const out = speechSamples(wav);
    const inputRms = 0.5 / Math.SQRT2;
    expect(dB(rms(out) / inputRms)).toBeLessThan(-40);
    // Without the low-pass it would fold to 16 − 10 = 6 kHz.
    expect(dB(toneAmplitude(out, 16000, 6000, EDGE, out.length - EDGE) / 0.5)).toBeLessThan(-40);
  });

  it('keeps speech-band tones up to 7 kHz and removes those from 8.5 kHz up, from 48 kHz', async () => {
    for (const [frequency, low, high] of [[3000, -0.2, 0.2], [7000, -1, 0.2], [8500, -Infinity, -40], [15000, -Infinity, -40]] as const) {
      const { wav } = only(await convert(buildWav({ rate: 48000, seconds: 1, signal: tone(frequency, 0.5) })));
      const out = speechSamples(wav);
      const level = frequency < 8000 ? dB(toneAmplitude(out, 16000, frequency, EDGE, out.length - EDGE) / 0.5) : dB(rms(out) / (0.5 / Math.SQRT2));
      expect(level, `${frequency} Hz`).toBeGreaterThan(low);
      expect(level, `${frequency} Hz`).toBeLessThan(high);
    }
  });

  it('routes each channel to its own output: a 5 kHz tone in channel 1, silence in channel 0', async () => {
    const bytes = buildWav({ rate: 48000, channels: 2, seconds: 1, signal: (c, t) => (c === 1 ? tone(5000, 0.5)(c, t) : 0) });
    const [first, second] = await convert(bytes);
    expect(first!.channel).toBe(0);
    expect(rms(speechSamples(first!.wav))).toBe(0);
    const out = speechSamples(second!.wav);
    expect(second!.channel).toBe(1);
    expect(Math.abs(dB(toneAmplitude(out, 16000, 5000, EDGE, out.length - EDGE) / 0.5))).toBeLessThan(0.1);
    // Asked for in the other order, the outputs follow the request.
    const swapped = await convert(bytes, [1, 0]);
    expect(swapped.map((r) => r.channel)).toEqual([1, 0]);
    expect(swapped[0]!.wav).toEqual(second!.wav);
    expect(only(await convert(bytes, [1])).wav).toEqual(second!.wav);
  });

  it('picks one channel out of many', async () => {
    const bytes = buildWav({ rate: 22050, channels: 6, seconds: 1, signal: (c, t) => tone(500 + 500 * c, 0.3)(c, t) });
    for (const channel of [0, 3, 5]) {
      const out = speechSamples(only(await convert(bytes, [channel])).wav);
      expect(Math.abs(zeroCrossingFrequency(out, 16000, EDGE, out.length - EDGE) - (500 + 500 * channel))).toBeLessThan(1);
    }
  });

  for (const rate of [8000, 11025, 22050, 44100, 48000, 96000, 192000]) {
    it(`keeps duration and timing from ${rate} Hz`, async () => {
      // Silence, then a 1 kHz tone from 1.000 s to the end (3.000 s).
      const bytes = buildWav({ rate, seconds: 3, signal: tone(1000, 0.5, 1) });
      const { wav, durationMs } = only(await convert(bytes));
      expect(Math.abs(durationMs - 3000) / 3000).toBeLessThan(0.01);
      const out = speechSamples(wav);
      expect(Math.abs(out.length - 48000) / 48000).toBeLessThan(0.01);
      // The onset stays at 1.000 s (no filter delay): the first sample above a quarter of the amplitude.
      const onset = out.findIndex((x) => Math.abs(x) > 0.125);
      expect(Math.abs(onset / 16 - 1000)).toBeLessThan(1);
      expect(Math.abs(zeroCrossingFrequency(out, 16000, 16000 + EDGE, out.length - EDGE) - 1000)).toBeLessThan(0.5);
      expect(Math.abs(dB(toneAmplitude(out, 16000, 1000, 16000 + EDGE, out.length - EDGE) / 0.5))).toBeLessThan(0.1);
    });
  }

  it('resamples from the extremes of the rate range (1 kHz up, 768 kHz down)', async () => {
    const up = speechSamples(only(await convert(buildWav({ rate: 1000, seconds: 2, signal: tone(200, 0.5) }))).wav);
    expect(up.length).toBe(32000);
    expect(Math.abs(zeroCrossingFrequency(up, 16000, EDGE, up.length - EDGE) - 200)).toBeLessThan(0.5);
    const down = speechSamples(only(await convert(buildWav({ rate: 768000, seconds: 1, signal: (c, t) => tone(1000, 0.4)(c, t) + tone(100000, 0.4)(c, t) }))).wav);
    expect(down.length).toBe(16000);
    expect(Math.abs(dB(toneAmplitude(down, 16000, 1000, EDGE, down.length - EDGE) / 0.4))).toBeLessThan(0.1);
    // The 100 kHz tone is gone: what remains is the 1 kHz tone alone.
    expect(Math.abs(dB(rms(down, EDGE, down.length - EDGE) / (0.4 / Math.SQRT2)))).toBeLessThan(0.1);
  });

  it('clips at full scale instead of wrapping around', async () => {
    const loud = buildWav({ rate: 16000, encoding: 'f32', seconds: 0.5, signal: tone(100, 2) });
    const samples = int16Samples(only(await convert(loud)).wav);
    expect(Math.max(...samples)).toBe(32767);
    expect(Math.min(...samples)).toBe(-32768);
    // A 100 Hz tone at twice full scale is a near-square wave: positive half-cycles stay positive.
    expect(samples[40]).toBe(32767);
    expect(samples[120]).toBe(-32768);
    // Resampled overshoot clips too: a full-scale square wave from 44.1 kHz.
    const square = buildWav({ rate: 44100, encoding: 'f32', seconds: 0.5, signal: (_c, t) => (Math.sin(2 * Math.PI * 50 * t) >= 0 ? 1 : -1) });
    const resampled = int16Samples(only(await convert(square)).wav);
    expect(Math.max(...resampled)).toBe(32767);
    expect(Math.min(...resampled)).toBe(-32768);
  });

  it('turns NaN and infinite float samples into silence instead of spreading them', async () => {
    const clean = buildWav({ rate: 44100, encoding: 'f32', seconds: 1, signal: tone(440, 0.5) });
    const dirty = clean.slice();
    const info = readWavHeader(dirty);
    const view = new DataView(dirty.buffer);
    view.setFloat32(info.dataOffset + 4 * 10000, NaN, true);
    view.setFloat32(info.dataOffset + 4 * 30000, Infinity, true);
    const a = speechSamples(only(await convert(clean)).wav);
    const b = speechSamples(only(await convert(dirty)).wav);
    // Away from the two bad samples the outputs agree; a NaN that spread would silence everything after it.
    let differing = 0;
    for (let i = 0; i < a.length; i++) if (Math.abs(a[i]! - b[i]!) > 2 / 32768) differing++;
    expect(differing).toBeLessThan(200);
    expect(rms(b, 8000, 16000 - EDGE)).toBeGreaterThan(0.3);
  });
});

describe('conversion: every sample format gives the 16-bit result, within quantisation', () => {
  const signal: Signal = (c, t) => 0.4 * Math.sin(2 * Math.PI * 440 * t + c) + 0.3 * Math.sin(2 * Math.PI * 3100 * t);
  const reference = async (rate: number) => int16Samples(only(await convert(buildWav({ rate, channels: 2, seconds: 1, signal }), [1])).wav);
  const maxDiff = (a: Int16Array, b: Int16Array) => {
    expect(a.length).toBe(b.length);
    let max = 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
    return max;
  };
  const rmsDiff = (a: Int16Array, b: Int16Array) => {
    let sum = 0;
    for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
    return Math.sqrt(sum / a.length);
  };

  for (const rate of [44100, 16000]) {
    it(`at ${rate} Hz`, async () => {
      const ref = await reference(rate);
      const variants: Array<[string, Partial<WavSpec>, number]> = [
        // [name, spec, largest difference allowed in 16-bit steps]: the 16-bit reference is itself within half a
        // step of the truth, so finer formats land within a step or two; 8-bit within a few 8-bit steps (256 each).
        ['24-bit', { encoding: 's24' }, 2],
        ['32-bit integer', { encoding: 's32' }, 2],
        ['32-bit float', { encoding: 'f32' }, 2],
        ['64-bit float', { encoding: 'f64' }, 2],
        ['EXTENSIBLE 24-bit', { encoding: 's24', extensible: true }, 2],
        ['RIFX 24-bit', { encoding: 's24', container: 'RIFX' }, 2],
        ['RIFX 32-bit float', { encoding: 'f32', container: 'RIFX' }, 2],
        ['RF64 16-bit', { encoding: 's16', container: 'RF64' }, 0],
        ['RIFX 16-bit', { encoding: 's16', container: 'RIFX' }, 0],
        ['8-bit', { encoding: 'u8' }, 3 * 256],
      ];
      for (const [name, spec, allowed] of variants) {
        const out = int16Samples(only(await convert(buildWav({ rate, channels: 2, seconds: 1, signal, ...spec }), [1])).wav);
        expect(maxDiff(out, ref), name).toBeLessThanOrEqual(allowed);
        if (spec.encoding === 'u8') expect(rmsDiff(out, ref), name).toBeLessThan(256 / Math.sqrt(12) * 1.5);
      }
    });
  }

  it('converts a 16 kHz 16-bit channel exactly (no resampling), and copies 16 kHz mono 16-bit samples as they are', async () => {
    const stereo = buildWav({ rate: 16000, channels: 2, seconds: 0.5, signal });
    const info = readWavHeader(stereo);
    const source = new DataView(stereo.buffer, stereo.byteOffset + info.dataOffset);
    const right = int16Samples(only(await convert(stereo, [1])).wav);
    for (let i = 0; i < info.frames; i++) expect(right[i]).toBe(source.getInt16(i * 4 + 2, true));

    // Mono 16 kHz s16le behind a streaming header (data size 0) and extra chunks: same samples, canonical header.
    const mono = buildWav({ rate: 16000, seconds: 0.5, signal, dataSize: 0, chunksBeforeData: [['LIST', new Uint8Array(7)]] });
    const monoInfo = readWavHeader(mono);
    const { wav } = only(await convert(mono));
    expect(wav.subarray(44)).toEqual(mono.subarray(monoInfo.dataOffset));
  });
});

describe('conversion: inputs and execution', () => {
  const stereo = buildWav({ rate: 44100, channels: 2, seconds: 1, signal: (c, t) => tone(c ? 2000 : 700, 0.5)(c, t) });

  it('gives the same bytes inline and in a worker thread', async () => {
    const inline = await convert(stereo, undefined, 'inline');
    const worker = await convert(stereo, undefined, 'worker');
    expect(worker.map((r) => r.wav)).toEqual(inline.map((r) => r.wav));
  });

  it('reads a Blob into shared memory, which the workers then use in place', async () => {
    const shared = await readIntoSharedMemory(new Blob([stereo]));
    expect(shared.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(new Uint8Array(shared)).toEqual(stereo);
    const fromShared = await convert(shared, undefined, 'worker');
    expect(fromShared.map((r) => r.wav)).toEqual((await convert(stereo, undefined, 'inline')).map((r) => r.wav));
  });

  it('accepts a view into a larger buffer (e.g. a pooled Buffer)', async () => {
    const padded = new Uint8Array(stereo.length + 10);
    padded.set(stereo, 7);
    const view = padded.subarray(7, 7 + stereo.length);
    expect((await convert(view, [0], 'worker'))[0]!.wav).toEqual((await convert(stereo, [0], 'inline'))[0]!.wav);
  });

  it('refuses before converting, and stops when aborted', async () => {
    await expect(convertToSpeechPcm(ascii('ID3\x04 not really'))).rejects.toBeInstanceOf(AudioFormatError);
    await expect(convertToSpeechPcm(stereo, [2])).rejects.toBeInstanceOf(AudioChannelError);
    await expect(convertToSpeechPcm(stereo, undefined, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

/**
 * Watches the event loop: the longest stall (perf_hooks.monitorEventLoopDelay), and, where Linux tells a thread's
 * on-CPU and run-queue time (/proc/<pid>/task/<tid>/schedstat, in ns), a 1 ms timer that splits every gap between
 * its ticks into time this thread ran (a synchronous step of ours) and time it waited for a core. On a shared 2-core
 * machine the wall-clock stall includes other processes' turns; what this code is answerable for is the rest.
 */
async function watchEventLoop(): Promise<() => Promise<{ maxDelayMs: number; longestRunMs: number | null; worstGapNetOfWaitMs: number | null }>> {
  const tick = () => new Promise((resolve) => setTimeout(resolve, 20));
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const schedstat = `/proc/${process.pid}/task/${process.pid}/schedstat`;
  const read = () => readFileSync(schedstat, 'utf8').split(' ').map(Number) as [number, number];
  let sampler: NodeJS.Timeout | undefined;
  let longestRunMs: number | null = null;
  let worstGapNetOfWaitMs: number | null = null;
  if (existsSync(schedstat)) {
    longestRunMs = 0;
    worstGapNetOfWaitMs = 0;
    let last = performance.now();
    let [ran, waited] = read();
    sampler = setInterval(() => {
      const now = performance.now();
      const [run, wait] = read();
      longestRunMs = Math.max(longestRunMs!, (run - ran) / 1e6);
      worstGapNetOfWaitMs = Math.max(worstGapNetOfWaitMs!, now - last - (wait - waited) / 1e6);
      [last, ran, waited] = [now, run, wait];
    }, 1);
  }
  await tick(); // a stall before the histogram's first timer would go unrecorded
  return async () => {
    await tick();
    clearInterval(sampler);
    histogram.disable();
    return { maxDelayMs: histogram.max / 1e6, longestRunMs, worstGapNetOfWaitMs };
  };
}

describe('conversion: off the event loop', () => {
  it('converts a large file in worker threads while the event loop stays responsive', async () => {
    // 2 minutes of stereo 48 kHz 16-bit (23 MB): a few hundred ms of resampling per channel.
    const bytes = buildWav({ rate: 48000, channels: 2, seconds: 120, signal: (c, t) => tone(c ? 440 : 880, 0.3)(c, t) });
    await convert(buildWav({ rate: 48000, channels: 2, seconds: 2 }), undefined, 'worker'); // threads started

    const stop = await watchEventLoop();
    const started = performance.now();
    const results = await convertToSpeechPcm(bytes);
    const elapsed = performance.now() - started;
    const loop = await stop();

    expect(results.map((r) => r.wav.length)).toEqual([44 + 120 * 16000 * 2, 44 + 120 * 16000 * 2]);
    // There was something to stall on: the same work inline would hold the loop for all of `elapsed`.
    expect(elapsed).toBeGreaterThan(100);
    const report = JSON.stringify(loop);
    if (loop.longestRunMs === null) {
      expect(loop.maxDelayMs, report).toBeLessThan(50);
    } else {
      // No synchronous step of ours is long, and no stall is long once other processes' turns on our core are
      // taken out. (The raw maxDelayMs is in the message: on a quiet machine it is a few ms.)
      expect(loop.longestRunMs, report).toBeLessThan(20);
      expect(loop.worstGapNetOfWaitMs!, report).toBeLessThan(50);
    }
  });

  it('(control) the same measurement catches inline work of the same kind', async () => {
    // Three minutes, so the inline step's own CPU time stays well above the threshold on a fast machine too (a
    // minute measured 39 ms on-CPU here).
    const bytes = buildWav({ rate: 48000, channels: 1, seconds: 180 });
    const stop = await watchEventLoop();
    await convertToSpeechPcm(bytes, undefined, { execution: 'inline' });
    const loop = await stop();
    expect(loop.maxDelayMs, JSON.stringify(loop)).toBeGreaterThan(50);
    if (loop.longestRunMs !== null) expect(loop.longestRunMs, JSON.stringify(loop)).toBeGreaterThan(50);
  });
});

describe('conversion from the compiled build', () => {
  it('resolves and runs the compiled worker (node, no TypeScript loader)', async () => {
    const run = promisify(execFile);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'audio-build-'));
    try {
      // Compile src/audio with the build's settings; node_modules and "type": "module" make it resolve as dist/ does.
      await writeFile(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          extends: path.join(ROOT, 'tsconfig.build.json'),
          compilerOptions: { rootDir: ROOT, outDir: path.join(dir, 'out'), sourceMap: false },
          include: [path.join(ROOT, 'src/audio')],
        }),
      );
      await writeFile(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      await symlink(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.json')], { cwd: ROOT });

      const input = path.join(dir, 'input.wav');
      await writeFile(input, stereo());
      await writeFile(
        path.join(dir, 'check.mjs'),
        [
          "import { readFileSync } from 'node:fs';",
          "import { createHash } from 'node:crypto';",
          "import { convertToSpeechPcm, closeAudioWorkers } from './out/src/audio/index.js';",
          `const results = await convertToSpeechPcm(new Uint8Array(readFileSync(${JSON.stringify(input)})), undefined, { execution: 'worker' });`,
          "console.log(JSON.stringify(results.map((r) => ({ channel: r.channel, sha256: createHash('sha256').update(r.wav).digest('hex') }))));",
          'await closeAudioWorkers();',
        ].join('\n'),
      );
      // A clean environment: no loader flags inherited from the test runner.
      const { stdout } = await run(process.execPath, [path.join(dir, 'check.mjs')], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
      const expected = (await convert(stereo(), undefined, 'inline')).map((r) => ({ channel: r.channel, sha256: createHash('sha256').update(r.wav).digest('hex') }));
      expect(JSON.parse(stdout)).toEqual(expected);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    function stereo() {
      return buildWav({ rate: 44100, channels: 2, seconds: 1, signal: (c, t) => tone(c ? 2000 : 700, 0.5)(c, t) });
    }
  }, 120_000);
});
