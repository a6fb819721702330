/** The formats the converter reads, for every refusal's message. */
export const SUPPORTED_AUDIO_FORMATS = 'PCM WAV: 8/16/24/32-bit integer or 32-bit float, any sample rate and channel count';

/** The input is not audio the converter can read; the message says what was found and what works. */
export class AudioFormatError extends Error {
  override name = 'AudioFormatError';

  constructor(
    /** What was found, e.g. "an MP3 file" or "a WAV with format tag 0x0006 (A-law)". */
    readonly found: string,
  ) {
    super(`Unsupported audio: ${found}. Supported: ${SUPPORTED_AUDIO_FORMATS}.`);
  }
}

/** A channel selection that the file cannot satisfy (a channel it does not have, a duplicate, an empty list). */
export class AudioChannelError extends RangeError {
  override name = 'AudioChannelError';

  constructor(
    message: string,
    readonly channelCount: number,
  ) {
    super(message);
  }
}
