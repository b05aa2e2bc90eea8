import type { Overview } from '../api';
import { formatMs, levelColor } from '../lag';

/**
 * Regions as nodes on a circle and links as arrows between them, coloured by lag level. Links
 * between clusters of the same two regions share an arrow (the worst one's colour); the two
 * directions of a pair are drawn apart so both stay visible.
 */
export function MeshGraph({ overview }: { overview: Overview }) {
  const regions = overview.regions.map((r) => r.name);
  const size = 360;
  const center = size / 2;
  const radius = regions.length <= 1 ? 0 : size / 2 - 60;
  const position = new Map(regions.map((name, i) => {
    // two regions side by side, three as a triangle standing on its base, and so on
    const n = Math.max(1, regions.length);
    const angle = Math.PI / 2 + Math.PI / n + (2 * Math.PI * i) / n;
    return [name, { x: center + radius * Math.cos(angle), y: center + radius * Math.sin(angle) }];
  }));
  const severity = { CRITICAL: 4, WARN: 3, UNKNOWN: 2, PAUSED: 1, OK: 0 } as const;
  const arrows = new Map<string, { from: string; to: string; level: keyof typeof severity; lagMs: number | null; links: string[] }>();
  for (const link of overview.links) {
    if (!link.sourceRegion || !link.targetRegion || link.sourceRegion === link.targetRegion) continue;
    const key = `${link.sourceRegion}>${link.targetRegion}`;
    const level = link.level;
    const arrow = arrows.get(key);
    if (!arrow) {
      arrows.set(key, { from: link.sourceRegion, to: link.targetRegion, level, lagMs: link.lagMs, links: [link.id] });
    } else {
      arrow.links.push(link.id);
      if (severity[level] > severity[arrow.level]) arrow.level = level;
      if (link.lagMs != null && (arrow.lagMs == null || link.lagMs > arrow.lagMs)) arrow.lagMs = link.lagMs;
    }
  }
  return (
    <svg class="mesh" viewBox={`0 0 ${size} ${size}`} role="img"
         aria-label={`${regions.length} regions and ${arrows.size} replication directions, coloured by lag`}>
      <defs>
        {Object.entries(levelColor).map(([level, color]) => (
          <marker id={`arrow-${level}`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
            <path d="M 0 0 L 10 5 L 0 10 z" fill={color} />
          </marker>
        ))}
      </defs>
      {[...arrows.values()].map((a) => {
        const p = position.get(a.from)!;
        const q = position.get(a.to)!;
        const dx = q.x - p.x;
        const dy = q.y - p.y;
        const length = Math.hypot(dx, dy) || 1;
        // offset each direction to its own side, and stop short of the node circles
        const nx = (-dy / length) * 7;
        const ny = (dx / length) * 7;
        const inset = 30 / length;
        const x1 = p.x + dx * inset + nx;
        const y1 = p.y + dy * inset + ny;
        const x2 = q.x - dx * inset + nx;
        const y2 = q.y - dy * inset + ny;
        const label = `${a.from} → ${a.to}: ${a.level.toLowerCase()}, lag ${formatMs(a.lagMs)} (${a.links.join(', ')})`;
        return (
          <a href={`#/links/${a.links[0]}`} aria-label={label}>
            <line x1={x1} y1={y1} x2={x2} y2={y2} stroke={levelColor[a.level]} stroke-width="4"
                  marker-end={`url(#arrow-${a.level})`} data-level={a.level} class="arrow">
              <title>{label}</title>
            </line>
            <text class="arrow-label" x={(x1 + x2) / 2 + nx * 3.4} y={(y1 + y2) / 2 + ny * 3.4 + 4} text-anchor="middle">
              {formatMs(a.lagMs)}
            </text>
          </a>
        );
      })}
      {regions.map((name) => {
        const p = position.get(name)!;
        return (
          <g class="region-node" data-region={name}>
            <circle cx={p.x} cy={p.y} r="26" />
            <text x={p.x} y={p.y + 44} text-anchor="middle">{name}</text>
          </g>
        );
      })}
    </svg>
  );
}
