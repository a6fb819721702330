/**
 * Any readable PCM/float WAV → one 16 kHz mono 16-bit little-endian WAV per selected channel.
 *
 * Where the work happens, so that no synchronous step holds the event loop for more than a few milliseconds:
 * - already 16 kHz mono s16le: the samples are copied behind a fresh header, in slices;
 * - tiny inputs (INLINE_MAX_FRAMES in, INLINE_MAX_OUTPUT_FRAMES out, per channel): converted inline, one channel
 *   per step, which is quicker than a worker round trip;
 * - everything else: one worker task per channel, in parallel across cores. The workers read the input in place
 *   from shared memory: an input already backed by a SharedArrayBuffer (readIntoSharedMemory) is not copied at
 *   all; any other is copied once, in slices, into shared memory — never once per channel.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { convertChannelWith, type ChannelJob } from './convert-channel.js';
import { planSpeechConversion, SPEECH_SAMPLE_RATE, type ConversionPlan } from './plan.js';
import { audioWorkerPool } from './pool.js';
import { loadResamplerModule } from './resampler.js';
import { readWavHeader, WAV_HEADER_BYTES, writePcm16WavHeader } from './wav.js';

export interface SpeechPcm {
  /** The source channel (0-based). */
  channel: number;
  /** A 16 kHz mono 16-bit little-endian PCM WAV with a 44-byte header. */
  wav: Uint8Array;
  durationMs: number;
}

export interface ConvertOptions {
  /**
   * `auto` (default): inline for tiny inputs, worker threads otherwise; `worker` / `inline` force one (tests,
   * benchmarks). Inputs that are already 16 kHz mono s16le are copied inline either way.
   */
  execution?: 'auto' | 'worker' | 'inline';
  /** Aborts queued and running worker tasks. */
  signal?: AbortSignal;
}

/**
 * Inputs this small convert inline: a channel of up to 16,384 frames in and 8,192 samples out takes about a
 * millisecond at any rate (measured: 44.1 kHz 1.1 ms, 768 kHz 0.5 ms, 1 kHz upsampled to 8,192 samples ~1 ms).
 * The output bound matters for low rates: 16,384 frames at 1 kHz are 262,144 samples out, 18 ms.
 */
export const INLINE_MAX_FRAMES = 16_384;
export const INLINE_MAX_OUTPUT_FRAMES = 8_192;

/** Bytes copied between two yields to the event loop: under a millisecond, page faults of fresh memory included. */
const COPY_SLICE_BYTES = 1024 * 1024;

/**
 * Converts every selected channel (default: all) to 16 kHz mono speech PCM, in the order selected. Throws
 * AudioFormatError for an unreadable input and AudioChannelError for a bad selection, before converting anything.
 */
export async function convertToSpeechPcm(bytes: Uint8Array, channels?: readonly number[], options: ConvertOptions = {}): Promise<SpeechPcm[]> {
  const plan = planSpeechConversion(readWavHeader(bytes), channels);
  return convertPlanned(bytes, plan, options);
}

/** convertToSpeechPcm for a plan already made from this input's header (saves reading it twice). */
export async function convertPlanned(bytes: Uint8Array, plan: ConversionPlan, options: ConvertOptions = {}): Promise<SpeechPcm[]> {
  const { source } = plan;
  const { signal } = options;
  signal?.throwIfAborted();
  const samples = bytes.subarray(source.dataOffset, source.dataOffset + source.dataBytes);
  const done = (channel: number, wav: Uint8Array): SpeechPcm => ({ channel, wav, durationMs: plan.durationMs });

  if (plan.method === 'copy') {
    const wav = new Uint8Array(plan.outputBytes);
    writePcm16WavHeader(wav, SPEECH_SAMPLE_RATE, 1, source.dataBytes);
    await copyInSlices(wav, WAV_HEADER_BYTES, samples, signal);
    return [done(0, wav)];
  }

  const job = (channel: number, data: Uint8Array): ChannelJob => ({
    samples: data,
    layout: {
      encoding: source.encoding,
      channels: source.channels,
      sampleRate: source.sampleRate,
      bytesPerSample: source.bytesPerSample,
      frameBytes: source.frameBytes,
      littleEndian: source.littleEndian,
    },
    frames: source.frames,
    channel,
    outputFrames: plan.outputFrames,
  });

  const execution = options.execution ?? 'auto';
  const tiny = source.frames <= INLINE_MAX_FRAMES && plan.outputFrames <= INLINE_MAX_OUTPUT_FRAMES;
  if (execution === 'inline' || (execution === 'auto' && tiny)) {
    const speex = await loadResamplerModule();
    const results: SpeechPcm[] = [];
    for (const channel of plan.channels) {
      signal?.throwIfAborted();
      results.push(done(channel, convertChannelWith(speex, job(channel, samples))));
      await yieldToEventLoop();
    }
    return results;
  }

  const shared = isShared(samples) ? samples : await copyToSharedMemory(samples, signal);
  const pool = audioWorkerPool();
  return Promise.all(plan.channels.map(async (channel) => done(channel, await pool.run(job(channel, shared), signal ? { signal } : {}))));
}

function isShared(bytes: Uint8Array): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && bytes.buffer instanceof SharedArrayBuffer;
}

async function copyInSlices(target: Uint8Array, targetOffset: number, source: Uint8Array, signal?: AbortSignal): Promise<void> {
  for (let offset = 0; offset < source.length; offset += COPY_SLICE_BYTES) {
    if (offset > 0) {
      await yieldToEventLoop();
      signal?.throwIfAborted();
    }
    target.set(source.subarray(offset, offset + COPY_SLICE_BYTES), targetOffset + offset);
  }
}

async function copyToSharedMemory(source: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
  const shared = new Uint8Array(new SharedArrayBuffer(source.length));
  await copyInSlices(shared, 0, source, signal);
  return shared;
}

/**
 * Reads a Blob (e.g. an uploaded File) straight into shared memory, so that convertToSpeechPcm hands it to the
 * worker threads without a copy.
 */
export async function readIntoSharedMemory(blob: Blob): Promise<Uint8Array> {
  const bytes = new Uint8Array(new SharedArrayBuffer(blob.size));
  const reader = blob.stream().getReader();
  let offset = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (offset + value.length > bytes.length) throw new Error(`the blob yielded more than its size of ${blob.size} bytes`);
    bytes.set(value, offset);
    offset += value.length;
  }
  if (offset !== bytes.length) throw new Error(`the blob yielded ${offset} of its ${blob.size} bytes`);
  return bytes;
}
