/**
 * One channel of interleaved PCM/float samples → a 16 kHz mono 16-bit little-endian WAV. Runs in a worker thread
 * for anything sizeable (worker.ts), inline for tiny inputs; it is synchronous once the resampler module is loaded.
 *
 * Steps per block: pick the channel's samples out of the frames and scale them to float (±1.0), resample to
 * 16 kHz (Speex's windowed-sinc filter is the anti-aliasing low-pass), round to 16-bit with clipping. No dither:
 * the output feeds a speech model, not a listener, and deterministic output keeps the conversion testable.
 */
import { SPEECH_SAMPLE_RATE } from './plan.js';
import { MonoResampler, loadResamplerModule } from './resampler.js';
import { WAV_HEADER_BYTES, writePcm16WavHeader, type SampleLayout } from './wav.js';
import type { SpeexResamplerModule } from '@echogarden/speex-resampler-wasm/simd';

/** Everything a worker needs for one channel (plain data: it is posted to the worker as is). */
export interface ChannelJob {
  /** The file's sample data only (frames × frameBytes), e.g. a view of a SharedArrayBuffer. */
  samples: Uint8Array;
  layout: SampleLayout;
  frames: number;
  channel: number;
  /** Samples in the output (planSpeechConversion's outputFrames). */
  outputFrames: number;
}

/** Frames per block: big enough to amortise the calls into WASM, small enough to stay in cache. */
const BLOCK_FRAMES = 8192;

export async function convertChannel(job: ChannelJob): Promise<Uint8Array> {
  return convertChannelWith(await loadResamplerModule(), job);
}

export function convertChannelWith(speex: SpeexResamplerModule, job: ChannelJob): Uint8Array {
  const { samples, layout, frames, channel, outputFrames } = job;
  if (channel < 0 || channel >= layout.channels) throw new RangeError(`channel ${channel} of ${layout.channels}`);
  if (samples.length < frames * layout.frameBytes) throw new RangeError(`${frames} frames need ${frames * layout.frameBytes} bytes, got ${samples.length}`);
  const wav = new Uint8Array(WAV_HEADER_BYTES + outputFrames * 2);
  writePcm16WavHeader(wav, SPEECH_SAMPLE_RATE, 1, outputFrames * 2);
  const out = new Pcm16Writer(wav, outputFrames);
  const source = new ChannelReader(samples, layout, channel);

  if (layout.sampleRate === SPEECH_SAMPLE_RATE) {
    const block = new Float32Array(BLOCK_FRAMES);
    for (let first = 0; first < frames; first += BLOCK_FRAMES) {
      const n = Math.min(BLOCK_FRAMES, frames - first);
      source.read(first, n, block);
      out.write(block, n);
    }
    return wav;
  }

  const resampler = new MonoResampler(speex, layout.sampleRate, SPEECH_SAMPLE_RATE, BLOCK_FRAMES);
  try {
    for (let first = 0; first < frames && !out.full; first += BLOCK_FRAMES) {
      const n = Math.min(BLOCK_FRAMES, frames - first);
      source.read(first, n, resampler.input());
      const made = resampler.process(n);
      out.write(made, made.length);
    }
    // The filter still holds the last ~latency input samples: push zeros through until the output is complete.
    const flushFrames = Math.min(BLOCK_FRAMES, resampler.latencyFrames + 64);
    for (let round = 0; !out.full; round++) {
      if (round > 1000) throw new Error(`the resampler stopped short: ${out.written} of ${outputFrames} samples`);
      resampler.input().fill(0, 0, flushFrames);
      const made = resampler.process(flushFrames);
      out.write(made, made.length);
    }
  } finally {
    resampler.destroy();
  }
  return wav;
}

/** Typed-array views read and write the host's byte order; WAV is little-endian (RIFX aside). */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reads one channel of interleaved frames as float in ±1.0 (integers scaled by 2^(bits−1); 8-bit is offset by 128).
 * 16-bit and 32-bit float samples are read through typed-array views when aligned and in host order (about twice
 * as fast as DataView); anything else through DataView.
 */
class ChannelReader {
  private readonly view: DataView;
  private readonly int16: Int16Array | undefined;
  private readonly float32: Float32Array | undefined;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly layout: SampleLayout,
    private readonly channel: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const hostOrder = layout.littleEndian === HOST_IS_LITTLE_ENDIAN;
    if (hostOrder && layout.encoding === 's16' && bytes.byteOffset % 2 === 0)
      this.int16 = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 1);
    if (hostOrder && layout.encoding === 'f32' && bytes.byteOffset % 4 === 0)
      this.float32 = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >> 2);
  }

  read(firstFrame: number, count: number, target: Float32Array): void {
    const { view, bytes, int16, float32 } = this;
    const { frameBytes, bytesPerSample, littleEndian: le, channels } = this.layout;
    let at = firstFrame * frameBytes + this.channel * bytesPerSample;
    switch (this.layout.encoding) {
      case 'u8':
        for (let i = 0; i < count; i++, at += frameBytes) target[i] = (bytes[at]! - 128) / 128;
        break;
      case 's16':
        if (int16) for (let i = 0, k = at >> 1; i < count; i++, k += channels) target[i] = int16[k]! / 32768;
        else for (let i = 0; i < count; i++, at += frameBytes) target[i] = view.getInt16(at, le) / 32768;
        break;
      case 's24':
        // The top byte is sign-extended by the << 24 >> 8 pair.
        if (le) for (let i = 0; i < count; i++, at += frameBytes) target[i] = (bytes[at]! | (bytes[at + 1]! << 8) | ((bytes[at + 2]! << 24) >> 8)) / 8388608;
        else for (let i = 0; i < count; i++, at += frameBytes) target[i] = (((bytes[at]! << 24) >> 8) | (bytes[at + 1]! << 8) | bytes[at + 2]!) / 8388608;
        break;
      case 's32':
        for (let i = 0; i < count; i++, at += frameBytes) target[i] = view.getInt32(at, le) / 2147483648;
        break;
      case 'f32':
        // NaN and ±Infinity would spread through the filter and spoil its neighbours: they become silence.
        if (float32)
          for (let i = 0, k = at >> 2; i < count; i++, k += channels) {
            const v = float32[k]!;
            target[i] = v - v === 0 ? v : 0;
          }
        else
          for (let i = 0; i < count; i++, at += frameBytes) {
            const v = view.getFloat32(at, le);
            target[i] = v - v === 0 ? v : 0;
          }
        break;
      case 'f64':
        for (let i = 0; i < count; i++, at += frameBytes) {
          const v = view.getFloat64(at, le);
          target[i] = v - v === 0 ? v : 0;
        }
        break;
    }
  }
}

/** Writes float samples as 16-bit little-endian PCM after the header, clipping at full scale, up to `capacity`. */
class Pcm16Writer {
  written = 0;
  private readonly view: DataView;
  private readonly int16: Int16Array | undefined;

  constructor(
    wav: Uint8Array,
    private readonly capacity: number,
  ) {
    this.view = new DataView(wav.buffer, wav.byteOffset + WAV_HEADER_BYTES, capacity * 2);
    // About three times faster than DataView.setInt16; the header's 44 bytes keep the samples 2-byte aligned.
    if (HOST_IS_LITTLE_ENDIAN && wav.byteOffset % 2 === 0) this.int16 = new Int16Array(wav.buffer, wav.byteOffset + WAV_HEADER_BYTES, capacity);
  }

  get full(): boolean {
    return this.written >= this.capacity;
  }

  write(source: Float32Array, count: number): void {
    const n = Math.min(count, this.capacity - this.written);
    const { int16, view } = this;
    const first = this.written;
    for (let i = 0; i < n; i++) {
      // Clip (NaN becomes 0), then round half up: floor(v + 0.5) through the integer conversion of a value kept
      // positive, several times faster than Math.round here.
      let v = source[i]! * 32768;
      v = v > 32767 ? 32767 : v < -32768 ? -32768 : v === v ? v : 0;
      const sample = ((v + 32768.5) | 0) - 32768;
      if (int16) int16[first + i] = sample;
      else view.setInt16((first + i) * 2, sample, true);
    }
    this.written += n;
  }
}
