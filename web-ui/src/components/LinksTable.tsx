import { useState } from 'preact/hooks';
import type { LinkSummary } from '../api';
import { formatBehind, formatMs, formatRate, levelColor } from '../lag';
import { filterLinks, sortLinks, type SortKey } from '../links';

const STATES = ['STREAMING', 'FULL_SYNC', 'PENDING', 'PAUSED', 'BROKEN'];

/**
 * Every link, problems first by default; sortable by any column (click its header again to
 * reverse) and filterable by text (link, region) and by state, "problems only" among them.
 */
export function LinksTable({ links }: { links: LinkSummary[] }) {
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'problem', descending: false });
  const [text, setText] = useState('');
  const [state, setState] = useState('all');
  const shown = sortLinks(filterLinks(links, { text, state }), sort.key, sort.descending);
  const header = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
        <button type="button" class="link sort" data-sort={key}
                onClick={() => setSort({ key, descending: active ? !sort.descending : key === 'lag' })}>
          {label}{active && key !== 'problem' ? (sort.descending ? ' ▾' : ' ▴') : ''}
        </button>
      </th>
    );
  };
  return (
    <>
      <div class="filters" role="search">
        <label>Find <input type="search" name="link-filter" placeholder="link or region" value={text}
                           onInput={(e) => setText((e.target as HTMLInputElement).value)} /></label>
        <label>State <select name="state-filter" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
          <option value="all">all</option>
          <option value="problems">problems only</option>
          {STATES.map((s) => <option value={s}>{s}</option>)}
        </select></label>
        <button type="button" class="secondary" onClick={() => setSort({ key: 'problem', descending: false })}
                aria-pressed={sort.key === 'problem'}>Problems first</button>
        <span class="hint" data-testid="links-shown">{shown.length} of {links.length}</span>
      </div>
      <div class="table-wrap">
        <table class="links">
          <thead><tr>{header('link', 'Link')}{header('source', 'From')}{header('target', 'To')}{header('state', 'State')}
            {header('lag', 'Lag')}<th scope="col">Behind</th><th scope="col">Rate</th></tr></thead>
          <tbody>
            {shown.map((l) => (
              <tr data-link={l.id} data-state={l.state} data-level={l.level}>
                <td><a href={`#/links/${l.id}`}>{l.source} → {l.target}</a></td>
                <td>{l.sourceRegion ?? '–'}</td>
                <td>{l.targetRegion ?? '–'}</td>
                <td><span class={`badge state-${l.state.toLowerCase()}`} title={l.stateReason ?? undefined}>{l.state}</span>
                  {l.state !== 'STREAMING' && l.stateReason && <div class="reason-line">{l.stateReason}</div>}</td>
                <td><span class="dot" style={{ background: levelColor[l.level] }} aria-hidden="true" />{formatMs(l.lagMs)}</td>
                <td>{formatBehind(l.mode, l.lagBytes)}</td>
                <td>{formatRate(l.opsPerSec)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
