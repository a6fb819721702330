/**
 * One analysis, live: a status line per provider (queued, running, done, failed with the reason, elapsed time) from
 * `mediaAnalysisUpdated`, then one card per channel: Hume expression's emotions over time beside Phonexia's four.
 * The channel cards keep their size from the first message on, so nothing jumps when results arrive.
 */
import { useNow, useLive } from '../api/hooks.js';
import { CHART_HEIGHT, HumeSpeechChart, Pending, PhonexiaBars } from '../charts/speech.js';
import { clock, dateTime, providerName } from '../format.js';
import type { AppAnalysisLiveSubscription } from '../gql/graphql.js';
import { AnalysisLive } from '../operations.js';
import { href } from '../router.js';
import { analysisPhase, ErrorMessage, isFinal, jobPhase, runPhase, StatusBadge, taskPhase, type Phase } from '../status.js';

type Analysis = AppAnalysisLiveSubscription['mediaAnalysisUpdated'];

interface SideView {
  provider: string;
  phase: Phase;
  reason: string | null;
  startedAt: number | null;
  endedAt: number | null;
  link: string | null;
}

const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) : null);

function sidesOf(analysis: Analysis): SideView[] {
  return analysis.sides.map((side) => {
    const failure = analysis.failures.find((f) => f.provider === side.provider);
    const failed = (phase: Phase, reason?: string | null) => (failure ? { phase: 'failed' as Phase, reason: failure.message } : { phase, reason: reason ?? null });
    if (!side.workId) return { provider: side.provider, phase: 'failed', reason: failure?.message ?? 'The provider did not take the upload.', startedAt: null, endedAt: null, link: null };
    if (side.provider === 'PHONEXIA' && analysis.emotionTask) {
      const task = analysis.emotionTask;
      const phase = taskPhase(task.status);
      return { provider: side.provider, ...failed(phase, task.error?.message), startedAt: time(task.createdAt), endedAt: isFinal(phase) ? time(task.updatedAt) : null, link: href.task(task.id) };
    }
    if (side.provider === 'HUME_EXPRESSION' && analysis.expressionRun) {
      const run = analysis.expressionRun;
      const phase = runPhase(run.status);
      return { provider: side.provider, ...failed(phase, run.error), startedAt: time(run.createdAt), endedAt: isFinal(phase) ? time(run.updatedAt) : null, link: href.run(run.id) };
    }
    if (side.provider === 'HUME' && analysis.job) {
      const job = analysis.job;
      const phase = jobPhase(job.status);
      const state = job.state;
      const ended = 'endedAt' in state ? state.endedAt : null;
      return { provider: side.provider, ...failed(phase, 'message' in state ? state.message : null), startedAt: time(state.createdAt), endedAt: time(ended), link: href.job(job.id) };
    }
    return { provider: side.provider, phase: 'running', reason: null, startedAt: null, endedAt: null, link: null };
  });
}

export function AnalysisView({ id }: { id: string }) {
  const live = useLive(AnalysisLive, { id }, id);
  const analysis = live.data?.mediaAnalysisUpdated ?? null;
  const sides = analysis ? sidesOf(analysis) : [];
  const running = sides.some((side) => !isFinal(side.phase)) && !live.done;
  const now = useNow(running);

  if (live.error && !analysis)
    return <ErrorMessage error={live.error.kind === 'NOT_FOUND' || /unknown/.test(live.error.message) ? `There is no analysis ${id} (or it is not yours).` : live.error} />;
  if (!analysis) return <p class="loading">Connecting to the analysis…</p>;

  const run = analysis.expressionRun;
  const request = run?.request.__typename === 'AudioMeasurementRequest' ? run.request : null;
  const fileName = request?.fileName ?? analysis.emotionTask?.request.fileName ?? null;
  const expected = new Set<number>([...(request?.channels ?? []), ...(analysis.channels ?? []).map((c) => c.channel)]);
  const channels = [...expected].sort((a, b) => a - b);
  const usesHume = analysis.sides.some((s) => s.provider === 'HUME_EXPRESSION' && s.workId);
  const usesPhonexia = analysis.sides.some((s) => s.provider === 'PHONEXIA' && s.workId);
  const longest = Math.max(0, ...(analysis.channels ?? []).flatMap((c) => (c.utterances ?? []).map((u) => u.endMs)));
  const durationSeconds = (request?.durationMs ?? longest) / 1000;
  const xRange: [number, number] | null = durationSeconds > 0 ? [0, durationSeconds] : null;

  return (
    <section aria-labelledby="analysis-title">
      <h1 id="analysis-title">
        Analysis {fileName && <span class="subtle">of {fileName}</span>}
      </h1>
      <p class="meta">
        <StatusBadge phase={analysisPhase(analysis.status)} label={analysis.status === 'COMPLETED' ? 'Completed' : analysis.status === 'FAILED' ? 'Failed' : 'Running'} /> started{' '}
        {dateTime(analysis.createdAt)}
        {durationSeconds > 0 && <> · {clock(durationSeconds)} long</>}
      </p>
      <ul class="sides card" aria-label="Providers" aria-live="polite">
        {sides.map((side) => (
          <li key={side.provider} class="side" data-provider={side.provider}>
            <span class="side-name">{side.link ? <a href={side.link}>{providerName[side.provider] ?? side.provider}</a> : (providerName[side.provider] ?? side.provider)}</span>
            <StatusBadge phase={side.phase} elapsedMs={side.startedAt === null ? null : (side.endedAt ?? now) - side.startedAt} />
            {side.reason && side.phase === 'failed' && <span class="reason">{side.reason}</span>}
          </li>
        ))}
      </ul>
      {live.error && <ErrorMessage error={live.error} />}
      {channels.length === 0 && (usesHume || usesPhonexia) && <Pending text="Results appear here, one chart per channel, as each provider finishes." height={CHART_HEIGHT + 60} />}
      {channels.map((channel) => {
        const data = analysis.channels?.find((c) => c.channel === channel) ?? null;
        const humeSide = sides.find((s) => s.provider === 'HUME_EXPRESSION');
        const phonexiaSide = sides.find((s) => s.provider === 'PHONEXIA');
        return (
          <article class="card channel" key={channel} data-channel={channel} aria-labelledby={`channel-${channel}`}>
            <h2 id={`channel-${channel}`}>Channel {channel}</h2>
            <div class="channel-grid">
              {usesHume && (
                <div class="channel-hume">
                  <h3>Hume expression: top emotions over time</h3>
                  {data?.utterances ? (
                    <HumeSpeechChart utterances={data.utterances} xRange={xRange} syncKey={`analysis-${id}`} label={`Hume expression emotions over time for channel ${channel}`} />
                  ) : (
                    <Pending text={humeSide?.phase === 'failed' ? 'Hume expression failed; no measurements.' : 'Hume expression is measuring…'} height={CHART_HEIGHT} />
                  )}
                </div>
              )}
              {usesPhonexia && (
                <div class="channel-phonexia">
                  <h3>Phonexia: the whole channel</h3>
                  {data?.emotions ? (
                    <PhonexiaBars emotions={data.emotions.emotions} speechLength={data.emotions.speechLength} />
                  ) : (
                    <Pending text={phonexiaSide?.phase === 'failed' ? 'Phonexia failed; no result.' : 'Phonexia is listening…'} height={160} />
                  )}
                </div>
              )}
            </div>
          </article>
        );
      })}
    </section>
  );
}
