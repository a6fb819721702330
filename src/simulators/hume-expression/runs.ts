/**
 * Runs (§6): the record of each measured upload and each realtime session, the list with its filters and
 * opaque cursor, and the per-run problem log.
 *
 * Choices where §6 is UNVERIFIED:
 * - a run shows `run_id, user_id, status, endpoint, mode, started_at, ended_at, close_code` (always present, null
 *   where it does not apply), plus `config` (the configuration it ran under) and `received` (audio: `audio_ms`;
 *   video: `images` or `frames`);
 * - `next_cursor` is null on the last page; a cursor encodes the position after the last run shown and the
 *   filters it was made with, and using it with other filters is a 400 `cursor_invalid`;
 * - a `live` run not heard from for 5 minutes reads `errored` (with `ended_at` = when last heard from) and `live`
 *   again once heard from, as §6.2 says;
 * - events: `{seq, at, kind, message}`; each kind is logged at most `eventCapPerKind` times per run (then
 *   `at_cap`, `capped_kinds`); `gaps` is always false (nothing is lost here);
 * - at most `maxRuns` runs are kept, the oldest dropped first (retention is not documented).
 */
import { randomUUID } from 'node:crypto';

export type RunStatus = 'live' | 'ended' | 'errored';
export type RunEndpoint = 'audio' | 'video';
export type RunMode = 'file' | 'realtime';

export const SILENCE_ERRORED_MS = 5 * 60_000;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface RunEvent {
  seq: number;
  at: string;
  kind: string;
  message: string;
}

export interface Run {
  id: string;
  seq: number;
  userId: string;
  endpoint: RunEndpoint;
  mode: RunMode;
  startedMs: number;
  endedMs: number | null;
  /** `live` until the run ends; the 5-minute silence rule is applied when read. */
  state: RunStatus;
  lastHeardMs: number;
  closeCode: number | null;
  config: unknown;
  received: Record<string, number>;
  events: RunEvent[];
  eventCounts: Map<string, number>;
  cappedKinds: Set<string>;
}

export class QueryError extends Error {
  constructor(
    readonly code: 'query_invalid' | 'cursor_invalid',
    message: string,
  ) {
    super(message);
  }
}

const STATUSES: readonly RunStatus[] = ['live', 'ended', 'errored'];
const MODES: readonly RunMode[] = ['realtime', 'file'];
const ENDPOINTS: readonly RunEndpoint[] = ['audio', 'video'];
const LIST_PARAMS = ['page_size', 'cursor', 'user_id', 'status', 'mode', 'endpoint', 'started_before', 'started_after'];
const EVENT_PARAMS = ['page_size', 'cursor'];
/** RFC 3339 date-time: date, `T`, time, optional fraction, `Z` or an offset. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const iso = (ms: number) => new Date(ms).toISOString();

export class RunStore {
  private readonly runs = new Map<string, Run>();
  private nextSeq = 1;

  constructor(
    private readonly now: () => number,
    private readonly limits: { maxRuns: number; eventCapPerKind: number },
  ) {}

  start(fields: { userId: string; endpoint: RunEndpoint; mode: RunMode; config: unknown; id?: string }): Run {
    const now = this.now();
    const run: Run = {
      id: fields.id ?? randomUUID(),
      seq: this.nextSeq++,
      userId: fields.userId,
      endpoint: fields.endpoint,
      mode: fields.mode,
      startedMs: now,
      endedMs: null,
      state: 'live',
      lastHeardMs: now,
      closeCode: null,
      config: fields.config,
      received: {},
      events: [],
      eventCounts: new Map(),
      cappedKinds: new Set(),
    };
    this.runs.set(run.id, run);
    while (this.runs.size > this.limits.maxRuns) this.runs.delete(this.runs.keys().next().value!);
    return run;
  }

  heardFrom(run: Run): void {
    run.lastHeardMs = this.now();
  }

  end(run: Run, status: 'ended' | 'errored', closeCode: number | null = null): void {
    if (run.state !== 'live') return;
    run.state = status;
    run.endedMs = this.now();
    run.closeCode = closeCode;
  }

  logEvent(run: Run, kind: string, message: string): void {
    const count = run.eventCounts.get(kind) ?? 0;
    if (count >= this.limits.eventCapPerKind) {
      run.cappedKinds.add(kind);
      return;
    }
    run.eventCounts.set(kind, count + 1);
    run.events.push({ seq: run.events.length + 1, at: iso(this.now()), kind, message });
  }

  get(id: string): Run | undefined {
    return this.runs.get(id.toLowerCase());
  }

  view(run: Run): Record<string, unknown> {
    const silent = run.state === 'live' && this.now() - run.lastHeardMs >= SILENCE_ERRORED_MS;
    return {
      run_id: run.id,
      user_id: run.userId,
      status: silent ? 'errored' : run.state,
      endpoint: run.endpoint,
      mode: run.mode,
      started_at: iso(run.startedMs),
      ended_at: silent ? iso(run.lastHeardMs) : run.endedMs === null ? null : iso(run.endedMs),
      close_code: run.closeCode,
      config: run.config,
      received: { ...run.received },
    };
  }

  list(query: URLSearchParams): { runs: unknown[]; next_cursor: string | null } {
    rejectUnknown(query, LIST_PARAMS);
    const pageSize = pageSizeOf(query);
    const filters = {
      user_id: single(query, 'user_id'),
      status: enumOf(query, 'status', STATUSES),
      mode: enumOf(query, 'mode', MODES),
      endpoint: enumOf(query, 'endpoint', ENDPOINTS),
      started_before: timeOf(query, 'started_before'),
      started_after: timeOf(query, 'started_after'),
    };
    const filterKey = JSON.stringify(filters);
    const after = cursorOf(query, filterKey);
    // Newest first; equal start times keep creation order reversed so paging is total.
    const rows = [...this.runs.values()]
      .filter((run) => {
        if (after && !(run.startedMs < after.startedMs || (run.startedMs === after.startedMs && run.seq < after.seq))) return false;
        if (filters.user_id !== undefined && run.userId !== filters.user_id) return false;
        if (filters.mode !== undefined && run.mode !== filters.mode) return false;
        if (filters.endpoint !== undefined && run.endpoint !== filters.endpoint) return false;
        if (filters.started_after !== undefined && run.startedMs < filters.started_after) return false;
        if (filters.started_before !== undefined && run.startedMs >= filters.started_before) return false;
        return true;
      })
      .map((run) => ({ run, view: this.view(run) }))
      .filter(({ view }) => filters.status === undefined || view.status === filters.status)
      .sort((a, b) => b.run.startedMs - a.run.startedMs || b.run.seq - a.run.seq);
    const page = rows.slice(0, pageSize);
    const last = page[page.length - 1]?.run;
    return {
      runs: page.map(({ view }) => view),
      next_cursor: rows.length > pageSize && last ? encodeCursor({ startedMs: last.startedMs, seq: last.seq, filterKey }) : null,
    };
  }

  events(run: Run, query: URLSearchParams): Record<string, unknown> {
    rejectUnknown(query, EVENT_PARAMS);
    const pageSize = pageSizeOf(query);
    const filterKey = `events:${run.id}`;
    const after = cursorOf(query, filterKey)?.seq ?? 0;
    const page = run.events.filter((e) => e.seq > after).slice(0, pageSize);
    const last = page[page.length - 1];
    const more = last !== undefined && last.seq < run.events.length;
    return {
      events: page,
      at_cap: run.cappedKinds.size > 0,
      capped_kinds: [...run.cappedKinds],
      gaps: false,
      next_cursor: more ? encodeCursor({ startedMs: 0, seq: last.seq, filterKey }) : null,
    };
  }
}

interface Cursor {
  startedMs: number;
  seq: number;
  filterKey: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.startedMs, cursor.seq, cursor.filterKey])).toString('base64url');
}

function cursorOf(query: URLSearchParams, filterKey: string): Cursor | undefined {
  const text = single(query, 'cursor');
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new QueryError('cursor_invalid', 'cursor is not a cursor returned by this endpoint');
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !Number.isInteger(parsed[0]) || !Number.isInteger(parsed[1]) || typeof parsed[2] !== 'string') {
    throw new QueryError('cursor_invalid', 'cursor is not a cursor returned by this endpoint');
  }
  if (parsed[2] !== filterKey) throw new QueryError('cursor_invalid', 'cursor was made with other filters: pass the same filters with it');
  return { startedMs: parsed[0], seq: parsed[1], filterKey };
}

function rejectUnknown(query: URLSearchParams, known: readonly string[]): void {
  for (const name of new Set(query.keys())) {
    if (!known.includes(name)) throw new QueryError('query_invalid', `unknown query parameter \`${name}\`; expected one of ${known.join(', ')}`);
  }
}

function single(query: URLSearchParams, name: string): string | undefined {
  const values = query.getAll(name);
  if (values.length > 1) throw new QueryError('query_invalid', `${name} may be given once`);
  return values[0];
}

function pageSizeOf(query: URLSearchParams): number {
  const text = single(query, 'page_size');
  if (text === undefined) return DEFAULT_PAGE_SIZE;
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_PAGE_SIZE) {
    throw new QueryError('query_invalid', `page_size must be an integer from 1 to ${MAX_PAGE_SIZE}, got "${text}"`);
  }
  return Number(text);
}

function enumOf<T extends string>(query: URLSearchParams, name: string, values: readonly T[]): T | undefined {
  const text = single(query, name);
  if (text === undefined) return undefined;
  if (!(values as readonly string[]).includes(text)) throw new QueryError('query_invalid', `${name} must be one of ${values.join(', ')}, got "${text}"`);
  return text as T;
}

function timeOf(query: URLSearchParams, name: string): number | undefined {
  const text = single(query, name);
  if (text === undefined) return undefined;
  const ms = RFC3339.test(text) ? Date.parse(text) : NaN;
  if (!Number.isFinite(ms)) throw new QueryError('query_invalid', `${name} must be an RFC 3339 date-time such as 2026-10-06T12:00:00Z, got "${text}"`);
  return ms;
}
