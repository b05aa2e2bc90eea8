import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { spanNote, zeroBased, type LagChartData } from '../chart';
import { formatBytes, formatMs } from '../lag';

const SHARD_COLORS = ['#6a51a3', '#238b45', '#d94801', '#2171b5', '#ae017e', '#525252'];

/**
 * Lag over the link's whole window, in two panes with their own axes, both from zero: time (the
 * link's worst shard and, for several shards, each one) and bytes behind (n/a for keyspace
 * capture, which has no byte offset). The x axis spans the window the user chose, so 1 h shows an
 * hour even when samples began ten minutes ago — and the chart says where they began. Each pane's
 * scales are written on its element (data-x, data-y) for tests to read.
 */
export function LagChart({ data, warnMs, keyspace }: { data: LagChartData; warnMs: number; keyspace: boolean }) {
  const msBox = useRef<HTMLDivElement>(null);
  const bytesBox = useRef<HTMLDivElement>(null);
  const plots = useRef<uPlot[]>([]);
  const shardCount = data.shards.length > 1 ? data.shards.length : 0;

  // the window moves with every poll: read at each redraw, so the chart is not rebuilt for it
  const span = useRef({ from: data.from, to: data.to });
  span.current = { from: data.from, to: data.to };
  const xRange = (_u: uPlot, min: number, max: number): [number, number] =>
    [span.current.from ?? min, span.current.to ?? max];

  useEffect(() => {
    const boxes: HTMLDivElement[] = [msBox.current!, ...(keyspace ? [] : [bytesBox.current!])];
    const width = boxes[0].clientWidth || 600;
    const sync = uPlot.sync('lag');
    const record = (u: uPlot) => {
      const el = u.root.parentElement as HTMLElement;
      const y = u.series[1]?.scale ?? 'ms';
      el.dataset.x = JSON.stringify([u.scales.x.min, u.scales.x.max]);
      el.dataset.y = JSON.stringify([u.scales[y].min, u.scales[y].max]);
    };
    const msOptions: uPlot.Options = {
      width, height: 220,
      cursor: { sync: { key: sync.key } },
      scales: {
        x: { time: true, range: xRange },
        ms: { range: (u) => zeroBased(u.data.slice(1) as (number | null)[][], Math.max(10, Math.round(warnMs / 10))) },
      },
      axes: [{}, { scale: 'ms', size: 70, label: 'lag', values: (_u, ticks) => ticks.map((t) => formatMs(t)) }],
      series: [
        {},
        { label: 'link (worst shard)', scale: 'ms', stroke: '#c0392b', width: 2, spanGaps: false,
          value: (_u, v) => formatMs(v) },
        ...Array.from({ length: shardCount }, (_, i) => ({
          label: `shard ${data.shards[i].shard}`, scale: 'ms', stroke: SHARD_COLORS[i % SHARD_COLORS.length],
          width: 1, spanGaps: false, value: (_u: uPlot, v: number | null) => formatMs(v),
        })),
      ],
      hooks: { draw: [record] },
    };
    const made = [new uPlot(msOptions, msData(data, shardCount), boxes[0])];
    if (!keyspace) {
      const bytesOptions: uPlot.Options = {
        width, height: 140,
        cursor: { sync: { key: sync.key } },
        scales: {
          x: { time: true, range: xRange },
          bytes: { range: (u) => zeroBased([u.data[1] as (number | null)[]], 1024) },
        },
        axes: [{}, { scale: 'bytes', size: 70, label: 'behind', values: (_u, ticks) => ticks.map((t) => formatBytes(t)) }],
        series: [{}, { label: 'bytes behind', scale: 'bytes', stroke: '#2c7fb8', width: 1, spanGaps: false,
          value: (_u, v) => formatBytes(v) }],
        hooks: { draw: [record] },
      };
      made.push(new uPlot(bytesOptions, [data.columns[0], data.columns[2]] as uPlot.AlignedData, boxes[1]));
    }
    plots.current = made;
    const resize = new ResizeObserver(() => made.forEach((p) => p.setSize({ width: boxes[0].clientWidth, height: p.height })));
    resize.observe(boxes[0]);
    return () => { resize.disconnect(); made.forEach((p) => p.destroy()); plots.current = []; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [warnMs, keyspace, shardCount]);
  useEffect(() => {
    const [ms, bytes] = plots.current;
    ms?.setData(msData(data, shardCount));
    bytes?.setData([data.columns[0], data.columns[2]] as uPlot.AlignedData);
  }, [data, shardCount]);
  const note = spanNote(data);
  return (
    <div class="lag-chart" data-points={data.columns[0].length} data-from={data.from ?? ''} data-to={data.to ?? ''}
      data-begins={data.begins ?? ''} data-shards={data.shards.length}>
      <div class="chart" data-pane="ms" ref={msBox} />
      {keyspace
        ? <p class="hint">Bytes behind: n/a — a keyspace capture copies state and has no byte offset to compare.</p>
        : <div class="chart" data-pane="bytes" ref={bytesBox} />}
      {note && <p class="hint" data-testid="span-note">{note}</p>}
    </div>
  );
}

function msData(data: LagChartData, shardCount: number): uPlot.AlignedData {
  return [data.columns[0], data.columns[1], ...data.shards.slice(0, shardCount).map((s) => s.ms)] as uPlot.AlignedData;
}
