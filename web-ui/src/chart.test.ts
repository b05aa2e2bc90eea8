import { describe, expect, it } from 'vitest';
import { hasData, spanNote, toChart, toColumns, zeroBased } from './chart';

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

describe('toChart', () => {
  it('aligns each shard on the link\'s instants and keeps the window\'s span', () => {
    const data = toChart({
      resolutionSeconds: 1,
      from: at(0),
      to: at(59),
      points: [{ at: at(10), lagMs: 7, lagBytes: 70 }, { at: at(11), lagMs: 9, lagBytes: 90 }],
      shards: [
        { shard: 'a', points: [{ at: at(10), lagMs: 7 }] },
        { shard: 'b', points: [{ at: at(10), lagMs: 3 }, { at: at(11), lagMs: 9 }] },
      ],
    });
    expect(data.from).toBe(t0);
    expect(data.to).toBe(t0 + 59);
    expect(data.begins).toBe(t0 + 10);
    expect(data.shards).toEqual([{ shard: 'a', ms: [7, null] }, { shard: 'b', ms: [3, 9] }]);
  });

  it('says where samples begin only when the window starts well before them', () => {
    const base = { resolutionSeconds: 1, points: [{ at: at(30), lagMs: 1, lagBytes: 1 }] };
    expect(spanNote(toChart({ ...base, from: at(0), to: at(59) }))).toBeNull();
    const hour = toChart({ ...base, from: new Date(Date.UTC(2026, 11, 1, 11, 0, 0)).toISOString(), to: at(59) });
    expect(spanNote(hour)).toContain('first 60 min');
  });
});

describe('zeroBased', () => {
  it('starts at zero and ends a little above the largest value, never below the floor', () => {
    expect(zeroBased([[1000, 2000, null]], 1024)).toEqual([0, 2200]);
    expect(zeroBased([[0, 0]], 10)).toEqual([0, 10]);
    expect(zeroBased([[null], [5, 50]], 1)).toEqual([0, 55]);
  });
});
