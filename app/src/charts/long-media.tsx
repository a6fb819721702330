/**
 * The top emotions over time of one prediction group of a job (a face, a speaker), for media of any length: the
 * chart shows a time window and loads only what that window needs, in fixed chunks of time, each read page by page
 * through the group's Relay connection (`predictions(timeFrom, timeTo, first, after)`). Chunks are kept, so going
 * back costs nothing, and the chunk after the window is fetched ahead. A 3-hour video is 32,400 face frames; a
 * window of two minutes is 360 of them, one page.
 *
 * Keyboard: the chart takes focus; ←/→ move the window, + and − zoom. With a pointer, drag across the chart to zoom
 * into a stretch.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { execute } from '../api/client.js';
import { asRequestError } from '../api/hooks.js';
import { clock, count } from '../format.js';
import { BurstPage, FacePage, ProsodyPage } from '../operations.js';
import { ErrorMessage } from '../status.js';
import { emotionColor } from './colors.js';
import { UPlotChart, type SeriesSpec } from './uplot-chart.js';

export type TimedModel = 'face' | 'prosody' | 'burst';

const CHUNK_SECONDS = 120;
const PAGE_SIZE = 1000;
const MIN_WINDOW = 10;
const MAX_WINDOW = 30 * 60;
const DEFAULT_WINDOW = 120;
const TOP_EMOTIONS = 5;
const HEIGHT = 260;

interface Point {
  t: number;
  emotions: Array<{ name: string; score: number }>;
}

interface Chunk {
  points: Point[];
  pages: number;
}

interface Connection {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  nodes: Array<{ time: number | { begin: number }; emotions: Array<{ name: string; score: number }> }>;
}

interface GroupKey {
  jobId: string;
  file: string;
  model: TimedModel;
  groupId: string;
}

/** The group's connection inside a page answer (the job's every file and group share one query shape). */
function connectionOf(data: unknown, key: GroupKey): Connection | null {
  const job = (data as { job: { predictions: Array<{ predictions: Array<{ file: string; models: Record<string, { groupedPredictions: Array<{ id: string; predictions: Connection }> } | null> }> | null }> | null } | null }).job;
  for (const source of job?.predictions ?? [])
    for (const file of source.predictions ?? []) {
      if (file.file !== key.file) continue;
      const group = file.models[key.model]?.groupedPredictions.find((g) => g.id === key.groupId);
      if (group) return group.predictions;
    }
  return null;
}

async function loadChunk(key: GroupKey, index: number, signal: AbortSignal): Promise<Chunk> {
  const from = index * CHUNK_SECONDS;
  const to = from + CHUNK_SECONDS;
  const points: Point[] = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const variables = { id: key.jobId, from, to, after, first: PAGE_SIZE };
    const data: unknown =
      key.model === 'face'
        ? await execute(FacePage, variables, { signal })
        : key.model === 'prosody'
          ? await execute(ProsodyPage, variables, { signal })
          : await execute(BurstPage, variables, { signal });
    const connection = connectionOf(data, key);
    if (!connection) throw new Error('the job no longer has these predictions');
    pages++;
    for (const node of connection.nodes) points.push({ t: typeof node.time === 'number' ? node.time : node.time.begin, emotions: node.emotions });
    after = connection.pageInfo.hasNextPage ? (connection.pageInfo.endCursor ?? null) : null;
  } while (after);
  // The window is inclusive at both ends: a prediction on a boundary belongs to the chunk it starts in.
  return { points: points.filter((p) => p.t >= from && p.t < to), pages };
}

function chunksOf(start: number, length: number): number[] {
  const first = Math.floor(start / CHUNK_SECONDS);
  const last = Math.floor(Math.max(start, start + length - 1e-9) / CHUNK_SECONDS);
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** The window's most prominent emotions (how often and how strongly each is among a frame's top eight). */
function seriesOf(points: Point[]): { x: number[]; series: SeriesSpec[]; values: Array<Array<number | null>> } {
  const weight = new Map<string, number>();
  for (const point of points) for (const e of point.emotions) weight.set(e.name, (weight.get(e.name) ?? 0) + e.score);
  const names = [...weight.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_EMOTIONS)
    .map(([name]) => name);
  return {
    x: points.map((p) => p.t),
    series: names.map((label) => ({ label, color: emotionColor(label) })),
    values: names.map((name) => points.map((p) => p.emotions.find((e) => e.name === name)?.score ?? null)),
  };
}

export function LongMediaChart(props: GroupKey & { totalCount: number; durationSeconds: number; title: string }) {
  const duration = Math.max(props.durationSeconds, 1);
  const [view, setView] = useState({ start: 0, length: Math.min(DEFAULT_WINDOW, duration) });
  const chunks = useRef(new Map<number, Chunk>());
  const pending = useRef(new Map<number, AbortController>());
  const [loadedRound, setLoadedRound] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const key = `${props.jobId}|${props.file}|${props.model}|${props.groupId}`;

  const clamp = (start: number, length: number) => {
    const l = Math.min(Math.max(length, MIN_WINDOW), MAX_WINDOW, duration);
    return { start: Math.min(Math.max(0, start), Math.max(0, duration - l)), length: l };
  };

  // Load the window's chunks, then the next one ahead (only once the window is complete: it must not slow what
  // the person is waiting for); drop fetches for chunks the window has left behind.
  useEffect(() => {
    const shown = chunksOf(view.start, view.length);
    const ahead = shown.at(-1)! + 1;
    const complete = shown.every((index) => chunks.current.has(index));
    const wanted = complete && ahead * CHUNK_SECONDS < duration ? [...shown, ahead] : shown;
    for (const [index, controller] of pending.current)
      if (!wanted.includes(index) && !(index === ahead && !complete)) {
        controller.abort();
        pending.current.delete(index);
      }
    for (const index of wanted) {
      if (chunks.current.has(index) || pending.current.has(index)) continue;
      const controller = new AbortController();
      pending.current.set(index, controller);
      loadChunk(props, index, controller.signal).then(
        (chunk) => {
          chunks.current.set(index, chunk);
          pending.current.delete(index);
          setLoadedRound((r) => r + 1);
        },
        (failure: unknown) => {
          pending.current.delete(index);
          if (!controller.signal.aborted) setError(`Predictions from ${clock(index * CHUNK_SECONDS)} could not be loaded: ${asRequestError(failure).message}`);
          setLoadedRound((r) => r + 1);
        },
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view.start, view.length, key, loadedRound]);
  useEffect(() => () => pending.current.forEach((controller) => controller.abort()), []);

  const end = view.start + view.length;
  const inView = chunksOf(view.start, view.length);
  const loading = inView.some((index) => !chunks.current.has(index));
  const data = useMemo(() => {
    const points = inView.flatMap((index) => chunks.current.get(index)?.points ?? []).filter((p) => p.t >= view.start && p.t <= end);
    return seriesOf(points);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loadedRound, view.start, view.length]);
  const loadedPoints = [...chunks.current.values()].reduce((sum, chunk) => sum + chunk.points.length, 0);
  const pages = [...chunks.current.values()].reduce((sum, chunk) => sum + chunk.pages, 0);

  const move = (fraction: number) => setView((v) => clamp(v.start + v.length * fraction, v.length));
  const zoom = (factor: number) => setView((v) => clamp(v.start + v.length / 2 - (v.length * factor) / 2, v.length * factor));

  return (
    <div class="long-media" data-model={props.model}>
      <div class="toolbar" role="group" aria-label={`${props.title}: time window`}>
        <button type="button" onClick={() => move(-0.8)} disabled={view.start <= 0}>
          ◀ Earlier
        </button>
        <button type="button" onClick={() => move(0.8)} disabled={end >= duration}>
          Later ▶
        </button>
        <button type="button" onClick={() => zoom(0.5)} disabled={view.length <= MIN_WINDOW}>
          Zoom in
        </button>
        <button type="button" onClick={() => zoom(2)} disabled={view.length >= Math.min(MAX_WINDOW, duration)}>
          Zoom out
        </button>
        <label class="position">
          <span class="visually-hidden">Position in the media</span>
          <input
            type="range"
            min={0}
            max={Math.max(0, Math.floor(duration - view.length))}
            step={1}
            value={Math.floor(view.start)}
            aria-valuetext={`${clock(view.start)} to ${clock(end)}`}
            onInput={(event) => setView((v) => clamp(Number(event.currentTarget.value), v.length))}
          />
        </label>
      </div>
      <div
        class="chart-frame"
        tabIndex={0}
        aria-label={`${props.title}, ${clock(view.start)} to ${clock(end)}. Arrow keys move, plus and minus zoom.`}
        onKeyDown={(event) => {
          const handled: Record<string, () => void> = { ArrowLeft: () => move(-0.25), ArrowRight: () => move(0.25), '+': () => zoom(0.5), '=': () => zoom(0.5), '-': () => zoom(2) };
          const action = handled[event.key];
          if (action) {
            event.preventDefault();
            action();
          }
        }}
      >
        <UPlotChart
          {...data}
          xRange={[view.start, end]}
          height={HEIGHT}
          label={`${props.title}: top emotions over time`}
          onSelect={(from, to) => setView(clamp(from, to - from))}
        />
        {loading && <div class="chart-loading">Loading {clock(view.start)}–{clock(end)}…</div>}
      </div>
      <p class="window-status" aria-live="polite" data-window-start={Math.round(view.start)} data-window-end={Math.round(end)} data-loaded={loadedPoints} data-pages={pages}>
        Showing {clock(view.start)}–{clock(end)} of {clock(duration)} · {count(loadedPoints)} of {count(props.totalCount)} predictions loaded ({count(pages)}{' '}
        {pages === 1 ? 'page' : 'pages'})
      </p>
      {error && <ErrorMessage error={error} />}
    </div>
  );
}
