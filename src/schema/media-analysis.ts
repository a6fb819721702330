/**
 * `MediaAnalysis`: one upload analysed by several providers at once, its query, `analyzeMedia` and
 * `mediaAnalysisUpdated`. The upload is read once and the same bytes go to every side; a side that fails to start
 * is reported and the others go on. Per audio channel, `AnalysisChannel` puts every side's results for that
 * channel side by side, on one time axis. The sides come from analysis-sides.ts, each registered by its provider's
 * schema file (imported before this one).
 */
import type { GatewayContext } from '../context.js';
import type { AnalysisSide, MediaAnalysisRecord, StartFailure } from '../domain/media-analysis.js';
import { bookkeepAfterAcceptance } from '../tracking/after-acceptance.js';
import { analysisSides, type AnalysisChannelParent, type AnalysisSideDefinition, type AnalyzeMediaInputShape, type SideState } from './analysis-sides.js';
import { builder } from './builder.js';
import { ProviderEnum, startErrorTypes } from './errors.js';
import { admitStart, claimFor } from './starts.js';
import { liveResolver, liveState } from './live.js';
import { defineLoader } from '../loaders.js';
import { InputValidationError, UploadTooLargeError, UpstreamError, UpstreamRateLimitError, providerGraphQLError, toUpstreamError, type FieldProblem } from './provider-errors.js';
import { pageOfOwnWork } from './own-work.js';
import { fingerprint, toMediaUploads, validateIdempotencyKey, validateUpload } from './uploads.js';

/** The work index's kind for analyses. */
export const ANALYSIS_KIND = 'media-analysis';

/** Another tenant's analysis does not exist for this caller. */
const analysisLoader = defineLoader(
  'mediaAnalysis',
  async (services, id: string, ctx) => (ctx.sees(await services.work.ownerOf(ANALYSIS_KIND, id)) ? services.analyses.get(id) : null),
  providerGraphQLError,
);

export const AnalysisProviderEnum = builder.enumType('AnalysisProvider', {
  values: Object.fromEntries(analysisSides.map((side) => [side.name, { description: side.description }])),
});

export const AnalysisStatusEnum = builder.enumType('AnalysisStatus', {
  values: {
    RUNNING: { description: 'At least one side is still working and none has failed.' },
    COMPLETED: { description: 'Every side the analysis used finished successfully.' },
    FAILED: { description: 'At least one side failed to start or failed while processing; see failures.' },
  } as const,
});

const FailureStageEnum = builder.enumType('AnalysisFailureStage', {
  values: { START: { description: 'The provider refused or could not take the upload.' }, PROCESSING: { description: 'The provider failed the work.' } } as const,
});

interface Failure {
  provider: string;
  stage: 'START' | 'PROCESSING';
  message: string;
  status: number | null;
  code: string | null;
}

const AnalysisFailure = builder.objectRef<Failure>('AnalysisFailure').implement({
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (f) => f.provider }),
    stage: t.field({ type: FailureStageEnum, resolve: (f) => f.stage }),
    message: t.exposeString('message'),
    status: t.exposeInt('status', { nullable: true, description: "The provider's HTTP status when it refused the start." }),
    code: t.exposeString('code', { nullable: true }),
  }),
});

const definitionOf = (side: AnalysisSide) => analysisSides.find((d) => d.module.identity.id === side.provider);

/** Every side read once per operation (through the loaders), then combined. */
export async function analysisState(ctx: GatewayContext, record: MediaAnalysisRecord) {
  const failures: Failure[] = [];
  const states = await Promise.all(
    record.sides.map(async (side): Promise<SideState | null> => {
      const definition = definitionOf(side);
      const graphqlName = definition?.module.identity.graphqlName ?? side.provider;
      if (side.startFailure) failures.push({ provider: graphqlName, stage: 'START', ...side.startFailure });
      if (!side.workId || !definition) return null;
      const state = await definition.read(ctx, side.workId);
      if (state?.failure) failures.push({ provider: graphqlName, stage: 'PROCESSING', status: null, ...state.failure });
      return state;
    }),
  );
  const used = states.filter((state): state is SideState => state !== null);
  const status = failures.length > 0 ? 'FAILED' : used.length > 0 && used.every((s) => s.progress === 'COMPLETED') ? 'COMPLETED' : 'RUNNING';
  return {
    status: status as 'RUNNING' | 'COMPLETED' | 'FAILED',
    failures,
    // Settled when no side can change any more (a side that never started counts as settled).
    settled: used.every((s) => s.settled),
    version: `${status}:${states.map((s) => s?.version ?? '-').join(':')}`,
  };
}

const AnalysisSideRef = builder.objectRef<AnalysisSide>('AnalysisSide').implement({
  description: 'Which provider took part, with its own id for the work (job, task or run).',
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (s) => definitionOf(s)?.module.identity.graphqlName ?? s.provider }),
    workId: t.exposeID('workId', { nullable: true, description: "The provider's id for the work; null when it did not take the upload." }),
  }),
});

const AnalysisChannel = builder.objectRef<AnalysisChannelParent>('AnalysisChannel').implement({
  description: "One audio channel (a speaker of a call): every provider's results for it, on one time axis.",
  fields: (t) => ({
    channel: t.exposeInt('channel', { description: '0-based channel of the uploaded file.' }),
    ...Object.assign({}, ...analysisSides.map((side) => side.channelFields?.(t) ?? {})),
  }),
});

export const MediaAnalysisRef = builder.objectRef<MediaAnalysisRecord>('MediaAnalysis');

MediaAnalysisRef.implement({
  description: 'One upload analysed by several providers at once.',
  fields: (t) => ({
    id: t.exposeID('id'),
    status: t.field({ type: AnalysisStatusEnum, resolve: async (a, _, ctx) => (await analysisState(ctx, a)).status }),
    failures: t.field({ type: [AnalysisFailure], description: 'Which side failed, and why.', resolve: async (a, _, ctx) => (await analysisState(ctx, a)).failures }),
    sides: t.field({ type: [AnalysisSideRef], description: 'Every provider the upload was sent to.', resolve: (a) => a.sides }),
    channels: t.field({
      type: [AnalysisChannel],
      nullable: true,
      description: 'Per audio channel, every side that splits by channel; null until one of them has results.',
      resolve: async (a, _, ctx) => {
        const lists = await Promise.all(
          a.sides.map((side) => {
            const definition = definitionOf(side);
            return side.workId && definition?.channels ? definition.channels(ctx, side.workId) : Promise.resolve([]);
          }),
        );
        const channels = [...new Set(lists.flat())].sort((x, y) => x - y);
        return channels.length > 0 ? channels.map((channel) => ({ analysis: a, channel })) : null;
      },
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (a) => new Date(a.createdAt) }),
    ...Object.assign({}, ...analysisSides.map((side) => side.analysisFields(t))),
  }),
});

builder.asEntity(MediaAnalysisRef, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx) => ctx.loaders.of(analysisLoader).load(id),
});

builder.queryField('mediaAnalysis', (t) =>
  t.field({
    type: MediaAnalysisRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_, { id }, ctx) => ctx.loaders.of(analysisLoader).load(String(id)),
  }),
);

const AnalyzeMediaInput = builder.inputType('AnalyzeMediaInput', {
  fields: (t) => ({
    file: t.field({ type: 'File', required: true, description: 'The media file, sent to every provider used.' }),
    providers: t.field({ type: [AnalysisProviderEnum], description: 'Which providers analyse it; default: every configured one.' }),
    channels: t.intList({ description: '0-based channels to analyse (each on its own, where a provider splits by channel); all when omitted.' }),
    idempotencyKey: t.string({ description: 'Repeating a start with the same key returns the first analysis instead of starting another.' }),
    ...Object.assign({}, ...analysisSides.map((side) => side.inputFields?.(t) ?? {})),
  }),
});

function startFailure(error: unknown): StartFailure {
  if (error instanceof UpstreamRateLimitError) return { message: error.message, status: 429, code: 'RATE_LIMITED' };
  if (error instanceof UploadTooLargeError) return { message: error.message, status: 413, code: 'PAYLOAD_TOO_LARGE' };
  if (error instanceof UpstreamError) return { message: error.message, status: error.status, code: error.code };
  if (error instanceof InputValidationError) return { message: error.message, status: null, code: 'VALIDATION' };
  if (error instanceof Error) return { message: error.message, status: null, code: null };
  return { message: String(error), status: null, code: null };
}

/** The sides this request uses: the ones it names, else every configured one. */
function chosenSides(ctx: GatewayContext, input: AnalyzeMediaInputShape): { sides: AnalysisSideDefinition[]; problems: FieldProblem[]; explicit: boolean } {
  const configured = (side: AnalysisSideDefinition) => ctx.services.providers.get(side.module) !== null;
  if (!input.providers) {
    const sides = analysisSides.filter(configured);
    return { sides, problems: sides.length === 0 ? [{ path: ['input'], message: 'no provider that analyses media is configured on this gateway' }] : [], explicit: false };
  }
  const problems: FieldProblem[] = [];
  const named = [...new Set(input.providers)];
  if (named.length === 0) problems.push({ path: ['input', 'providers'], message: 'name at least one provider, or omit providers to use every configured one' });
  const sides = named.flatMap((name, i) => {
    const side = analysisSides.find((s) => s.name === name)!;
    if (configured(side)) return [side];
    problems.push({ path: ['input', 'providers', String(i)], message: `${side.module.identity.displayName} is not configured on this gateway` });
    return [];
  });
  return { sides, problems, explicit: true };
}

builder.mutationField('analyzeMedia', (t) =>
  t.field({
    type: MediaAnalysisRef,
    description: 'Sends one upload to several providers at once. A side that fails to start is reported in failures; the others go on.',
    errors: {
      types: startErrorTypes,
      union: { name: 'AnalyzeMediaResult' },
      result: { name: 'AnalyzeMediaSuccess' },
      dataField: { name: 'analysis' },
    },
    args: { input: t.arg({ type: AnalyzeMediaInput, required: true }) },
    resolve: async (_, { input: raw }, ctx) => {
      const input = raw as unknown as AnalyzeMediaInputShape;
      const chosen = chosenSides(ctx, input);
      const { problems } = chosen;
      problems.push(...validateIdempotencyKey(input.idempotencyKey));
      input.channels?.forEach((channel, i) => {
        if (!Number.isInteger(channel) || channel < 0) problems.push({ path: ['input', 'channels', String(i)], message: 'must be a non-negative integer' });
      });
      problems.push(...validateUpload(input.file, Infinity, ''));
      let sides = chosen.sides;
      // Sides used by default that cannot read this upload are left out (and reported), not a reason to refuse it.
      const skipped: Array<{ side: AnalysisSideDefinition; reason: string }> = [];
      if (problems.length === 0) {
        const reasons = await Promise.all(sides.map((side) => side.accepts?.(input) ?? Promise.resolve(null)));
        if (chosen.explicit) reasons.forEach((reason) => reason && problems.push({ path: ['input', 'file'], message: reason }));
        else {
          sides.forEach((side, i) => reasons[i] && skipped.push({ side, reason: reasons[i]! }));
          sides = sides.filter((_, i) => !reasons[i]);
          if (sides.length === 0) problems.push({ path: ['input', 'file'], message: skipped.map((s) => s.reason).join('; ') });
        }
      }
      if (input.file) for (const side of sides) problems.push(...(await side.validate(input)));
      if (problems.length > 0) throw new InputValidationError(dedupe(problems));

      const [upload] = toMediaUploads([input.file]);
      const request = Object.fromEntries(sides.map((side) => [side.name, side.fingerprint(input)]));
      const claim = await claimFor(ctx, ANALYSIS_KIND, input.idempotencyKey, () => fingerprint(request, [upload!.data]));
      if (claim?.existingId)
        // Its record may still be on its way to the store (written after acceptance): the id is what counts.
        return (await ctx.services.analyses.get(claim.existingId)) ?? { id: claim.existingId, createdAt: Date.now(), sides: [] };
      try {
        await admitStart(ctx);
      } catch (error) {
        await claim?.release().catch(() => {});
        throw error;
      }

      const { analyses } = ctx.services;
      const id = analyses.newId();
      const tenant = ctx.viewer.tenant;
      const outcomes = await Promise.allSettled(
        sides.map((side) =>
          side.start(ctx, upload!, input, [
            (workId) => analyses.link(id, side.module.identity.id, workId),
            (workId) => ctx.services.work.record(side.workKind, workId, tenant, Date.now()),
          ]),
        ),
      );
      const record: MediaAnalysisRecord = {
        id,
        createdAt: Date.now(),
        sides: sides.map((side, i) => {
          const outcome = outcomes[i]!;
          return outcome.status === 'fulfilled'
            ? { provider: side.module.identity.id, workId: outcome.value, startFailure: null }
            : { provider: side.module.identity.id, workId: null, startFailure: startFailure(toUpstreamError(outcome.reason)) };
        }).concat(skipped.map(({ side, reason }) => ({ provider: side.module.identity.id, workId: null, startFailure: { message: reason, status: null, code: 'UNSUPPORTED_MEDIA' } }))),
      };
      const accepted = record.sides.some((side) => side.workId !== null);
      if (!accepted) {
        // Nothing was started, so nothing is lost by failing: a store failure here is the caller's to retry.
        try {
          await analyses.create(record.id, record.sides);
          await ctx.services.work.record(ANALYSIS_KIND, record.id, tenant, record.createdAt);
          await claim?.complete(record.id);
        } catch (error) {
          await claim?.release().catch(() => {});
          throw error;
        }
        return record;
      }
      // Some provider took the upload: the analysis succeeds whatever the store does now; its record is written
      // as soon as the store allows.
      await bookkeepAfterAcceptance(
        { analysisId: id, requestId: ctx.requestId },
        [
          () => analyses.create(record.id, record.sides),
          () => ctx.services.work.record(ANALYSIS_KIND, record.id, tenant, record.createdAt),
          ...(claim ? [() => claim.complete(record.id)] : []),
        ],
        (message, fields) => ctx.services.logger.error(message, fields),
      );
      return record;
    },
  }),
);

function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path.join('.')}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

builder.subscriptionField('mediaAnalysisUpdated', (t) =>
  t.field({
    type: MediaAnalysisRef,
    description: 'The analysis now, then every change of it or of any side; completes once every side is finished (an analysis can be FAILED while another side still runs).',
    args: { id: t.arg.id({ required: true }) },
    subscribe: (_, { id }, ctx) => {
      const analysisId = String(id);
      let settled = false;
      return liveState(ctx, {
        events: ctx.services.events.subscribe('mediaAnalysisUpdated', analysisId),
        read: async () => {
          const record = await ctx.loaders.of(analysisLoader).load(analysisId);
          if (!record) return null;
          const state = await analysisState(ctx, record);
          settled = state.settled;
          return { record, version: state.version };
        },
        version: (read) => read.version,
        isTerminal: () => settled,
        unknownMessage: `media analysis ${analysisId} is unknown`,
      });
    },
    resolve: liveResolver((read: { record: MediaAnalysisRecord }) => read.record),
  }),
);

builder.queryField('mediaAnalyses', (t) =>
  t.connection(
    {
      type: MediaAnalysisRef,
      description: "The caller's media analyses, newest first.",
      resolve: async (_, args, ctx) => {
        const load = (id: string) => ctx.loaders.of(analysisLoader).load(id);
        const page = await pageOfOwnWork(ctx, ANALYSIS_KIND, args, { load });
        // The connection's nodes are the records themselves (MediaAnalysis resolves from them); the loader has them.
        const records = await Promise.all(page.edges.map((edge) => load(edge.node.id)));
        return { ...page, edges: page.edges.flatMap((edge, i) => (records[i] ? [{ cursor: edge.cursor, node: records[i] }] : [])) };
      },
    },
    { name: 'MediaAnalysisConnection' },
    { name: 'MediaAnalysisEdge' },
  ),
);
