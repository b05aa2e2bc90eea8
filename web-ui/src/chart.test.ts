import { describe, expect, it } from 'vitest';
import { hasData, toColumns } from './chart';

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, s)).toISOString();
const t0 = Date.UTC(2026, 11, 1, 12, 0, 0) / 1000;

describe('toColumns', () => {
  it('sorts by time and turns instants into epoch seconds', () => {
    const columns = toColumns({
      resolutionSeconds: 1,
      points: [
        { at: at(2), lagMs: 20, lagBytes: 200 },
        { at: at(1), lagMs: 10, lagBytes: 100 },
      ],
    });
    expect(columns).toEqual([[t0 + 1, t0 + 2], [10, 20], [100, 200]]);
  });

  it('breaks the line where samples are missing', () => {
    const [xs, ms] = toColumns({
      resolutionSeconds: 1,
      points: [{ at: at(1), lagMs: 5, lagBytes: 1 }, { at: at(10), lagMs: 7, lagBytes: 1 }],
    });
    expect(xs).toEqual([t0 + 1, t0 + 2, t0 + 10]);
    expect(ms).toEqual([5, null, 7]);
  });

  it('does not break one-minute samples a minute apart', () => {
    const [xs] = toColumns({
      resolutionSeconds: 60,
      points: [{ at: at(0), lagMs: 1, lagBytes: 1 }, { at: at(60), lagMs: 1, lagBytes: 1 }],
    });
    expect(xs).toHaveLength(2);
  });

  it('keeps unknown values as gaps and drops duplicate instants', () => {
    const columns = toColumns({
      resolutionSeconds: 1,
      points: [{ at: at(1), lagMs: null, lagBytes: 3 }, { at: at(1), lagMs: 9, lagBytes: 9 }],
    });
    expect(columns).toEqual([[t0 + 1], [null], [3]]);
    expect(hasData(columns)).toBe(true);
    expect(hasData(toColumns({ resolutionSeconds: 1, points: [] }))).toBe(false);
  });
});
