// Shaping the lag series (GET /api/v1/links/{id}/lag) for uPlot: columns of equal length, seconds
// on the x axis, gaps where no sample was stored (a stopped worker must show as a hole, not as a
// straight line between the last and the next sample), one column per shard beside the link's.

import type { LagSeries as ServedSeries } from './api';

type Point = Pick<ServedSeries['points'][number], 'at' | 'lagMs' | 'lagBytes'>;

/** What the chart needs of a served series (tests build just that). */
export interface LagSeries {
  resolutionSeconds: ServedSeries['resolutionSeconds'];
  from?: string;
  to?: string;
  points: Point[];
  shards?: { shard: string; points: Pick<Point, 'at' | 'lagMs'>[] }[];
}

/** [x seconds, lag ms, lag bytes]; null where a sample is missing. */
export type Columns = [number[], (number | null)[], (number | null)[]];

/** The chart's whole model: the link's columns, each shard's lag on the same x, and the window's real span. */
export interface LagChartData {
  columns: Columns;
  /** each shard's lag in ms, aligned on columns[0] (null where it has no sample) */
  shards: { shard: string; ms: (number | null)[] }[];
  /** the window, epoch seconds: the x axis spans all of it, whatever the samples cover */
  from: number | null;
  to: number | null;
  /** the first sample, epoch seconds; null when there is none */
  begins: number | null;
}

export const WINDOWS = ['15m', '1h', '24h'] as const;
export type Window = (typeof WINDOWS)[number];

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export function toColumns(series: LagSeries): Columns {
  const step = Math.max(1, series.resolutionSeconds);
  const points = [...series.points]
    .map((p) => ({ t: seconds(p.at), ms: p.lagMs, bytes: p.lagBytes }))
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
  const xs: number[] = [];
  const ms: (number | null)[] = [];
  const bytes: (number | null)[] = [];
  let previous: number | null = null;
  for (const p of points) {
    if (previous !== null && p.t === previous) {
      continue; // a duplicate instant: keep the first
    }
    if (previous !== null && p.t - previous > 2 * step) {
      // a hole: one null point right after the last sample breaks the line
      xs.push(previous + step);
      ms.push(null);
      bytes.push(null);
    }
    xs.push(p.t);
    ms.push(p.ms);
    bytes.push(p.bytes);
    previous = p.t;
  }
  return [xs, ms, bytes];
}

export function toChart(series: LagSeries): LagChartData {
  const columns = toColumns(series);
  const index = new Map(columns[0].map((x, i) => [x, i]));
  const shards = (series.shards ?? []).map((s) => {
    const ms: (number | null)[] = columns[0].map(() => null);
    for (const p of s.points) {
      const i = index.get(seconds(p.at));
      if (i !== undefined) ms[i] = p.lagMs;
    }
    return { shard: s.shard, ms };
  });
  const firstReal = columns[0].find((_, i) => columns[1][i] != null || columns[2][i] != null);
  return {
    columns,
    shards,
    from: series.from ? seconds(series.from) : null,
    to: series.to ? seconds(series.to) : null,
    begins: firstReal ?? null,
  };
}

/** True when the series has at least one real value to draw. */
export function hasData(columns: Columns): boolean {
  return columns[1].some((v) => v != null) || columns[2].some((v) => v != null);
}

/** An axis from zero to a little above the largest value (and never to less than {@code floor}). */
export function zeroBased(values: (number | null)[][], floor: number): [number, number] {
  let max = 0;
  for (const column of values) {
    for (const v of column) {
      if (v != null && v > max) max = v;
    }
  }
  return [0, Math.max(floor, Math.ceil(Math.round(max * 1100) / 1000))];
}

/** Where the samples begin, when that is after the window's start: what the chart says under it. */
export function spanNote(data: LagChartData): string | null {
  if (data.begins == null || data.from == null || data.begins - data.from < 60) return null;
  return `Samples begin at ${new Date(data.begins * 1000).toLocaleTimeString()}: nothing was recorded for this link`
    + ` in the first ${Math.floor((data.begins - data.from) / 60)} min of the window.`;
}
