/**
 * Hume Expression Measurement v1 answers, decoded at run time (valibot) into normalised camelCase types, read from
 * providers/hume-expression-v1.md. Where the reference marks a shape UNVERIFIED every listed alternative is
 * accepted; unknown fields are dropped everywhere. An answer that fits none of them becomes a MalformedAnswerError
 * naming the first bad path and what was expected there, never the value found (it may be anything).
 */
import * as v from 'valibot';
import { ProviderUnavailableError } from '../http.js';

export const HUME_EXPRESSION = 'hume-expression';

/** The answer reached the gateway but does not have a documented shape; the request did reach Hume. */
export class MalformedAnswerError extends ProviderUnavailableError {
  override name = 'MalformedAnswerError';
  constructor(
    /** Dot path into the answer (`utterances.0.audio_end_ms`); empty for the answer as a whole. */
    readonly path: string,
    problem: string,
  ) {
    super(HUME_EXPRESSION, `answer unreadable at ${path || 'its top level'}: ${problem}`, true);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Normalised types

/** `{name, probability}` (§0): name lowercase as given (the set grows; never assume it closed), probability 0-1. */
export interface ExpressionScore {
  name: string;
  probability: number;
}

export const measurementTriggers = ['interval', 'speech_ended'] as const;
export type MeasurementTrigger = (typeof measurementTriggers)[number];

/** One measurement (§3.4): the span it covers, from the start of the uploaded audio. Scores in Hume's order. */
export interface SpeechMeasurement {
  trigger: MeasurementTrigger;
  startMs: number;
  endMs: number;
  expressions: ExpressionScore[];
  voiceAttributes: ExpressionScore[];
}

export interface SpeechUtterance {
  startMs: number;
  endMs: number;
  /** By end, then start. */
  measurements: SpeechMeasurement[];
}

export interface SpeechMeasurementResult {
  runId: string;
  /** By start, then end. */
  utterances: SpeechUtterance[];
}

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Measured faces first (largest first), then unmeasured ones, which have null faceId/expressions/descriptions. */
export interface FaceMeasurement {
  box: FaceBox | null;
  confidence: number | null;
  faceId: string | null;
  expressions: ExpressionScore[] | null;
  descriptions: ExpressionScore[] | null;
}

export interface ImageMeasurement {
  /** The name it was uploaded under: results come one per image in part order (§4.3), so they pair by position. */
  fileName: string;
  faces: FaceMeasurement[];
}

export interface ImageMeasurementResult {
  /** Null only when the answer is a bare array, which has nowhere to carry it. */
  runId: string | null;
  /** Opaque; pass it back to keep face IDs across requests. Null unless requested. */
  faceState: string | null;
  images: ImageMeasurement[];
}

/**
 * Kept verbatim: the reference lists `live|ended|errored`, `file|realtime`, `audio|video`, but a run record is
 * informational and a listing must not fail because Hume added a value. Mappers need a default branch.
 */
export type RunStatus = 'live' | 'ended' | 'errored' | (string & {});
export type RunMode = 'file' | 'realtime' | (string & {});
export type RunEndpoint = 'audio' | 'video' | (string & {});

export interface ExpressionRunInfo {
  runId: string;
  userId: string;
  status: RunStatus;
  endpoint: RunEndpoint;
  /** Not marked required in §6.2. */
  mode: RunMode | null;
  /** RFC 3339, as Hume wrote it. */
  startedAt: string;
  endedAt: string | null;
  /** Ended realtime runs only. */
  closeCode: number | null;
}

export interface RunPage {
  /** Newest first, as Hume lists them. */
  runs: ExpressionRunInfo[];
  /** Pass back unchanged (with the same filters); null on the last page. */
  nextCursor: string | null;
}

/** §6.3 lists these and says the list continues: any other kind is kept verbatim. */
export type RunEventKind =
  | 'invalid_audio_frame'
  | 'invalid_image_frame'
  | 'rate_limited'
  | 'inference_failed'
  | 'message_too_large'
  | 'video_recording_abandoned'
  | (string & {});

export interface RunEvent {
  seq: number;
  at: string;
  kind: RunEventKind;
}

export interface RunEventPage {
  /** In `seq` order. */
  events: RunEvent[];
  /** Some kind hit its per-run logging cap; not trustworthy when `gaps` is true. */
  atCap: boolean;
  cappedKinds: string[];
  gaps: boolean;
  nextCursor: string | null;
}

/** `{type, code, message, request_id}` from the service, or `{message, request_id?}` from Hume's gateway (no code). */
export interface ExpressionErrorBody {
  code: string | null;
  message: string | null;
  requestId: string | null;
}

// ---------------------------------------------------------------------------------------------------------
// Wire schemas (snake_case in, normalised out)

const nonNegativeInt = v.pipe(v.number(), v.integer(), v.minValue(0));
const finite = v.pipe(v.number(), v.finite());
const probability = v.pipe(v.number(), v.minValue(0), v.maxValue(1));
const nonEmpty = v.pipe(v.string(), v.minLength(1));
const rfc3339 = v.pipe(v.string(), v.isoTimestamp('expected an RFC 3339 date-time'));
const cursor = v.nullish(v.string());
/** Null or absent on the last page (§6.1, UNVERIFIED); "" could not be passed back meaningfully, so it ends too. */
const nextCursorOf = (value: string | null | undefined) => (value ? value : null);

/** Kept in Hume's order: `emotions(top)` sorts by itself; without `top` the contract is "provider order". */
const scores = v.array(v.object({ name: v.string(), probability }));

/** `utterance_id` seen as 0 in the constructed example; a string is just as plausible. */
const utteranceKey = v.union([v.string(), v.pipe(v.number(), v.integer())]);

const speechMeasurement = v.pipe(
  v.object({
    utterance_id: v.nullish(utteranceKey),
    utterance_index: v.nullish(nonNegativeInt),
    trigger: v.picklist(measurementTriggers),
    audio_start_ms: nonNegativeInt,
    audio_end_ms: nonNegativeInt,
    expressions: scores,
    voice_attributes: scores,
  }),
  v.check((m) => m.audio_end_ms >= m.audio_start_ms, 'audio_end_ms is before audio_start_ms'),
);
type WireSpeechMeasurement = v.InferOutput<typeof speechMeasurement>;

const utterance = v.pipe(
  v.object({
    utterance_id: v.nullish(utteranceKey),
    utterance_index: v.nullish(nonNegativeInt),
    audio_start_ms: v.optional(nonNegativeInt),
    audio_end_ms: v.optional(nonNegativeInt),
    start_ms: v.optional(nonNegativeInt),
    end_ms: v.optional(nonNegativeInt),
    measurements: v.nullish(v.array(speechMeasurement)),
  }),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const u = dataset.value;
    const startMs = u.audio_start_ms ?? u.start_ms;
    const endMs = u.audio_end_ms ?? u.end_ms;
    if (startMs === undefined || endMs === undefined) {
      addIssue({ message: 'expected audio_start_ms/audio_end_ms or start_ms/end_ms' });
      return NEVER;
    }
    if (endMs < startMs) {
      addIssue({ message: 'the utterance ends before it starts' });
      return NEVER;
    }
    return { id: u.utterance_id ?? null, index: u.utterance_index ?? null, startMs, endMs, nested: u.measurements ?? [] };
  }),
);
type WireUtterance = v.InferOutput<typeof utterance>;

const speechAnswer = v.object({
  run_id: nonEmpty,
  utterances: v.array(utterance),
  /** Absent when measurements are nested inside each utterance. */
  measurements: v.nullish(v.array(speechMeasurement)),
});

const box = v.pipe(
  v.object({
    x: finite,
    y: finite,
    width: v.optional(finite),
    height: v.optional(finite),
    w: v.optional(finite),
    h: v.optional(finite),
  }),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const b = dataset.value;
    const width = b.width ?? b.w;
    const height = b.height ?? b.h;
    if (width === undefined || height === undefined) {
      addIssue({ message: 'expected width/height or w/h' });
      return NEVER;
    }
    return { x: b.x, y: b.y, width, height };
  }),
);

const face = v.pipe(
  v.object({
    bounding_box: v.nullish(box),
    box: v.nullish(box),
    bbox: v.nullish(box),
    confidence: v.nullish(probability),
    detection_confidence: v.nullish(probability),
    probability: v.nullish(probability),
    face_id: v.nullish(v.union([v.string(), v.pipe(v.number(), v.integer())])),
    expressions: v.nullish(scores),
    descriptions: v.nullish(scores),
  }),
  v.transform(
    (f): FaceMeasurement => ({
      box: f.bounding_box ?? f.box ?? f.bbox ?? null,
      confidence: f.confidence ?? f.detection_confidence ?? f.probability ?? null,
      faceId: f.face_id === null || f.face_id === undefined ? null : String(f.face_id),
      expressions: f.expressions ?? null,
      descriptions: f.descriptions ?? null,
    }),
  ),
);

const imageResults = v.array(v.object({ faces: v.array(face) }));

const imageEnvelope = v.object({
  run_id: nonEmpty,
  results: v.optional(imageResults),
  images: v.optional(imageResults),
  face_state: v.nullish(v.string()),
  // Only a guess at where else the state could come back (beside the `face` settings it answers): anything there
  // that is not `{face_state: string}` is not ours to refuse.
  face: v.fallback(v.nullish(v.object({ face_state: v.nullish(v.string()) })), null),
});

const run = v.pipe(
  v.object({
    run_id: nonEmpty,
    user_id: v.string(),
    status: nonEmpty,
    endpoint: nonEmpty,
    mode: v.nullish(nonEmpty),
    started_at: rfc3339,
    ended_at: v.nullish(rfc3339),
    close_code: v.nullish(v.pipe(v.number(), v.integer())),
  }),
  v.transform(
    (r): ExpressionRunInfo => ({
      runId: r.run_id,
      userId: r.user_id,
      status: r.status,
      endpoint: r.endpoint,
      mode: r.mode ?? null,
      startedAt: r.started_at,
      endedAt: r.ended_at ?? null,
      closeCode: r.close_code ?? null,
    }),
  ),
);

const runPage = v.object({ runs: v.array(run), next_cursor: cursor });

const runEventPage = v.object({
  events: v.array(v.object({ seq: v.pipe(v.number(), v.integer(), v.minValue(1)), at: rfc3339, kind: nonEmpty })),
  // Confirmed fields, but absence can only mean "nothing reported": not worth refusing the page over.
  at_cap: v.optional(v.boolean(), false),
  capped_kinds: v.optional(v.array(v.string()), []),
  gaps: v.optional(v.boolean(), false),
  next_cursor: cursor,
});

/** Field by field, so one oddly typed field does not hide a readable message. */
const errorBody = v.object({
  code: v.fallback(v.nullish(v.string()), null),
  message: v.fallback(v.nullish(v.string()), null),
  request_id: v.fallback(v.nullish(v.string()), null),
});

// ---------------------------------------------------------------------------------------------------------
// Decoders

/** Valibot's default messages quote the value received; ours say only what was expected. */
function describeIssue(issue: v.BaseIssue<unknown>): string {
  if (issue.kind === 'schema' && issue.type === 'object' && issue.received === 'undefined' && issue.path) return 'missing';
  if (issue.expected === 'Object' || issue.expected === 'Array') return `expected an ${issue.expected.toLowerCase()}`;
  return `expected ${issue.expected ?? issue.type.replaceAll('_', ' ')}`;
}

function decode<const TSchema extends v.GenericSchema>(schema: TSchema, json: unknown, prefix = ''): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, json, { abortEarly: true, message: describeIssue });
  if (result.success) return result.output;
  const issue = result.issues[0];
  throw new MalformedAnswerError(joinPath(prefix, v.getDotPath(issue) ?? ''), issue.message);
}

const joinPath = (...parts: Array<string | number>) => parts.filter((part) => part !== '').join('.');

/** The answer to `POST /v1/expression/audio/file` (§3.5). */
export function decodeSpeechAnswer(json: unknown): SpeechMeasurementResult {
  const answer = decode(speechAnswer, json);
  const grouped = answer.utterances.map((u) => ({ utterance: u, measurements: u.nested.map(normaliseMeasurement) }));
  for (const [position, measurement] of (answer.measurements ?? []).entries()) {
    grouped[owningUtterance(answer.utterances, measurement, position)]!.measurements.push(normaliseMeasurement(measurement));
  }
  const utterances = grouped.map(({ utterance: u, measurements }) => ({
    startMs: u.startMs,
    endMs: u.endMs,
    measurements: measurements.sort((a, b) => a.endMs - b.endMs || a.startMs - b.startMs),
  }));
  return { runId: answer.run_id, utterances: utterances.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs) };
}

function normaliseMeasurement(m: WireSpeechMeasurement): SpeechMeasurement {
  return {
    trigger: m.trigger,
    startMs: m.audio_start_ms,
    endMs: m.audio_end_ms,
    expressions: m.expressions,
    voiceAttributes: m.voice_attributes,
  };
}

/**
 * Index (in the answer's list) of the utterance a flat measurement belongs to. `utterance_id` matches the
 * utterances' own `utterance_id`, or their position when none carries one; `utterance_index` likewise. Without a
 * link, the utterance it overlaps most: the one whose span contains it (the reference's rule), and still the right
 * one when the two lists round a millisecond apart. A link to nothing is a broken answer, not a guess.
 */
function owningUtterance(utterances: WireUtterance[], m: WireSpeechMeasurement, position: number): number {
  const path = (field?: string) => joinPath('measurements', position, field ?? '');
  if (m.utterance_id !== null && m.utterance_id !== undefined) {
    const found = linked(utterances, 'id', m.utterance_id);
    if (found < 0) throw new MalformedAnswerError(path('utterance_id'), 'names no utterance of the answer');
    return found;
  }
  if (m.utterance_index !== null && m.utterance_index !== undefined) {
    const found = linked(utterances, 'index', m.utterance_index);
    if (found < 0) throw new MalformedAnswerError(path('utterance_index'), 'names no utterance of the answer');
    return found;
  }
  let best = -1;
  let bestOverlap = 0;
  for (const [i, u] of utterances.entries()) {
    const overlap = Math.min(u.endMs, m.audio_end_ms) - Math.max(u.startMs, m.audio_start_ms);
    if (overlap > bestOverlap) [best, bestOverlap] = [i, overlap];
  }
  if (best < 0) throw new MalformedAnswerError(path(), 'lies in no utterance of the answer');
  return best;
}

function linked(utterances: WireUtterance[], field: 'id' | 'index', key: string | number): number {
  if (utterances.some((u) => u[field] !== null)) return utterances.findIndex((u) => u[field] !== null && String(u[field]) === String(key));
  return typeof key === 'number' && key >= 0 && key < utterances.length ? key : -1;
}

/**
 * The answer to `POST /v1/expression/video/file` (§4.4): a bare array, or `{run_id, results | images, face_state}`.
 * `fileNames` are the uploaded parts in order; the answer must carry exactly one result per image.
 */
export function decodeImageAnswer(json: unknown, fileNames: readonly string[]): ImageMeasurementResult {
  let runId: string | null = null;
  let faceState: string | null = null;
  let container = '';
  let results: v.InferOutput<typeof imageResults>;
  if (Array.isArray(json)) {
    results = decode(imageResults, json);
  } else {
    const envelope = decode(imageEnvelope, json);
    const found = envelope.results ?? envelope.images;
    if (!found) throw new MalformedAnswerError('', 'expected results or images');
    container = envelope.results ? 'results' : 'images';
    results = found;
    runId = envelope.run_id;
    faceState = envelope.face_state ?? envelope.face?.face_state ?? null;
  }
  if (results.length !== fileNames.length)
    throw new MalformedAnswerError(container, `expected one result per image (${fileNames.length}), got ${results.length}`);
  return { runId, faceState, images: results.map((result, i) => ({ fileName: fileNames[i]!, faces: result.faces })) };
}

/** `GET /v1/expression/run` (§6.1). */
export function decodeRunPage(json: unknown): RunPage {
  const page = decode(runPage, json);
  return { runs: page.runs, nextCursor: nextCursorOf(page.next_cursor) };
}

/** `GET /v1/expression/run/{run_id}` (§6.2). */
export function decodeRun(json: unknown): ExpressionRunInfo {
  return decode(run, json);
}

/** `GET /v1/expression/run/{run_id}/events` (§6.3). */
export function decodeRunEventPage(json: unknown): RunEventPage {
  const page = decode(runEventPage, json);
  return { events: page.events, atCap: page.at_cap, cappedKinds: page.capped_kinds, gaps: page.gaps, nextCursor: nextCursorOf(page.next_cursor) };
}

/** An error answer's body (§7), or undefined when it has neither a message nor a code: an unknown shape is not passed on. */
export function decodeErrorBody(json: unknown): ExpressionErrorBody | undefined {
  const result = v.safeParse(errorBody, json);
  if (!result.success) return undefined;
  const { code = null, message = null, request_id: requestId = null } = result.output;
  return message === null && code === null ? undefined : { code, message, requestId };
}
