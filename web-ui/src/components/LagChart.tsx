import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Columns } from '../chart';
import { formatBytes, formatMs } from '../lag';

/** Lag in ms (left axis) and bytes (right axis) over time, drawn by uPlot and resized with its box. */
export function LagChart({ columns, warnMs }: { columns: Columns; warnMs: number }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current!;
    const options: uPlot.Options = {
      width: el.clientWidth || 600,
      height: 260,
      scales: { x: { time: true }, ms: { auto: true, range: (_u, min, max) => [0, Math.max(max ?? 0, warnMs * 1.2, min ?? 0)] },
        bytes: { auto: true } },
      axes: [
        {},
        { scale: 'ms', size: 70, values: (_u, ticks) => ticks.map((t) => formatMs(t)) },
        { scale: 'bytes', side: 1, size: 70, grid: { show: false },
          values: (_u, ticks) => ticks.map((t) => formatBytes(t)) },
      ],
      series: [
        {},
        { label: 'lag (ms)', scale: 'ms', stroke: '#c0392b', width: 2, spanGaps: false },
        { label: 'lag (bytes)', scale: 'bytes', stroke: '#2c7fb8', width: 1, dash: [4, 4], spanGaps: false },
      ],
    };
    plot.current = new uPlot(options, columns as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height: 260 }));
    resize.observe(el);
    return () => { resize.disconnect(); plot.current?.destroy(); plot.current = null; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [warnMs]);
  useEffect(() => {
    plot.current?.setData(columns as uPlot.AlignedData);
  }, [columns]);
  return <div class="chart" ref={box} data-points={columns[0].length} />;
}
