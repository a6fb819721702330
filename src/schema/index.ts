/**
 * Builds the whole schema: importing each type file registers its types and fields on the one builder. Each
 * provider's files come before media-analysis.ts, which builds its types from the analysis sides they register.
 */
import { printSubgraphSchema } from '@apollo/subgraph';
import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './errors.js';
import './prediction.js';
import './source-predictions.js';
import './job-request.js';
import './job.js';
import './start-job.js';
import './job-analysis.js';
import './emotion-task.js';
import './emotion-task-analysis.js';
import './expression-run.js';
import './expression-run-analysis.js';
import './media-analysis.js';

let schema: GraphQLSchema | undefined;

/**
 * The executable schema: an Apollo Federation v2 subgraph (`_service`, `_entities`, entities keyed by id) that
 * also serves queries, mutations and subscriptions directly.
 */
export function buildSchema(): GraphQLSchema {
  schema ??= builder.toSubGraphSchema({ linkUrl: 'https://specs.apollo.dev/federation/v2.6', federationDirectives: ['@key'] });
  return schema;
}

/** The subgraph SDL (with `@link` and `@key`): the contract in schema/schema.graphql and what `_service { sdl }` returns. */
export function subgraphSdl(): string {
  return printSubgraphSchema(lexicographicSortSchema(buildSchema()));
}

/** Stable order for generated client types, so diffs show real changes only. */
export function buildSortedSchema(): GraphQLSchema {
  return lexicographicSortSchema(buildSchema());
}
