/**
 * Measurement configuration: the audio `measurement_timer_ms` (§3.3) and the face settings (§4.2), validated the
 * way §7's example shows: unknown fields are rejected, messages in serde_json's wording with a position.
 * Out-of-range values are rejected too (UNVERIFIED, §3.3 says "presumably"). `null` for a field means "default"
 * (an optional field); the configuration itself must be an object.
 */
import { at, describeNode, expectedFields, JsonSyntaxError, parseJson, type JsonNode } from './json.js';

export interface AudioConfig {
  measurement_timer_ms: number;
}

export interface FaceConfig {
  threshold: number;
  min_size: number;
  return_face_state: boolean;
}

export interface VideoConfig {
  face: FaceConfig;
  /** The opaque face-tracking state sent back from an earlier response (upload only). */
  face_state: string | null;
}

export const DEFAULT_AUDIO_CONFIG: AudioConfig = Object.freeze({ measurement_timer_ms: 3000 });
export const DEFAULT_FACE_CONFIG: FaceConfig = Object.freeze({ threshold: 0.9, min_size: 60, return_face_state: false });
export const TIMER_MIN_MS = 3000;
export const TIMER_MAX_MS = 10000;

/** The reason without the "the config part is not valid: " prefix, which depends on where the config came from. */
export class ConfigError extends Error {}

export function parseConfigText(text: string): JsonNode {
  try {
    return parseJson(text);
  } catch (err) {
    if (err instanceof JsonSyntaxError) throw new ConfigError(err.message);
    throw err;
  }
}

type Entries = Map<string, JsonNode>;

function struct(node: JsonNode, fields: readonly string[], expected: string): Entries {
  if (node.kind !== 'object') throw new ConfigError(`invalid type: ${describeNode(node)}, expected ${expected} ${at(node.end)}`);
  const entries: Entries = new Map();
  for (const { key, keyEnd, value } of node.entries) {
    if (!fields.includes(key)) throw new ConfigError(`unknown field \`${key}\`, ${expectedFields(fields)} ${at(keyEnd)}`);
    if (entries.has(key)) throw new ConfigError(`duplicate field \`${key}\` ${at(keyEnd)}`);
    if (value.kind !== 'null') entries.set(key, value);
  }
  return entries;
}

function integerIn(node: JsonNode | undefined, fallback: number, min: number, max: number, expected: string): number {
  if (node === undefined) return fallback;
  if (node.kind !== 'number' || !node.integer) throw new ConfigError(`invalid type: ${describeNode(node)}, expected ${expected} ${at(node.end)}`);
  if (node.value < min || node.value > max) throw new ConfigError(`invalid value: ${describeNode(node)}, expected ${expected} ${at(node.end)}`);
  return node.value;
}

function numberIn(node: JsonNode | undefined, fallback: number, min: number, max: number, expected: string): number {
  if (node === undefined) return fallback;
  if (node.kind !== 'number') throw new ConfigError(`invalid type: ${describeNode(node)}, expected ${expected} ${at(node.end)}`);
  if (node.value < min || node.value > max) throw new ConfigError(`invalid value: ${describeNode(node)}, expected ${expected} ${at(node.end)}`);
  return node.value;
}

function boolean(node: JsonNode | undefined, fallback: boolean): boolean {
  if (node === undefined) return fallback;
  if (node.kind !== 'boolean') throw new ConfigError(`invalid type: ${describeNode(node)}, expected a boolean ${at(node.end)}`);
  return node.value;
}

function string(node: JsonNode | undefined): string | null {
  if (node === undefined) return null;
  if (node.kind !== 'string') throw new ConfigError(`invalid type: ${describeNode(node)}, expected a string ${at(node.end)}`);
  return node.value;
}

export function audioConfigFrom(node: JsonNode): AudioConfig {
  const fields = struct(node, ['measurement_timer_ms'], 'an audio config object');
  return {
    measurement_timer_ms: integerIn(
      fields.get('measurement_timer_ms'),
      DEFAULT_AUDIO_CONFIG.measurement_timer_ms,
      TIMER_MIN_MS,
      TIMER_MAX_MS,
      `an integer from ${TIMER_MIN_MS} to ${TIMER_MAX_MS}`,
    ),
  };
}

/**
 * Upload: `face.{threshold,min_size,return_face_state,face_state}` and a top-level `face_state` (the reference
 * does not say where the state goes back, §4.2, so both are accepted; giving both is ambiguous and rejected).
 * Realtime: only `face.threshold` and `face.min_size` (face state is not documented for sessions; a session
 * tracks faces itself).
 */
export function videoConfigFrom(node: JsonNode, mode: 'file' | 'realtime'): VideoConfig {
  const top = struct(node, mode === 'file' ? ['face', 'face_state'] : ['face'], 'a video config object');
  const faceNode = top.get('face');
  const face = faceNode
    ? struct(faceNode, mode === 'file' ? ['threshold', 'min_size', 'return_face_state', 'face_state'] : ['threshold', 'min_size'], 'a face config object')
    : new Map<string, JsonNode>();
  const nested = string(face.get('face_state'));
  const topLevel = string(top.get('face_state'));
  if (nested !== null && topLevel !== null) {
    throw new ConfigError(`face_state given twice (as \`face.face_state\` and \`face_state\`); send it once ${at(node.end)}`);
  }
  return {
    face: {
      threshold: numberIn(face.get('threshold'), DEFAULT_FACE_CONFIG.threshold, 0, 1, 'a number from 0 to 1'),
      min_size: integerIn(face.get('min_size'), DEFAULT_FACE_CONFIG.min_size, 1, Number.MAX_SAFE_INTEGER, 'an integer of at least 1'),
      return_face_state: boolean(face.get('return_face_state'), DEFAULT_FACE_CONFIG.return_face_state),
    },
    face_state: nested ?? topLevel,
  };
}

export const defaultVideoConfig = (): VideoConfig => ({ face: { ...DEFAULT_FACE_CONFIG }, face_state: null });
