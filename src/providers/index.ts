/**
 * Every provider the gateway knows, in the order the schema lists them. Adding a provider is one line here (plus
 * its own folders: the adapter, its simulator, its schema file).
 */
import type { AnyProviderModule } from '../domain/provider.js';
import { humeBatch } from './hume-batch/index.js';
import { humeExpression } from './hume-expression/index.js';
import { phonexia } from './phonexia/index.js';

export const providerModules: readonly AnyProviderModule[] = [humeExpression, humeBatch, phonexia];
