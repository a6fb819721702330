/**
 * Per-operation DataLoaders. Hume has no batch endpoint, so a batch fans out one call per distinct id; the point
 * is the de-duplication: aliases, lists and nested fields naming one job share a single upstream call.
 */
import DataLoader from 'dataloader';
import type { GatewayServices } from './context.js';
import type { HumeJob, HumePredictions } from './providers/hume-batch/wire.js';
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

/**
 * Each loader is made on first use: most operations touch one or two of them, and a subscription context that only
 * waits touches none. (yoga copies the context object, so laziness has to live here, not in the context.)
 */
class OperationLoaders implements Loaders {
  private job?: Loaders['humeJob'];
  private predictions?: Loaders['humePredictions'];
  private task?: Loaders['emotionTask'];
  private analysis?: Loaders['mediaAnalysis'];

  constructor(private readonly services: GatewayServices) {}

  private hume() {
    const hume = this.services.hume;
    if (!hume) throw providerNotConfigured('HUME');
    return hume;
  }

  get humeJob() {
    return (this.job ??= new DataLoader((ids) => settleEach(ids, (id) => this.hume().getJob(id))));
  }

  get humePredictions() {
    return (this.predictions ??= new DataLoader((ids) => settleEach(ids, (id) => this.hume().getPredictions(id))));
  }

  /** Unknown to this gateway (or Phonexia not configured) reads as null, like an unknown job. */
  get emotionTask() {
    return (this.task ??= new DataLoader((ids) => settleEach(ids, async (id) => this.services.emotionTasks?.refresh(id) ?? null)));
  }

  get mediaAnalysis() {
    return (this.analysis ??= new DataLoader((ids) => settleEach(ids, (id) => this.services.analyses.get(id))));
  }
}

export function createLoaders(services: GatewayServices): Loaders {
  return new OperationLoaders(services);
}
