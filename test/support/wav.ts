/** Real PCM WAV files for tests (the same generator the sandbox's sample files use). */
export { pcmWav } from '../../src/sandbox-samples.js';
export type WavSpec = NonNullable<Parameters<typeof import('../../src/sandbox-samples.js').pcmWav>[0]>;
