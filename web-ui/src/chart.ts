// Shaping the lag series (GET /api/v1/links/{id}/lag) for uPlot: columns of equal length, seconds
// on the x axis, gaps where no sample was stored (a stopped worker must show as a hole, not as a
// straight line between the last and the next sample).

import type { LagSeries as ServedSeries } from './api';

/** What the chart needs of a served series (tests build just that). */
export interface LagSeries {
  resolutionSeconds: ServedSeries['resolutionSeconds'];
  points: Pick<ServedSeries['points'][number], 'at' | 'lagMs' | 'lagBytes'>[];
}

/** [x seconds, lag ms, lag bytes]; null where a sample is missing. */
export type Columns = [number[], (number | null)[], (number | null)[]];

export const WINDOWS = ['15m', '1h', '24h'] as const;
export type Window = (typeof WINDOWS)[number];

export function toColumns(series: LagSeries): Columns {
  const step = Math.max(1, series.resolutionSeconds);
  const points = [...series.points]
    .map((p) => ({ t: Math.floor(Date.parse(p.at) / 1000), ms: p.lagMs, bytes: p.lagBytes }))
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

/** True when the series has at least one real value to draw. */
export function hasData(columns: Columns): boolean {
  return columns[1].some((v) => v != null) || columns[2].some((v) => v != null);
}
