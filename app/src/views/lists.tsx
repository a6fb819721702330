/**
 * The caller's analyses, jobs, tasks and runs, newest first, paged through their Relay connections ("Show more"
 * asks for the next page after the last cursor). Rows of running work follow their own subscription, so the list
 * stays live without reloading.
 */
import { useEffect, useState } from 'preact/hooks';
import type { TypedDocumentString } from '../gql/graphql.js';
import { execute } from '../api/client.js';
import { asRequestError, useLive } from '../api/hooks.js';
import { dateTime, plural, providerName } from '../format.js';
import { Analyses, AnalysisStatus, Jobs, JobStatus, Runs, RunStatus, Tasks, TaskStatus } from '../operations.js';
import { href, type ListKind } from '../router.js';
import { analysisPhase, ErrorMessage, isFinal, jobPhase, runPhase, StatusBadge, taskPhase, type Phase } from '../status.js';

interface Row {
  id: string;
  name: string;
  detail: string;
  createdAt: string;
  status: string;
}

interface Page {
  rows: Row[];
  endCursor: string | null;
  hasNextPage: boolean;
}

interface ListDefinition {
  title: string;
  empty: string;
  link: (id: string) => string;
  phase: (status: string) => Phase;
  load: (after: string | null) => Promise<Page>;
  /** The row's status as it changes, while it is not final. */
  useStatus: (id: string, follow: boolean) => string | null;
}

function liveStatus<R>(document: TypedDocumentString<R, { id: string }>, pick: (data: R) => string) {
  return (id: string, follow: boolean) => {
    const live = useLive(document, { id }, follow ? id : null);
    return live.data ? pick(live.data) : null;
  };
}

const pageOf = <N,>(connection: { pageInfo: { hasNextPage: boolean; endCursor?: string | null }; nodes: N[] }, row: (node: N) => Row): Page => ({
  rows: connection.nodes.map(row),
  endCursor: connection.pageInfo.endCursor ?? null,
  hasNextPage: connection.pageInfo.hasNextPage,
});

const LISTS: Record<ListKind, ListDefinition> = {
  analyses: {
    title: 'Analyses',
    empty: 'No analysis yet: start one from “Analyse”.',
    link: href.analysis,
    phase: analysisPhase,
    load: async (after) =>
      pageOf((await execute(Analyses, { after })).mediaAnalyses, (a) => ({
        id: a.id,
        name: a.emotionTask?.request.fileName ?? (a.expressionRun?.request.__typename === 'AudioMeasurementRequest' ? a.expressionRun.request.fileName : 'analysis'),
        detail: a.sides.map((s) => providerName[s.provider] ?? s.provider).join(', '),
        createdAt: a.createdAt,
        status: a.status,
      })),
    useStatus: liveStatus(AnalysisStatus, (d) => d.mediaAnalysisUpdated.status),
  },
  jobs: {
    title: 'Hume batch jobs',
    empty: 'No job yet: start one from “Face or voice job”.',
    link: href.job,
    phase: jobPhase,
    load: async (after) =>
      pageOf((await execute(Jobs, { after })).jobs, (j) => ({
        id: j.id,
        name: [...j.request.urls, ...j.request.files.map((f) => f.filename ?? 'file')][0] ?? (j.request.text.length ? 'text' : 'job'),
        detail: plural(j.request.urls.length + j.request.files.length + j.request.text.length, 'input'),
        createdAt: j.state.createdAt,
        status: j.status,
      })),
    useStatus: liveStatus(JobStatus, (d) => d.jobUpdated.status),
  },
  tasks: {
    title: 'Phonexia tasks',
    empty: 'No task yet: analyses with Phonexia start one.',
    link: href.task,
    phase: taskPhase,
    load: async (after) =>
      pageOf((await execute(Tasks, { after })).emotionTasks, (t) => ({ id: t.id, name: t.request.fileName, detail: 'Phonexia', createdAt: t.createdAt, status: t.status })),
    useStatus: liveStatus(TaskStatus, (d) => d.emotionTaskUpdated.status),
  },
  runs: {
    title: 'Hume expression runs',
    empty: 'No run yet: analyses with Hume expression, and “Images”, start one.',
    link: href.run,
    phase: runPhase,
    load: async (after) =>
      pageOf((await execute(Runs, { after })).expressionRuns, (r) => ({
        id: r.id,
        name: r.request.__typename === 'AudioMeasurementRequest' ? r.request.fileName : r.request.__typename === 'ImageMeasurementRequest' ? r.request.fileNames.join(', ') : 'run',
        detail: r.kind === 'AUDIO' ? 'speech' : 'faces',
        createdAt: r.createdAt,
        status: r.status,
      })),
    useStatus: liveStatus(RunStatus, (d) => d.expressionRunUpdated.status),
  },
};

function ListRow({ row, list }: { row: Row; list: ListDefinition }) {
  const follow = !isFinal(list.phase(row.status));
  const status = list.useStatus(row.id, follow) ?? row.status;
  return (
    <li class="row" data-id={row.id}>
      <a href={list.link(row.id)} class="row-name">
        {row.name}
      </a>
      <span class="row-detail">{row.detail}</span>
      <span class="row-date">{dateTime(row.createdAt)}</span>
      <StatusBadge phase={list.phase(status)} />
    </li>
  );
}

export function ListView({ kind }: { kind: ListKind }) {
  const list = LISTS[kind];
  const [pages, setPages] = useState<Page[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const loadMore = async (after: string | null, reset: boolean) => {
    setLoading(true);
    setError(null);
    try {
      const page = await list.load(after);
      setPages((current) => (reset ? [page] : [...current, page]));
    } catch (failure) {
      setError(asRequestError(failure).message);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    setPages([]);
    void loadMore(null, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind]);

  const rows = pages.flatMap((page) => page.rows);
  const last = pages.at(-1);
  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">{list.title}</h1>
      {error && <ErrorMessage error={error} />}
      {!loading && !error && rows.length === 0 && <p class="hint">{list.empty}</p>}
      <ul class="rows card" aria-busy={loading}>
        {rows.map((row) => (
          <ListRow key={row.id} row={row} list={list} />
        ))}
      </ul>
      <div class="actions">
        {last?.hasNextPage && (
          <button type="button" onClick={() => loadMore(last.endCursor, false)} disabled={loading}>
            {loading ? 'Loading…' : 'Show more'}
          </button>
        )}
        {loading && !last && <span class="loading">Loading…</span>}
      </div>
    </section>
  );
}
