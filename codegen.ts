/**
 * `npm run codegen`: prints the schema contract to schema/schema.graphql and generates typed documents (client
 * preset) for the operations the test suite writes with `graphql(...)`, so a schema change that breaks one of them
 * fails type checking.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { buildSortedSchema, subgraphSdl } from './src/schema/index.js';

/** The executable schema, for validating and typing the test suite's operations. */
const sdl = printSchema(buildSortedSchema());

const config: CodegenConfig = {
  schema: sdl,
  documents: ['test/**/*.ts', '!test/gql/**'],
  ignoreNoDocuments: true,
  // ESM with NodeNext resolution wants explicit extensions in generated imports.
  importExtension: '.js',
  generates: {
    // The subgraph SDL with its @link and @key directives: the contract frontends and the supergraph consume.
    'schema/schema.graphql': { plugins: [{ add: { content: subgraphSdl() } }] },
    'test/gql/': {
      preset: 'client',
      config: { scalars: { DateTime: 'string', File: 'File' }, enumsAsTypes: true, useTypeImports: true },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
