import { api } from '../api';
import { Empty, ErrorBox, Loading } from '../components/States';
import { usePoll } from '../hooks';
import { formatMs } from '../lag';

export function Fleet() {
  const { data, error, loading, refresh } = usePoll(api.workers, 2000);
  const proxies = usePoll(api.proxies, 2000);
  return (
    <>
      <h1>Fleet</h1>
      <section class="panel" aria-labelledby="workers-title">
        <h2 id="workers-title">Sync workers</h2>
        {error && <ErrorBox error={error} retry={refresh} />}
        {loading && !data ? <Loading what="workers" /> : !data ? null : data.length === 0
          ? <Empty>No worker has joined yet. The all-in-one process runs one; start more with <code>redmesh.roles=worker</code>.</Empty> : (
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">Worker</th><th scope="col">Kind</th><th scope="col">Pinned node</th><th scope="col">Version</th>
                <th scope="col">Heartbeat</th><th scope="col">Assignments</th></tr></thead>
              <tbody>
                {data.map((w) => (
                  <tr data-worker={w.id}>
                    <td>{w.id}<br /><small>{w.address}</small></td>
                    <td>{w.kind}</td>
                    <td>{w.pinnedNode ?? '–'}</td>
                    <td>{w.version ?? '–'}</td>
                    <td><span class={`badge ${w.live ? 'ok' : 'bad'}`}>{w.live ? 'live' : 'silent'}</span> {formatMs(w.heartbeatAgeMs)} ago</td>
                    <td>{w.assignments.length === 0 ? 'none' : w.assignments.map((a) => (
                      <div><a href={`#/links/${a.link}`}>{a.id}</a> <small>epoch {a.epoch}, {a.phase ?? 'starting'}</small></div>
                    ))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="panel" aria-labelledby="proxies-title">
        <h2 id="proxies-title">Envoy proxies</h2>
        {proxies.error && <ErrorBox error={proxies.error} retry={proxies.refresh} />}
        {proxies.loading && !proxies.data ? <Loading what="proxies" /> : !proxies.data ? null : proxies.data.length === 0
          ? <Empty>No proxy has connected. Envoy proxies stream their configuration from redmesh (ADS) or run a rendered
              bootstrap; see docs/proxies.md.</Empty> : (
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">Proxy</th><th scope="col">Region</th><th scope="col">Seen</th>
                <th scope="col">Configuration</th><th scope="col">Envoy</th></tr></thead>
              <tbody>
                {proxies.data.map((p) => (
                  <tr data-proxy={p.id}>
                    <td>{p.id}</td>
                    <td>{p.region ?? '–'}</td>
                    <td><span class={`badge ${p.live ? 'ok' : 'bad'}`}>{p.live ? 'connected' : 'gone'}</span> {formatMs(p.lastSeenAgeMs)} ago</td>
                    <td>
                      {p.upToDate ? <span class="badge ok">up to date</span> : <span class="badge pending">behind</span>}
                      {' '}acked {p.versionAcked ?? 'none'}{p.currentVersion && !p.upToDate && `, current ${p.currentVersion}`}
                      {p.nack && <div class="error">rejected {p.nack.version}: {p.nack.error}</div>}
                    </td>
                    <td>{p.envoyVersion ?? '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
