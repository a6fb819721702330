/**
 * WAV header reading: RIFF/WAVE (little-endian), RIFX (big-endian) and RF64/BW64 (64-bit sizes in a `ds64`
 * chunk), with the chunk walk that streaming writers and odd files need. Hand-written because it is a few dozen
 * lines of DataView reads, while the npm WAV libraries (wavefile, node-wav) decode or copy every sample as they
 * read: here only the header is read, and the samples are located, not copied.
 */
import { AudioFormatError } from './errors.js';

/** How one sample is stored: unsigned 8-bit, signed 16/24/32-bit integer, or 32/64-bit IEEE float. */
export type SampleEncoding = 'u8' | 's16' | 's24' | 's32' | 'f32' | 'f64';

/** What a decoder needs to read the interleaved samples (plain data: it crosses to worker threads as is). */
export interface SampleLayout {
  encoding: SampleEncoding;
  channels: number;
  sampleRate: number;
  /** Bytes per sample in the file (the container: 24-bit audio in 32-bit slots reads as 4). */
  bytesPerSample: number;
  /** Bytes per frame: one sample of every channel. */
  frameBytes: number;
  littleEndian: boolean;
}

export interface WavInfo extends SampleLayout {
  container: 'RIFF' | 'RIFX' | 'RF64';
  /** 1 (PCM), 3 (IEEE float) or 0xFFFE (WAVE_FORMAT_EXTENSIBLE with a PCM or float sub-format). */
  formatTag: number;
  /** The fmt chunk's bits per sample (the container size for WAVE_FORMAT_EXTENSIBLE). */
  bitsPerSample: number;
  /** The significant bits (WAVE_FORMAT_EXTENSIBLE's wValidBitsPerSample; else bitsPerSample). */
  validBitsPerSample: number;
  /** Offset of the first sample in the file. */
  dataOffset: number;
  /** Bytes of whole frames from dataOffset (a partial last frame is left out). */
  dataBytes: number;
  frames: number;
  durationMs: number;
  /** The data chunk declared more bytes than the file holds (a cut-off upload): read to the last whole frame. */
  truncated: boolean;
  /** e.g. "PCM WAV, 16-bit integer, 2 channels, 44,100 Hz, 12.5 s". */
  description: string;
}

export const MIN_SAMPLE_RATE = 1_000;
export const MAX_SAMPLE_RATE = 768_000;
export const MAX_CHANNELS = 64;

/** Size of the canonical header written by writePcm16WavHeader. */
export const WAV_HEADER_BYTES = 44;

const FORMAT_PCM = 0x0001;
const FORMAT_FLOAT = 0x0003;
const FORMAT_EXTENSIBLE = 0xfffe;

/** The last 12 bytes of every KSDATAFORMAT_SUBTYPE_* GUID derived from a format tag (…-0000-0010-8000-00AA00389B71). */
const SUBTYPE_GUID_TAIL = [0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

const FORMAT_TAG_NAMES: Record<number, string> = {
  0x0000: 'unknown',
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MPEG Layer 3 / MP3',
  0x00ff: 'AAC',
  0x0161: 'Windows Media Audio',
  0x1610: 'HE-AAC',
  0xf1ac: 'FLAC',
};

const ENCODING_NAMES: Record<SampleEncoding, string> = {
  u8: '8-bit integer',
  s16: '16-bit integer',
  s24: '24-bit integer',
  s32: '32-bit integer',
  f32: '32-bit float',
  f64: '64-bit float',
};

function fourcc(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset]!, bytes[offset + 1]!, bytes[offset + 2]!, bytes[offset + 3]!);
}

const hex4 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`;
const count = (n: number) => n.toLocaleString('en-US');

/** Names what a non-WAV input looks like, for the refusal message. */
function describeNonWav(bytes: Uint8Array): string {
  const at = (offset: number) => (bytes.length >= offset + 4 ? fourcc(bytes, offset) : '');
  const b0 = bytes[0] ?? 0;
  const b1 = bytes[1] ?? 0;
  if (at(0).startsWith('ID3')) return 'an MP3 file (ID3 tag)';
  if (b0 === 0xff && (b1 & 0xf6) === 0xf0) return 'an AAC (ADTS) stream';
  if (b0 === 0xff && (b1 & 0xe0) === 0xe0) return 'an MP3 (MPEG audio) stream';
  if (at(0) === 'OggS') return 'an Ogg file (Vorbis or Opus)';
  if (at(0) === 'fLaC') return 'a FLAC file';
  if (at(0) === 'FORM' && (at(8) === 'AIFF' || at(8) === 'AIFC')) return 'an AIFF file';
  if (at(4) === 'ftyp') return 'an MP4/M4A file';
  if (b0 === 0x1a && b1 === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3) return 'a WebM/Matroska file';
  if (at(0) === '.snd') return 'a Sun/NeXT AU file';
  if (at(0).startsWith('#!AM')) return 'an AMR file';
  if (['RIFF', 'RIFX', 'RF64', 'BW64'].includes(at(0))) {
    if (bytes.length < 12) return `a ${at(0)} header cut off after ${bytes.length} bytes`;
    return `a RIFF file of type "${at(8).replace(/[^\x20-\x7e]/g, '?')}", not WAVE`;
  }
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `data that is not a WAV file (first bytes: ${head})`;
}

interface FmtChunk {
  formatTag: number;
  layout: SampleLayout;
  bitsPerSample: number;
  validBitsPerSample: number;
}

function parseFmt(view: DataView, bytes: Uint8Array, body: number, size: number, littleEndian: boolean): FmtChunk {
  if (size < 16) throw new AudioFormatError(`a WAV whose fmt chunk is too short (${size} bytes, at least 16 needed)`);
  if (body + 16 > bytes.length) throw new AudioFormatError('a WAV cut off inside its fmt chunk');
  const formatTag = view.getUint16(body, littleEndian);
  const channels = view.getUint16(body + 2, littleEndian);
  const sampleRate = view.getUint32(body + 4, littleEndian);
  const blockAlign = view.getUint16(body + 12, littleEndian);
  const bitsPerSample = view.getUint16(body + 14, littleEndian);

  let sampleFormat = formatTag;
  let validBitsPerSample = bitsPerSample;
  if (formatTag === FORMAT_EXTENSIBLE) {
    if (size < 40 || body + 40 > bytes.length)
      throw new AudioFormatError(`a WAVE_FORMAT_EXTENSIBLE WAV whose fmt chunk is too short (${size} bytes, 40 needed)`);
    validBitsPerSample = view.getUint16(body + 18, littleEndian) || bitsPerSample;
    const subFormat = view.getUint32(body + 24, littleEndian);
    const tail = bytes.subarray(body + 28, body + 40);
    if (subFormat > 0xffff || !SUBTYPE_GUID_TAIL.every((b, i) => tail[i] === b)) {
      const guid = Array.from(bytes.subarray(body + 24, body + 40), (b) => b.toString(16).padStart(2, '0')).join('');
      throw new AudioFormatError(`a WAVE_FORMAT_EXTENSIBLE WAV with an unknown sub-format GUID (${guid})`);
    }
    sampleFormat = subFormat;
  }
  if (sampleFormat !== FORMAT_PCM && sampleFormat !== FORMAT_FLOAT) {
    const name = FORMAT_TAG_NAMES[sampleFormat] ?? 'not PCM';
    throw new AudioFormatError(
      formatTag === FORMAT_EXTENSIBLE
        ? `a WAVE_FORMAT_EXTENSIBLE WAV with sub-format ${hex4(sampleFormat)} (${name})`
        : `a WAV with format tag ${hex4(formatTag)} (${name})`,
    );
  }
  if (channels === 0) throw new AudioFormatError('a WAV with 0 channels');
  if (channels > MAX_CHANNELS) throw new AudioFormatError(`a WAV with ${channels} channels (at most ${MAX_CHANNELS})`);
  if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE)
    throw new AudioFormatError(`a WAV at ${count(sampleRate)} Hz (the rate must be ${count(MIN_SAMPLE_RATE)} to ${count(MAX_SAMPLE_RATE)} Hz)`);

  let encoding: SampleEncoding;
  let bytesPerSample: number;
  if (sampleFormat === FORMAT_FLOAT) {
    if (bitsPerSample !== 32 && bitsPerSample !== 64) throw new AudioFormatError(`a ${bitsPerSample}-bit float WAV`);
    encoding = bitsPerSample === 32 ? 'f32' : 'f64';
    bytesPerSample = bitsPerSample / 8;
  } else {
    if (bitsPerSample < 1 || bitsPerSample > 32) throw new AudioFormatError(`a ${bitsPerSample}-bit integer PCM WAV`);
    // Samples are left-justified in their container, so 12-bit audio reads as 16-bit and 24-bit audio in 32-bit
    // slots (blockAlign = 4 × channels) reads as 32-bit. A blockAlign that fits neither is a writer's mistake:
    // the bit depth decides then.
    const minBytes = Math.ceil(bitsPerSample / 8);
    const fromBlockAlign = blockAlign / channels;
    bytesPerSample = Number.isInteger(fromBlockAlign) && fromBlockAlign >= minBytes && fromBlockAlign <= 4 ? fromBlockAlign : minBytes;
    encoding = (['u8', 's16', 's24', 's32'] as const)[bytesPerSample - 1]!;
  }
  return {
    formatTag,
    bitsPerSample,
    validBitsPerSample,
    layout: { encoding, channels, sampleRate, bytesPerSample, frameBytes: bytesPerSample * channels, littleEndian },
  };
}

/**
 * Reads a WAV header and locates its samples, without copying them. Throws AudioFormatError for anything that is not
 * a PCM or float WAV the converter can read (another container, a compressed WAV, an empty or header-only file).
 */
export function readWavHeader(bytes: Uint8Array): WavInfo {
  if (bytes.length === 0) throw new AudioFormatError('an empty file');
  const magic = bytes.length >= 4 ? fourcc(bytes, 0) : '';
  const wave = bytes.length >= 12 && fourcc(bytes, 8) === 'WAVE';
  if (!wave) throw new AudioFormatError(describeNonWav(bytes));
  const container = magic === 'RIFF' ? 'RIFF' : magic === 'RIFX' ? 'RIFX' : magic === 'RF64' || magic === 'BW64' ? 'RF64' : null;
  if (!container) throw new AudioFormatError(describeNonWav(bytes));
  const littleEndian = container !== 'RIFX';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  let fmt: FmtChunk | undefined;
  let ds64DataBytes: number | undefined;
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const id = fourcc(bytes, offset);
    const size = view.getUint32(offset + 4, littleEndian);
    const body = offset + 8;
    if (id === 'ds64' && container === 'RF64') {
      // riffSize (64), dataSize (64), sampleCount (64), table…
      if (size >= 16 && body + 16 <= bytes.length)
        ds64DataBytes = view.getUint32(body + 8, true) + view.getUint32(body + 12, true) * 2 ** 32;
    } else if (id === 'fmt ') {
      fmt = parseFmt(view, bytes, body, size, littleEndian);
    } else if (id === 'data') {
      if (!fmt) throw new AudioFormatError('a WAV whose data chunk comes before its fmt chunk');
      return describeData(container, fmt, body, size, ds64DataBytes, bytes.length);
    }
    // Chunks are padded to an even size; the pad byte is not counted in `size`.
    offset = body + size + (size & 1);
  }
  if (!fmt) throw new AudioFormatError('a WAV header with no fmt chunk');
  throw new AudioFormatError('a WAV header with no data chunk (header only, or cut off before the samples)');
}

function describeData(
  container: WavInfo['container'],
  fmt: FmtChunk,
  dataOffset: number,
  declaredSize: number,
  ds64DataBytes: number | undefined,
  fileBytes: number,
): WavInfo {
  const available = fileBytes - dataOffset;
  let declared: number | null = declaredSize;
  if (declaredSize === 0xffffffff) declared = container === 'RF64' && ds64DataBytes !== undefined ? ds64DataBytes : null;
  // Streaming writers leave the size at 0 or 0xFFFFFFFF ("unknown"): the samples run to the end of the file.
  if (declared === 0) declared = null;
  const { layout } = fmt;
  const bytes = declared === null ? available : Math.min(declared, available);
  const frames = Math.floor(bytes / layout.frameBytes);
  if (frames === 0) throw new AudioFormatError('a WAV with no samples (header only)');
  const durationMs = (frames * 1000) / layout.sampleRate;
  const kind = fmt.formatTag === FORMAT_EXTENSIBLE ? 'WAV (WAVE_FORMAT_EXTENSIBLE)' : 'WAV';
  const bits = fmt.validBitsPerSample < fmt.bitsPerSample && layout.encoding !== 'f32' && layout.encoding !== 'f64'
    ? `${fmt.validBitsPerSample}-bit integer in ${layout.bytesPerSample * 8}-bit slots`
    : ENCODING_NAMES[layout.encoding];
  const description =
    `${layout.encoding.startsWith('f') ? 'float' : 'PCM'} ${kind}${container === 'RIFF' ? '' : ` (${container})`}, ${bits}, ` +
    `${layout.channels} channel${layout.channels === 1 ? '' : 's'}, ${count(layout.sampleRate)} Hz, ${(durationMs / 1000).toFixed(1)} s`;
  return {
    ...layout,
    container,
    formatTag: fmt.formatTag,
    bitsPerSample: fmt.bitsPerSample,
    validBitsPerSample: fmt.validBitsPerSample,
    dataOffset,
    dataBytes: frames * layout.frameBytes,
    frames,
    durationMs,
    truncated: declared !== null && declared > available,
    description,
  };
}

/** Writes the canonical 44-byte header of a little-endian 16-bit PCM WAV holding `dataBytes` bytes of samples. */
export function writePcm16WavHeader(target: Uint8Array, sampleRate: number, channels: number, dataBytes: number): void {
  const view = new DataView(target.buffer, target.byteOffset, WAV_HEADER_BYTES);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < 4; i++) target[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, FORMAT_PCM, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * 2, true);
  view.setUint16(32, channels * 2, true);
  view.setUint16(34, 16, true);
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
}
