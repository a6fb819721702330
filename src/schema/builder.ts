/** The one Pothos builder every schema file adds its types to. */
import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import ErrorsPlugin from '@pothos/plugin-errors';
import FederationPlugin from '@pothos/plugin-federation';
import RelayPlugin from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { sandboxSample } from '../sandbox-samples.js';
import type { GatewayContext } from '../context.js';

export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    /** GraphQL multipart upload (yoga hands resolvers a WHATWG File). */
    File: { Input: File; Output: never };
  };
}>({
  // Federation last: it must see the resolvers other plugins wrap.
  plugins: [ErrorsPlugin, RelayPlugin, DirectivesPlugin, FederationPlugin],
  defaultFieldNullability: false,
  errors: { defaultTypes: [] },
  relay: {
    // No global object identification: ids are the providers' own ids, and the entity keys federation uses.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
    clientMutationId: 'omit',
    cursorType: 'String',
    // `nodes` beside `edges`: most clients want the items, not the cursors of each.
    nodesOnConnection: {},
  },
});

/** The builder's resolved type parameters, for helpers that take refs made by it. */
export type GatewaySchemaTypes = PothosSchemaTypes.ExtendDefaultTypes<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: { DateTime: { Input: Date; Output: Date }; File: { Input: File; Output: never } };
}>;

builder.addScalarType('DateTime', DateTimeResolver);

builder.scalarType('File', {
  description: 'A file upload (GraphQL multipart request spec). In sandbox mode also the name of a sample, e.g. "sample:stereo-call.wav".',
  serialize: () => {
    throw new Error('File is an input-only scalar');
  },
  parseValue: (value) => {
    // yoga hands over its own File implementation, not always the global class: recognise it by shape.
    if (typeof value === 'object' && value !== null && typeof (value as File).arrayBuffer === 'function' && typeof (value as File).size === 'number')
      return value as File;
    const sample = sandboxSample(value);
    if (sample) return sample;
    throw new GraphQLError('File must be an uploaded file (GraphQL multipart request)', { extensions: { code: 'BAD_USER_INPUT' } });
  },
});

builder.queryType({});
builder.mutationType({});
builder.subscriptionType({});
