/** A Phonexia emotion task, live: its status, then each channel's four emotions. */
import { useLive, useNow } from '../api/hooks.js';
import { PhonexiaBars } from '../charts/speech.js';
import { dateTime } from '../format.js';
import { TaskLive } from '../operations.js';
import { ErrorMessage, isFinal, StatusBadge, taskPhase } from '../status.js';

export function TaskView({ id }: { id: string }) {
  const live = useLive(TaskLive, { id }, id);
  const task = live.data?.emotionTaskUpdated ?? null;
  const phase = task ? taskPhase(task.status) : 'queued';
  const now = useNow(Boolean(task) && !isFinal(phase));
  if (live.error && !task) return <ErrorMessage error={/not started|unknown/.test(live.error.message) ? `There is no task ${id} (or it is not yours).` : live.error} />;
  if (!task) return <p class="loading">Connecting to the task…</p>;
  const started = Date.parse(task.createdAt);
  return (
    <section aria-labelledby="task-title">
      <h1 id="task-title">
        Phonexia task <span class="subtle">of {task.request.fileName}</span>
      </h1>
      <p class="meta" aria-live="polite">
        <StatusBadge phase={phase} elapsedMs={(isFinal(phase) ? Date.parse(task.updatedAt) : now) - started} /> started {dateTime(task.createdAt)} ·{' '}
        {task.request.channelMode === 'MIX' ? 'channels mixed' : 'each channel on its own'}
      </p>
      {task.error && <ErrorMessage error={`Phonexia: ${task.error.message}`} />}
      <div class="grid">
        {(task.channels ?? []).map((channel) => (
          <article class="card" key={channel.channel}>
            <h2>Channel {channel.channel}</h2>
            <PhonexiaBars emotions={channel.emotions} speechLength={channel.speechLength} />
          </article>
        ))}
      </div>
      {!task.channels && !isFinal(phase) && <p class="chart-placeholder" style={{ height: '160px' }}>Phonexia is listening…</p>}
    </section>
  );
}
