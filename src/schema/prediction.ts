/**
 * The `Prediction` interface, scores, and the per-model prediction types of batch jobs. Group predictions are
 * Relay connections with an optional time window, because a 3-hour video yields tens of thousands of frames.
 */
import { type ObjectRef } from '@pothos/core';
import { GraphQLError } from 'graphql';
import type {
  BoundingBox as BoundingBoxShape,
  BurstPrediction as BurstShape,
  FacePrediction as FaceShape,
  FacemeshPrediction as FacemeshShape,
  LanguagePrediction as LanguageShape,
  ModelPredictions,
  NerPrediction as NerShape,
  PositionInterval as PositionShape,
  PredictionGroup,
  ProsodyPrediction as ProsodyShape,
  TimeInterval as TimeShape,
  TranscriptionMetadata as TranscriptionMetadataShape,
} from '../domain/predictions.js';
import type { Score } from '../domain/scores.js';
import { builder, type GatewaySchemaTypes } from './builder.js';
import { pageOfSelection } from './paging.js';

export interface Scored {
  emotions: readonly Score[];
}

/** N highest first; without `top`, the provider's own order. */
export function topScores(scores: readonly Score[], top: number | null | undefined): readonly Score[] {
  if (top === null || top === undefined) return scores;
  if (!Number.isInteger(top) || top < 0) throw new GraphQLError('top must be a non-negative integer', { extensions: { code: 'BAD_USER_INPUT' } });
  return [...scores].sort((a, b) => b.score - a.score).slice(0, top);
}

export const EmotionScore = builder.objectRef<Score>('EmotionScore').implement({
  fields: (t) => ({ name: t.exposeString('name'), score: t.exposeFloat('score') }),
});

export const LabelScore = builder.objectRef<Score>('LabelScore').implement({
  description: 'A named score that is not an emotion: FACS action unit, description, voice attribute, sentiment level or toxicity label.',
  fields: (t) => ({ name: t.exposeString('name'), score: t.exposeFloat('score') }),
});

export const TOP_DESCRIPTION = 'Only the N highest scores, highest first. Without it: every score in the provider order.';

export const PredictionInterface = builder.interfaceRef<Scored>('Prediction').implement({
  description: 'Anything with emotion scores: every per-model prediction of a job, each emotion task channel, each expression measurement.',
  fields: (t) => ({
    emotions: t.field({
      type: [EmotionScore],
      args: { top: t.arg.int({ description: TOP_DESCRIPTION }) },
      resolve: (p, { top }) => topScores(p.emotions, top),
    }),
  }),
});

/** For optional score lists (facs, descriptions, sentiment, toxicity): null stays null. */
export const maybeTop = (scores: readonly Score[] | null | undefined, top: number | null | undefined) => (scores ? topScores(scores, top) : null);

export const TimeInterval = builder.objectRef<TimeShape>('TimeInterval').implement({
  description: 'Seconds from the start of the media.',
  fields: (t) => ({ begin: t.exposeFloat('begin'), end: t.exposeFloat('end') }),
});

export const PositionInterval = builder.objectRef<PositionShape>('PositionInterval').implement({
  description: 'Zero-based character offsets into the text; begin inclusive, end exclusive.',
  fields: (t) => ({ begin: t.exposeInt('begin'), end: t.exposeInt('end') }),
});

const BoundingBox = builder.objectRef<BoundingBoxShape>('BoundingBox').implement({
  description: 'Face box in pixels: top-left corner, width and height.',
  fields: (t) => ({ x: t.exposeFloat('x'), y: t.exposeFloat('y'), w: t.exposeFloat('w'), h: t.exposeFloat('h') }),
});

export const TranscriptionMetadata = builder.objectRef<TranscriptionMetadataShape>('TranscriptionMetadata').implement({
  fields: (t) => ({
    confidence: t.exposeFloat('confidence', { description: 'Confidence of the whole-file transcript, 0 to 1.' }),
    detectedLanguage: t.exposeString('detectedLanguage', { nullable: true }),
  }),
});

// ---- per-model prediction objects ----

export const FacePrediction = builder.objectRef<FaceShape>('FacePrediction').implement({
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

export const BurstPrediction = builder.objectRef<BurstShape>('BurstPrediction').implement({
  interfaces: [PredictionInterface],
  fields: (t) => ({
    time: t.field({ type: TimeInterval, resolve: (p) => p.time }),
    descriptions: t.field({ type: [LabelScore], nullable: true, description: 'The 67 vocal burst types.', args: { top: t.arg.int({ description: TOP_DESCRIPTION }) }, resolve: (p, { top }) => maybeTop(p.descriptions, top) }),
  }),
});

export const ProsodyPrediction = builder.objectRef<ProsodyShape>('ProsodyPrediction').implement({
  interfaces: [PredictionInterface],
  fields: (t) => ({
    text: t.exposeString('text', { nullable: true }),
    time: t.field({ type: TimeInterval, resolve: (p) => p.time }),
    confidence: t.exposeFloat('confidence', { nullable: true }),
    speakerConfidence: t.exposeFloat('speakerConfidence', { nullable: true }),
  }),
});

export const LanguagePrediction = builder.objectRef<LanguageShape>('LanguagePrediction').implement({
  interfaces: [PredictionInterface],
  fields: (t) => ({
    text: t.exposeString('text'),
    position: t.field({ type: PositionInterval, resolve: (p) => p.position }),
    time: t.field({ type: TimeInterval, nullable: true, resolve: (p) => p.time }),
    confidence: t.exposeFloat('confidence', { nullable: true }),
    speakerConfidence: t.exposeFloat('speakerConfidence', { nullable: true }),
    sentiment: t.field({ type: [LabelScore], nullable: true, description: 'Sentiment levels "1" (most negative) to "9"; null unless requested.', args: { top: t.arg.int({ description: TOP_DESCRIPTION }) }, resolve: (p, { top }) => maybeTop(p.sentiment, top) }),
    toxicity: t.field({ type: [LabelScore], nullable: true, description: 'The six toxicity labels; null unless requested.', args: { top: t.arg.int({ description: TOP_DESCRIPTION }) }, resolve: (p, { top }) => maybeTop(p.toxicity, top) }),
  }),
});

export const NerPrediction = builder.objectRef<NerShape>('NerPrediction').implement({
  interfaces: [PredictionInterface],
  fields: (t) => ({
    entity: t.exposeString('entity'),
    position: t.field({ type: PositionInterval, resolve: (p) => p.position }),
    entityConfidence: t.exposeFloat('entityConfidence'),
    support: t.exposeFloat('support', { description: 'How often other entities link to this one.' }),
    uri: t.exposeString('uri'),
    linkWord: t.exposeString('linkWord'),
    time: t.field({ type: TimeInterval, nullable: true, resolve: (p) => p.time }),
    confidence: t.exposeFloat('confidence', { nullable: true }),
    speakerConfidence: t.exposeFloat('speakerConfidence', { nullable: true }),
  }),
});

export const FacemeshPrediction = builder.objectRef<FacemeshShape>('FacemeshPrediction').implement({
  interfaces: [PredictionInterface],
  fields: () => ({}),
});

// ---- groups and per-model wrappers, one shape for all six models ----

function modelTypes<P extends Scored>(model: string, prediction: ObjectRef<GatewaySchemaTypes, P>, withMetadata: boolean) {
  const group = builder.objectRef<PredictionGroup<P>>(`${model}Group`).implement({
    description: `${model} predictions of one face or speaker.`,
    fields: (t) => ({
      id: t.exposeID('id', { description: 'Unique among all groups of all jobs (stable: the same group always has the same id).' }),
      label: t.exposeString('label', { description: 'The provider\'s group label: "unknown" unless face or speaker identification was requested.' }),
      predictions: t.connection(
        {
          type: prediction as never,
          description: 'Pages of predictions in provider order (default 100, at most 1000 a page), optionally only those overlapping a time window in seconds.',
          args: {
            timeFrom: t.arg.float({ description: 'Keep predictions ending at or after this second.' }),
            timeTo: t.arg.float({ description: 'Keep predictions beginning at or before this second.' }),
          },
          resolve: (g, args) => {
            const selection = g.predictions.select(args.timeFrom ?? null, args.timeTo ?? null);
            return { ...pageOfSelection(args, selection, (index) => g.predictions.at(index)), totalCount: selection.length } as never;
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

  return builder.objectRef<ModelPredictions<P>>(`${model}ModelPredictions`).implement({
    fields: (t) => ({
      ...(withMetadata ? { metadata: t.field({ type: TranscriptionMetadata, nullable: true, resolve: (m) => m.metadata }) } : {}),
      groupedPredictions: t.field({ type: [group], resolve: (m) => m.groups }),
    }),
  });
}

export const FaceModelPredictions = modelTypes('Face', FacePrediction, false);
export const BurstModelPredictions = modelTypes('Burst', BurstPrediction, false);
export const ProsodyModelPredictions = modelTypes('Prosody', ProsodyPrediction, true);
export const LanguageModelPredictions = modelTypes('Language', LanguagePrediction, true);
export const NerModelPredictions = modelTypes('Ner', NerPrediction, true);
export const FacemeshModelPredictions = modelTypes('Facemesh', FacemeshPrediction, false);
