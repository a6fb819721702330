/**
 * Liveness (`/health`: the process serves HTTP) and readiness (`/ready`: the shared backend answers and each
 * configured provider is reachable). Readiness results are cached briefly so probes cannot flood the providers.
 */
import type { GatewayConfig } from './config.js';
import type { GatewayStore } from './store/store.js';

export interface ReadinessCheck {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface Readiness {
  ready: boolean;
  checks: ReadinessCheck[];
}

const CACHE_MS = 5_000;
const TIMEOUT_MS = 2_000;

/** Any HTTP answer means reachable: the probe asks whether the network path works, not whether a call succeeds. */
async function reachable(name: string, url: string, headers: Record<string, string> = {}): Promise<ReadinessCheck> {
  try {
    const response = await fetch(url, { method: 'GET', headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    await response.body?.cancel();
    return { name, ok: true, detail: `HTTP ${response.status}` };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable' };
  }
}

export function createReadinessProbe(config: GatewayConfig, store: GatewayStore): () => Promise<Readiness> {
  let cached: { at: number; value: Promise<Readiness> } | undefined;
  const probe = async (): Promise<Readiness> => {
    const checks = await Promise.all([
      config.redisUrl
        ? store.ping().then(
            () => ({ name: 'redis', ok: true }),
            () => ({ name: 'redis', ok: false, detail: 'no answer' }),
          )
        : Promise.resolve({ name: 'store', ok: true, detail: 'in memory (single process)' }),
      ...(config.hume ? [reachable('hume', `${config.hume.baseUrl}/`)] : []),
      // Phonexia documents GET /api/system/status as its health endpoint.
      ...(config.phonexia ? [reachable('phonexia', `${config.phonexia.baseUrl}/api/system/status`, config.phonexia.headers)] : []),
    ]);
    return { ready: checks.every((c) => c.ok), checks };
  };
  return () => {
    const now = Date.now();
    if (!cached || now - cached.at > CACHE_MS) cached = { at: now, value: probe() };
    return cached.value;
  };
}
