/**
 * Deterministic prediction generation for the Hume batch simulator.
 *
 * A job is first *planned* (sources → media items with kind and duration, cheap, done at creation so the job
 * state can report counts), and its predictions are *generated* lazily from the plan. Every score comes from a
 * seeded PRNG keyed by (source seed, file, model, group, index), so the same input always yields the same output
 * and a frame keeps its scores whatever `fps_pred` samples around it.
 *
 * Generation streams one prediction object at a time (generators) so a 3-hour video neither builds one huge
 * object tree nor one huge string: `serializePredictions` writes JSON in ~1 MB Buffer chunks, and the artifacts
 * writer walks the same generators to produce CSVs.
 */
import {
  BURST_DESCRIPTIONS_67,
  EMOTIONS_48,
  FACE_DESCRIPTIONS_27,
  FACS_36,
  LANGUAGE_EMOTIONS_53,
  SENTIMENT_9,
  TOXICITY_6,
} from './labels.js';

// ---------------------------------------------------------------------------------------------------------------
// Normalised request (exactly what job details echo back)

export type Granularity = 'word' | 'sentence' | 'utterance' | 'conversational_turn';
export type Unconfigurable = Record<string, unknown>;

export interface FaceConfig {
  fps_pred: number;
  prob_threshold: number;
  identify_faces: boolean;
  min_face_size: number;
  facs: Unconfigurable | null;
  descriptions: Unconfigurable | null;
  save_faces: boolean;
}
export interface WindowConfig {
  length: number;
  step: number;
}
export interface ProsodyConfig {
  granularity: Granularity;
  window: WindowConfig | null;
  identify_speakers: boolean;
}
export interface LanguageConfig {
  granularity: Granularity;
  sentiment: Unconfigurable | null;
  toxicity: Unconfigurable | null;
  identify_speakers: boolean;
}
export interface NerConfig {
  identify_speakers: boolean;
}
export interface ModelsConfig {
  face: FaceConfig | null;
  burst: Unconfigurable | null;
  prosody: ProsodyConfig | null;
  language: LanguageConfig | null;
  ner: NerConfig | null;
  facemesh: Unconfigurable | null;
}
export interface TranscriptionConfig {
  language: string | null;
  identify_speakers: boolean;
  confidence_threshold: number;
}

export type ModelName = keyof ModelsConfig;
/** Order of `models` keys in requests and predictions. */
export const MODEL_NAMES: readonly ModelName[] = ['face', 'burst', 'prosody', 'language', 'ner', 'facemesh'];

// ---------------------------------------------------------------------------------------------------------------
// Job plan

export type MediaKind = 'image' | 'video' | 'audio' | 'text';

export type SourceEcho =
  | { type: 'url'; url: string }
  | { type: 'file'; md5sum: string; filename: string; content_type: string }
  | { type: 'text' };

/** One analysed file: a URL, an upload, an archive member or a raw text string. */
export interface MediaItem {
  /** `file` of the prediction: basename, archive-inner path, or "text". */
  file: string;
  kind: MediaKind;
  /** Seconds, for audio and video. */
  durationSec: number;
  /** Content, for text items. */
  text?: string;
  /** Stable seed material for the PRNG (URL, md5, hash of the text). */
  seed: string;
  /** File-level failure: reported in `results.errors` instead of a prediction. */
  error?: string;
}

export interface SourcePlan {
  source: SourceEcho;
  /** Source-level failure (e.g. download failed): the element has `error` and no `results`. */
  error?: string;
  items: MediaItem[];
}

export interface JobPlan {
  models: ModelsConfig;
  transcription: TranscriptionConfig | null;
  sources: SourcePlan[];
  /** Set when the whole job fails (state FAILED with this message). */
  failure?: string;
}

/** Uploaded file as the server received it. */
export interface ReceivedUpload {
  filename: string;
  md5sum: string;
  size: number;
  contentType: string;
  /** First bytes of the file (enough for a WAV header). */
  head: Buffer;
  /** Decoded text of `.txt` uploads (first MAX_TEXT_BYTES). */
  text?: string;
}

export const VIDEO_FPS = 30;
export const DEFAULT_MEDIA_SECONDS = 10;
/** Documented limit on audio/video length (§7.1); longer media get a file-level error. */
export const MAX_MEDIA_SECONDS = 3 * 3600;
/** Only this much of an uploaded `.txt` file is analysed, to keep word-level output bounded. */
export const MAX_TEXT_BYTES = 1 << 20;
const ARCHIVE_MEMBERS = 3;
const MAX_ARCHIVE_MEMBERS = 1000;

/** Failure triggers, matched against a URL or an uploaded filename. */
export const TRIGGERS = { jobFails: 'job-fails', unreachable: 'unreachable', corrupt: 'corrupt' } as const;

const ARCHIVE_EXTENSIONS = ['.tar.gz', '.tar.bz2', '.tar.xz', '.zip'];
const KIND_BY_EXTENSION: Record<string, MediaKind> = {
  '.jpg': 'image', '.jpeg': 'image', '.png': 'image', '.gif': 'image', '.webp': 'image',
  '.mp4': 'video', '.mov': 'video', '.webm': 'video', '.avi': 'video', '.mkv': 'video',
  '.wav': 'audio', '.mp3': 'audio', '.m4a': 'audio', '.flac': 'audio', '.ogg': 'audio',
  '.txt': 'text',
};

/** Media kind from a file name, falling back to the content type; unknown media count as video. */
export function mediaKindOf(name: string, contentType = ''): MediaKind | 'archive' {
  const lower = name.toLowerCase();
  if (ARCHIVE_EXTENSIONS.some((ext) => lower.endsWith(ext))) return 'archive';
  const dot = lower.lastIndexOf('.');
  const byExtension = dot >= 0 ? KIND_BY_EXTENSION[lower.slice(dot)] : undefined;
  if (byExtension) return byExtension;
  const type = contentType.toLowerCase().split(';')[0]!.trim();
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  if (type === 'text/plain') return 'text';
  if (/zip|x-tar|gzip|bzip2|x-xz/.test(type)) return 'archive';
  return 'video';
}

function archiveStem(name: string): string {
  const lower = name.toLowerCase();
  const ext = ARCHIVE_EXTENSIONS.find((e) => lower.endsWith(e)) ?? '';
  return name.slice(0, name.length - ext.length) || 'archive';
}

/** Percent-decoding that keeps malformed escapes (`100%.mp4`) as they are instead of throwing. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function basename(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? path;
}

/** Media items of one named input (URL basename or upload filename). */
function itemsOf(
  name: string,
  kind: MediaKind | 'archive',
  seed: string,
  opts: { durationSec: number; archiveCount?: number; text?: string },
): MediaItem[] {
  if (kind === 'archive') {
    const stem = archiveStem(name);
    const count = opts.archiveCount ?? ARCHIVE_MEMBERS;
    return Array.from({ length: count }, (_, i) => ({ file: `${stem}/${i + 1}.jpg`, kind: 'image' as const, durationSec: 0, seed }));
  }
  const item: MediaItem = { file: name, kind, durationSec: kind === 'audio' || kind === 'video' ? opts.durationSec : 0, seed };
  if (kind === 'text') item.text = opts.text ?? SYNTHETIC_TEXT;
  if (item.durationSec > MAX_MEDIA_SECONDS) item.error = `media duration exceeds the maximum of 3 hours: ${name}`;
  return [item];
}

function corruptError(transcription: TranscriptionConfig | null): string {
  const threshold = transcription?.confidence_threshold ?? 0.5;
  const shown = Number.isInteger(threshold) ? threshold.toFixed(1) : String(threshold);
  return `transcript confidence (0.0) below threshold value (${shown})`;
}

/** Applies the `unreachable` / `corrupt` triggers of one input to its source plan. */
function applyTriggers(plan: SourcePlan, label: string, transcription: TranscriptionConfig | null): SourcePlan {
  if (label.includes(TRIGGERS.unreachable)) return { source: plan.source, error: `Failed to download ${label}`, items: [] };
  if (label.includes(TRIGGERS.corrupt)) for (const item of plan.items) item.error ??= corruptError(transcription);
  return plan;
}

function positiveNumberParam(url: URL, name: string): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function planUrlSource(rawUrl: string, transcription: TranscriptionConfig | null): SourcePlan {
  const url = new URL(rawUrl);
  const name = basename(safeDecode(url.pathname)) || url.hostname;
  const count = positiveNumberParam(url, 'count');
  const items = itemsOf(name, mediaKindOf(name), rawUrl, {
    durationSec: positiveNumberParam(url, 'duration') ?? DEFAULT_MEDIA_SECONDS,
    archiveCount: count === undefined ? undefined : Math.min(MAX_ARCHIVE_MEMBERS, Math.floor(count)),
  });
  return applyTriggers({ source: { type: 'url', url: rawUrl }, items }, rawUrl, transcription);
}

export function planFileSource(upload: ReceivedUpload, transcription: TranscriptionConfig | null): SourcePlan {
  const kind = mediaKindOf(upload.filename, upload.contentType);
  const durationSec = kind === 'audio' ? (wavDurationSec(upload.head, upload.size) ?? DEFAULT_MEDIA_SECONDS) : DEFAULT_MEDIA_SECONDS;
  const items = itemsOf(basename(upload.filename) || 'file', kind, upload.md5sum, { durationSec, text: upload.text ?? '' });
  const source: SourceEcho = { type: 'file', md5sum: upload.md5sum, filename: upload.filename, content_type: upload.contentType };
  return applyTriggers({ source, items }, upload.filename, transcription);
}

export function planTextSource(text: string): SourcePlan {
  return { source: { type: 'text' }, items: [{ file: 'text', kind: 'text', durationSec: 0, text, seed: `text:${hash32(text).toString(16)}` }] };
}

/** The `job-fails` trigger: message of the job failure caused by this URL / filename, if any. */
export function jobFailureOf(label: string): string | undefined {
  return label.includes(TRIGGERS.jobFails) ? `job failed: could not process ${label}` : undefined;
}

/** Duration of a RIFF/WAVE file from its header (byte rate) and data chunk size, clipped to the bytes received. */
export function wavDurationSec(head: Buffer, totalSize: number): number | undefined {
  if (head.length < 12 || head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') return undefined;
  let byteRate: number | undefined;
  let offset = 12;
  while (offset + 8 <= head.length) {
    const id = head.toString('latin1', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    if (id === 'fmt ' && offset + 20 <= head.length) byteRate = head.readUInt32LE(offset + 16);
    if (id === 'data') {
      if (!byteRate) return undefined;
      // Streamed WAVs write 0 / 0xFFFFFFFF as the data size: fall back to what was actually uploaded.
      const available = Math.max(0, totalSize - (offset + 8));
      const dataSize = size === 0 || size === 0xffffffff ? available : Math.min(size, available);
      return dataSize / byteRate;
    }
    offset += 8 + size + (size & 1);
  }
  return undefined;
}

/** Counts for the COMPLETED state: file-level predictions, and entries of `results.errors`. */
export function countResults(plan: JobPlan): { numPredictions: number; numErrors: number } {
  let numPredictions = 0;
  let numErrors = 0;
  for (const source of plan.sources) {
    if (source.error !== undefined) continue;
    for (const item of source.items) {
      if (item.error === undefined) numPredictions += 1;
      else numErrors += 1;
    }
  }
  return { numPredictions, numErrors };
}

// ---------------------------------------------------------------------------------------------------------------
// Pseudo-random scores

/** FNV-1a, 32 bit. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

type Rng = () => number;

function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One PRNG stream per prediction index, so any prediction can be regenerated on its own. */
function rngFactory(...key: string[]): (index: number) => Rng {
  const base = hash32(key.join('|'));
  return (index) => mulberry32(base ^ Math.imul(index + 1, 0x9e3779b1));
}

const round = (value: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};
const round6 = (value: number) => round(value, 6);
const round3 = (value: number) => round(value, 3);

export interface Score {
  name: string;
  score: number;
}

/** Every label of the list, in order; the product of two uniforms skews scores low like real output. */
function scores(labels: readonly string[], rng: Rng): Score[] {
  const out: Score[] = new Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = { name: labels[i]!, score: round6(rng() * rng()) };
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Model outputs

export interface TranscriptionMetadata {
  confidence: number;
  detected_language: string | null;
}
export interface GroupOutput {
  id: string;
  /** Re-iterable: every call yields the group's predictions afresh. */
  predictions: () => Iterable<Record<string, unknown>>;
}
export interface ModelOutput {
  metadata: TranscriptionMetadata | null;
  groups: GroupOutput[];
}

const APPLICABLE: Record<MediaKind, readonly ModelName[]> = {
  image: ['face', 'facemesh'],
  video: ['face', 'burst', 'prosody', 'language', 'ner', 'facemesh'],
  audio: ['burst', 'prosody', 'language', 'ner'],
  text: ['language', 'ner'],
};

/** Models that produce output for this item, in `MODEL_NAMES` order, each with its lazily generated groups. */
export function modelsFor(plan: JobPlan, item: MediaItem): Array<[ModelName, ModelOutput]> {
  const { models, transcription } = plan;
  const applicable = APPLICABLE[item.kind];
  const media = item.kind === 'audio' || item.kind === 'video';
  const transcript = media ? lazy(() => synthesizeTranscript(item)) : undefined;
  const out: Array<[ModelName, ModelOutput]> = [];
  for (const name of MODEL_NAMES) {
    if (models[name] === null || !applicable.includes(name)) continue;
    // Without transcription there is no text to analyse in audio/video.
    if (media && transcription === null && (name === 'language' || name === 'ner')) continue;
    out.push([name, modelOutput(name, plan, item, transcript)]);
  }
  return out;
}

function modelOutput(name: ModelName, plan: JobPlan, item: MediaItem, transcript?: () => Transcript): ModelOutput {
  const { models, transcription } = plan;
  const metadata: TranscriptionMetadata | null =
    transcript && transcription ? { confidence: transcript().confidence, detected_language: transcription.language ?? 'en' } : null;
  const speakersFromTranscription = transcription?.identify_speakers ?? false;
  switch (name) {
    case 'face':
      return { metadata: null, groups: faceGroups(item, models.face!) };
    case 'facemesh':
      return { metadata: null, groups: facemeshGroups(item) };
    case 'burst':
      return { metadata: null, groups: burstGroups(item) };
    case 'prosody': {
      const config = models.prosody!;
      return { metadata, groups: prosodyGroups(item, config, transcript!(), transcription !== null, config.identify_speakers || speakersFromTranscription) };
    }
    case 'language': {
      const config = models.language!;
      const segments = transcript ? transcriptSegments(transcript(), config.granularity) : textSegments(item.text ?? '', config.granularity);
      return { metadata, groups: languageGroups(item, config, segments, !!transcript && (config.identify_speakers || speakersFromTranscription)) };
    }
    case 'ner': {
      const config = models.ner!;
      const words = transcript ? transcriptSegments(transcript(), 'word') : textSegments(item.text ?? '', 'word');
      return { metadata, groups: nerGroups(item, words, !!transcript && (config.identify_speakers || speakersFromTranscription)) };
    }
  }
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

// --- face / facemesh ---------------------------------------------------------------------------------------------

/** Sampled frames: every `step`-th frame of a 30 fps video (step = round(30 / fps_pred), every frame for 0). */
function sampledFrames(item: MediaItem, fpsPred: number): { count: number; step: number } {
  if (item.kind === 'image') return { count: 1, step: 1 };
  const total = Math.floor(item.durationSec * VIDEO_FPS);
  const step = fpsPred <= 0 ? 1 : Math.max(1, Math.round(VIDEO_FPS / fpsPred));
  return { count: Math.ceil(total / step), step };
}

function faceIds(item: MediaItem, identify: boolean): string[] {
  if (!identify) return ['unknown'];
  return item.kind === 'video' ? ['face_0', 'face_1'] : ['face_0'];
}

function faceGroups(item: MediaItem, config: FaceConfig): GroupOutput[] {
  const { count, step } = sampledFrames(item, config.fps_pred);
  return faceIds(item, config.identify_faces).map((id) => {
    const rngAt = rngFactory(item.seed, item.file, 'face', id);
    return {
      id,
      *predictions() {
        for (let i = 0; i < count; i++) {
          const frame = i * step;
          const rng = rngAt(frame);
          const w = config.min_face_size + rng() * 240;
          const h = w * (1.1 + rng() * 0.2);
          yield {
            frame,
            time: frame / VIDEO_FPS,
            prob: round6(config.prob_threshold + (1 - config.prob_threshold) * rng()),
            box: { x: round3(rng() * Math.max(0, 1920 - w)), y: round3(rng() * Math.max(0, 1080 - h)), w: round3(w), h: round3(h) },
            emotions: scores(EMOTIONS_48, rng),
            facs: config.facs ? scores(FACS_36, rng) : null,
            descriptions: config.descriptions ? scores(FACE_DESCRIPTIONS_27, rng) : null,
          };
        }
      },
    };
  });
}

/** Facemesh is unconfigurable: it always samples at the default 3 fps. */
function facemeshGroups(item: MediaItem): GroupOutput[] {
  const { count, step } = sampledFrames(item, 3);
  const rngAt = rngFactory(item.seed, item.file, 'facemesh');
  return [
    {
      id: 'unknown',
      *predictions() {
        for (let i = 0; i < count; i++) yield { emotions: scores(EMOTIONS_48, rngAt(i * step)) };
      },
    },
  ];
}

// --- burst -------------------------------------------------------------------------------------------------------

const BURST_SPACING_SECONDS = 2.5;

function burstGroups(item: MediaItem): GroupOutput[] {
  const rngAt = rngFactory(item.seed, item.file, 'burst');
  const count = Math.ceil(item.durationSec / BURST_SPACING_SECONDS);
  return [
    {
      id: 'unknown',
      *predictions() {
        for (let i = 0; i < count; i++) {
          const rng = rngAt(i);
          const begin = Math.min(item.durationSec, round3(i * BURST_SPACING_SECONDS + rng() * 0.8));
          const end = Math.min(item.durationSec, round3(begin + 0.4 + rng() * 1.2));
          yield { time: { begin, end }, emotions: scores(EMOTIONS_48, rng), descriptions: scores(BURST_DESCRIPTIONS_67, rng) };
        }
      },
    },
  ];
}

// --- transcripts and text segments ---------------------------------------------------------------------------------

/** Text a `.txt` URL "contains" (the simulator downloads nothing). */
export const SYNTHETIC_TEXT =
  'I visited Edinburgh last spring with my sister. The old town felt calm and quiet. We talked about Hume for hours!';

const WORDS = [
  'really', 'think', 'this', 'was', 'a', 'good', 'day', 'and', 'we', 'should', 'talk', 'about', 'the', 'plan', 'again',
  'maybe', 'later', 'it', 'feels', 'quite', 'strange', 'honestly', 'but', 'I', 'love', 'how', 'things', 'turned', 'out',
  'now', 'you', 'know', 'what', 'mean', 'so', 'let', 'us', 'see',
];
const ENTITIES = ['Edinburgh', 'Hume', 'Scotland', 'London', 'Paris'];
const UTTERANCE_SECONDS = 3;
/** Consecutive utterances per speaker turn in synthetic transcripts. */
const TURN_UTTERANCES = 2;

interface Segment {
  text: string;
  begin: number;
  end: number;
  time?: { begin: number; end: number };
  speaker: number;
  /** Transcript confidence of this segment; null for raw text. */
  confidence: number | null;
  /** First word of its sentence (words only). */
  sentenceStart?: boolean;
}

interface Utterance {
  segment: Segment;
  words: Segment[];
}

interface Transcript {
  text: string;
  confidence: number;
  utterances: Utterance[];
}

/**
 * A synthetic transcript of ~3 s utterances, one sentence each, two speakers alternating every two utterances;
 * every fourth utterance names an entity mid-sentence so NER has something to find.
 */
function synthesizeTranscript(item: MediaItem): Transcript {
  const rngAt = rngFactory(item.seed, item.file, 'transcript');
  const utterances: Utterance[] = [];
  let text = '';
  const count = Math.ceil(item.durationSec / UTTERANCE_SECONDS);
  for (let u = 0; u < count; u++) {
    const rng = rngAt(u);
    const begin = u * UTTERANCE_SECONDS;
    const end = Math.min(item.durationSec, begin + UTTERANCE_SECONDS);
    const speaker = Math.floor(u / TURN_UTTERANCES) % 2;
    const n = 5 + Math.floor(rng() * 4);
    const tokens = Array.from({ length: n }, () => WORDS[Math.floor(rng() * WORDS.length)]!);
    if (u % 4 === 1) tokens[2] = ENTITIES[Math.floor(rng() * ENTITIES.length)]!;
    tokens[0] = tokens[0]!.charAt(0).toUpperCase() + tokens[0]!.slice(1);
    if (text) text += ' ';
    const sentenceBegin = text.length;
    const wordSeconds = (end - begin) / n;
    const words: Segment[] = tokens.map((token, i) => {
      if (i > 0) text += ' ';
      const wordBegin = text.length;
      text += token;
      return {
        text: token,
        begin: wordBegin,
        end: text.length,
        time: { begin: round3(begin + i * wordSeconds), end: round3(begin + (i + 1) * wordSeconds) },
        speaker,
        confidence: round6(0.8 + rng() * 0.2),
        sentenceStart: i === 0,
      };
    });
    text += '.';
    const segment: Segment = {
      text: text.slice(sentenceBegin),
      begin: sentenceBegin,
      end: text.length,
      time: { begin: round3(begin), end: round3(end) },
      speaker,
      confidence: round6(0.8 + rng() * 0.2),
    };
    utterances.push({ segment, words });
  }
  return { text, confidence: round6(0.85 + rngAt(-1)() * 0.15), utterances };
}

function transcriptSegments(transcript: Transcript, granularity: Granularity): Segment[] {
  switch (granularity) {
    case 'word':
      return transcript.utterances.flatMap((u) => u.words);
    case 'sentence':
    case 'utterance':
      return transcript.utterances.map((u) => u.segment);
    case 'conversational_turn': {
      // Consecutive utterances of the same speaker form one turn.
      const turns: Segment[] = [];
      for (const { segment } of transcript.utterances) {
        const last = turns[turns.length - 1];
        if (last && last.speaker === segment.speaker) {
          last.end = segment.end;
          last.text = transcript.text.slice(last.begin, last.end);
          last.time = { begin: last.time!.begin, end: segment.time!.end };
          last.confidence = Math.min(last.confidence!, segment.confidence!);
        } else turns.push({ ...segment });
      }
      return turns;
    }
  }
}

const WORD_PATTERN = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

/** Segments of raw text; positions index the original string (begin inclusive, end exclusive). */
export function textSegments(text: string, granularity: Granularity): Segment[] {
  const segment = (begin: number, end: number, extra: Partial<Segment> = {}): Segment => ({
    text: text.slice(begin, end),
    begin,
    end,
    speaker: 0,
    confidence: null,
    ...extra,
  });
  switch (granularity) {
    case 'word':
      return [...text.matchAll(WORD_PATTERN)].map((m) => segment(m.index, m.index + m[0].length, { sentenceStart: startsSentence(text, m.index) }));
    case 'sentence':
    case 'utterance':
      return sentenceBounds(text).map(([b, e]) => segment(b, e));
    case 'conversational_turn': {
      // For text the whole passage is one turn (whitespace trimmed off both ends).
      const begin = text.length - text.trimStart().length;
      const end = text.trimEnd().length;
      return end > begin ? [segment(begin, end)] : [];
    }
  }
}

/** Sentences end at a run of . ! ? (inclusive); surrounding whitespace is excluded. */
function sentenceBounds(text: string): Array<[number, number]> {
  const bounds: Array<[number, number]> = [];
  let begin = -1;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    if (begin < 0) {
      if (ch !== undefined && !/\s/.test(ch)) begin = i;
      continue;
    }
    const terminal = ch !== undefined && '.!?'.includes(ch) && !'.!?'.includes(text[i + 1] ?? ' ');
    if (terminal || ch === undefined) {
      let end = terminal ? i + 1 : i;
      while (end > begin && /\s/.test(text[end - 1]!)) end--;
      bounds.push([begin, end]);
      begin = -1;
    }
  }
  return bounds;
}

function startsSentence(text: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return i < 0 || '.!?'.includes(text[i]!);
}

/** Splits segments into `spk_<n>` groups when speakers are identified, else one `unknown` group. */
function bySpeaker<T extends { speaker: number }>(segments: T[], identify: boolean): Array<{ id: string; segments: T[] }> {
  if (segments.length === 0) return [];
  if (!identify) return [{ id: 'unknown', segments }];
  const groups = new Map<number, T[]>();
  for (const s of segments) {
    const list = groups.get(s.speaker);
    if (list) list.push(s);
    else groups.set(s.speaker, [s]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([speaker, list]) => ({ id: `spk_${speaker}`, segments: list }));
}

// --- prosody -------------------------------------------------------------------------------------------------------

function prosodyGroups(item: MediaItem, config: ProsodyConfig, transcript: Transcript, transcribed: boolean, identify: boolean): GroupOutput[] {
  const rngAt = rngFactory(item.seed, item.file, 'prosody');
  const speakerAt = (t: number) => Math.floor(t / (UTTERANCE_SECONDS * TURN_UTTERANCES)) % 2;
  // Windows (or untranscribed utterances) carry time only; transcribed segments carry text and confidences.
  let segments: Array<{ time: { begin: number; end: number }; speaker: number; text?: string; confidence?: number | null }>;
  if (config.window) {
    const { length, step } = config.window;
    const count = Math.ceil(item.durationSec / step);
    segments = Array.from({ length: count }, (_, k) => {
      const begin = round3(k * step);
      return { time: { begin, end: round3(Math.min(item.durationSec, k * step + length)) }, speaker: speakerAt(begin) };
    });
  } else if (!transcribed) {
    segments = transcript.utterances.map(({ segment }) => ({ time: segment.time!, speaker: segment.speaker }));
  } else {
    segments = transcriptSegments(transcript, config.granularity).map((s) => ({ text: s.text, time: s.time!, speaker: s.speaker, confidence: s.confidence }));
  }
  return bySpeaker(segments, identify).map(({ id, segments: list }) => ({
    id,
    *predictions() {
      for (const s of list) {
        const rng = rngAt(Math.round(s.time.begin * 1000));
        if (s.text === undefined) yield { time: s.time, emotions: scores(EMOTIONS_48, rng) };
        else
          yield {
            text: s.text,
            time: s.time,
            confidence: s.confidence,
            speaker_confidence: identify ? round6(0.7 + rng() * 0.3) : null,
            emotions: scores(EMOTIONS_48, rng),
          };
      }
    },
  }));
}

// --- language / ner ----------------------------------------------------------------------------------------------

function languageGroups(item: MediaItem, config: LanguageConfig, segments: Segment[], identify: boolean): GroupOutput[] {
  const rngAt = rngFactory(item.seed, item.file, 'language', config.granularity);
  return bySpeaker(segments, identify).map(({ id, segments: list }) => ({
    id,
    *predictions() {
      for (const s of list) {
        const rng = rngAt(s.begin);
        const prediction: Record<string, unknown> = { text: s.text, position: { begin: s.begin, end: s.end } };
        if (s.time) prediction.time = s.time;
        prediction.confidence = s.confidence;
        prediction.speaker_confidence = identify ? round6(0.7 + rng() * 0.3) : null;
        prediction.emotions = scores(LANGUAGE_EMOTIONS_53, rng);
        if (config.sentiment) prediction.sentiment = scores(SENTIMENT_9, rng);
        if (config.toxicity) prediction.toxicity = scores(TOXICITY_6, rng);
        yield prediction;
      }
    },
  }));
}

/** Entities: capitalised words that do not start a sentence (single letters such as "I" are not entities). */
function nerGroups(item: MediaItem, words: Segment[], identify: boolean): GroupOutput[] {
  const rngAt = rngFactory(item.seed, item.file, 'ner');
  const entities = words.filter((w) => !w.sentenceStart && w.text.length > 1 && /^\p{Lu}/u.test(w.text));
  return bySpeaker(entities, identify).map(({ id, segments: list }) => ({
    id,
    *predictions() {
      for (const w of list) {
        const rng = rngAt(w.begin);
        const prediction: Record<string, unknown> = {
          entity: w.text,
          position: { begin: w.begin, end: w.end },
          entity_confidence: round6(0.6 + rng() * 0.4),
          support: round6(rng() * 50),
          uri: `https://en.wikipedia.org/wiki/${encodeURIComponent(w.text)}`,
          link_word: w.text,
        };
        if (w.time) {
          prediction.time = w.time;
          prediction.confidence = w.confidence;
          prediction.speaker_confidence = identify ? round6(0.7 + rng() * 0.3) : null;
        }
        prediction.emotions = scores(LANGUAGE_EMOTIONS_53, rng);
        yield prediction;
      }
    },
  }));
}

// ---------------------------------------------------------------------------------------------------------------
// JSON serialisation

/** Accumulates JSON text and turns it into Buffers every ~1 MB, so no single giant string is ever built. */
class ChunkedWriter {
  private readonly chunks: Buffer[] = [];
  private parts: string[] = [];
  private pending = 0;

  raw(text: string): void {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= 1 << 20) this.flush();
  }

  value(value: unknown): void {
    this.raw(JSON.stringify(value));
  }

  finish(): Buffer {
    this.flush();
    return Buffer.concat(this.chunks);
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    this.chunks.push(Buffer.from(this.parts.join(''), 'utf8'));
    this.parts = [];
    this.pending = 0;
  }
}

/** The body of `GET …/predictions`: one element per source (urls, then files, then texts). */
export function serializePredictions(plan: JobPlan): Buffer {
  const w = new ChunkedWriter();
  const json = JSON.stringify;
  w.raw('[');
  plan.sources.forEach((source, s) => {
    if (s > 0) w.raw(',');
    if (source.error !== undefined) {
      w.value({ source: source.source, error: source.error });
      return;
    }
    w.raw(`{"source":${json(source.source)},"results":{"predictions":[`);
    const errors: Array<{ file: string; message: string }> = [];
    let firstItem = true;
    for (const item of source.items) {
      if (item.error !== undefined) {
        errors.push({ file: item.file, message: item.error });
        continue;
      }
      w.raw(`${firstItem ? '' : ','}{"file":${json(item.file)},"file_type":${json(item.kind)},"models":{`);
      firstItem = false;
      modelsFor(plan, item).forEach(([name, output], m) => {
        w.raw(`${m > 0 ? ',' : ''}"${name}":{"metadata":${json(output.metadata)},"grouped_predictions":[`);
        output.groups.forEach((group, g) => {
          w.raw(`${g > 0 ? ',' : ''}{"id":${json(group.id)},"predictions":[`);
          let first = true;
          for (const prediction of group.predictions()) {
            if (!first) w.raw(',');
            first = false;
            w.value(prediction);
          }
          w.raw(']}');
        });
        w.raw(']}');
      });
      w.raw('}}');
    }
    w.raw(`],"errors":${json(errors)}}}`);
  });
  w.raw(']');
  return w.finish();
}
