import { useMemo, useState } from 'preact/hooks';
import { ApiError, api, can, type Session } from '../api';
import { hasData, toChart, WINDOWS, type Window } from '../chart';
import { LagChart } from '../components/LagChart';
import { Empty, ErrorBox, Loading, RoleButton } from '../components/States';
import { usePoll } from '../hooks';
import { formatBehind, formatMs, formatRate } from '../lag';

export function LinkDetail({ id, session }: { id: string; session: Session }) {
  const [window, setWindow] = useState<Window>('15m');
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const link = usePoll(() => api.link(id), 2000, [id]);
  const lag = usePoll(() => api.lag(id, window), window === '15m' ? 2000 : 10_000, [id, window]);
  const history = usePoll(() => api.events(`?subject=${encodeURIComponent(id)}&limit=50`), 5000, [id]);
  const overview = usePoll(api.overview, 30_000);
  const chart = useMemo(() => (lag.data ? toChart(lag.data) : null), [lag.data]);
  const mayOperate = can(session.role, 'OPERATOR');

  const act = async (action: 'pause' | 'resume') => {
    setConfirming(false);
    setBusy(true);
    setActionError(null);
    try {
      await (action === 'pause' ? api.pause(id) : api.resume(id));
      link.refresh();
      history.refresh();
    } catch (e) {
      setActionError(e instanceof ApiError ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  if (link.loading && !link.data) return <Loading what={`link ${id}`} />;
  if (!link.data) {
    return link.error instanceof ApiError && link.error.status === 404
      ? <Empty>There is no link <code>{id}</code>. <a href="#/">Back to the overview</a></Empty>
      : <ErrorBox error={link.error!} retry={link.refresh} />;
  }
  const l = link.data;
  return (
    <>
      <p class="crumbs"><a href="#/">Overview</a> › link</p>
      <h1>{l.source} → {l.target}</h1>
      <section class="cards">
        <div class="card"><span class="label">State</span>
          <span class={`value badge state-${l.state.toLowerCase()}`} data-testid="link-state">{l.state}</span></div>
        <div class="card"><span class="label">Lag</span><span class="value">{l.state === 'PAUSED' ? 'paused' : formatMs(l.lagMs)}</span></div>
        <div class="card" title={l.state === 'PAUSED' ? 'written on the source since the pause: it grows until the link is resumed' : undefined}>
          <span class="label">Behind</span><span class="value" data-testid="link-behind">{formatBehind(l.mode, l.lagBytes)}</span></div>
        <div class="card"><span class="label">Rate</span><span class="value">{formatRate(l.opsPerSec)}</span></div>
      </section>
      {l.stateReason && <p class="reason">{l.stateReason}</p>}
      <div class="actions">
        {l.state === 'PAUSED' || l.state === 'BROKEN'
          ? <RoleButton allowed={mayOperate} needed="OPERATOR" busy={busy} onClick={() => act('resume')}>Resume</RoleButton>
          : !confirming
            ? <RoleButton allowed={mayOperate} needed="OPERATOR" busy={busy} onClick={() => setConfirming(true)}>Pause</RoleButton>
            : <span class="confirm" role="group" aria-label="confirm pause">
                Pause this link? Nothing travels from {l.source} to {l.target} until it is resumed, and its backlog grows.
                <button type="button" class="danger" onClick={() => act('pause')}>Pause link</button>
                <button type="button" class="secondary" onClick={() => setConfirming(false)}>Cancel</button>
              </span>}
        {!mayOperate && <span class="hint">Pausing and resuming needs the OPERATOR role; you are {session.role}.</span>}
        {actionError && <span class="error" role="alert">{actionError}</span>}
      </div>

      <section class="panel" aria-labelledby="lag-title">
        <div class="panel-head">
          <h2 id="lag-title">Lag</h2>
          <div class="segmented" role="group" aria-label="time window">
            {WINDOWS.map((w) => (
              <button type="button" aria-pressed={w === window} onClick={() => setWindow(w)}>{w}</button>
            ))}
          </div>
        </div>
        {chart && hasData(chart.columns)
          ? <LagChart data={chart} warnMs={overview.data?.thresholds.lagWarnMs ?? 1000} keyspace={link.data?.mode === 'KEYSPACE'} />
          : lag.error ? <ErrorBox error={lag.error} retry={lag.refresh} />
          : lag.loading ? <Loading what="lag samples" />
          : <Empty>No lag samples in the last {window} yet: they appear once a worker streams this link.</Empty>}
      </section>

      <section class="panel" aria-labelledby="shards-title">
        <h2 id="shards-title">Shards</h2>
        {l.shards.length === 0 ? <Empty>{l.state === 'PAUSED'
          ? `No worker carries this link while it is paused (${l.stateReason ?? 'paused'}).`
          : `No assignment yet: ${l.stateReason ?? 'waiting for the masters of both clusters and a live worker'}.`}</Empty> : (
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">Shard</th><th scope="col">Worker</th><th scope="col">Source node</th><th scope="col">Epoch</th>
                <th scope="col">Offset</th><th scope="col">State</th><th scope="col">Lag</th><th scope="col">Behind</th></tr></thead>
              <tbody>
                {l.shards.map((s) => (
                  <tr><td>{s.shard}</td><td>{s.worker ?? 'none'}</td><td>{s.sourceNode}</td><td>{s.epoch}</td>
                    <td>{s.offset ?? '–'}</td><td>{s.state ?? 'assigned'}</td><td>{formatMs(s.lagMs)}</td>
                    <td data-testid="shard-behind">{formatBehind(l.mode, s.lagBytes)}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section class="panel" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {!history.data ? <Loading what="history" /> : history.data.length === 0 ? <Empty>Nothing happened to this link yet.</Empty> : (
          <ol class="timeline">
            {history.data.map((e) => (
              <li><time dateTime={e.occurredAt}>{new Date(e.occurredAt).toLocaleString()}</time>
                <span class={`badge type-${e.type.toLowerCase()}`}>{e.type}</span> {e.message}</li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
