import { describe, expect, it } from 'vitest';
import { filterLinks, matrix, sortLinks } from './links';

const link = (id: string, state: string, level: 'OK' | 'WARN' | 'CRITICAL' | 'UNKNOWN' | 'PAUSED', lagMs: number | null) => {
  const [source, target] = id.split('.');
  return { id, source, target, sourceRegion: `r-${source}`, targetRegion: `r-${target}`, state, level, lagMs };
};
const links = [
  link('a.b', 'STREAMING', 'OK', 3),
  link('b.a', 'STREAMING', 'WARN', 1500),
  link('a.c', 'PENDING', 'UNKNOWN', null),
  link('c.a', 'BROKEN', 'CRITICAL', null),
  link('b.c', 'PAUSED', 'PAUSED', 40),
];

describe('sortLinks', () => {
  it('puts problems first, the worst and the longest lag on top', () => {
    expect(sortLinks(links, 'problem', false).map((l) => l.id)).toEqual(['c.a', 'b.a', 'a.c', 'b.c', 'a.b']);
  });
  it('sorts by lag either way, unknown lag lowest', () => {
    expect(sortLinks(links, 'lag', true).map((l) => l.id)).toEqual(['b.a', 'b.c', 'a.b', 'c.a', 'a.c']);
    expect(sortLinks(links, 'lag', false)[0].lagMs).toBeNull();
  });
  it('sorts by source region', () => {
    expect(sortLinks(links, 'source', false).map((l) => l.sourceRegion)).toEqual(['r-a', 'r-a', 'r-b', 'r-b', 'r-c']);
  });
});

describe('filterLinks', () => {
  it('keeps problems only', () => {
    expect(filterLinks(links, { text: '', state: 'problems' }).map((l) => l.id)).toEqual(['b.a', 'a.c', 'c.a', 'b.c']);
  });
  it('keeps one state, and matches text against the id and both regions', () => {
    expect(filterLinks(links, { text: '', state: 'BROKEN' }).map((l) => l.id)).toEqual(['c.a']);
    expect(filterLinks(links, { text: 'R-C', state: 'all' }).map((l) => l.id)).toEqual(['a.c', 'c.a', 'b.c']);
  });
});

describe('matrix', () => {
  it('has one cell per ordered region pair, the worst link standing for it', () => {
    const more = [...links, link('a.b', 'BROKEN', 'CRITICAL', null)];
    more[5] = { ...more[5], id: 'a2.b' };
    const cells = matrix(['r-a', 'r-b', 'r-c'], more);
    expect(cells.size).toBe(5);
    expect(cells.get('r-a>r-b')).toEqual({ level: 'CRITICAL', lagMs: 3, links: ['a2.b', 'a.b'] });
    expect(cells.get('r-c>r-b')).toBeUndefined();
  });
});
