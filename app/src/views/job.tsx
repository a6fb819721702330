/**
 * A Hume batch job, live until it ends; then, per file, the top emotions over time for each face or speaker
 * (loaded window by window, however long the media), or the faces of each image.
 */
import { useLive, useNow, useQuery } from '../api/hooks.js';
import { LongMediaChart, type TimedModel } from '../charts/long-media.js';
import { count, dateTime } from '../format.js';
import type { AppJobContentsQuery } from '../gql/graphql.js';
import { JobContents, JobImageFaces, JobLive } from '../operations.js';
import { ErrorMessage, isFinal, jobPhase, StatusBadge } from '../status.js';
import { ImageFaces } from './faces.js';

type Source = NonNullable<NonNullable<AppJobContentsQuery['job']>['predictions']>[number];
type FilePrediction = NonNullable<Source['predictions']>[number];

const MODEL_TITLE: Record<TimedModel, string> = { face: 'Faces', prosody: 'Voice (prosody)', burst: 'Vocal bursts' };

function sourceName(source: Source): string {
  const s = source.source;
  return s.__typename === 'UrlSource' ? s.url : s.__typename === 'FileSource' ? (s.filename ?? 'uploaded file') : 'text';
}

/** The file's timed groups: each model that ran, each face or speaker in it, with its size and length. */
function timedGroups(file: FilePrediction) {
  const groups: Array<{ model: TimedModel; id: string; label: string; totalCount: number; durationSeconds: number }> = [];
  const { face, prosody, burst } = file.models;
  for (const g of face?.groupedPredictions ?? [])
    groups.push({ model: 'face', id: g.id, label: g.label, totalCount: g.predictions.totalCount, durationSeconds: g.predictions.nodes[0]?.time ?? 0 });
  for (const [model, groupsOfModel] of [['prosody', prosody?.groupedPredictions], ['burst', burst?.groupedPredictions]] as const)
    for (const g of groupsOfModel ?? [])
      groups.push({ model, id: g.id, label: g.label, totalCount: g.predictions.totalCount, durationSeconds: g.predictions.nodes[0]?.time.end ?? 0 });
  return groups;
}

function JobImages({ id }: { id: string }) {
  const query = useQuery(JobImageFaces, { id }, id);
  if (query.error) return <ErrorMessage error={query.error} />;
  if (!query.data) return <p class="loading">Loading the faces…</p>;
  const files = (query.data.job?.predictions ?? []).flatMap((s) => s.predictions ?? []).filter((f) => f.fileType === 'image');
  return (
    <div class="grid">
      {files.map((file) => (
        <ImageFaces
          key={file.file}
          fileName={file.file}
          faces={(file.models.face?.groupedPredictions ?? []).flatMap((group) =>
            group.predictions.nodes.map((face, i) => ({
              key: `${group.id}-${i}`,
              title: `Face ${i + 1}`,
              detail: null,
              emotions: face.emotions,
            })),
          )}
        />
      ))}
    </div>
  );
}

function JobResults({ id }: { id: string }) {
  const contents = useQuery(JobContents, { id }, id);
  if (contents.error) return <ErrorMessage error={contents.error} />;
  if (!contents.data) return <p class="chart-placeholder" style={{ height: '300px' }}>Loading the predictions…</p>;
  const sources = contents.data.job?.predictions ?? [];
  const files = sources.flatMap((source) => (source.predictions ?? []).map((file) => ({ source, file })));
  const hasImages = files.some(({ file }) => file.fileType === 'image');
  return (
    <>
      {sources
        .filter((source) => source.error || source.errors.length > 0)
        .map((source) => (
          <ErrorMessage key={sourceName(source)} error={`${sourceName(source)}: ${source.error ?? source.errors.map((e) => `${e.file}: ${e.message}`).join('; ')}`} />
        ))}
      {files
        .filter(({ file }) => file.fileType !== 'image')
        .map(({ source, file }) => {
          const groups = timedGroups(file);
          return (
            <article class="card" key={`${sourceName(source)}|${file.file}`} data-file={file.file}>
              <h2>{file.file}</h2>
              {groups.length === 0 && <p class="hint">No model with predictions over time ran on this file.</p>}
              {groups.map((group) => (
                <section key={group.id} class="group">
                  <h3>
                    {MODEL_TITLE[group.model]}
                    {group.label !== 'unknown' && <> · {group.label}</>} <span class="subtle">{count(group.totalCount)} predictions</span>
                  </h3>
                  {group.totalCount === 0 ? (
                    <p class="hint">Nothing detected.</p>
                  ) : (
                    <LongMediaChart
                      jobId={id}
                      file={file.file}
                      model={group.model}
                      groupId={group.id}
                      totalCount={group.totalCount}
                      durationSeconds={group.durationSeconds}
                      title={`${MODEL_TITLE[group.model]} in ${file.file}`}
                    />
                  )}
                </section>
              ))}
            </article>
          );
        })}
      {hasImages && <JobImages id={id} />}
    </>
  );
}

export function JobView({ id }: { id: string }) {
  const live = useLive(JobLive, { id }, id);
  const job = live.data?.jobUpdated ?? null;
  const phase = job ? jobPhase(job.status) : 'queued';
  const now = useNow(Boolean(job) && !isFinal(phase));
  if (live.error && !job) return <ErrorMessage error={/unknown/.test(live.error.message) ? `There is no job ${id} (or it is not yours).` : live.error} />;
  if (!job) return <p class="loading">Connecting to the job…</p>;
  const state = job.state;
  const ended = 'endedAt' in state ? Date.parse(state.endedAt) : null;
  const inputs = [...job.request.urls, ...job.request.files.map((f) => f.filename ?? 'uploaded file'), ...(job.request.text.length ? [`${job.request.text.length} texts`] : [])];
  return (
    <section aria-labelledby="job-title">
      <h1 id="job-title">
        Hume batch job <span class="subtle">{inputs.length === 1 ? `of ${inputs[0]}` : `of ${inputs.length} inputs`}</span>
      </h1>
      <p class="meta" aria-live="polite">
        <StatusBadge phase={phase} elapsedMs={(ended ?? now) - Date.parse(state.createdAt)} /> started {dateTime(state.createdAt)}
        {state.__typename === 'JobCompleted' && state.numErrors > 0 && <> · {count(state.numErrors)} files failed</>}
      </p>
      {state.__typename === 'JobFailed' && <ErrorMessage error={`Hume: ${state.message}`} />}
      {job.status === 'COMPLETED' ? (
        <JobResults id={id} />
      ) : (
        !isFinal(phase) && <p class="chart-placeholder" style={{ height: '300px' }}>The results appear here when the job completes.</p>
      )}
    </section>
  );
}
