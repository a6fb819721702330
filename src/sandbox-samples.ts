/**
 * Sample media for sandbox mode. GraphiQL cannot attach files, so in sandbox mode (only) the `File` scalar also
 * accepts the name of a built-in sample, e.g. `file: "sample:stereo-call.wav"`, and the gateway makes the file.
 * Outside sandbox mode a string is refused like any other non-upload.
 */
let samplesEnabled = false;

export function enableSandboxSamples(): void {
  samplesEnabled = true;
}

/** A real 16-bit PCM WAV with a quiet tone per channel (a different pitch each, so channels differ). */
export function pcmWav({ channels = 1, seconds = 2, sampleRate = 8000 }: { channels?: number; seconds?: number; sampleRate?: number } = {}): Uint8Array<ArrayBuffer> {
  const blockAlign = channels * 2;
  const frames = Math.round(seconds * sampleRate);
  const dataBytes = frames * blockAlign;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'latin1');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'latin1');
  buf.write('fmt ', 12, 'latin1');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * blockAlign, 28);
  buf.writeUInt16LE(blockAlign, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'latin1');
  buf.writeUInt32LE(dataBytes, 40);
  for (let frame = 0; frame < frames; frame++)
    for (let channel = 0; channel < channels; channel++)
      buf.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * (220 * (channel + 1)) * frame) / sampleRate)), 44 + frame * blockAlign + channel * 2);
  return new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length)) as Uint8Array<ArrayBuffer>;
}

const samples: Record<string, () => File> = {
  'sample:stereo-call.wav': () => new File([pcmWav({ channels: 2, seconds: 12 })], 'stereo-call.wav', { type: 'audio/wav' }),
  'sample:mono-memo.wav': () => new File([pcmWav({ channels: 1, seconds: 6 })], 'mono-memo.wav', { type: 'audio/wav' }),
};

export const sandboxSampleNames = Object.keys(samples);

/** The sample a string names, in sandbox mode; undefined otherwise. */
export function sandboxSample(value: unknown): File | undefined {
  return samplesEnabled && typeof value === 'string' ? samples[value]?.() : undefined;
}
