/**
 * WAV header reading for the Phonexia simulator: just enough to know channels, sample rate and duration, so
 * the simulator can reject undecodable media and out-of-range channels/ranges like the appliance would.
 *
 * Supported: `RIFF` (little-endian), `RIFX` (the big-endian variant) and `RF64` (little-endian, sizes in the
 * `ds64` chunk) containers of form type `WAVE`, with a `fmt ` chunk before the `data` chunk. Unknown chunks
 * (`LIST`, `JUNK`, `fact`, …) before `data` are skipped, honouring the pad byte after odd-sized chunks.
 * Anything else is "cannot decode". Sample data is never read: duration = data bytes / byte rate.
 *
 * The reader is incremental so the simulator can feed it an upload while streaming it, without buffering the
 * file: it only keeps chunk headers and the (small) `fmt ` / `ds64` bodies.
 */

export interface WavInfo {
  container: 'RIFF' | 'RIFX' | 'RF64';
  /** 1 = PCM, 3 = IEEE float, 6 = A-law, 7 = µ-law, 0xFFFE = extensible, … (not checked). */
  formatTag: number;
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  byteRate: number;
  blockAlign: number;
  /** Bytes of sample data actually present (declared size clamped to what was uploaded). */
  dataBytes: number;
  durationSeconds: number;
  /**
   * Per channel: whether any sample rose above a quiet floor (for PCM and float data; null when the format is not
   * one the simulator reads samples of). A channel without any is treated as having no speech.
   */
  channelActivity: boolean[] | null;
}

export type MediaProbe = { ok: true; wav: WavInfo } | { ok: false; reason: string };

/** `fmt ` and `ds64` bodies are tiny; a huge one means the file is not what it claims. */
const MAX_HEADER_CHUNK = 65_536;
const UNKNOWN_SIZE = 0xffff_ffff;

interface FmtChunk {
  formatTag: number;
  channels: number;
  sampleRate: number;
  byteRate: number;
  blockAlign: number;
  bitsPerSample: number;
}

export class WavHeaderReader {
  private phase: 'riff' | 'chunks' | 'done' | 'failed' = 'riff';
  private failure = '';
  /** Unparsed bytes; `offset` is the absolute file position of pending[0]. */
  private pending: Buffer = Buffer.alloc(0);
  private offset = 0;
  /** Bytes still to skip (body of an uninteresting chunk, or a pad byte). */
  private skip = 0;
  private container: WavInfo['container'] = 'RIFF';
  private littleEndian = true;
  private fmt: FmtChunk | undefined;
  private ds64DataSize: number | undefined;
  private dataOffset = 0;
  private dataDeclared = 0;
  private activity: ChannelActivity | undefined;

  push(chunk: Buffer): void {
    if (this.phase === 'done') {
      this.activity?.push(chunk);
      return;
    }
    if (this.phase === 'failed') return;
    let input = chunk;
    if (this.skip > 0) {
      const n = Math.min(this.skip, input.length);
      this.skip -= n;
      this.offset += n;
      input = input.subarray(n);
      if (input.length === 0) return;
    }
    this.pending = this.pending.length === 0 ? input : Buffer.concat([this.pending, input]);
    this.parse();
  }

  /** Verdict once the whole file has been seen; `totalBytes` is the file size. */
  finish(totalBytes: number): MediaProbe {
    if (this.phase === 'failed') return { ok: false, reason: this.failure };
    if (this.phase !== 'done') return { ok: false, reason: this.phase === 'riff' ? 'not a RIFF/RIFX/RF64 file' : 'no data chunk' };
    const fmt = this.fmt;
    if (!fmt) return { ok: false, reason: 'no fmt chunk before the data chunk' };
    if (fmt.channels < 1 || fmt.sampleRate < 1 || fmt.byteRate < 1) return { ok: false, reason: 'invalid fmt chunk' };

    let declared = this.dataDeclared;
    if (this.container === 'RF64' && declared === UNKNOWN_SIZE) {
      if (this.ds64DataSize === undefined) return { ok: false, reason: 'RF64 without ds64 chunk' };
      declared = this.ds64DataSize;
    }
    const available = Math.max(0, totalBytes - this.dataOffset);
    // Streaming writers leave 0 or 0xFFFFFFFF in the size; a truncated upload has fewer bytes than declared.
    if (this.container !== 'RF64' && (declared === UNKNOWN_SIZE || declared === 0)) declared = available;
    const dataBytes = Math.min(declared, available);
    return {
      ok: true,
      wav: {
        container: this.container,
        ...fmt,
        dataBytes,
        durationSeconds: dataBytes / fmt.byteRate,
        channelActivity: this.activity?.active ?? null,
      },
    };
  }

  private fail(reason: string): void {
    this.phase = 'failed';
    this.failure = reason;
    this.pending = Buffer.alloc(0);
  }

  private consume(n: number): void {
    this.pending = this.pending.subarray(n);
    this.offset += n;
  }

  private u16(b: Buffer, at: number): number {
    return this.littleEndian ? b.readUInt16LE(at) : b.readUInt16BE(at);
  }

  private u32(b: Buffer, at: number): number {
    return this.littleEndian ? b.readUInt32LE(at) : b.readUInt32BE(at);
  }

  private u64(b: Buffer, at: number): number {
    return Number(this.littleEndian ? b.readBigUInt64LE(at) : b.readBigUInt64BE(at));
  }

  private parse(): void {
    for (;;) {
      if (this.phase === 'riff') {
        if (this.pending.length < 12) return;
        const magic = this.pending.toString('latin1', 0, 4);
        if (magic !== 'RIFF' && magic !== 'RIFX' && magic !== 'RF64') return this.fail('not a RIFF/RIFX/RF64 file');
        if (this.pending.toString('latin1', 8, 12) !== 'WAVE') return this.fail('not a WAVE file');
        this.container = magic;
        this.littleEndian = magic !== 'RIFX';
        this.consume(12);
        this.phase = 'chunks';
        continue;
      }
      if (this.phase !== 'chunks') return;
      if (this.pending.length < 8) return;

      const id = this.pending.toString('latin1', 0, 4);
      const size = this.u32(this.pending, 4);
      const pad = size & 1;
      if (id === 'data') {
        this.dataOffset = this.offset + 8;
        this.dataDeclared = size;
        this.phase = 'done';
        const samples = this.pending.subarray(8);
        this.pending = Buffer.alloc(0);
        if (this.fmt) this.activity = ChannelActivity.for(this.fmt, this.littleEndian);
        if (samples.length > 0) this.activity?.push(samples);
        return;
      }
      if (id === 'fmt ' || id === 'ds64') {
        if (size > MAX_HEADER_CHUNK) return this.fail(`oversized ${id.trim()} chunk`);
        if (this.pending.length < 8 + size) return; // wait for the whole body
        const body = this.pending.subarray(8, 8 + size);
        if (id === 'fmt ') {
          if (size < 16) return this.fail('fmt chunk too short');
          this.fmt = {
            formatTag: this.u16(body, 0),
            channels: this.u16(body, 2),
            sampleRate: this.u32(body, 4),
            byteRate: this.u32(body, 8),
            blockAlign: this.u16(body, 12),
            bitsPerSample: this.u16(body, 14),
          };
        } else {
          if (size < 24) return this.fail('ds64 chunk too short');
          this.ds64DataSize = this.u64(body, 8); // riffSize(8), dataSize(8), sampleCount(8)
        }
        this.consume(8 + size);
        this.skipBytes(pad);
        continue;
      }
      // Unknown chunk: skip its body without buffering it.
      this.consume(8);
      this.skipBytes(size + pad);
    }
  }

  private skipBytes(n: number): void {
    const now = Math.min(n, this.pending.length);
    this.consume(now);
    this.skip = n - now;
  }
}

/**
 * Watches the samples as they stream by for a sample above a quiet floor, per channel: the simulator's stand-in for
 * voice activity detection (a silent channel has no speech). Reads 8/16/24/32-bit PCM and 32-bit float.
 */
class ChannelActivity {
  readonly active: boolean[];
  private carry: Buffer = Buffer.alloc(0);
  private channel = 0;

  private constructor(
    private readonly channels: number,
    private readonly bytesPerSample: number,
    private readonly read: (b: Buffer, at: number) => number,
  ) {
    this.active = Array.from({ length: channels }, () => false);
  }

  /** Above about -50 dBFS. */
  private static readonly FLOOR = 0.003;

  static for(fmt: FmtChunk, littleEndian: boolean): ChannelActivity | undefined {
    const bytes = fmt.bitsPerSample / 8;
    if (fmt.channels < 1 || !Number.isInteger(bytes)) return undefined;
    const float = fmt.formatTag === 3;
    const pcm = fmt.formatTag === 1 || fmt.formatTag === 0xfffe;
    let read: ((b: Buffer, at: number) => number) | undefined;
    if (float && bytes === 4) read = (b, at) => (littleEndian ? b.readFloatLE(at) : b.readFloatBE(at));
    else if (pcm && bytes === 1) read = (b, at) => (b[at]! - 128) / 128;
    else if (pcm && bytes >= 2 && bytes <= 4) read = (b, at) => (littleEndian ? b.readIntLE(at, bytes) : b.readIntBE(at, bytes)) / 2 ** (8 * bytes - 1);
    return read ? new ChannelActivity(fmt.channels, bytes, read) : undefined;
  }

  push(chunk: Buffer): void {
    const input = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = input.length - (input.length % this.bytesPerSample);
    for (let at = 0; at < whole; at += this.bytesPerSample) {
      if (!this.active[this.channel] && Math.abs(this.read(input, at)) > ChannelActivity.FLOOR) this.active[this.channel] = true;
      this.channel = (this.channel + 1) % this.channels;
    }
    this.carry = Buffer.from(input.subarray(whole));
  }
}

/** One-shot probe of a whole file in memory. */
export function probeWav(bytes: Buffer): MediaProbe {
  const reader = new WavHeaderReader();
  reader.push(bytes);
  return reader.finish(bytes.length);
}
