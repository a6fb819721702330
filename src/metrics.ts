/**
 * Prometheus metrics (prom-client) at `/metrics`: GraphQL operations, provider calls (requests, errors, latency,
 * retries, 429s), tracked work and live connections. Each gateway has its own registry, so tests can run several.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ProviderError } from './providers/http.js';
import { ProviderHttpError } from './providers/http.js';

/** The hooks provider clients call; see ProviderObserver in providers/http.ts. */
export interface GatewayMetrics {
  registry: Registry;
  providerObserver: {
    requestFinished(provider: string, operation: string, status: number | 'error', durationMs: number): void;
    retrying(provider: string, operation: string, failure: ProviderError, delayMs: number): void;
  };
  /** Counts and times one executed query or mutation (names beyond the first thousand share no cached labels). */
  recordOperation(type: string, name: string, failed: boolean, seconds: number): void;
  recordSubscription(name: string): void;
  /** Reports a gauge value on every scrape. */
  gauge(name: string, help: string, labelNames: string[], collect: () => Array<{ labels: Record<string, string>; value: number }>): void;
}

export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations executed, by type, name and outcome.',
    labelNames: ['type', 'name', 'outcome'],
    registers: [registry],
  });
  const operationSeconds = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time to execute a GraphQL query or mutation.',
    labelNames: ['type', 'name'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const providerRequests = new Counter({
    name: 'provider_requests_total',
    help: 'HTTP requests to a provider, by operation and status (or "error" when no answer came).',
    labelNames: ['provider', 'operation', 'status'],
    registers: [registry],
  });
  const providerErrors = new Counter({
    name: 'provider_errors_total',
    help: 'Provider requests that failed: non-2xx answers and network failures.',
    labelNames: ['provider', 'operation'],
    registers: [registry],
  });
  const providerSeconds = new Histogram({
    name: 'provider_request_duration_seconds',
    help: 'Provider request latency until the response headers.',
    labelNames: ['provider', 'operation'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const providerRetries = new Counter({
    name: 'provider_retries_total',
    help: 'Provider requests repeated after a retryable failure.',
    labelNames: ['provider', 'operation', 'reason'],
    registers: [registry],
  });
  const providerRateLimited = new Counter({
    name: 'provider_rate_limited_total',
    help: '429 answers from a provider.',
    labelNames: ['provider', 'operation'],
    registers: [registry],
  });

  const operationChildren = new Map<string, { ok: { inc(): void }; error: { inc(): void }; seconds: { observe(value: number): void } }>();

  return {
    registry,
    providerObserver: {
      requestFinished(provider, operation, status, durationMs) {
        providerRequests.inc({ provider, operation, status: String(status) });
        providerSeconds.observe({ provider, operation }, durationMs / 1000);
        if (status === 'error' || status >= 400) providerErrors.inc({ provider, operation });
        if (status === 429) providerRateLimited.inc({ provider, operation });
      },
      retrying(provider, operation, failure) {
        const reason = failure instanceof ProviderHttpError ? String(failure.status) : 'network';
        providerRetries.inc({ provider, operation, reason });
      },
    },
    recordOperation(type, name, failed, seconds) {
      // Label children are looked up once per operation kind, not hashed again on every request.
      const key = `${type}\u0000${name}`;
      let children = operationChildren.get(key);
      if (!children) {
        children = {
          ok: operations.labels({ type, name, outcome: 'ok' }),
          error: operations.labels({ type, name, outcome: 'error' }),
          seconds: operationSeconds.labels({ type, name }),
        };
        if (operationChildren.size < 1000) operationChildren.set(key, children);
      }
      (failed ? children.error : children.ok).inc();
      children.seconds.observe(seconds);
    },
    recordSubscription(name) {
      operations.inc({ type: 'subscription', name, outcome: 'started' });
    },
    gauge(name, help, labelNames, collect) {
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        collect() {
          this.reset();
          for (const { labels, value } of collect()) this.set(labels, value);
        },
      });
    },
  };
}
