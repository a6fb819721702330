/** Builds the whole schema: importing each type file registers its types and fields on the one builder. */
import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './errors.js';
import './prediction.js';
import './source-predictions.js';
import './job-request.js';
import './job.js';
import './start-job.js';
import './emotion-task.js';
import './media-analysis.js';

let schema: GraphQLSchema | undefined;

export function buildSchema(): GraphQLSchema {
  schema ??= builder.toSchema({ sortSchema: false });
  return schema;
}

/** Stable order for the printed contract file, so diffs show real changes only. */
export function buildSortedSchema(): GraphQLSchema {
  return lexicographicSortSchema(buildSchema());
}
