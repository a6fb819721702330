/**
 * Liveness (`/health`: the process serves HTTP) and readiness (`/ready`: the shared backend answers, and each
 * configured provider is reachable and accepts the gateway's credentials). Readiness results are cached briefly so
 * probes cannot flood the providers.
 */
import type { ProviderAdapter, ReadinessCheck } from './domain/provider.js';
import type { GatewayStore } from './store/store.js';

export type { ReadinessCheck };

export interface Readiness {
  ready: boolean;
  checks: ReadinessCheck[];
}

const CACHE_MS = 5_000;

export function createReadinessProbe(shared: boolean, store: GatewayStore, adapters: readonly ProviderAdapter[]): () => Promise<Readiness> {
  let cached: { at: number; value: Promise<Readiness> } | undefined;
  const probe = async (): Promise<Readiness> => {
    const checks = await Promise.all([
      shared
        ? store.ping().then(
            () => ({ name: 'redis', ok: true }),
            () => ({ name: 'redis', ok: false, detail: 'no answer' }),
          )
        : Promise.resolve({ name: 'store', ok: true, detail: 'in memory (single process)' }),
      ...adapters.map((adapter) => adapter.readiness()),
    ]);
    return { ready: checks.every((c) => c.ok), checks };
  };
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > CACHE_MS) cached = { at: now, value: probe() };
    return cached.value;
  };
}
