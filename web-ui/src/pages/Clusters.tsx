import { api } from '../api';
import { Empty, ErrorBox, Loading } from '../components/States';
import { usePoll } from '../hooks';
import { describeCapture } from '../capture';

export function Clusters() {
  const { data, error, loading, refresh } = usePoll(api.clusters, 2000);
  if (loading && !data) return <Loading what="clusters" />;
  if (!data) return <ErrorBox error={error!} retry={refresh} />;
  return (
    <>
      <h1>Clusters</h1>
      {error && <ErrorBox error={error} retry={refresh} />}
      <details class="help">
        <summary>How redmesh reads a region's writes</summary>
        <p><strong>Replication stream (PSYNC)</strong>: a worker follows each master as a replica does and
          carries every command, in order — exact, operations travel (two regions' concurrent INCRs add up),
          lag in bytes and ms, partial resync after a failover.</p>
        <p><strong>Keyspace capture</strong>: for managed Redis that refuses PSYNC (ElastiCache, Memorystore…).
          The worker subscribes to the masters' keyspace notifications and copies each changed key's current
          state — state travels, not operations; bursts on one key coalesce; a gap (restart, failover,
          dropped subscription) is closed by a resync that compares both sides. Needs
          <code>notify-keyspace-events</code> to include <code>KA</code> (the parameter group on ElastiCache).
          Lag is in ms only.</p>
        <p><code>AUTO</code> (the default) picks PSYNC where the masters accept it and keyspace capture where
          they refuse it; ElastiCache clusters always read by keyspace capture. A mesh may mix both.</p>
      </details>
      {data.length === 0 ? <Empty>No clusters yet. <a href="#/add">Add a region</a> with its Redis deployment.</Empty> : (
        data.map((c) => (
          <section class="panel cluster" data-cluster={c.name} aria-labelledby={`cluster-${c.name}`}>
            <div class="panel-head">
              <h2 id={`cluster-${c.name}`}>{c.name}</h2>
              <span class={`badge ${c.status.ready ? 'ok' : 'pending'}`}>{c.status.ready ? 'ready' : 'not ready'}</span>
            </div>
            <p class="meta">{c.mode} in <strong>{c.region}</strong>{c.mesh && <> · mesh <strong>{c.mesh}</strong></>}
              {c.tls && ' · TLS'}{c.username && ` · user ${c.username}`} · {c.status.message}</p>
            <p class="meta" data-testid="capture">read by <strong>{describeCapture(c).label}</strong> ({describeCapture(c).why})</p>
            {c.shards.length === 0 ? <Empty>Topology not discovered yet (seeds: {c.seeds.join(', ')}).</Empty> : (
              <div class="table-wrap">
                <table>
                  <thead><tr><th scope="col">Shard</th><th scope="col">Slots</th><th scope="col">Node</th><th scope="col">Role</th>
                    <th scope="col">Server</th><th scope="col">Offset</th><th scope="col">Health</th></tr></thead>
                  <tbody>
                    {c.shards.flatMap((s) => s.nodes.map((n, i) => (
                      <tr data-node={n.address}>
                        {i === 0 && <td rowSpan={s.nodes.length}>{s.id}</td>}
                        {i === 0 && <td rowSpan={s.nodes.length}>{s.slots.length ? s.slots.join(', ') : 'all (standalone)'}</td>}
                        <td>{n.address}</td>
                        <td><span class={`badge role-${n.role.toLowerCase()}`}>{n.role}</span></td>
                        <td data-testid="server">{n.server ?? '–'}</td>
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
