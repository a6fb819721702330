/**
 * The audio Hume v1 accepts (§3.2): signed 16-bit little-endian PCM, 16 kHz, mono, as a WAV file or as raw
 * headerless samples. "The server does not convert audio": anything else is refused with a reason that names
 * what was wrong (channels, rate, sample format), so a client sees why its conversion fell short.
 */
import { endianness } from 'node:os';

export const SAMPLE_RATE = 16_000;
export const BYTES_PER_SAMPLE = 2;

export class AudioFormatError extends Error {}

const WAV_TYPES = new Set(['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave']);
const RAW_TYPES = new Set(['application/octet-stream', 'audio/l16', 'audio/pcm', 'text/plain']);
const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;

/**
 * The samples of an uploaded `file` part. A RIFF/WAVE header is recognised whatever the declared type (clients
 * often send WAV as application/octet-stream); without one the bytes are taken as raw s16le, unless the part
 * claims to be a WAV or another media type.
 */
export function decodeUploadedAudio(data: Buffer, mimeType: string): Int16Array {
  if (isWav(data)) return samplesOf(readWav(data));
  if (WAV_TYPES.has(mimeType)) throw new AudioFormatError('the file part is declared as audio/wav but is not a RIFF/WAVE file');
  if (!RAW_TYPES.has(mimeType)) {
    throw new AudioFormatError(`unsupported audio type ${mimeType}: send a 16 kHz mono 16-bit PCM WAV (audio/wav) or raw s16le samples (application/octet-stream)`);
  }
  if (data.length % BYTES_PER_SAMPLE !== 0) throw new AudioFormatError(`raw s16le audio must have an even number of bytes, got ${data.length}`);
  return samplesOf(data);
}

function isWav(data: Buffer): boolean {
  return data.length >= 12 && data.toString('latin1', 0, 4) === 'RIFF' && data.toString('latin1', 8, 12) === 'WAVE';
}

/** The PCM bytes of the `data` chunk, after checking the `fmt ` chunk says s16le 16 kHz mono. */
function readWav(data: Buffer): Buffer {
  let offset = 12;
  let format: { tag: number; channels: number; rate: number; bits: number } | undefined;
  while (offset + 8 <= data.length) {
    const id = data.toString('latin1', offset, offset + 4);
    const size = data.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > data.length) throw new AudioFormatError('the WAV fmt chunk is truncated');
      let tag = data.readUInt16LE(body);
      if (tag === EXTENSIBLE && size >= 40 && body + 26 <= data.length) tag = data.readUInt16LE(body + 24); // sub-format GUID starts with the tag
      format = { tag, channels: data.readUInt16LE(body + 2), rate: data.readUInt32LE(body + 4), bits: data.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!format) throw new AudioFormatError('the WAV data chunk comes before its fmt chunk');
      checkFormat(format);
      // A streamed WAV may declare 0 or 0xFFFFFFFF; take what is there, whole samples only.
      const available = data.length - body;
      const length = size === 0 || size > available ? available : size;
      return data.subarray(body, body + length - (length % BYTES_PER_SAMPLE));
    }
    offset = body + size + (size % 2); // chunks are padded to even sizes
  }
  throw new AudioFormatError(format ? 'the WAV file has no data chunk' : 'the WAV file has no fmt chunk');
}

function checkFormat(f: { tag: number; channels: number; rate: number; bits: number }): void {
  const problems: string[] = [];
  if (f.tag !== PCM) problems.push(f.tag === IEEE_FLOAT ? `${f.bits}-bit float samples` : `sample format tag ${f.tag}`);
  else if (f.bits !== 16) problems.push(`${f.bits}-bit samples`);
  if (f.channels !== 1) problems.push(`${f.channels} channels`);
  if (f.rate !== SAMPLE_RATE) problems.push(`${f.rate} Hz`);
  if (problems.length > 0) {
    throw new AudioFormatError(`audio must be 16-bit PCM, 16000 Hz, mono; this WAV has ${problems.join(', ')} (the server does not convert audio)`);
  }
}

const LITTLE_ENDIAN = endianness() === 'LE';

/** An aligned copy as Int16Array (a Buffer slice may start at an odd offset). */
export function samplesOf(bytes: Buffer): Int16Array {
  const samples = new Int16Array(bytes.length / BYTES_PER_SAMPLE);
  if (LITTLE_ENDIAN) Buffer.from(samples.buffer).set(bytes.subarray(0, samples.length * BYTES_PER_SAMPLE));
  else for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * BYTES_PER_SAMPLE);
  return samples;
}
