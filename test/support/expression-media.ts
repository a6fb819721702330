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
