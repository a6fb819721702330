/**
 * The sides a media analysis can have, registered by each provider's schema file: what it adds to the input, how it
 * starts, how its state reads, and which fields of `MediaAnalysis` and `AnalysisChannel` it fills. media-analysis.ts
 * (imported after every provider's schema file) builds its types from this list, so a new provider adds its side
 * here from its own file and media-analysis.ts does not change.
 */
import type { FieldRef, InputFieldRef } from '@pothos/core';
import type { GatewayContext } from '../context.js';
import type { MediaAnalysisRecord } from '../domain/media-analysis.js';
import type { AnalysisProgress } from '../domain/media-analysis.js';
import type { MediaUpload } from '../domain/media.js';
import type { AnyProviderModule } from '../domain/provider.js';
import type { GatewaySchemaTypes } from './builder.js';
import type { FieldProblem } from './provider-errors.js';

/** What analyzeMedia's input gives every side: the upload and the shared fields, plus each side's own fields. */
export interface AnalyzeMediaInputShape extends Record<string, unknown> {
  file: File;
  providers?: string[] | null;
  /** Which channels: every side that splits by channel uses only these. */
  channels?: number[] | null;
  idempotencyKey?: string | null;
}

export interface SideState {
  progress: AnalysisProgress;
  /** Nothing about this side can change any more. */
  settled: boolean;
  /** Why it failed while processing. */
  failure: { message: string; code: string | null } | null;
  /** Changes whenever a subscriber should see the analysis again. */
  version: string;
}

/** One channel of an analysis: fields of each side look their part up from here. */
export interface AnalysisChannelParent {
  analysis: MediaAnalysisRecord;
  channel: number;
}

type InputFields = PothosSchemaTypes.InputFieldBuilder<GatewaySchemaTypes, 'InputObject'>;
type ObjectFields<P> = PothosSchemaTypes.ObjectFieldBuilder<GatewaySchemaTypes, P>;

export interface AnalysisSideDefinition {
  /** Its value in the `AnalysisProvider` enum. */
  name: string;
  description: string;
  module: AnyProviderModule;
  /** The work index's kind of this side's work (its owner is recorded under it). */
  workKind: string;
  /** Fields of `AnalyzeMediaInput` that configure this side only. */
  inputFields?: (t: InputFields) => Record<string, InputFieldRef<GatewaySchemaTypes, unknown>>;
  /** The field(s) of `MediaAnalysis` showing this side's work. */
  analysisFields: (t: ObjectFields<MediaAnalysisRecord>) => Record<string, FieldRef<GatewaySchemaTypes, unknown>>;
  /** Fields of `AnalysisChannel` this side fills in. */
  channelFields?: (t: ObjectFields<AnalysisChannelParent>) => Record<string, FieldRef<GatewaySchemaTypes, unknown>>;
  /**
   * Why this side cannot take this upload at all (a format it does not read), or null. A side the caller named in
   * `providers` turns that into a ValidationError; a side used by default is skipped with a START failure instead,
   * so a video still goes to the providers that take video.
   */
  accepts?(input: AnalyzeMediaInputShape): Promise<string | null>;
  /** Problems with the input as this side sees it (its own fields, the upload's size and format). */
  validate(input: AnalyzeMediaInputShape): FieldProblem[] | Promise<FieldProblem[]>;
  /** What of the input this side's work depends on, for the idempotency fingerprint. */
  fingerprint(input: AnalyzeMediaInputShape): unknown;
  /** Starts this side's work; `afterAccepted` steps run (and are retried) once the provider took it. */
  start(ctx: GatewayContext, upload: MediaUpload, input: AnalyzeMediaInputShape, afterAccepted: Array<(workId: string) => Promise<unknown>>): Promise<string>;
  /** Its state now, through the operation's loaders; null when the work is unknown. */
  read(ctx: GatewayContext, workId: string): Promise<SideState | null>;
  /** The channels its results cover, once it has results. */
  channels?(ctx: GatewayContext, workId: string): Promise<number[]>;
}

export const analysisSides: AnalysisSideDefinition[] = [];

export function registerAnalysisSide(side: AnalysisSideDefinition): void {
  analysisSides.push(side);
}

/** The work id of a provider's side of an analysis, if that provider took the upload. */
export function sideWork(analysis: MediaAnalysisRecord, module: AnyProviderModule): string | null {
  return analysis.sides.find((side) => side.provider === module.identity.id)?.workId ?? null;
}
