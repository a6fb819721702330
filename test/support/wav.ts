/** Real PCM WAV files for tests: a RIFF header written by hand and a quiet tone per channel. */
export interface WavSpec {
  channels?: number;
  seconds?: number;
  sampleRate?: number;
}

export function pcmWav({ channels = 1, seconds = 2, sampleRate = 8000 }: WavSpec = {}): Uint8Array<ArrayBuffer> {
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
  // A different pitch per channel, so channels are not byte-identical.
  for (let frame = 0; frame < frames; frame++)
    for (let channel = 0; channel < channels; channel++)
      buf.writeInt16LE(Math.round(3000 * Math.sin((2 * Math.PI * (220 * (channel + 1)) * frame) / sampleRate)), 44 + frame * blockAlign + channel * 2);
  return new Uint8Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length)) as Uint8Array<ArrayBuffer>;
}
