/**
 * Per-operation DataLoaders. Hume has no batch endpoint, so a batch fans out one call per distinct id; the point
 * is the de-duplication: aliases, lists and nested fields naming one job share a single upstream call.
 */
import DataLoader from 'dataloader';
import type { GatewayServices } from './context.js';
import type { HumeJob, HumePredictions } from './providers/hume/wire.js';
import { providerGraphQLError, providerNotConfigured } from './schema/provider-errors.js';

export interface Loaders {
  humeJob: DataLoader<string, HumeJob | null>;
  humePredictions: DataLoader<string, HumePredictions>;
}

function settleEach<K, V>(keys: readonly K[], load: (key: K) => Promise<V>): Promise<Array<V | Error>> {
  return Promise.all(keys.map((key) => load(key).catch((error: unknown) => providerGraphQLError(error))));
}

export function createLoaders(services: GatewayServices): Loaders {
  const hume = () => services.hume ?? (() => { throw providerNotConfigured('HUME'); })();
  return {
    humeJob: new DataLoader((ids) => settleEach(ids, (id) => hume().getJob(id))),
    humePredictions: new DataLoader((ids) => settleEach(ids, (id) => hume().getPredictions(id))),
  };
}
