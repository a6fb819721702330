/**
 * The `Prediction` interface, scores, and Hume's per-model prediction types. Group predictions are Relay
 * connections with an optional time window, because a 3-hour video yields tens of thousands of frames.
 */
import { PothosValidationError, type ObjectRef } from '@pothos/core';
import { cursorToOffset, resolveArrayConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type {
  HumeBurstPrediction,
  HumeFacePrediction,
  HumeFacemeshPrediction,
  HumeGroup,
  HumeLanguagePrediction,
  HumeModelPredictions,
  HumeNerPrediction,
  HumeProsodyPrediction,
  HumeScore,
  HumeTranscriptionMetadata,
} from '../providers/hume-batch/wire.js';
import { builder, type GatewaySchemaTypes } from './builder.js';

export interface Scored {
  emotions: HumeScore[];
}

/** N highest first; without `top`, the provider's own order. */
export function topScores(scores: readonly HumeScore[], top: number | null | undefined): readonly HumeScore[] {
  if (top === null || top === undefined) return scores;
  if (!Number.isInteger(top) || top < 0) throw new GraphQLError('top must be a non-negative integer', { extensions: { code: 'BAD_USER_INPUT' } });
  return [...scores].sort((a, b) => b.score - a.score).slice(0, top);
}

export const EmotionScore = builder.objectRef<HumeScore>('EmotionScore').implement({
  fields: (t) => ({ name: t.exposeString('name'), score: t.exposeFloat('score') }),
});

export const LabelScore = builder.objectRef<HumeScore>('LabelScore').implement({
  description: 'A named score that is not an emotion: FACS action unit, description, sentiment level or toxicity label.',
  fields: (t) => ({ name: t.exposeString('name'), score: t.exposeFloat('score') }),
});

const TOP_DESCRIPTION = 'Only the N highest scores, highest first. Without it: every score in the provider order.';

export const PredictionInterface = builder.interfaceRef<Scored>('Prediction').implement({
  description: 'Anything with emotion scores: every Hume per-model prediction and each Phonexia channel.',
  fields: (t) => ({
    emotions: t.field({
      type: [EmotionScore],
      args: { top: t.arg.int({ description: TOP_DESCRIPTION }) },
      resolve: (p, { top }) => topScores(p.emotions, top),
    }),
  }),
});

/** For the optional score lists (facs, descriptions, sentiment, toxicity): null stays null. */
const maybeTop = (scores: HumeScore[] | null | undefined, top: number | null | undefined) => (scores ? topScores(scores, top) : null);

export const TimeInterval = builder.objectRef<{ begin: number; end: number }>('TimeInterval').implement({
  description: 'Seconds from the start of the media.',
  fields: (t) => ({ begin: t.exposeFloat('begin'), end: t.exposeFloat('end') }),
});

export const PositionInterval = builder.objectRef<{ begin: number; end: number }>('PositionInterval').implement({
  description: 'Zero-based character offsets into the text; begin inclusive, end exclusive.',
  fields: (t) => ({ begin: t.exposeInt('begin'), end: t.exposeInt('end') }),
});

const BoundingBox = builder.objectRef<{ x: number; y: number; w: number; h: number }>('BoundingBox').implement({
  description: 'Face box in pixels: top-left corner, width and height.',
  fields: (t) => ({ x: t.exposeFloat('x'), y: t.exposeFloat('y'), w: t.exposeFloat('w'), h: t.exposeFloat('h') }),
});

export const TranscriptionMetadata = builder.objectRef<HumeTranscriptionMetadata>('TranscriptionMetadata').implement({
  fields: (t) => ({
    confidence: t.exposeFloat('confidence', { description: 'Confidence of the whole-file transcript, 0 to 1.' }),
    detectedLanguage: t.string({ nullable: true, resolve: (m) => m.detected_language ?? null }),
  }),
});

// ---- per-model prediction objects ----

const optionalFloat = (value: number | null | undefined) => value ?? null;

export const FacePrediction = builder.objectRef<HumeFacePrediction>('FacePrediction').implement({
  interfaces: [PredictionInterface],
  fields: (t) => ({
    frame: t.exposeInt('frame'),
    time: t.exposeFloat('time', { description: 'Seconds from the start (0 for images).' }),
    prob: t.exposeFloat('prob', { description: 'Face detection probability.' }),
    box: t.field({ type: BoundingBox, resolve: (p) => p.box }),
    facs: t.field({ type: [LabelScore], nullable: true, description: 'FACS action units; null unless requested.', args: { top: t.arg.int({ description: TOP_DESCRIPTION }) }, resolve: (p, { top }) => maybeTop(p.facs, top) }),
    descriptions: t.field({ type: [LabelScore], nullable: true, description: 'Face descriptions; null unless requested.', args: { top: t.arg.int({ description: TOP_DESCRIPTION }) }, resolve: (p, { top }) => maybeTop(p.descriptions, top) }),
  }),
});

export const BurstPrediction = builder.objectRef<HumeBurstPrediction>('BurstPrediction').implement({
  interfaces: [PredictionInterface],
  fields: (t) => ({
    time: t.field({ type: TimeInterval, resolve: (p) => p.time }),
    descriptions: t.field({ type: [LabelScore], nullable: true, description: 'The 67 vocal burst types.', args: { top: t.arg.int({ description: TOP_DESCRIPTION }) }, resolve: (p, { top }) => maybeTop(p.descriptions, top) }),
  }),
});

export const ProsodyPrediction = builder.objectRef<HumeProsodyPrediction>('ProsodyPrediction').implement({
  interfaces: [PredictionInterface],
  fields: (t) => ({
    text: t.string({ nullable: true, resolve: (p) => p.text ?? null }),
    time: t.field({ type: TimeInterval, resolve: (p) => p.time }),
    confidence: t.float({ nullable: true, resolve: (p) => optionalFloat(p.confidence) }),
    speakerConfidence: t.float({ nullable: true, resolve: (p) => optionalFloat(p.speaker_confidence) }),
  }),
});

export const LanguagePrediction = builder.objectRef<HumeLanguagePrediction>('LanguagePrediction').implement({
  interfaces: [PredictionInterface],
  fields: (t) => ({
    text: t.exposeString('text'),
    position: t.field({ type: PositionInterval, resolve: (p) => p.position }),
    time: t.field({ type: TimeInterval, nullable: true, resolve: (p) => p.time ?? null }),
    confidence: t.float({ nullable: true, resolve: (p) => optionalFloat(p.confidence) }),
    speakerConfidence: t.float({ nullable: true, resolve: (p) => optionalFloat(p.speaker_confidence) }),
    sentiment: t.field({ type: [LabelScore], nullable: true, description: 'Sentiment levels "1" (most negative) to "9"; null unless requested.', args: { top: t.arg.int({ description: TOP_DESCRIPTION }) }, resolve: (p, { top }) => maybeTop(p.sentiment, top) }),
    toxicity: t.field({ type: [LabelScore], nullable: true, description: 'The six toxicity labels; null unless requested.', args: { top: t.arg.int({ description: TOP_DESCRIPTION }) }, resolve: (p, { top }) => maybeTop(p.toxicity, top) }),
  }),
});

export const NerPrediction = builder.objectRef<HumeNerPrediction>('NerPrediction').implement({
  interfaces: [PredictionInterface],
  fields: (t) => ({
    entity: t.exposeString('entity'),
    position: t.field({ type: PositionInterval, resolve: (p) => p.position }),
    entityConfidence: t.exposeFloat('entity_confidence'),
    support: t.exposeFloat('support', { description: 'How often other entities link to this one.' }),
    uri: t.exposeString('uri'),
    linkWord: t.exposeString('link_word'),
    time: t.field({ type: TimeInterval, nullable: true, resolve: (p) => p.time ?? null }),
    confidence: t.float({ nullable: true, resolve: (p) => optionalFloat(p.confidence) }),
    speakerConfidence: t.float({ nullable: true, resolve: (p) => optionalFloat(p.speaker_confidence) }),
  }),
});

export const FacemeshPrediction = builder.objectRef<HumeFacemeshPrediction>('FacemeshPrediction').implement({
  interfaces: [PredictionInterface],
  fields: () => ({}),
});

// ---- groups and per-model wrappers, one shape for all six models ----

const MAX_PAGE = 1000;
const DEFAULT_PAGE = 100;

type TimeSpan = (prediction: never) => { begin: number; end: number } | null;

const timeOf: Record<string, TimeSpan> = {
  Face: ((p: HumeFacePrediction) => ({ begin: p.time, end: p.time })) as TimeSpan,
  Burst: ((p: HumeBurstPrediction) => p.time) as TimeSpan,
  Prosody: ((p: HumeProsodyPrediction) => p.time) as TimeSpan,
  Language: ((p: HumeLanguagePrediction) => p.time ?? null) as TimeSpan,
  Ner: ((p: HumeNerPrediction) => p.time ?? null) as TimeSpan,
  Facemesh: (() => null) as TimeSpan,
};

/** Keeps predictions overlapping [from, to]; predictions without a time (text input) only match no window. */
function inWindow<P>(predictions: P[], span: TimeSpan, from: number | null | undefined, to: number | null | undefined): P[] {
  if ((from === null || from === undefined) && (to === null || to === undefined)) return predictions;
  const lower = from ?? -Infinity;
  const upper = to ?? Infinity;
  return predictions.filter((p) => {
    const time = span(p as never);
    return time !== null && time.end >= lower && time.begin <= upper;
  });
}

type PageArgs = { first?: number | null; last?: number | null; after?: string | null; before?: string | null };

/** One page of an in-memory list; bad paging arguments (sizes, cursors) are the client's error, not an internal one. */
function pageOf<P>(args: PageArgs, items: readonly P[]) {
  for (const key of ['first', 'last'] as const) {
    const value = args[key];
    if (value !== null && value !== undefined && (value < 0 || value > MAX_PAGE))
      throw new GraphQLError(`${key} must be between 0 and ${MAX_PAGE}`, { extensions: { code: 'BAD_USER_INPUT' } });
  }
  try {
    for (const key of ['after', 'before'] as const) {
      const cursor = args[key];
      if (cursor !== null && cursor !== undefined && !(cursorToOffset(cursor) >= 0)) throw new PothosValidationError(`${key} is not a cursor of this connection`);
    }
    // Pothos caps a page at 100 unless told otherwise.
    return resolveArrayConnection({ args, defaultSize: DEFAULT_PAGE, maxSize: MAX_PAGE }, items);
  } catch (error) {
    if (error instanceof PothosValidationError) throw new GraphQLError(error.message, { extensions: { code: 'BAD_USER_INPUT' } });
    throw error;
  }
}

function modelTypes<P extends Scored>(model: string, prediction: ObjectRef<GatewaySchemaTypes, P>, withMetadata: boolean) {
  const group = builder.objectRef<HumeGroup<P>>(`${model}Group`).implement({
    description: `${model} predictions of one face or speaker ("unknown" unless identification was requested).`,
    fields: (t) => ({
      id: t.exposeString('id'),
      predictions: t.connection(
        {
          type: prediction as never,
          description: `Pages of predictions in provider order (default ${DEFAULT_PAGE}, at most ${MAX_PAGE} a page), optionally only those overlapping a time window in seconds.`,
          args: {
            timeFrom: t.arg.float({ description: 'Keep predictions ending at or after this second.' }),
            timeTo: t.arg.float({ description: 'Keep predictions beginning at or before this second.' }),
          },
          resolve: (g, args) => {
            const kept = inWindow(g.predictions, timeOf[model]!, args.timeFrom, args.timeTo);
            return { ...pageOf(args, kept), totalCount: kept.length } as never;
          },
        },
        {
          name: `${model}PredictionConnection`,
          fields: (c) => ({
            totalCount: c.int({ description: 'Predictions matching the window, over all pages.', resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }),
          }),
        },
        { name: `${model}PredictionEdge` },
      ),
    }),
  });

  return builder.objectRef<HumeModelPredictions<P, HumeTranscriptionMetadata | null>>(`${model}ModelPredictions`).implement({
    fields: (t) => ({
      ...(withMetadata
        ? { metadata: t.field({ type: TranscriptionMetadata, nullable: true, resolve: (m) => m.metadata ?? null }) }
        : {}),
      groupedPredictions: t.field({ type: [group], resolve: (m) => m.grouped_predictions }),
    }),
  });
}

export const FaceModelPredictions = modelTypes('Face', FacePrediction, false);
export const BurstModelPredictions = modelTypes('Burst', BurstPrediction, false);
export const ProsodyModelPredictions = modelTypes('Prosody', ProsodyPrediction, true);
export const LanguageModelPredictions = modelTypes('Language', LanguagePrediction, true);
export const NerModelPredictions = modelTypes('Ner', NerPrediction, true);
export const FacemeshModelPredictions = modelTypes('Facemesh', FacemeshPrediction, false);
