/**
 * What a conversion to 16 kHz mono speech PCM will produce, computed from the header alone, so a caller can refuse
 * an oversized file or a missing channel before any sample is touched.
 */
import { AudioChannelError } from './errors.js';
import { WAV_HEADER_BYTES, type WavInfo } from './wav.js';

export const SPEECH_SAMPLE_RATE = 16_000;

export interface ConversionPlan {
  source: WavInfo;
  /** The selected channels (0-based), in the order asked for; each becomes one output. */
  channels: number[];
  sampleRate: typeof SPEECH_SAMPLE_RATE;
  /** Samples in each output. */
  outputFrames: number;
  /** Bytes of each output WAV, 44-byte header included. */
  outputBytes: number;
  /** outputBytes × channels.length. */
  totalOutputBytes: number;
  /** Duration of each output. */
  durationMs: number;
  /**
   * `copy`: already 16 kHz mono 16-bit little-endian, the samples are copied as they are; `convert`: 16 kHz, only
   * de-interleaving and sample conversion; `resample`: another rate, low-pass filtered and resampled.
   */
  method: 'copy' | 'convert' | 'resample';
}

/** Samples at 16 kHz for `frames` samples at `sampleRate` (the converter produces exactly this many). */
export function speechFrameCount(frames: number, sampleRate: number): number {
  return sampleRate === SPEECH_SAMPLE_RATE ? frames : Math.round((frames * SPEECH_SAMPLE_RATE) / sampleRate);
}

/** Checks a channel selection against the file; no selection means every channel. */
export function selectChannels(channelCount: number, channels?: readonly number[]): number[] {
  if (channels === undefined) return Array.from({ length: channelCount }, (_, i) => i);
  const range = channelCount === 1 ? 'only channel 0' : `channels 0 to ${channelCount - 1}`;
  if (channels.length === 0) throw new AudioChannelError(`No channel selected; the file has ${range}`, channelCount);
  const seen = new Set<number>();
  for (const channel of channels) {
    if (!Number.isInteger(channel) || channel < 0 || channel >= channelCount)
      throw new AudioChannelError(`Channel ${channel} does not exist: the file has ${range}`, channelCount);
    if (seen.has(channel)) throw new AudioChannelError(`Channel ${channel} is selected twice`, channelCount);
    seen.add(channel);
  }
  return [...channels];
}

/** Throws AudioChannelError for a selection the file cannot satisfy. */
export function planSpeechConversion(info: WavInfo, channels?: readonly number[]): ConversionPlan {
  const selected = selectChannels(info.channels, channels);
  const outputFrames = speechFrameCount(info.frames, info.sampleRate);
  const outputBytes = WAV_HEADER_BYTES + outputFrames * 2;
  const isSpeechRate = info.sampleRate === SPEECH_SAMPLE_RATE;
  const isSpeechPcm = isSpeechRate && info.channels === 1 && info.encoding === 's16' && info.littleEndian;
  return {
    source: info,
    channels: selected,
    sampleRate: SPEECH_SAMPLE_RATE,
    outputFrames,
    outputBytes,
    totalOutputBytes: outputBytes * selected.length,
    durationMs: (outputFrames * 1000) / SPEECH_SAMPLE_RATE,
    method: isSpeechPcm ? 'copy' : isSpeechRate ? 'convert' : 'resample',
  };
}
