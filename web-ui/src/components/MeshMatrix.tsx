import type { Overview } from '../api';
import { formatMs, levelColor } from '../lag';
import { matrix } from '../links';

/**
 * Regions × regions: row the source, column the target, each cell the worst link between the two
 * (its lag, its level as the colour) and a link to it. Scales to any number of regions where a
 * graph of N·(N−1) arrows stops being readable.
 */
export function MeshMatrix({ overview }: { overview: Overview }) {
  const regions = overview.regions.map((r) => r.name);
  const cells = matrix(regions, overview.links);
  return (
    <div class="table-wrap">
      <table class="matrix" aria-label="lag from each region (rows) to each other region (columns)">
        <thead>
          <tr><th scope="col" class="corner">from ↓ to →</th>{regions.map((r) => <th scope="col">{r}</th>)}</tr>
        </thead>
        <tbody>
          {regions.map((from) => (
            <tr>
              <th scope="row">{from}</th>
              {regions.map((to) => {
                if (from === to) return <td class="self" aria-label={`${from} to itself`}>—</td>;
                const cell = cells.get(`${from}>${to}`);
                if (!cell) return <td class="none" data-from={from} data-to={to}>no link</td>;
                const label = `${from} → ${to}: ${cell.level.toLowerCase()}, lag ${formatMs(cell.lagMs)}`
                  + (cell.links.length > 1 ? ` (worst of ${cell.links.length} links)` : '');
                return (
                  <td data-from={from} data-to={to} data-level={cell.level}
                      style={{ background: `color-mix(in srgb, ${levelColor[cell.level]} 28%, transparent)` }}>
                    <a href={`#/links/${cell.links[0]}`} title={label} aria-label={label}>{formatMs(cell.lagMs)}</a>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
