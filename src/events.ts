/**
 * Status-change events, published by trackers and callbacks, consumed by subscriptions. Payloads carry only ids and
 * statuses: a subscriber re-reads the state it shows, so an event is a wake-up call, never the data itself.
 * In one process the bus is in memory; with Redis the same bus rides on a Redis event target (issue: live status).
 */
import { createPubSub, type PubSub, type PubSubEventTarget } from 'graphql-yoga';

export interface StatusEvent {
  id: string;
  status: string;
}

/**
 * One topic per kind of work (`jobUpdated`, `emotionTaskUpdated`, `mediaAnalysisUpdated`, ...), each keyed by the
 * work's id. Kinds are not listed here: a provider's schema names the topic its subscription listens on.
 */
export type GatewayEventMap = Record<string, [id: string, event: StatusEvent]>;

export type GatewayEvents = PubSub<GatewayEventMap>;

export function createEventBus(eventTarget?: PubSubEventTarget<GatewayEventMap>): GatewayEvents {
  return createPubSub<GatewayEventMap>(eventTarget ? { eventTarget } : undefined);
}

/**
 * Tells live subscriptions to re-read their state now: after the backend reconnected, pub/sub messages may have
 * been lost, and a subscriber must not wait forever for one.
 */
export class ResyncSignal {
  private readonly listeners = new Set<() => void>();

  listen(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  trigger(): void {
    for (const listener of this.listeners) listener();
  }
}
