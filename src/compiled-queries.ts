/**
 * Queries that run again and again (a client paging through a long job, a dashboard polling) are compiled with
 * graphql-jit, which resolves a page of 100 predictions with their 4,800 emotion scores several times faster than
 * graphql-js's interpreter. A document is compiled on its second run only: one-off documents (and a caller sending
 * endless distinct ones) cost no compilation. Mutations and subscriptions stay on graphql-js: they run once or are
 * long-lived, so compiling them saves nothing. Only documents of up to 500 selected fields are compiled: compiling
 * one at the cost limit takes 50-100 ms of the event loop, and the gateway's own operations are far smaller.
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { getOperationAST, type DocumentNode } from 'graphql';
import { operationCost } from './pipeline.js';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from './context.js';
import type { Logger } from './logger.js';

const RUNS_BEFORE_COMPILING = 2;
const MAX_COMPILED_FIELDS = 500;
/** Marks a document that is never compiled. */
const NEVER = -1;

export function useCompiledQueries(logger: Logger): Plugin<GatewayContext> {
  // Keyed by the parsed document, which yoga's parse cache hands back for the same text; entries go with it.
  const runs = new WeakMap<DocumentNode, number>();
  return useGraphQlJit(
    {},
    {
      enableIf: ({ document, operationName }) => {
        const before = runs.get(document);
        if (before === NEVER) return false;
        if (before === undefined && (getOperationAST(document, operationName)?.operation !== 'query' || operationCost(document, MAX_COMPILED_FIELDS) > MAX_COMPILED_FIELDS)) {
          runs.set(document, NEVER);
          return false;
        }
        const seen = (before ?? 0) + 1;
        runs.set(document, seen);
        return seen >= RUNS_BEFORE_COMPILING;
      },
      // A document graphql-jit cannot compile answers with the errors it found, as graphql-js would.
      onError: (result) => logger.warn('graphql-jit could not compile a query', { errors: result.errors?.map((e) => e.message) }),
    },
  ) as Plugin<GatewayContext>;
}
