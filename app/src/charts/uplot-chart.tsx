/**
 * A uPlot chart (canvas: thousands of points cost one drawing, not thousands of DOM nodes) of emotion scores (0 to
 * 1) over time in seconds, with uPlot's own legend showing the values under the cursor. Sized to its container's
 * width; the height is fixed, so nothing below moves while data streams in.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { clock, percent } from '../format.js';

export interface SeriesSpec {
  label: string;
  color: string;
}

export interface UPlotChartProps {
  /** Seconds, ascending. */
  x: number[];
  series: SeriesSpec[];
  /** One array per series, aligned with x; null where the series has no value (drawn as a gap). */
  values: Array<Array<number | null>>;
  /** The x range shown, in seconds (a shared time axis); else the data's own. */
  xRange?: [number, number] | null;
  height: number;
  /** Describes the chart for screen readers. */
  label: string;
  /** Charts with the same key move their cursors together. */
  syncKey?: string;
  /** Drag-select over the chart: called with the selected range in seconds instead of zooming. */
  onSelect?: (from: number, to: number) => void;
  lineWidth?: number;
  /** Dots at each value (default on: sparse series stay visible). */
  points?: boolean;
}

function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function UPlotChart(props: UPlotChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const range = useRef(props.xRange ?? null);
  const onSelect = useRef(props.onSelect);
  range.current = props.xRange ?? null;
  onSelect.current = props.onSelect;
  const shape = props.series.map((s) => `${s.label}:${s.color}`).join('|');

  useEffect(() => {
    const element = container.current!;
    const text = cssColor('--text-muted', '#5b6470');
    const grid = cssColor('--grid', 'rgba(0,0,0,0.08)');
    const options: uPlot.Options = {
      width: Math.max(200, element.clientWidth),
      height: props.height,
      scales: {
        x: { time: false, range: (_u, min, max) => range.current ?? [min, max] },
        y: { range: [0, 1] },
      },
      axes: [
        { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid }, values: (_u, splits) => splits.map((v) => clock(v)) },
        { stroke: text, grid: { stroke: grid }, ticks: { stroke: grid }, size: 48, values: (_u, splits) => splits.map((v) => `${Math.round(v * 100)}%`) },
      ],
      series: [
        { label: 'Time', value: (_u, v) => (v === null || v === undefined ? '—' : clock(v)) },
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: props.lineWidth ?? 2,
          spanGaps: false,
          points: { show: props.points ?? true, size: 4 },
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : percent(v)),
        })),
      ],
      cursor: {
        sync: props.syncKey ? { key: props.syncKey } : undefined,
        drag: { x: Boolean(onSelect.current), y: false, setScale: false },
      },
      legend: { live: true },
      hooks: {
        setSelect: [
          (u) => {
            if (!onSelect.current || u.select.width < 4) return;
            const from = u.posToVal(u.select.left, 'x');
            const to = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            onSelect.current(from, to);
          },
        ],
      },
    };
    const made = new uPlot(options, [props.x, ...props.values] as uPlot.AlignedData, element);
    chart.current = made;
    const resize = new ResizeObserver(() => made.setSize({ width: Math.max(200, element.clientWidth), height: props.height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      made.destroy();
      chart.current = null;
    };
    // Rebuilt only when the series change; new data goes through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape, props.height]);

  useEffect(() => {
    chart.current?.setData([props.x, ...props.values] as uPlot.AlignedData);
  }, [props.x, props.values, props.xRange?.[0], props.xRange?.[1]]);

  return <div class="chart" ref={container} role="figure" aria-label={props.label} />;
}
