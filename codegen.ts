/**
 * `npm run codegen`: prints the schema contract to schema/schema.graphql, generates typed documents (client
 * preset) for the operations the test suite and the web app (app/src) write with `graphql(...)`, so a schema change
 * that breaks one of them fails type checking, and Apollo Client's `possibleTypes` for the client tests.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchema } from 'graphql';
import { buildSortedSchema, subgraphSdl } from './src/schema/index.js';

/** The executable schema, for validating and typing the test suite's operations. */
const sdl = printSchema(buildSortedSchema());

const config: CodegenConfig = {
  schema: sdl,
  ignoreNoDocuments: true,
  // ESM with NodeNext resolution wants explicit extensions in generated imports.
  importExtension: '.js',
  generates: {
    // The subgraph SDL with its @link and @key directives: the contract frontends and the supergraph consume.
    'schema/schema.graphql': { plugins: [{ add: { content: subgraphSdl() } }] },
    'test/gql/': {
      documents: ['test/**/*.ts', '!test/gql/**'],
      preset: 'client',
      config: { scalars: { DateTime: 'string', File: 'File' }, enumsAsTypes: true, useTypeImports: true },
      presetConfig: { fragmentMasking: false },
    },
    // The web app's operations (app/src): documents as strings, sent with fetch and graphql-ws, so the app ships no
    // GraphQL parser.
    'app/src/gql/': {
      documents: ['app/src/**/*.{ts,tsx}', '!app/src/gql/**'],
      preset: 'client',
      config: { scalars: { DateTime: 'string', File: 'File | string' }, enumsAsTypes: true, useTypeImports: true, documentMode: 'string' },
      presetConfig: { fragmentMasking: false },
    },
    // Apollo Client's `possibleTypes` (every interface and union with its members): without it InMemoryCache
    // cannot match a fragment on an interface such as `Prediction` and drops its fields. test/clients.test.ts uses it.
    'test/gql/possible-types.ts': {
      plugins: ['fragment-matcher'],
      // federation: leaves out `_Entity` and the other federation types a frontend never queries.
      config: { federation: true, deterministic: true },
    },
  },
};

export default config;
