/**
 * Relay pages of the caller's own work (jobs, runs, tasks, analyses), newest first, over the gateway's index of who
 * started what (src/work-index.ts). Filters that need the work itself are applied while reading, with a bound on
 * how much of the index one page may scan, so a filter that matches nothing costs a bounded read.
 */
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';
import { isAfter, type IndexPosition } from '../store/store.js';
import { listScope } from '../work-index.js';

export const MAX_OWN_WORK_PAGE = 100;
/** Index entries read for one page at most. */
const MAX_SCANNED = 2_000;

type Cursor = { s: number; m: string };
const encodeCursor = (position: IndexPosition) => Buffer.from(JSON.stringify({ s: position.score, m: position.member } satisfies Cursor)).toString('base64url');

function decodeCursor(raw: string): IndexPosition {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (Number.isFinite(value.s) && typeof value.m === 'string') return { score: value.s, member: value.m };
  } catch {
    // fall through
  }
  throw new GraphQLError('after is not a cursor from this connection', { extensions: { code: 'BAD_USER_INPUT' } });
}

export interface OwnWorkOptions<T> {
  /** The work by id, through the operation's loaders (null when gone or not visible). */
  load(id: string): Promise<T | null>;
  /** Keeps only what matches the caller's filter. */
  keep?(item: T): boolean;
  createdBefore?: Date | null;
  createdAfter?: Date | null;
}

export async function pageOfOwnWork<T extends { id: string }>(
  ctx: GatewayContext,
  kind: string,
  args: { first?: number | null; after?: string | null; last?: number | null; before?: string | null },
  options: OwnWorkOptions<T>,
) {
  if (args.last !== null && args.last !== undefined) throw new GraphQLError('this connection pages forward only (first/after)', { extensions: { code: 'BAD_USER_INPUT' } });
  const first = args.first ?? 20;
  if (!Number.isInteger(first) || first < 0 || first > MAX_OWN_WORK_PAGE)
    throw new GraphQLError(`first must be between 0 and ${MAX_OWN_WORK_PAGE}`, { extensions: { code: 'BAD_USER_INPUT' } });
  // Start after the cursor, or below createdBefore, whichever is further along.
  let position: IndexPosition | undefined = args.after ? decodeCursor(args.after) : undefined;
  if (options.createdBefore) {
    const bound = { score: options.createdBefore.getTime(), member: '' };
    if (!position || isAfter(bound, position)) position = bound;
  }
  const floor = options.createdAfter?.getTime() ?? null;
  const edges: Array<{ cursor: string; node: { id: string } }> = [];
  let more = false;
  let scanned = 0;
  scan: while (scanned < MAX_SCANNED) {
    const entries = await ctx.services.work.page(kind, listScope(ctx.viewer), Math.min(200, first + 1 - edges.length + 20), position);
    if (entries.length === 0) break;
    scanned += entries.length;
    const items = await Promise.all(entries.map((entry) => (floor !== null && entry.score <= floor ? null : options.load(entry.member))));
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i]!;
      if (floor !== null && entry.score <= floor) break scan;
      position = entry;
      const item = items[i];
      if (!item || (options.keep && !options.keep(item))) continue;
      if (edges.length === first) {
        more = true;
        break scan;
      }
      edges.push({ cursor: encodeCursor(entry), node: { id: item.id } });
    }
  }
  // A scan cut short may have left matches behind: say there may be more, and the next page goes on from there.
  if (!more && scanned >= MAX_SCANNED && edges.length === first) more = true;
  return {
    edges,
    pageInfo: {
      hasNextPage: more,
      hasPreviousPage: Boolean(args.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
