import { useState } from 'preact/hooks';
import { api } from '../api';
import { Empty, ErrorBox, Loading } from '../components/States';
import { usePoll } from '../hooks';

const TYPES = ['', 'ROLE_CHANGE', 'SPLIT_BRAIN', 'LINK_STATE', 'LINK_CREATED', 'LINK_DELETED', 'DIVERGENCE', 'SYNC', 'VERIFICATION', 'ASSIGNMENT', 'LEADER'];

export function Events() {
  const [type, setType] = useState('');
  const [subject, setSubject] = useState('');
  const query = `?limit=200${type ? `&type=${type}` : ''}${subject.trim() ? `&subject=${encodeURIComponent(subject.trim())}` : ''}`;
  const { data, error, loading, refresh } = usePoll(() => api.events(query), 3000, [query]);
  return (
    <>
      <h1>Events</h1>
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="filters">
        <label>Type
          <select value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
            {TYPES.map((t) => <option value={t}>{t === '' ? 'all' : t}</option>)}
          </select>
        </label>
        <label>Subject (link, cluster or shard)
          <input type="search" value={subject} placeholder="a cluster, link or shard, e.g. orders-eu"
                 onInput={(e) => setSubject((e.target as HTMLInputElement).value)} />
        </label>
      </form>
      {error && <ErrorBox error={error} retry={refresh} />}
      {loading && !data ? <Loading what="events" /> : !data ? null : data.length === 0 ? <Empty>No events match.</Empty> : (
        <ol class="timeline" aria-label="events, newest first">
          {data.map((e) => (
            <li data-type={e.type}>
              <time dateTime={e.occurredAt}>{new Date(e.occurredAt).toLocaleString()}</time>
              <span class={`badge type-${e.type.toLowerCase()}`}>{e.type}</span>
              <button type="button" class="link subject" title={`only the events of ${e.subject}`}
                      onClick={() => setSubject(e.subject)}>{e.subject}</button>
              {e.subject.includes('.') && !e.subject.includes(' ') && (
                <a class="hint" href={`#/links/${e.subject.split('/')[0]}`}>(link)</a>)} {e.message}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
