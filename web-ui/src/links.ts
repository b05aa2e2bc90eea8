// Sorting, filtering and grouping links for the overview: problems first, a regions × regions
// matrix for meshes too big for a graph.
import type { Level, LinkSummary } from './api';

/** Plain code-unit order (what a reader and a test expect of ids), not the locale's collation. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** How bad a level is, for sorting: a broken or far-behind link first, a healthy one last. */
export const severity: Record<Level, number> = { CRITICAL: 4, WARN: 3, UNKNOWN: 2, PAUSED: 1, OK: 0 };

export type SortKey = 'problem' | 'link' | 'state' | 'lag' | 'source' | 'target';

export interface LinkFilter {
  /** matched against the link id and both regions */
  text: string;
  /** 'all', 'problems' (anything not streaming or not ok) or one state */
  state: string;
}

type Row = Pick<LinkSummary, 'id' | 'source' | 'target' | 'sourceRegion' | 'targetRegion' | 'state' | 'lagMs' | 'level'>;

export function isProblem(l: Row): boolean {
  return l.state !== 'STREAMING' || l.level !== 'OK';
}

export function filterLinks<T extends Row>(links: T[], filter: LinkFilter): T[] {
  const text = filter.text.trim().toLowerCase();
  return links.filter((l) => {
    if (filter.state === 'problems' && !isProblem(l)) return false;
    if (filter.state !== 'all' && filter.state !== 'problems' && l.state !== filter.state) return false;
    if (text === '') return true;
    return [l.id, l.sourceRegion ?? '', l.targetRegion ?? ''].some((v) => v.toLowerCase().includes(text));
  });
}

export function sortLinks<T extends Row>(links: T[], key: SortKey, descending: boolean): T[] {
  const lag = (l: Row) => (l.lagMs == null ? -1 : l.lagMs);
  const compare: Record<SortKey, (a: Row, b: Row) => number> = {
    // the worst first, then the longest lag, then by name: what to look at, in order
    problem: (a, b) => severity[b.level] - severity[a.level] || lag(b) - lag(a) || byText(a.id, b.id),
    link: (a, b) => byText(a.id, b.id),
    state: (a, b) => byText(a.state, b.state) || byText(a.id, b.id),
    lag: (a, b) => lag(a) - lag(b) || byText(a.id, b.id),
    source: (a, b) => byText(a.sourceRegion ?? '', b.sourceRegion ?? '') || byText(a.id, b.id),
    target: (a, b) => byText(a.targetRegion ?? '', b.targetRegion ?? '') || byText(a.id, b.id),
  };
  const sorted = [...links].sort(compare[key]);
  // 'problem' is already worst-first; the others read ascending unless reversed
  return key !== 'problem' && descending ? sorted.reverse() : sorted;
}

/** One cell of the regions × regions matrix: every link from one region to another, the worst standing for them. */
export interface MatrixCell {
  level: Level;
  lagMs: number | null;
  links: string[];
}

export function matrix<T extends Row>(regions: string[], links: T[]): Map<string, MatrixCell> {
  const cells = new Map<string, MatrixCell>();
  for (const l of links) {
    if (!l.sourceRegion || !l.targetRegion || !regions.includes(l.sourceRegion) || !regions.includes(l.targetRegion)) continue;
    const key = `${l.sourceRegion}>${l.targetRegion}`;
    const cell = cells.get(key);
    if (!cell) {
      cells.set(key, { level: l.level, lagMs: l.lagMs, links: [l.id] });
    } else {
      cell.links.push(l.id);
      if (severity[l.level] > severity[cell.level]) cell.level = l.level;
      if (l.lagMs != null && (cell.lagMs == null || l.lagMs > cell.lagMs)) cell.lagMs = l.lagMs;
    }
  }
  for (const cell of cells.values()) {
    // the cell links to its worst link
    cell.links.sort((a, b) => {
      const la = links.find((l) => l.id === a)!;
      const lb = links.find((l) => l.id === b)!;
      return severity[lb.level] - severity[la.level] || byText(a, b);
    });
  }
  return cells;
}
