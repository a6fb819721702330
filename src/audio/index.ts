/**
 * Audio conversion to 16 kHz mono 16-bit speech PCM: WAV header reading, a size plan from the header alone, and
 * the conversion itself (worker threads for anything sizeable). Knows nothing of GraphQL or of any provider.
 */
export { AudioChannelError, AudioFormatError, SUPPORTED_AUDIO_FORMATS } from './errors.js';
export { MAX_CHANNELS, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, readWavHeader, type SampleEncoding, type WavInfo } from './wav.js';
export { planSpeechConversion, SPEECH_SAMPLE_RATE, speechFrameCount, type ConversionPlan } from './plan.js';
export { convertPlanned, convertToSpeechPcm, readIntoSharedMemory, type ConvertOptions, type SpeechPcm } from './convert.js';
export { closeAudioWorkers } from './pool.js';
