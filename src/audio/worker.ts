/**
 * Worker-thread entry (loaded by the pool in pool.ts): converts one channel and hands the WAV back by transfer,
 * not by copy.
 */
import { move } from 'piscina';
import { convertChannel, type ChannelJob } from './convert-channel.js';

export default async function convertChannelInWorker(job: ChannelJob): Promise<Uint8Array> {
  const wav = await convertChannel(job);
  return move(wav) as Uint8Array;
}
