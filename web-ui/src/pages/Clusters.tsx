import { api } from '../api';
import { Empty, ErrorBox, Loading } from '../components/States';
import { usePoll } from '../hooks';

export function Clusters() {
  const { data, error, loading, refresh } = usePoll(api.clusters, 2000);
  if (loading && !data) return <Loading what="clusters" />;
  if (!data) return <ErrorBox error={error!} retry={refresh} />;
  return (
    <>
      <h1>Clusters</h1>
      {error && <ErrorBox error={error} retry={refresh} />}
      {data.length === 0 ? <Empty>No clusters yet. <a href="#/add">Add a region</a> with its Redis deployment.</Empty> : (
        data.map((c) => (
          <section class="panel cluster" data-cluster={c.name} aria-labelledby={`cluster-${c.name}`}>
            <div class="panel-head">
              <h2 id={`cluster-${c.name}`}>{c.name}</h2>
              <span class={`badge ${c.status.ready ? 'ok' : 'pending'}`}>{c.status.ready ? 'ready' : 'not ready'}</span>
            </div>
            <p class="meta">{c.mode} in <strong>{c.region}</strong>{c.mesh && <> · mesh <strong>{c.mesh}</strong></>}
              {c.tls && ' · TLS'}{c.username && ` · user ${c.username}`} · {c.status.message}</p>
            {c.shards.length === 0 ? <Empty>Topology not discovered yet (seeds: {c.seeds.join(', ')}).</Empty> : (
              <div class="table-wrap">
                <table>
                  <thead><tr><th scope="col">Shard</th><th scope="col">Slots</th><th scope="col">Node</th><th scope="col">Role</th>
                    <th scope="col">Offset</th><th scope="col">Health</th></tr></thead>
                  <tbody>
                    {c.shards.flatMap((s) => s.nodes.map((n, i) => (
                      <tr data-node={n.address}>
                        {i === 0 && <td rowSpan={s.nodes.length}>{s.id}</td>}
                        {i === 0 && <td rowSpan={s.nodes.length}>{s.slots.length ? s.slots.join(', ') : 'all (standalone)'}</td>}
                        <td>{n.address}</td>
                        <td><span class={`badge role-${n.role.toLowerCase()}`}>{n.role}</span></td>
                        <td>{n.offset ?? '–'}</td>
                        <td>{n.healthy ? <span class="badge ok">healthy</span>
                          : <span class="badge bad" title={n.error ?? undefined}>down{n.error ? `: ${n.error}` : ''}</span>}</td>
                      </tr>
                    )))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        ))
      )}
    </>
  );
}
