import { api } from '../api';
import { MeshGraph } from '../components/MeshGraph';
import { Empty, ErrorBox, Loading } from '../components/States';
import { usePoll } from '../hooks';
import { formatBehind, formatMs, formatRate, levelColor } from '../lag';

export function Overview() {
  const { data, error, loading, refresh } = usePoll(api.overview, 2000);
  if (loading && !data) return <Loading what="the overview" />;
  if (!data) return <ErrorBox error={error!} retry={refresh} />;
  const t = data.totals;
  return (
    <>
      <h1>Overview</h1>
      {error && <ErrorBox error={error} retry={refresh} />}
      <section class="cards" aria-label="summary">
        <div class="card"><span class="label">Worst lag</span><span class="value" data-testid="worst-lag">{formatMs(t.worstLagMs)}</span></div>
        <div class="card"><span class="label">Throughput</span><span class="value">{formatRate(t.opsPerSec)}</span></div>
        <div class="card"><span class="label">Links streaming</span><span class="value">{t.linksStreaming} / {data.links.length}</span></div>
        <div class="card"><span class="label">Clusters healthy</span>
          <span class={`value ${t.clustersUnhealthy > 0 ? 'bad' : ''}`}>{t.clustersHealthy} / {t.clustersHealthy + t.clustersUnhealthy}</span></div>
        <div class="card"><span class="label">Workers live</span>
          <span class={`value ${data.workers.live < data.workers.total ? 'bad' : ''}`}>{data.workers.live} / {data.workers.total}</span></div>
        <div class="card"><span class="label">Proxies live</span>
          <span class={`value ${data.proxies.rejecting > 0 || data.proxies.live < data.proxies.total ? 'bad' : ''}`}>
            {data.proxies.live} / {data.proxies.total}{data.proxies.rejecting > 0 && ` (${data.proxies.rejecting} rejecting)`}</span></div>
      </section>
      {data.regions.length === 0 ? (
        <Empty>No regions yet. <a href="#/add">Add a region</a> with its Redis deployment, or PUT one through the API.</Empty>
      ) : (
        <div class="overview-grid">
          <section aria-labelledby="mesh-title" class="panel">
            <h2 id="mesh-title">Regions and links</h2>
            <MeshGraph overview={data} />
            <ul class="legend" aria-label="legend">
              {(['OK', 'WARN', 'CRITICAL', 'UNKNOWN', 'PAUSED'] as const).map((l) => (
                <li><span class="swatch" style={{ background: levelColor[l] }} />{l.toLowerCase()}
                  {l === 'WARN' && ` ≥ ${formatMs(data.thresholds.lagWarnMs)}`}
                  {l === 'CRITICAL' && ` ≥ ${formatMs(data.thresholds.lagCriticalMs)} or broken`}</li>
              ))}
            </ul>
          </section>
          <section aria-labelledby="links-title" class="panel">
            <h2 id="links-title">Links</h2>
            {data.links.length === 0 ? (
              <Empty>No links yet: put two clusters in one mesh.</Empty>
            ) : (
              <div class="table-wrap">
                <table class="links">
                  <thead><tr><th scope="col">Link</th><th scope="col">State</th><th scope="col">Lag</th><th scope="col">Behind</th><th scope="col">Rate</th></tr></thead>
                  <tbody>
                    {data.links.map((l) => {
                      const level = l.level;
                      return (
                        <tr data-link={l.id} data-state={l.state} data-level={level}>
                          <td><a href={`#/links/${l.id}`}>{l.source} → {l.target}</a></td>
                          <td><span class={`badge state-${l.state.toLowerCase()}`} title={l.stateReason ?? undefined}>{l.state}</span></td>
                          <td><span class="dot" style={{ background: levelColor[level] }} aria-hidden="true" />{formatMs(l.lagMs)}</td>
                          <td>{formatBehind(l.mode, l.lagBytes)}</td>
                          <td>{formatRate(l.opsPerSec)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </div>
      )}
    </>
  );
}
