/**
 * Per-operation DataLoaders. Each schema file defines the loaders it needs (`defineLoader`), and an operation makes
 * one of each on first use: aliases, lists and nested fields naming one piece of work share a single upstream call.
 * Providers have no batch endpoints, so a batch fans out one call per distinct id; the point is the de-duplication,
 * and a cap on distinct ids per operation bounds the fan-out one operation can cause.
 */
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { GatewayContext, GatewayServices } from './context.js';

/** Loads one key for the operation's caller; a thrown error becomes that key's error, not the whole batch's. */
export type LoadOne<K, V> = (services: GatewayServices, key: K, ctx: GatewayContext) => Promise<V>;

export interface LoaderDefinition<K, V> {
  readonly name: string;
  readonly load: LoadOne<K, V>;
  /** Turns a failure into what the field shows (a GraphQL error with a code). */
  readonly mapError: (error: unknown) => Error;
}

export function defineLoader<K, V>(name: string, load: LoadOne<K, V>, mapError: (error: unknown) => Error): LoaderDefinition<K, V> {
  return { name, load, mapError };
}

const DEFAULT_MAX_DISTINCT_IDS = 200;

/**
 * The loaders of one operation, made on first use: most operations touch one or two, and a subscription context
 * that only waits touches none. (yoga copies the context object, so laziness has to live here.)
 */
export class OperationLoaders {
  private readonly made = new Map<LoaderDefinition<never, unknown>, DataLoader<unknown, unknown>>();
  private distinct = 0;

  constructor(
    private readonly services: GatewayServices,
    private readonly ctx: GatewayContext,
  ) {}

  of<K, V>(definition: LoaderDefinition<K, V>): DataLoader<K, V> {
    let loader = this.made.get(definition as LoaderDefinition<never, unknown>) as DataLoader<K, V> | undefined;
    if (!loader) {
      const max = this.services.maxDistinctIds ?? DEFAULT_MAX_DISTINCT_IDS;
      loader = new DataLoader<K, V>((keys) =>
        Promise.all(
          keys.map((key) => {
            // Each key reaches here once per operation (the loader caches it): this counts distinct lookups.
            if (++this.distinct > max)
              return new GraphQLError(`The operation looks up more than ${max} distinct ids; split it into several.`, { extensions: { code: 'QUERY_TOO_LARGE', limit: max } });
            return definition.load(this.services, key, this.ctx).catch((error: unknown) => definition.mapError(error));
          }),
        ),
      );
      this.made.set(definition as LoaderDefinition<never, unknown>, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }
}
