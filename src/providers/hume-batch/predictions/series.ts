/**
 * Prediction series over the compact form: `at(i)` materialises one prediction (its score objects included) when
 * a page asks for it, and `select()` finds a time window by binary search when the group's times are in order,
 * which they are in every answer Hume documents (a scan of the time columns otherwise).
 */
import type {
  BurstPrediction,
  FacePrediction,
  FacemeshPrediction,
  IndexSelection,
  LanguagePrediction,
  NerPrediction,
  PredictionSeries,
  ProsodyPrediction,
  TimeInterval,
} from '../../../domain/predictions.js';
import type { Score } from '../../../domain/scores.js';
import { ABSENT, IRREGULAR, type CompactColumns, type CompactScores, type ModelName } from './compact.js';

const orNull = (value: number) => (Number.isNaN(value) ? null : value);

function scoresAt(scores: CompactScores | undefined, i: number): Score[] | null {
  if (!scores) return null;
  const kind = scores.kinds ? scores.kinds[i] : undefined;
  if (kind === ABSENT) return null;
  if (kind === IRREGULAR) return scores.irregular.get(i)!.map(({ name, score }) => ({ name, score }));
  const { labels, values, decimals } = scores;
  const width = labels.length;
  const out: Score[] = new Array(width);
  const base = i * width;
  if (decimals === null) for (let j = 0; j < width; j++) out[j] = { name: labels[j]!, score: values[base + j]! };
  else {
    const power = 10 ** decimals;
    for (let j = 0; j < width; j++) out[j] = { name: labels[j]!, score: Math.round(values[base + j]! * power) / power };
  }
  return out;
}

/** Reads one prediction of a model out of its columns. */
type Materialise<P> = (columns: CompactColumns, i: number) => P;

const interval = (c: CompactColumns, i: number): TimeInterval | null => {
  const begin = c.numbers.begin![i]!;
  return Number.isNaN(begin) ? null : { begin, end: c.numbers.end![i]! };
};
const position = (c: CompactColumns, i: number) => ({ begin: c.numbers.positionBegin![i]!, end: c.numbers.positionEnd![i]! });
const text = (c: CompactColumns, key: string, i: number) => c.strings[key]![i]!;

const face: Materialise<FacePrediction> = (c, i) => ({
  frame: c.numbers.frame![i]!,
  time: c.numbers.time![i]!,
  prob: c.numbers.prob![i]!,
  box: { x: c.numbers.x![i]!, y: c.numbers.y![i]!, w: c.numbers.w![i]!, h: c.numbers.h![i]! },
  emotions: scoresAt(c.scores.emotions, i) ?? [],
  facs: scoresAt(c.scores.facs, i),
  descriptions: scoresAt(c.scores.descriptions, i),
});

const burst: Materialise<BurstPrediction> = (c, i) => ({
  time: interval(c, i)!,
  emotions: scoresAt(c.scores.emotions, i) ?? [],
  descriptions: scoresAt(c.scores.descriptions, i),
});

const prosody: Materialise<ProsodyPrediction> = (c, i) => ({
  text: text(c, 'text', i),
  time: interval(c, i)!,
  confidence: orNull(c.numbers.confidence![i]!),
  speakerConfidence: orNull(c.numbers.speaker_confidence![i]!),
  emotions: scoresAt(c.scores.emotions, i) ?? [],
});

const language: Materialise<LanguagePrediction> = (c, i) => ({
  text: text(c, 'text', i)!,
  position: position(c, i),
  time: interval(c, i),
  confidence: orNull(c.numbers.confidence![i]!),
  speakerConfidence: orNull(c.numbers.speaker_confidence![i]!),
  emotions: scoresAt(c.scores.emotions, i) ?? [],
  sentiment: scoresAt(c.scores.sentiment, i),
  toxicity: scoresAt(c.scores.toxicity, i),
});

const ner: Materialise<NerPrediction> = (c, i) => ({
  entity: text(c, 'entity', i)!,
  position: position(c, i),
  entityConfidence: c.numbers.entity_confidence![i]!,
  support: c.numbers.support![i]!,
  uri: text(c, 'uri', i)!,
  linkWord: text(c, 'link_word', i)!,
  time: interval(c, i),
  confidence: orNull(c.numbers.confidence![i]!),
  speakerConfidence: orNull(c.numbers.speaker_confidence![i]!),
  emotions: scoresAt(c.scores.emotions, i) ?? [],
});

const facemesh: Materialise<FacemeshPrediction> = (c, i) => ({ emotions: scoresAt(c.scores.emotions, i) ?? [] });

export interface ModelPredictionTypes {
  face: FacePrediction;
  burst: BurstPrediction;
  prosody: ProsodyPrediction;
  language: LanguagePrediction;
  ner: NerPrediction;
  facemesh: FacemeshPrediction;
}

const MATERIALISE: { [M in ModelName]: Materialise<ModelPredictionTypes[M]> } = { face, burst, prosody, language, ner, facemesh };

/** The time columns a model's window is judged on: a face is a point in time, facemesh has none. */
function timesOf(model: ModelName, c: CompactColumns): { begins: Float64Array; ends: Float64Array } | null {
  if (model === 'facemesh') return null;
  if (model === 'face') return { begins: c.numbers.time!, ends: c.numbers.time! };
  return { begins: c.numbers.begin!, ends: c.numbers.end! };
}

function nonDecreasing(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i - 1]! <= values[i]!)) return false;
  return values.length === 0 || !Number.isNaN(values[0]!);
}

/** The first index whose value is above `limit` (or at or above it, when `inclusive`), in a non-decreasing array. */
function boundary(values: Float64Array, limit: number, inclusive: boolean): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const v = values[mid]!;
    if (inclusive ? v < limit : v <= limit) low = mid + 1;
    else high = mid;
  }
  return low;
}

const everything = (length: number): IndexSelection => ({ length, at: (k) => k });
const range = (start: number, stop: number): IndexSelection => ({ length: Math.max(0, stop - start), at: (k) => start + k });

export class CompactSeries<M extends ModelName> implements PredictionSeries<ModelPredictionTypes[M]> {
  private readonly times: { begins: Float64Array; ends: Float64Array } | null;
  /** Whether begins and ends are both in order (then a window is one contiguous range); decided on first use. */
  private ordered: boolean | undefined;

  constructor(
    private readonly model: M,
    private readonly columns: CompactColumns,
  ) {
    this.times = timesOf(model, columns);
  }

  get length(): number {
    return this.columns.length;
  }

  at(index: number): ModelPredictionTypes[M] {
    if (!(index >= 0 && index < this.columns.length)) throw new RangeError(`prediction ${index} of ${this.columns.length}`);
    return MATERIALISE[this.model](this.columns, index);
  }

  select(from: number | null, to: number | null): IndexSelection {
    if (from === null && to === null) return everything(this.columns.length);
    if (!this.times) return range(0, 0);
    const { begins, ends } = this.times;
    const lower = from ?? -Infinity;
    const upper = to ?? Infinity;
    this.ordered ??= nonDecreasing(begins) && nonDecreasing(ends);
    // Overlapping [lower, upper]: ending at or after lower and beginning at or before upper.
    if (this.ordered) return range(boundary(ends, lower, true), boundary(begins, upper, false));
    const kept: number[] = [];
    for (let i = 0; i < begins.length; i++) if (ends[i]! >= lower && begins[i]! <= upper) kept.push(i);
    const indices = Int32Array.from(kept);
    return { length: indices.length, at: (k) => indices[k]! };
  }
}
