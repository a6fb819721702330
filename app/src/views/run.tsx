/** A Hume expression run, live: speech per channel over time, or the faces of each image. */
import { useLive, useNow } from '../api/hooks.js';
import { CHART_HEIGHT, HumeSpeechChart, Pending } from '../charts/speech.js';
import { clock, dateTime } from '../format.js';
import { RunLive } from '../operations.js';
import { ErrorMessage, isFinal, runPhase, StatusBadge } from '../status.js';
import { ImageFaces } from './faces.js';

export function RunView({ id }: { id: string }) {
  const live = useLive(RunLive, { id }, id);
  const run = live.data?.expressionRunUpdated ?? null;
  const phase = run ? runPhase(run.status) : 'running';
  const now = useNow(Boolean(run) && !isFinal(phase));
  if (live.error && !run) return <ErrorMessage error={/unknown/.test(live.error.message) ? `There is no run ${id} (or it is not yours).` : live.error} />;
  if (!run) return <p class="loading">Connecting to the run…</p>;
  const request = run.request;
  const audio = request.__typename === 'AudioMeasurementRequest' ? request : null;
  const images = request.__typename === 'ImageMeasurementRequest' ? request : null;
  const xRange: [number, number] | null = audio && audio.durationMs > 0 ? [0, audio.durationMs / 1000] : null;
  return (
    <section aria-labelledby="run-title">
      <h1 id="run-title">
        Hume expression run <span class="subtle">{audio ? `of ${audio.fileName}` : `of ${images?.fileNames.length ?? 0} images`}</span>
      </h1>
      <p class="meta" aria-live="polite">
        <StatusBadge phase={phase} elapsedMs={(isFinal(phase) ? Date.parse(run.updatedAt) : now) - Date.parse(run.createdAt)} /> started {dateTime(run.createdAt)}
        {audio && <> · {clock(audio.durationMs / 1000)} long</>}
      </p>
      {run.error && <ErrorMessage error={`Hume expression: ${run.error}`} />}
      {audio &&
        audio.channels.map((channel) => {
          const measured = run.audio?.find((c) => c.channel === channel);
          return (
            <article class="card channel" key={channel} data-channel={channel}>
              <h2>Channel {channel}</h2>
              {measured ? (
                <HumeSpeechChart utterances={measured.utterances} xRange={xRange} syncKey={`run-${id}`} label={`Emotions over time for channel ${channel}`} />
              ) : (
                <Pending text={phase === 'failed' ? 'No measurements.' : 'Measuring…'} height={CHART_HEIGHT} />
              )}
            </article>
          );
        })}
      {images && (
        <div class="grid">
          {(run.images ?? images.fileNames.map((fileName) => ({ fileName, faces: null }))).map((image, i) => (
            image.faces === null ? (
              <Pending key={i} text={`${image.fileName}: measuring…`} height={120} />
            ) : (
              <ImageFaces
                key={i}
                fileName={image.fileName}
                faces={image.faces.map((face, f) => ({
                  key: String(f),
                  title: face.faceId ? `Face ${face.faceId}` : `Face ${f + 1}`,
                  detail: face.box ? `${Math.round(face.box.width)}×${Math.round(face.box.height)} px` : null,
                  emotions: face.emotions,
                }))}
              />
            )
          ))}
        </div>
      )}
    </section>
  );
}
