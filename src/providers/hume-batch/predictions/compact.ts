/**
 * The compact form of a job's predictions: per group of predictions, one typed array per numeric field and one
 * score matrix per score list (emotions, facs, descriptions, sentiment, toxicity) with its labels once, instead of
 * an object per prediction and per score. Built from the parsed answer (in a worker thread, see worker.ts), sent to
 * the event loop by transfer, and read there one prediction at a time (series.ts).
 *
 * Every value is the provider's own: numbers are kept as float64, except score matrices, which are float32 only
 * when every score in them survives that exactly (checked value by value, see `encodeScores`).
 */
import type {
  HumeFileError,
  HumeModelsPredictions,
  HumePredictions,
  HumeScore,
  HumeSource,
  HumeTranscriptionMetadata,
} from '../wire.js';

export type ModelName = keyof HumeModelsPredictions;
export const MODEL_NAMES: readonly ModelName[] = ['face', 'burst', 'prosody', 'language', 'ner', 'facemesh'];

/** One score list per prediction, the labels once. */
export interface CompactScores {
  labels: string[];
  /** predictions × labels, row-major. Rows of predictions without the list, or with an irregular one, are unused. */
  values: Float32Array | Float64Array;
  /**
   * Null: `values` holds the provider's numbers exactly. Otherwise the scores are decimals with this many places,
   * stored as float32: score = round(value × 10^decimals) / 10^decimals gives each back exactly.
   */
  decimals: number | null;
  /** Per prediction: ABSENT, REGULAR or IRREGULAR; null when every prediction has a regular list. */
  kinds: Uint8Array | null;
  /** Lists that are not `labels` in that order (or not all numbers), kept as given, by prediction index. */
  irregular: Map<number, HumeScore[]>;
}

export const ABSENT = 0;
export const REGULAR = 1;
export const IRREGULAR = 2;

/** The predictions of one group: numeric fields (NaN where null or absent), strings and score lists, by field. */
export interface CompactColumns {
  length: number;
  numbers: Record<string, Float64Array>;
  strings: Record<string, Array<string | null>>;
  scores: Record<string, CompactScores>;
}

export interface CompactGroup {
  label: string;
  columns: CompactColumns;
}

export interface CompactModel {
  metadata: HumeTranscriptionMetadata | null;
  groups: CompactGroup[];
}

export interface CompactFile {
  file: string;
  fileType: string | null;
  models: Partial<Record<ModelName, CompactModel>>;
}

export interface CompactSource {
  source: HumeSource;
  error: string | null;
  files: CompactFile[] | null;
  errors: HumeFileError[];
}

export type CompactPredictions = CompactSource[];

// ---- which fields each model has ---------------------------------------------------------------------------------

type Wire = Record<string, unknown>;
type Interval = { begin?: unknown; end?: unknown } | null | undefined;

interface Layout {
  numbers: Record<string, (p: Wire) => unknown>;
  strings: Record<string, (p: Wire) => unknown>;
  scores: string[];
}

const begin = (key: string) => (p: Wire) => (p[key] as Interval)?.begin;
const end = (key: string) => (p: Wire) => (p[key] as Interval)?.end;
const field = (key: string) => (p: Wire) => p[key];
const fields = (...keys: string[]) => Object.fromEntries(keys.map((key) => [key, field(key)]));

/** The columns of each model; series.ts reads them back under the same names. */
export const LAYOUTS: Record<ModelName, Layout> = {
  face: {
    numbers: {
      ...fields('frame', 'time', 'prob'),
      x: (p) => (p.box as Wire | undefined)?.x,
      y: (p) => (p.box as Wire | undefined)?.y,
      w: (p) => (p.box as Wire | undefined)?.w,
      h: (p) => (p.box as Wire | undefined)?.h,
    },
    strings: {},
    scores: ['emotions', 'facs', 'descriptions'],
  },
  burst: { numbers: { begin: begin('time'), end: end('time') }, strings: {}, scores: ['emotions', 'descriptions'] },
  prosody: {
    numbers: { begin: begin('time'), end: end('time'), ...fields('confidence', 'speaker_confidence') },
    strings: fields('text'),
    scores: ['emotions'],
  },
  language: {
    numbers: {
      positionBegin: begin('position'),
      positionEnd: end('position'),
      begin: begin('time'),
      end: end('time'),
      ...fields('confidence', 'speaker_confidence'),
    },
    strings: fields('text'),
    scores: ['emotions', 'sentiment', 'toxicity'],
  },
  ner: {
    numbers: {
      positionBegin: begin('position'),
      positionEnd: end('position'),
      begin: begin('time'),
      end: end('time'),
      ...fields('entity_confidence', 'support', 'confidence', 'speaker_confidence'),
    },
    strings: fields('entity', 'uri', 'link_word'),
    scores: ['emotions'],
  },
  facemesh: { numbers: {}, strings: {}, scores: ['emotions'] },
};

// ---- building ----------------------------------------------------------------------------------------------------

const POWERS = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8];
const MAX_DECIMALS = POWERS.length - 1;

/**
 * Float32 only when lossless: either every score is a float32 value already (a model's float32 output printed in
 * full), or every score is a decimal of at most MAX_DECIMALS places that rounding its float32 brings back exactly.
 * Otherwise float64. Only rows in `used` are looked at.
 */
export function encodeScores(values: Float64Array, used: (row: number) => boolean, width: number): Pick<CompactScores, 'values' | 'decimals'> {
  const rows = width === 0 ? 0 : values.length / width;
  let float32Exact = true;
  let decimals = 0;
  for (let row = 0; row < rows; row++) {
    if (!used(row)) continue;
    for (let k = row * width, stop = k + width; k < stop; k++) {
      const value = values[k]!;
      if (float32Exact && Math.fround(value) !== value) float32Exact = false;
      // A decimal with d places also has d + 1, so the places needed only grow.
      while (decimals <= MAX_DECIMALS && Math.round(value * POWERS[decimals]!) / POWERS[decimals]! !== value) decimals++;
      if (!float32Exact && decimals > MAX_DECIMALS) return { values, decimals: null };
    }
  }
  if (float32Exact) return { values: Float32Array.from(values), decimals: null };
  const narrow = Float32Array.from(values);
  const power = POWERS[decimals]!;
  for (let row = 0; row < rows; row++) {
    if (!used(row)) continue;
    for (let k = row * width, stop = k + width; k < stop; k++) if (Math.round(narrow[k]! * power) / power !== values[k]) return { values, decimals: null };
  }
  return { values: narrow, decimals };
}

function isRegular(list: HumeScore[], labels: string[]): boolean {
  if (list.length !== labels.length) return false;
  for (let j = 0; j < list.length; j++) {
    const entry = list[j]!;
    if (entry.name !== labels[j] || typeof entry.score !== 'number') return false;
  }
  return true;
}

function compactScores(predictions: Wire[], key: string): CompactScores {
  const n = predictions.length;
  let labels: string[] | null = null;
  for (const p of predictions) {
    const list = p[key];
    if (Array.isArray(list) && list.every((s: HumeScore) => typeof s?.name === 'string' && typeof s.score === 'number')) {
      labels = (list as HumeScore[]).map((s) => s.name);
      break;
    }
  }
  labels ??= [];
  const width = labels.length;
  const wide = new Float64Array(n * width);
  const kinds = new Uint8Array(n);
  const irregular = new Map<number, HumeScore[]>();
  let allRegular = true;
  for (let i = 0; i < n; i++) {
    const list = predictions[i]![key] as HumeScore[] | null | undefined;
    if (list === null || list === undefined) {
      kinds[i] = ABSENT;
      allRegular = false;
    } else if (isRegular(list, labels)) {
      kinds[i] = REGULAR;
      for (let j = 0, base = i * width; j < width; j++) wide[base + j] = list[j]!.score;
    } else {
      kinds[i] = IRREGULAR;
      irregular.set(i, list);
      allRegular = false;
    }
  }
  const encoded = encodeScores(wide, (row) => kinds[row] === REGULAR, width);
  return { labels, ...encoded, kinds: allRegular ? null : kinds, irregular };
}

const asNumber = (value: unknown) => (typeof value === 'number' ? value : NaN);
const asString = (value: unknown) => (typeof value === 'string' ? value : null);

export function compactColumns(model: ModelName, predictions: Wire[]): CompactColumns {
  const layout = LAYOUTS[model];
  const n = predictions.length;
  const numbers: Record<string, Float64Array> = {};
  for (const [name, read] of Object.entries(layout.numbers)) {
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = asNumber(read(predictions[i]!));
    numbers[name] = column;
  }
  const strings: Record<string, Array<string | null>> = {};
  for (const [name, read] of Object.entries(layout.strings)) strings[name] = predictions.map((p) => asString(read(p)));
  const scores: Record<string, CompactScores> = {};
  for (const key of layout.scores) scores[key] = compactScores(predictions, key);
  return { length: n, numbers, strings, scores };
}

/** The whole answer in compact form. Pure: runs in the worker, and anywhere else a test wants it. */
export function compactPredictions(wire: HumePredictions): CompactPredictions {
  return wire.map((entry) => ({
    source: entry.source,
    error: entry.error ?? null,
    errors: entry.results?.errors ?? [],
    files:
      entry.results?.predictions.map((prediction) => {
        const models: Partial<Record<ModelName, CompactModel>> = {};
        for (const name of MODEL_NAMES) {
          const output = prediction.models[name];
          if (!output) continue;
          models[name] = {
            metadata: output.metadata ?? null,
            groups: output.grouped_predictions.map((group) => ({
              label: group.id,
              columns: compactColumns(name, group.predictions as unknown as Wire[]),
            })),
          };
        }
        return { file: prediction.file, fileType: prediction.file_type ?? null, models };
      }) ?? null,
  }));
}

/** The typed arrays' buffers, to send the compact form by transfer rather than by copy. */
export function transferables(compact: CompactPredictions): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  forEachColumns(compact, (columns) => {
    for (const array of Object.values(columns.numbers)) buffers.push(array.buffer as ArrayBuffer);
    for (const scores of Object.values(columns.scores)) {
      buffers.push(scores.values.buffer as ArrayBuffer);
      if (scores.kinds) buffers.push(scores.kinds.buffer as ArrayBuffer);
    }
  });
  return buffers;
}

function forEachColumns(compact: CompactPredictions, visit: (columns: CompactColumns) => void): void {
  for (const source of compact) for (const file of source.files ?? []) for (const model of Object.values(file.models)) for (const group of model.groups) visit(group.columns);
}

/** Bytes held by the compact form (typed arrays exactly; strings and small objects estimated), to bound the cache. */
export function compactBytes(compact: CompactPredictions): number {
  const OBJECT = 64;
  const text = (value: string | null) => OBJECT / 2 + (value === null ? 0 : value.length * 2);
  let bytes = OBJECT;
  for (const source of compact) {
    bytes += OBJECT * 4 + JSON.stringify(source.source).length * 2 + text(source.error);
    for (const error of source.errors) bytes += OBJECT + text(error.file) + text(error.message);
  }
  forEachColumns(compact, (columns) => {
    bytes += OBJECT * 8;
    for (const array of Object.values(columns.numbers)) bytes += array.byteLength;
    for (const list of Object.values(columns.strings)) for (const value of list) bytes += 8 + text(value);
    for (const scores of Object.values(columns.scores)) {
      bytes += OBJECT * 4 + scores.values.byteLength + (scores.kinds?.byteLength ?? 0);
      for (const label of scores.labels) bytes += text(label);
      for (const list of scores.irregular.values()) bytes += OBJECT + list.length * (OBJECT + 24);
    }
  });
  return bytes;
}
