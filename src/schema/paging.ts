/**
 * Relay pages over indexed lists (a prediction series or its time-window selection): offset cursors that jump
 * straight to their position, and only the page's items are materialised. Bad paging arguments are the client's
 * error (BAD_USER_INPUT), not an internal one.
 */
import { PothosValidationError } from '@pothos/core';
import { cursorToOffset, offsetForArgs, offsetToCursor } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import type { IndexSelection } from '../domain/predictions.js';

export const MAX_PAGE = 1000;
export const DEFAULT_PAGE = 100;

export type PageArgs = { first?: number | null; last?: number | null; after?: string | null; before?: string | null };

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

export function pageOfSelection<P>(args: PageArgs, selection: IndexSelection, at: (index: number) => P) {
  for (const key of ['first', 'last'] as const) {
    const value = args[key];
    if (value !== null && value !== undefined && (value < 0 || value > MAX_PAGE)) throw badInput(`${key} must be between 0 and ${MAX_PAGE}`);
  }
  let window: ReturnType<typeof offsetForArgs>;
  try {
    for (const key of ['after', 'before'] as const) {
      const cursor = args[key];
      if (cursor !== null && cursor !== undefined && !(cursorToOffset(cursor) >= 0)) throw new PothosValidationError(`${key} is not a cursor of this connection`);
    }
    window = offsetForArgs({
      args: {
        first: args.first ?? undefined,
        last: args.last ?? undefined,
        after: args.after ?? undefined,
        before: args.before ?? undefined,
      },
      defaultSize: DEFAULT_PAGE,
      maxSize: MAX_PAGE,
      totalCount: selection.length,
    });
  } catch (error) {
    if (error instanceof PothosValidationError) throw badInput(error.message);
    throw error;
  }
  const end = Math.min(selection.length, window.offset + window.expectedSize);
  const edges = [];
  for (let k = window.offset; k < end; k++) edges.push({ cursor: offsetToCursor(k), node: at(selection.at(k)) });
  return {
    edges,
    pageInfo: {
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
      hasPreviousPage: window.hasPreviousPage,
      hasNextPage: end < selection.length,
    },
  };
}
