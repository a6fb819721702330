/** The typed errors start mutations return in their result unions, the `Error` interface they share, and `Provider`. */
import { providerModules } from '../providers/index.js';
import { builder } from './builder.js';
import { InputValidationError, TenantStartLimitError, UploadTooLargeError, UpstreamError, UpstreamRateLimitError } from './provider-errors.js';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'Something the client can act on; every typed error has a message.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

/** Every provider the gateway knows (configured here or not), so the schema is the same on every deployment. */
export const ProviderEnum = builder.enumType('Provider', {
  values: Object.fromEntries(providerModules.map((m) => [m.identity.graphqlName, { value: m.identity.graphqlName, description: m.identity.displayName }])),
});

const FieldError = builder.objectRef<{ path: string[]; message: string }>('FieldError').implement({
  description: 'One problem with one input field.',
  fields: (t) => ({
    path: t.exposeStringList('path', { description: 'Path of the field from the argument, e.g. ["input","urls","3"].' }),
    field: t.string({ description: 'The path joined with dots.', resolve: (p) => p.path.join('.') }),
    message: t.exposeString('message'),
  }),
});

builder.objectType(InputValidationError, {
  name: 'ValidationError',
  description: 'The input was refused before anything was sent to a provider.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof InputValidationError,
  fields: (t) => ({
    fields: t.field({ type: [FieldError], description: 'Every problem found, each naming its field.', resolve: (e) => e.problems }),
  }),
});

builder.objectType(UpstreamError, {
  name: 'ProviderError',
  description: 'A provider failed or could not be reached.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof UpstreamError,
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider.graphqlName }),
    status: t.exposeInt('status', { nullable: true, description: "The provider's HTTP status; null when it was not reached." }),
    code: t.exposeString('code', { nullable: true, description: "The provider's own error code or type, when it gives one." }),
    retryable: t.exposeBoolean('retryable', { description: 'Whether the same request may succeed later.' }),
  }),
});

builder.objectType(UpstreamRateLimitError, {
  name: 'RateLimitedError',
  description: 'The provider is rate limiting; nothing was started.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof UpstreamRateLimitError,
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider.graphqlName }),
    retryAfterSeconds: t.exposeInt('retryAfterSeconds', { nullable: true, description: 'How long the provider asked to wait.' }),
  }),
});

builder.objectType(UploadTooLargeError, {
  name: 'PayloadTooLargeError',
  description: 'The upload is larger than the provider accepts; nothing was started.',
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof UploadTooLargeError,
  fields: (t) => ({
    provider: t.field({ type: ProviderEnum, resolve: (e) => e.provider.graphqlName }),
    maxBytes: t.float({ nullable: true, description: 'The limit the provider reported, in bytes.', resolve: (e) => e.maxBytes }),
  }),
});

builder.objectType(TenantStartLimitError, {
  name: 'StartLimitError',
  description: "The caller's tenant has started as much work as it may per minute (START_RATE_LIMIT); nothing was started.",
  interfaces: [ErrorInterface],
  isTypeOf: (value) => value instanceof TenantStartLimitError,
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds', { description: 'When the next start is allowed.' }) }),
});

/** Error classes every start mutation can return. */
export const startErrorTypes = [InputValidationError, UpstreamError, UpstreamRateLimitError, TenantStartLimitError];
/** ... and those whose upload a provider may find too large. */
export const uploadStartErrorTypes = [...startErrorTypes, UploadTooLargeError];
