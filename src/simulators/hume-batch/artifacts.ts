/**
 * Artifacts ZIP of the Hume batch simulator. The real layout is undocumented (§2.6); this mirrors what third-party
 * importers expect closely enough: exactly one top-level directory `<job_id>/` (Hume's own test asserts one
 * entry) holding `csv/<file-stem>/<model>.csv`, one CSV per model and analysed file.
 */
import { zipSync, type Zippable } from 'fflate';
import {
  BURST_DESCRIPTIONS_67,
  EMOTIONS_48,
  FACE_DESCRIPTIONS_27,
  FACS_36,
  LANGUAGE_EMOTIONS_53,
  SENTIMENT_9,
  TOXICITY_6,
} from './labels.js';
import { modelsFor, type JobPlan, type ModelName, type ModelOutput, type Score } from './predictions.js';

type Row = Record<string, unknown>;
interface Table {
  header: string[];
  row(groupId: string, prediction: Row): unknown[];
}

const num = (value: unknown) => (typeof value === 'number' ? value : '');
const interval = (value: unknown): { begin?: unknown; end?: unknown } => (value && typeof value === 'object' ? value : {});
const scoreValues = (value: unknown, width: number): unknown[] =>
  Array.isArray(value) ? (value as Score[]).map((s) => s.score) : new Array<string>(width).fill('');

/** CSV layout per model; optional score families get columns only when the job requested them. */
function tableFor(name: ModelName, plan: JobPlan): Table {
  switch (name) {
    case 'face': {
      const face = plan.models.face!;
      return {
        header: ['Id', 'Frame', 'Time', 'Probability', 'FaceX0', 'FaceY0', 'FaceWidth', 'FaceHeight', ...EMOTIONS_48,
          ...(face.facs ? FACS_36 : []), ...(face.descriptions ? FACE_DESCRIPTIONS_27 : [])],
        row: (id, p) => {
          const box = (p.box ?? {}) as Record<string, unknown>;
          return [id, p.frame, p.time, p.prob, box.x, box.y, box.w, box.h, ...scoreValues(p.emotions, 48),
            ...(face.facs ? scoreValues(p.facs, 36) : []), ...(face.descriptions ? scoreValues(p.descriptions, 27) : [])];
        },
      };
    }
    case 'facemesh':
      return { header: ['Id', ...EMOTIONS_48], row: (id, p) => [id, ...scoreValues(p.emotions, 48)] };
    case 'burst':
      return {
        header: ['Id', 'BeginTime', 'EndTime', ...EMOTIONS_48, ...BURST_DESCRIPTIONS_67],
        row: (id, p) => [id, interval(p.time).begin, interval(p.time).end, ...scoreValues(p.emotions, 48), ...scoreValues(p.descriptions, 67)],
      };
    case 'prosody':
      return {
        header: ['Id', 'Text', 'BeginTime', 'EndTime', 'Confidence', 'SpeakerConfidence', ...EMOTIONS_48],
        row: (id, p) => [id, p.text ?? '', interval(p.time).begin, interval(p.time).end, num(p.confidence), num(p.speaker_confidence),
          ...scoreValues(p.emotions, 48)],
      };
    case 'language': {
      const language = plan.models.language!;
      return {
        header: ['Id', 'Text', 'BeginPosition', 'EndPosition', 'BeginTime', 'EndTime', 'Confidence', 'SpeakerConfidence',
          ...LANGUAGE_EMOTIONS_53, ...(language.sentiment ? SENTIMENT_9 : []), ...(language.toxicity ? TOXICITY_6 : [])],
        row: (id, p) => [id, p.text, interval(p.position).begin, interval(p.position).end, num(interval(p.time).begin),
          num(interval(p.time).end), num(p.confidence), num(p.speaker_confidence), ...scoreValues(p.emotions, 53),
          ...(language.sentiment ? scoreValues(p.sentiment, 9) : []), ...(language.toxicity ? scoreValues(p.toxicity, 6) : [])],
      };
    }
    case 'ner':
      return {
        header: ['Id', 'Entity', 'BeginPosition', 'EndPosition', 'EntityConfidence', 'Support', 'Uri', 'LinkWord', 'BeginTime',
          'EndTime', ...LANGUAGE_EMOTIONS_53],
        row: (id, p) => [id, p.entity, interval(p.position).begin, interval(p.position).end, p.entity_confidence, p.support, p.uri,
          p.link_word, num(interval(p.time).begin), num(interval(p.time).end), ...scoreValues(p.emotions, 53)],
      };
  }
}

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvOf(table: Table, output: ModelOutput): Uint8Array {
  const chunks: Buffer[] = [];
  let lines: string[] = [table.header.map(csvCell).join(',')];
  let pending = 0;
  for (const group of output.groups) {
    for (const prediction of group.predictions()) {
      const line = table.row(group.id, prediction).map(csvCell).join(',');
      lines.push(line);
      pending += line.length;
      if (pending >= 1 << 20) {
        chunks.push(Buffer.from(lines.join('\n') + '\n'));
        lines = [];
        pending = 0;
      }
    }
  }
  chunks.push(Buffer.from(lines.length ? lines.join('\n') + '\n' : ''));
  return Buffer.concat(chunks);
}

/** Path-safe directory name for a prediction's `file` (extension dropped, no `..` or absolute parts). */
function stemOf(file: string): string {
  const safe = file
    .split(/[\\/]+/)
    .filter((part) => part !== '' && part !== '.' && part !== '..')
    .join('/');
  return safe.replace(/\.(tar\.(gz|bz2|xz)|[^./]+)$/i, '') || 'file';
}

/** The ZIP served by `GET …/artifacts`. */
export function buildArtifactsZip(jobId: string, plan: JobPlan): Buffer {
  const entries: Zippable = { [`${jobId}/`]: new Uint8Array(0) };
  const usedStems = new Set<string>();
  for (const source of plan.sources) {
    if (source.error !== undefined) continue;
    for (const item of source.items) {
      if (item.error !== undefined) continue;
      // Several sources may share a name (e.g. every raw text is "text"): number the repeats.
      let stem = stemOf(item.file);
      for (let n = 2; usedStems.has(stem); n++) stem = `${stemOf(item.file)}-${n}`;
      usedStems.add(stem);
      for (const [name, output] of modelsFor(plan, item)) {
        entries[`${jobId}/csv/${stem}/${name}.csv`] = csvOf(tableFor(name, plan), output);
      }
    }
  }
  // Level 1: CSVs of long media are large and speed matters more than ratio here.
  return Buffer.from(zipSync(entries, { level: 1 }));
}
