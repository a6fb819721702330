/**
 * Deterministic sparse score arrays (§3.5, §8): `{name, probability}` with names from one vocabulary,
 * probabilities 0..1 rounded to 4 decimals, only the scores that pass the array's own cutoff, sorted by
 * descending probability (ties in vocabulary order). The same seed always gives the same array.
 *
 * Cutoffs and array sizes are the simulator's own (UNVERIFIED upstream): real arrays are "sparse", nothing more
 * is documented.
 */
import { createHash } from 'node:crypto';

export interface Score {
  name: string;
  probability: number;
}

export interface SparseSpec {
  /** How many scores pass the cutoff: from min to max, picked by the seed. */
  min: number;
  max: number;
  /** Every listed probability is at least this. */
  cutoff: number;
}

export const AUDIO_EXPRESSION_SPEC: SparseSpec = { min: 3, max: 12, cutoff: 0.05 };
export const VOICE_ATTRIBUTE_SPEC: SparseSpec = { min: 3, max: 8, cutoff: 0.2 };
export const FACE_EXPRESSION_SPEC: SparseSpec = { min: 3, max: 10, cutoff: 0.05 };
export const FACE_DESCRIPTION_SPEC: SparseSpec = { min: 1, max: 5, cutoff: 0.1 };

/** mulberry32: small, fast and good enough to spread scores; seeded from 4 bytes of a digest. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One seed per array: the same audio gives different expressions and voice attributes. */
export function seedFor(seed: Buffer, purpose: string): number {
  return createHash('sha256').update(seed).update(purpose).digest().readUInt32LE(0);
}

const REAL_NAME_SHARE = 0.75;
const realIndexCache = new WeakMap<readonly string[], number[]>();

/** Positions of the names that are not placeholders (labels.ts marks those `(simulated NN)`). */
function realIndexes(vocabulary: readonly string[]): number[] {
  let indexes = realIndexCache.get(vocabulary);
  if (!indexes) {
    indexes = vocabulary.flatMap((name, i) => (name.includes('(simulated') ? [] : [i]));
    realIndexCache.set(vocabulary, indexes);
  }
  return indexes;
}

export function sparseScores(seed: number, vocabulary: readonly string[], spec: SparseSpec): Score[] {
  const next = random(seed);
  const count = Math.min(vocabulary.length, spec.min + Math.floor(next() * (spec.max - spec.min + 1)));
  const real = realIndexes(vocabulary);
  const picked = new Set<number>();
  while (picked.size < count) {
    // Mostly documented names, so answers read like real ones; placeholders still show up.
    const fromReal = real.length > 0 && picked.size < real.length && next() < REAL_NAME_SHARE;
    picked.add(fromReal ? real[Math.floor(next() * real.length)]! : Math.floor(next() * vocabulary.length));
  }
  // A leading score, then a decay: real outputs usually have one or two clear winners.
  let p = 0.45 + next() * 0.53;
  const scores: Array<Score & { index: number }> = [];
  for (const index of picked) {
    const probability = Math.max(spec.cutoff, Math.round(p * 10_000) / 10_000);
    scores.push({ index, name: vocabulary[index]!, probability });
    p = spec.cutoff + (p - spec.cutoff) * (0.5 + next() * 0.45);
  }
  scores.sort((a, b) => b.probability - a.probability || a.index - b.index);
  return scores.map(({ name, probability }) => ({ name, probability }));
}

/** The two arrays of one audio measurement, each from its own seed. */
export function audioScores(seed: Buffer, vocabularies: { audioExpressions: readonly string[]; voiceAttributes: readonly string[] }) {
  return {
    expressions: sparseScores(seedFor(seed, 'expressions'), vocabularies.audioExpressions, AUDIO_EXPRESSION_SPEC),
    voice_attributes: sparseScores(seedFor(seed, 'voice_attributes'), vocabularies.voiceAttributes, VOICE_ATTRIBUTE_SPEC),
  };
}
