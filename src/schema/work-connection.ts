/**
 * A Relay page of the caller's own work (tasks, analyses), newest first, over the gateway's work index
 * (src/work-index.ts): cursors are index positions, so a page costs its own entries and nothing before them. Work
 * the index names but the gateway no longer has (expired at the provider) is left out.
 */
import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../context.js';

export const MAX_WORK_PAGE = 100;
const DEFAULT_WORK_PAGE = 20;
/** Index entries read for one page at most: a page of vanished work costs a bounded scan, not the whole index. */
const MAX_SCANNED = 2_000;

type Cursor = { s: number; m: string };
const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(raw: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    if (Number.isFinite(value.s) && typeof value.m === 'string') return value;
  } catch {
    // fall through
  }
  throw new GraphQLError('after is not a cursor from this connection', { extensions: { code: 'BAD_USER_INPUT' } });
}

export async function pageOfWork<N>(
  ctx: GatewayContext,
  kind: string,
  args: { first?: number | null; after?: string | null },
  /** The node for an indexed id; null leaves it out. */
  load: (id: string) => Promise<N | null>,
) {
  const first = args.first ?? DEFAULT_WORK_PAGE;
  if (first < 0 || first > MAX_WORK_PAGE) throw new GraphQLError(`first must be between 0 and ${MAX_WORK_PAGE}`, { extensions: { code: 'BAD_USER_INPUT' } });
  let position = args.after ? decodeCursor(args.after) : undefined;
  const edges: Array<{ cursor: string; node: N }> = [];
  let more = false;
  let scanned = 0;
  while (!more && scanned < MAX_SCANNED) {
    // One entry more than the page needs tells whether there is a next page.
    const entries = await ctx.services.work.page(kind, ctx.tenant, Math.min(200, first + 1 - edges.length), position && { score: position.s, member: position.m });
    if (entries.length === 0) break;
    scanned += entries.length;
    const nodes = await Promise.all(entries.map((entry) => load(entry.member)));
    for (const [i, entry] of entries.entries()) {
      const node = nodes[i];
      if (node === null || node === undefined) {
        position = { s: entry.score, m: entry.member };
        continue;
      }
      if (edges.length === first) {
        more = true;
        break;
      }
      position = { s: entry.score, m: entry.member };
      edges.push({ cursor: encodeCursor(position), node });
    }
  }
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
