/**
 * Per-operation DataLoaders. Hume has no batch endpoint, so a batch fans out one call per distinct id; the point
 * is the de-duplication: aliases, lists and nested fields naming one job share a single upstream call.
 */
import DataLoader from 'dataloader';
import type { GatewayServices } from './context.js';
import type { HumeJob, HumePredictions } from './providers/hume/wire.js';
import type { EmotionTaskRecord } from './tracking/emotion-tasks.js';
import type { MediaAnalysisRecord } from './tracking/media-analyses.js';
import { providerGraphQLError, providerNotConfigured } from './schema/provider-errors.js';

export interface Loaders {
  humeJob: DataLoader<string, HumeJob | null>;
  humePredictions: DataLoader<string, HumePredictions>;
  emotionTask: DataLoader<string, EmotionTaskRecord | null>;
  mediaAnalysis: DataLoader<string, MediaAnalysisRecord | null>;
}

function settleEach<K, V>(keys: readonly K[], load: (key: K) => Promise<V>): Promise<Array<V | Error>> {
  return Promise.all(keys.map((key) => load(key).catch((error: unknown) => providerGraphQLError(error))));
}

export function createLoaders(services: GatewayServices): Loaders {
  const hume = () => services.hume ?? (() => { throw providerNotConfigured('HUME'); })();
  return {
    humeJob: new DataLoader((ids) => settleEach(ids, (id) => hume().getJob(id))),
    humePredictions: new DataLoader((ids) => settleEach(ids, (id) => hume().getPredictions(id))),
    // Unknown to this gateway (or Phonexia not configured) reads as null, like an unknown job.
    emotionTask: new DataLoader((ids) => settleEach(ids, async (id) => services.emotionTasks?.refresh(id) ?? null)),
    mediaAnalysis: new DataLoader((ids) => settleEach(ids, (id) => services.analyses.get(id))),
  };
}
