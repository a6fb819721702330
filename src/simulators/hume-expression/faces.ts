/**
 * Simulated face detection and the listing rules of §4.3, shared by the image upload and the video session.
 *
 * Detection is deterministic: the candidate faces of an image come from a SHA-256 of its bytes and its size
 * (0–4 faces; boxes inside the image, short sides from 4 % to 45 % of the image's shorter side, detection
 * confidence mostly ≥ 0.9). Triggers in the file name or a JPEG comment: `crowd` gives 40 candidates (to reach
 * the 32-face listing cap), `no-faces` gives none.
 *
 * Listing (§4.3): drop faces under `threshold` or whose shorter side is under `min_size`; measure the 2 largest
 * (by box area) and list them first, largest first; then the others, most confident first, with null
 * `face_id`, `expressions` and `descriptions`; at most 32 in all.
 *
 * `face_id` (a string, UNVERIFIED type): a measured face takes the ID of a face seen earlier in the same request
 * or session (or in the `face_state` sent back) whose box overlaps it by IoU ≥ 0.5, else the next free one; so
 * identical faces in one request share an ID.
 */
import { createHash } from 'node:crypto';
import type { FaceConfig } from './config.js';
import type { Vocabularies } from './labels.js';
import { FACE_DESCRIPTION_SPEC, FACE_EXPRESSION_SPEC, random, seedFor, sparseScores, type Score } from './scores.js';

export const MEASURED_FACES_PER_IMAGE = 2;
export const LISTED_FACES_PER_IMAGE = 32;
const CROWD_CANDIDATES = 40;
const MATCH_IOU = 0.5;
/** Tracked faces kept per request or session; the least recently seen go first. */
const MAX_TRACKED = 256;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Candidate {
  index: number;
  box: Box;
  confidence: number;
}

export interface FaceView {
  bounding_box: Box;
  confidence: number;
  face_id: string | null;
  expressions: Score[] | null;
  descriptions: Score[] | null;
}

export function imageDigest(bytes: Buffer, width: number, height: number): Buffer {
  return createHash('sha256').update(bytes).update(`${width}x${height}`).digest();
}

export function detectFaces(digest: Buffer, width: number, height: number, hints: string): Candidate[] {
  const next = random(digest.readUInt32LE(0));
  const count = hints.includes('no-faces') ? 0 : hints.includes('crowd') ? CROWD_CANDIDATES : digest[4]! % 5;
  const shorter = Math.min(width, height);
  const faces: Candidate[] = [];
  for (let index = 0; index < count; index++) {
    const side = Math.max(1, Math.round(shorter * (0.04 + next() * 0.41)));
    const w = Math.min(width, side);
    const h = Math.min(height, Math.round(side * (1.1 + next() * 0.25)));
    const box = { x: Math.floor(next() * (width - w + 1)), y: Math.floor(next() * (height - h + 1)), width: w, height: h };
    const confident = next() < 0.75;
    const confidence = Math.round((confident ? 0.9 + next() * 0.0999 : 0.5 + next() * 0.4) * 10_000) / 10_000;
    faces.push({ index, box, confidence });
  }
  return faces;
}

const area = (b: Box) => b.width * b.height;

function iou(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const overlap = w * h;
  return overlap / (area(a) + area(b) - overlap);
}

export class FaceStateError extends Error {}

/** Face IDs within one request or session, and across requests through the opaque `face_state`. */
export class FaceTracker {
  private faces: Array<{ id: string; box: Box }> = [];
  private nextId = 0;

  static fromState(state: string): FaceTracker {
    const tracker = new FaceTracker();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(state, 'base64url').toString('utf8'));
    } catch {
      throw new FaceStateError('face_state is not a face state returned by this API');
    }
    const valid =
      typeof parsed === 'object' && parsed !== null &&
      (parsed as { v?: unknown }).v === 1 &&
      Number.isInteger((parsed as { next?: unknown }).next) &&
      Array.isArray((parsed as { faces?: unknown }).faces) &&
      (parsed as { faces: unknown[] }).faces.every(
        (f) => Array.isArray(f) && f.length === 5 && typeof f[0] === 'string' && f.slice(1).every((n) => Number.isInteger(n)),
      );
    if (!valid) throw new FaceStateError('face_state is not a face state returned by this API');
    const { next, faces } = parsed as { next: number; faces: Array<[string, number, number, number, number]> };
    tracker.nextId = next;
    tracker.faces = faces.slice(-MAX_TRACKED).map(([id, x, y, width, height]) => ({ id, box: { x, y, width, height } }));
    return tracker;
  }

  state(): string {
    const faces = this.faces.map((f) => [f.id, f.box.x, f.box.y, f.box.width, f.box.height]);
    return Buffer.from(JSON.stringify({ v: 1, next: this.nextId, faces })).toString('base64url');
  }

  /** IDs for the measured faces of one image (each tracked face matches at most one of them). */
  assign(boxes: Box[]): string[] {
    const taken = new Set<string>();
    return boxes.map((box) => {
      let best: { id: string; box: Box } | undefined;
      let bestIou = MATCH_IOU;
      for (const face of this.faces) {
        const overlap = iou(face.box, box);
        if (!taken.has(face.id) && overlap >= bestIou) {
          best = face;
          bestIou = overlap;
        }
      }
      const id = best?.id ?? String(this.nextId++);
      taken.add(id);
      this.faces = this.faces.filter((f) => f.id !== id);
      this.faces.push({ id, box }); // most recently seen last
      if (this.faces.length > MAX_TRACKED) this.faces.shift();
      return id;
    });
  }
}

export function listFaces(
  digest: Buffer,
  width: number,
  height: number,
  hints: string,
  config: Pick<FaceConfig, 'threshold' | 'min_size'>,
  tracker: FaceTracker,
  vocabularies: Vocabularies,
): FaceView[] {
  const kept = detectFaces(digest, width, height, hints).filter(
    (f) => f.confidence >= config.threshold && Math.min(f.box.width, f.box.height) >= config.min_size,
  );
  const measured = [...kept]
    .sort((a, b) => area(b.box) - area(a.box) || b.confidence - a.confidence || a.index - b.index)
    .slice(0, MEASURED_FACES_PER_IMAGE);
  const unmeasured = kept
    .filter((f) => !measured.includes(f))
    .sort((a, b) => b.confidence - a.confidence || a.index - b.index)
    .slice(0, LISTED_FACES_PER_IMAGE - measured.length);
  const ids = tracker.assign(measured.map((f) => f.box));
  return [
    ...measured.map((f, i) => ({
      bounding_box: { ...f.box },
      confidence: f.confidence,
      face_id: ids[i]!,
      expressions: sparseScores(seedFor(digest, `face ${f.index} expressions`), vocabularies.faceExpressions, FACE_EXPRESSION_SPEC),
      descriptions: sparseScores(seedFor(digest, `face ${f.index} descriptions`), vocabularies.faceDescriptions, FACE_DESCRIPTION_SPEC),
    })),
    ...unmeasured.map((f) => ({ bounding_box: { ...f.box }, confidence: f.confidence, face_id: null, expressions: null, descriptions: null })),
  ];
}
