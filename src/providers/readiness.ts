/**
 * Readiness of a provider from one cheap authenticated call: reachable and the gateway's credentials accepted.
 * A 401 or 403 means every real call will fail too, so the gateway is not ready and says which provider.
 */
import { ProviderHeldBackError } from '../domain/failures.js';
import type { ReadinessCheck } from '../domain/provider.js';

const TIMEOUT_MS = 2_000;

export async function probeReadiness(name: string, probe: () => Promise<number>): Promise<ReadinessCheck> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS);
  });
  try {
    const status = await Promise.race([probe(), timeout]);
    if (status === 'timeout') return { name, ok: false, detail: 'timed out' };
    if (status === 401 || status === 403) return { name, ok: false, detail: `credentials rejected (HTTP ${status})` };
    return { name, ok: true, detail: `HTTP ${status}` };
  } catch (error) {
    // Held back by the provider's own rate limit: reachable, and it knew the key well enough to limit it.
    if (error instanceof ProviderHeldBackError) return { name, ok: true, detail: 'rate limited' };
    return { name, ok: false, detail: 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}
