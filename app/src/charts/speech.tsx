/**
 * One audio channel (a speaker): Hume expression's top emotions per utterance over time, beside Phonexia's four
 * emotions for the whole channel. Each side keeps its place (and its height) while it is still running, so the
 * page does not jump when results arrive.
 */
import { useMemo } from 'preact/hooks';
import { percent } from '../format.js';
import { emotionColor } from './colors.js';
import { UPlotChart, type SeriesSpec } from './uplot-chart.js';

export interface Score {
  name: string;
  score: number;
}

export interface SpeechUtterance {
  startMs: number;
  endMs: number;
  measurements: Array<{ startMs: number; endMs: number; emotions: Score[] }>;
}

export const CHART_HEIGHT = 240;
const TOP_EMOTIONS = 5;

/**
 * The channel's top emotions (highest mean score over its measurements). Each measurement scores a stretch of
 * speech, so each is drawn as a level segment over that stretch; segments break between measurements, and silence
 * between utterances is not interpolated.
 */
export function utteranceSeries(utterances: SpeechUtterance[]): { x: number[]; series: SeriesSpec[]; values: Array<Array<number | null>> } {
  const measurements = utterances.flatMap((u) => u.measurements).sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
  const totals = new Map<string, number>();
  for (const measurement of measurements) for (const e of measurement.emotions) totals.set(e.name, (totals.get(e.name) ?? 0) + e.score);
  const names = [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP_EMOTIONS)
    .map(([name]) => name);
  const x: number[] = [];
  const values: Array<Array<number | null>> = names.map(() => []);
  const push = (seconds: number, scores: Array<number | null>) => {
    // uPlot wants x ascending; overlapping measurements (a 10 s window measured every 3 s) start where the last ended.
    x.push(Math.max(seconds, x.at(-1) ?? 0));
    scores.forEach((score, i) => values[i]!.push(score));
  };
  for (const measurement of measurements) {
    const scores = names.map((name) => measurement.emotions.find((e) => e.name === name)?.score ?? null);
    if (x.length > 0) push(measurement.startMs / 1000, names.map(() => null));
    push(measurement.startMs / 1000, scores);
    push(measurement.endMs / 1000, scores);
  }
  return measurements.length === 0 ? { x: [], series: [], values: [] } : { x, series: names.map((label) => ({ label, color: emotionColor(label) })), values };
}

export function HumeSpeechChart(props: { utterances: SpeechUtterance[]; xRange: [number, number] | null; syncKey?: string; label: string }) {
  const data = useMemo(() => utteranceSeries(props.utterances), [props.utterances]);
  if (data.series.length === 0) return <p class="chart-placeholder" style={{ height: `${CHART_HEIGHT}px` }}>No speech was measured in this channel.</p>;
  return <UPlotChart {...data} xRange={props.xRange} height={CHART_HEIGHT} label={props.label} syncKey={props.syncKey} lineWidth={3} points={false} />;
}

/** Phonexia's four probabilities as bars with their values written out (four elements, no chart needed). */
export function PhonexiaBars({ emotions, speechLength }: { emotions: Score[]; speechLength: number }) {
  const sorted = [...emotions].sort((a, b) => b.score - a.score);
  return (
    <div class="phonexia">
      <ul class="bars" aria-label="Phonexia emotions for this channel">
        {sorted.map((e) => (
          <li key={e.name} class="bar-row">
            <span class="bar-name">
              <span class="swatch" style={{ background: emotionColor(e.name) }} aria-hidden="true" />
              {e.name}
            </span>
            <span class="bar-track" aria-hidden="true">
              <span class="bar-fill" style={{ width: `${Math.max(0, Math.min(1, e.score)) * 100}%`, background: emotionColor(e.name) }} />
            </span>
            <span class="bar-value">{percent(e.score)}</span>
          </li>
        ))}
      </ul>
      <p class="hint">{speechLength > 0 ? `${speechLength.toFixed(1)} s of speech used` : 'No speech found in this channel.'}</p>
    </div>
  );
}

/** Holds a side's place while it works (or says why it has nothing). */
export function Pending({ text, height }: { text: string; height: number }) {
  return (
    <div class="chart-placeholder" style={{ height: `${height}px` }} aria-live="polite">
      {text}
    </div>
  );
}
