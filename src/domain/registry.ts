/**
 * The providers this gateway knows (every module, configured or not: the schema's `Provider` enum is static) and
 * the adapters configured in this process.
 */
import type { AdapterOf, AnyProviderModule, ProviderAdapter, ProviderIdentity } from './provider.js';

/** The caller asked for a provider this gateway has not configured. */
export class ProviderNotConfiguredError extends Error {
  override name = 'ProviderNotConfiguredError';
  constructor(readonly identity: ProviderIdentity) {
    super(`${identity.displayName} is not configured on this gateway`);
  }
}

export class ProviderRegistry {
  private readonly byModule = new Map<AnyProviderModule, ProviderAdapter>();

  constructor(readonly modules: readonly AnyProviderModule[]) {}

  add<M extends AnyProviderModule>(module: M, adapter: AdapterOf<M>): void {
    this.byModule.set(module, adapter);
  }

  /** The configured adapter of `module`, or null. */
  get<M extends AnyProviderModule>(module: M): AdapterOf<M> | null {
    return (this.byModule.get(module) as AdapterOf<M> | undefined) ?? null;
  }

  /** The configured adapter of `module`; throws ProviderNotConfiguredError when it is not configured. */
  require<M extends AnyProviderModule>(module: M): AdapterOf<M> {
    const adapter = this.get(module);
    if (!adapter) throw new ProviderNotConfiguredError(module.identity);
    return adapter;
  }

  /** Every configured adapter, in registration order. */
  get adapters(): ProviderAdapter[] {
    return [...this.byModule.values()];
  }
}

/** The identity of a provider id among `modules` (configured or not). */
export function identityOf(modules: readonly AnyProviderModule[], id: string): ProviderIdentity | undefined {
  return modules.find((module) => module.identity.id === id)?.identity;
}
