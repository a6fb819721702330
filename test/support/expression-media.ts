/**
 * Media for Hume expression (v1) tests, built by hand: WAVs whose speech spans are known to the millisecond, and
 * small JPEGs that are structurally complete (and decodable: a flat grey image of any size).
 */

export interface ToneSpan {
  startMs: number;
  endMs: number;
  /** Default 440 Hz. */
  frequency?: number;
  /** Peak amplitude, default 8000 (RMS about 5657, far above any silence threshold). */
  amplitude?: number;
}

/** s16le samples at 16 kHz: tones over the given spans, digital silence elsewhere. */
export function speechSamples(totalMs: number, spans: ToneSpan[], channel = 0): Int16Array {
  const rate = 16_000;
  const samples = new Int16Array(Math.round((totalMs * rate) / 1000));
  for (const span of spans) {
    const from = Math.round((span.startMs * rate) / 1000);
    const to = Math.min(samples.length, Math.round((span.endMs * rate) / 1000));
    const f = (span.frequency ?? 440) + channel * 110;
    const a = span.amplitude ?? 8000;
    for (let i = from; i < to; i++) samples[i] = Math.round(a * Math.sin((2 * Math.PI * f * i) / rate));
  }
  return samples;
}

export const rawPcm = (samples: Int16Array) => Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);

export interface WavFormat {
  rate?: number;
  channels?: number;
  bits?: number;
  /** 1 = PCM, 3 = IEEE float. */
  formatTag?: number;
}

/** A RIFF/WAVE file around the given sample bytes (which are written as they are, whatever the format says). */
export function wavFile(data: Buffer, format: WavFormat = {}): Buffer {
  const rate = format.rate ?? 16_000;
  const channels = format.channels ?? 1;
  const bits = format.bits ?? 16;
  const blockAlign = (channels * bits) / 8;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(format.formatTag ?? 1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * blockAlign, 28);
  header.writeUInt16LE(blockAlign, 32);
  header.writeUInt16LE(bits, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

/** A 16 kHz mono s16le WAV with tones over the spans. */
export const speechWav = (totalMs: number, spans: ToneSpan[]) => wavFile(rawPcm(speechSamples(totalMs, spans)));

export interface JpegSpec {
  width: number;
  height: number;
  /** Goes into a COM segment; also makes otherwise identical images differ. */
  comment?: string;
  /** Extra bytes in APPn segments, to make a large file. */
  paddingBytes?: number;
  /** Leave the EOI marker off. */
  withoutEoi?: boolean;
}

/**
 * A baseline greyscale JPEG: one quantisation table, one-code Huffman tables (DC category 0, AC end-of-block),
 * so every 8x8 block is the two bits `00` and the scan is a run of zero bytes.
 */
export function jpeg(spec: JpegSpec): Buffer {
  const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
  const segment = (marker: number, body: Buffer) => Buffer.concat([Buffer.from([0xff, marker]), u16(body.length + 2), body]);
  const parts: Buffer[] = [Buffer.from([0xff, 0xd8])];
  parts.push(segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0])));
  if (spec.comment !== undefined) parts.push(segment(0xfe, Buffer.from(spec.comment, 'latin1')));
  let padding = spec.paddingBytes ?? 0;
  while (padding > 0) {
    const n = Math.min(padding, 65_000);
    parts.push(segment(0xe1, Buffer.alloc(n, 0x41)));
    padding -= n;
  }
  parts.push(segment(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)])));
  parts.push(segment(0xc0, Buffer.concat([Buffer.from([8]), u16(spec.height), u16(spec.width), Buffer.from([1, 1, 0x11, 0])])));
  const oneCodeTable = (classAndId: number) => Buffer.concat([Buffer.from([classAndId, 1]), Buffer.alloc(15), Buffer.from([0x00])]);
  parts.push(segment(0xc4, oneCodeTable(0x00)), segment(0xc4, oneCodeTable(0x10)));
  parts.push(segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])));
  const bits = 2 * Math.ceil(spec.width / 8) * Math.ceil(spec.height / 8);
  const scan = Buffer.alloc(Math.ceil(bits / 8));
  if (bits % 8 !== 0) scan[scan.length - 1] = (1 << (8 - (bits % 8))) - 1; // pad the last byte with 1 bits
  parts.push(scan);
  if (!spec.withoutEoi) parts.push(Buffer.from([0xff, 0xd9]));
  return Buffer.concat(parts);
}

export interface ToneWavSpec {
  /** Sample rate of the file. Default 16,000. */
  rate?: number;
  /** 8 (unsigned), 16, 24 or 32 (signed integer), or 32 with `float`. Default 16. */
  bits?: 8 | 16 | 24 | 32;
  float?: boolean;
  totalMs: number;
  /** Per channel, the spans with a tone (an empty list: digital silence). */
  channels: ToneSpan[][];
}

/**
 * An interleaved PCM (or IEEE float) WAV of any rate, depth and channel count, with tones over each channel's own
 * spans: a test knows to the millisecond where the speech of every channel is.
 */
export function toneWav(spec: ToneWavSpec): Buffer {
  const rate = spec.rate ?? 16_000;
  const bits = spec.bits ?? 16;
  const bytes = bits / 8;
  const frames = Math.round((spec.totalMs * rate) / 1000);
  const channelCount = spec.channels.length;
  const data = Buffer.alloc(frames * channelCount * bytes);
  spec.channels.forEach((spans, channel) => {
    for (const span of spans) {
      const from = Math.round((span.startMs * rate) / 1000);
      const to = Math.min(frames, Math.round((span.endMs * rate) / 1000));
      const f = span.frequency ?? 440;
      const a = (span.amplitude ?? 8000) / 32768;
      for (let i = from; i < to; i++) {
        const x = a * Math.sin((2 * Math.PI * f * i) / rate); // -1..1
        const at = (i * channelCount + channel) * bytes;
        if (spec.float) data.writeFloatLE(x, at);
        else if (bits === 8) data.writeUInt8(Math.round(128 + x * 127), at);
        else if (bits === 16) data.writeInt16LE(Math.round(x * 32767), at);
        else if (bits === 24) data.writeIntLE(Math.round(x * 8_388_607), at, 3);
        else data.writeInt32LE(Math.round(x * 2_147_483_647), at);
      }
    }
    if (bits === 8)
      for (let i = 0; i < frames; i++) {
        const at = (i * channelCount + channel) * bytes;
        if (data[at] === 0) data[at] = 128; // unsigned 8-bit silence is 128, not 0
      }
  });
  return wavFile(data, { rate, channels: channelCount, bits, formatTag: spec.float ? 3 : 1 });
}

export interface ReadWav {
  formatTag: number;
  channels: number;
  rate: number;
  bits: number;
  /** The data chunk's samples as s16le (only meaningful when bits is 16). */
  samples: Int16Array;
  durationMs: number;
}

/** Reads a WAV's fmt and data chunks (a reading of its own, not the gateway's). */
export function readWav(file: Buffer): ReadWav {
  if (file.toString('latin1', 0, 4) !== 'RIFF' || file.toString('latin1', 8, 12) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let format: Omit<ReadWav, 'samples' | 'durationMs'> | undefined;
  for (let offset = 12; offset + 8 <= file.length; ) {
    const id = file.toString('latin1', offset, offset + 4);
    const size = file.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ')
      format = { formatTag: file.readUInt16LE(body), channels: file.readUInt16LE(body + 2), rate: file.readUInt32LE(body + 4), bits: file.readUInt16LE(body + 14) };
    if (id === 'data') {
      if (!format) throw new Error('data before fmt');
      const bytes = file.subarray(body, body + size);
      const samples = new Int16Array(Math.floor(bytes.length / 2));
      for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2);
      return { ...format, samples, durationMs: (bytes.length * 1000) / (format.rate * format.channels * (format.bits / 8)) };
    }
    offset = body + size + (size & 1);
  }
  throw new Error('no data chunk');
}

/** RMS of s16 samples between two times (16 kHz unless told). */
export function rmsBetween(samples: Int16Array, fromMs: number, toMs: number, rate = 16_000): number {
  const from = Math.max(0, Math.round((fromMs * rate) / 1000));
  const to = Math.min(samples.length, Math.round((toMs * rate) / 1000));
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
  return to > from ? Math.sqrt(sum / (to - from)) : 0;
}
