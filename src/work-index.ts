/**
 * Who started each piece of work, and each tenant's work newest first. Providers keep no such thing (Hume's job list
 * is the whole account's, Phonexia and Hume expression list nothing per caller), so lists and ownership checks read
 * the gateway's own index. Kept as long as the work records themselves.
 */
import type { GatewayStore, IndexEntry, IndexPosition } from './store/store.js';

export const WORK_RETENTION_MS = 30 * 24 * 3600 * 1000;
const OWNERS = 'work-owner';
/** The index of every tenant's work (tenant names cannot contain it: it is not a claim value a token gives). */
const ALL_TENANTS = '\u0000all';

/** The index a viewer lists: its tenant's, or everyone's for an admin. */
export const listScope = (viewer: { tenant: string; admin: boolean }) => (viewer.admin ? ALL_TENANTS : viewer.tenant);

export class WorkIndex {
  constructor(
    private readonly store: GatewayStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records that `tenant` started work `id` of `kind` (e.g. `expression-run`) at `createdAt`. */
  async record(kind: string, id: string, tenant: string, createdAt: number): Promise<void> {
    await this.store.put(OWNERS, `${kind}:${id}`, tenant, WORK_RETENTION_MS);
    await this.store.indexAdd(`${kind}:${tenant}`, id, createdAt);
    // Operators with the admin scope list every tenant's work.
    await this.store.indexAdd(`${kind}:${ALL_TENANTS}`, id, createdAt);
  }

  /** The tenant that started it; undefined when the gateway has no record (or it expired). */
  ownerOf(kind: string, id: string): Promise<string | undefined> {
    return this.store.get<string>(OWNERS, `${kind}:${id}`);
  }

  /** A page of the tenant's work, newest first, after `after`; entries past retention are dropped first. */
  async page(kind: string, tenant: string, limit: number, after?: IndexPosition): Promise<IndexEntry[]> {
    const index = `${kind}:${tenant}`;
    await this.store.indexTrim(index, this.now() - WORK_RETENTION_MS);
    return this.store.indexPage(index, limit, after);
  }
}
