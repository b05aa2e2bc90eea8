import { useState } from 'preact/hooks';
import { api, can, type Mesh, type Session, type Verification } from '../api';
import { Empty, ErrorBox, Loading, RoleButton } from '../components/States';
import { usePoll } from '../hooks';
import { progressOf } from '../verification';

export function Consistency({ session }: { session: Session }) {
  const { data, error, loading, refresh } = usePoll(api.meshes, 5000);
  if (loading && !data) return <Loading what="meshes" />;
  if (!data) return <ErrorBox error={error!} retry={refresh} />;
  return (
    <>
      <h1>Consistency</h1>
      <p class="meta">Each mesh's regions compared key by key (docs/consistency.md): what differs after the last pass
        really differs; a repair writes the winning region's copy into the others without echo.</p>
      {data.length === 0 ? <Empty>No mesh yet.</Empty> : data.map((m) => <MeshPanel mesh={m} session={session} />)}
    </>
  );
}

function MeshPanel({ mesh, session }: { mesh: Mesh; session: Session }) {
  const { data, error, refresh } = usePoll(() => api.verifications(mesh.name), 2000);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [first, setFirst] = useState<string>('');
  const mayOperate = can(session.role, 'OPERATOR');
  const last: Verification | undefined = data?.[0];
  const regions = last?.samples[0] ? Object.keys(last.samples[0].regions) : [];
  const act = async (what: () => Promise<unknown>) => {
    setBusy(true);
    setActionError(null);
    try {
      await what();
      refresh();
    } catch (e) {
      setActionError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const order = first ? [first, ...regions.filter((r) => r !== first)] : regions;
  const progress = last ? progressOf(last) : null;
  return (
    <section class="panel" data-mesh={mesh.name} aria-labelledby={`mesh-${mesh.name}`}>
      <div class="panel-head">
        <h2 id={`mesh-${mesh.name}`}>{mesh.name}</h2>
        {last && <span class={`badge ${last.state === 'DONE' ? (last.divergentKeys ? 'bad' : 'ok') : 'pending'}`}
                       data-testid="verification-state">
          {last.state === 'DONE' ? `${last.divergentKeys} divergent` : last.state}</span>}
      </div>
      <p class="meta">{mesh.members.length} members · {mesh.verify
        ? `verified every ${Math.round(mesh.verify.everySeconds / 60)} min${mesh.verify.repair ? ', repaired by its policy' : ''}`
        : 'no schedule'}</p>
      {error && <ErrorBox error={error} retry={refresh} />}
      {!last ? <Empty>Never verified.</Empty> : (
        <>
          {progress && (
            <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={progress.percent}>
              <div style={{ width: `${progress.percent}%` }} />
              <span>{progress.text}</span>
            </div>
          )}
          <p class="meta">Started {new Date(last.createdAt).toLocaleString()} by {last.requestedBy}
            {last.passes.length > 0 && <> · candidates per pass {last.passes.map((p) => p.candidates).join(' → ')}</>}
            {last.keysInFlight > 0 && <> · {last.keysInFlight} keys in flight (not reported)</>}
            {last.reason && <> · {last.reason}</>}</p>
          {last.state === 'DONE' && Object.keys(last.kinds).length > 0 && (
            <p data-testid="kinds">{Object.entries(last.kinds).map(([k, n]) => <span class="badge">{k} {n}</span>)}</p>
          )}
          {last.samples.length > 0 && (
            <div class="table-wrap">
              <table>
                <thead><tr><th scope="col">Key</th><th scope="col">Kind</th>
                  {regions.map((r) => <th scope="col">{r}</th>)}</tr></thead>
                <tbody>
                  {last.samples.map((s) => (
                    <tr>
                      <td><code>{s.key}</code>{s.db ? ` (db ${s.db})` : ''}</td>
                      <td>{s.kind}</td>
                      {regions.map((r) => {
                        const seen = s.regions[r];
                        return <td>{!seen || seen.type === 'none' ? <em>absent</em>
                          : `${seen.type}${seen.ttlMs >= 0 ? `, ttl ${Math.round(seen.ttlMs / 1000)} s` : ''} · ${seen.digest?.slice(0, 8)}`}</td>;
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {last.repair && <p class="meta" data-testid="repair">Repaired by {String(last.repair.by)}: {String(last.repair.keysRepaired)} keys
            ({String(last.repair.failed)} failed), {String(last.repair.stillDivergent)} still differ.</p>}
        </>
      )}
      <div class="actions">
        <RoleButton allowed={mayOperate && last?.state !== 'RUNNING'} needed="OPERATOR" busy={busy}
                    onClick={() => act(() => api.verify(mesh.name))}>Verify now</RoleButton>
        {last?.state === 'DONE' && (last.divergentKeys ?? 0) > 0 && regions.length > 0 && (
          <>
            <label>Winner first <select value={first} onChange={(e) => setFirst((e.target as HTMLSelectElement).value)}>
              <option value="">{regions[0]}</option>
              {regions.slice(1).map((r) => <option value={r}>{r}</option>)}
            </select></label>
            <RoleButton allowed={mayOperate} needed="OPERATOR" busy={busy}
                        onClick={() => { if (confirm(`Repair: ${order.join(' over ')} wins each divergent key. Continue?`)) void act(() => api.repair(last.id, order)); }}>
              Repair</RoleButton>
          </>
        )}
        {!mayOperate && <span class="hint">Verifying and repairing needs the OPERATOR role; you are {session.role}.</span>}
        {actionError && <span class="error" role="alert">{actionError}</span>}
      </div>
    </section>
  );
}
