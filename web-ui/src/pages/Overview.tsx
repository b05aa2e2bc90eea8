import { api } from '../api';
import { LinksTable } from '../components/LinksTable';
import { MeshGraph } from '../components/MeshGraph';
import { MeshMatrix } from '../components/MeshMatrix';
import { Empty, ErrorBox, Loading } from '../components/States';
import { usePoll } from '../hooks';
import { formatMs, formatRate, levelColor } from '../lag';

/** Up to this many regions the graph is drawn beside the matrix; beyond, the matrix alone scales. */
const GRAPH_UP_TO = 3;

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
        <div class="card" title="ready: every link touching the cluster streams; reachable: every node answered its last poll">
          <span class="label">Clusters ready</span>
          <span class={`value ${t.clustersReady < t.clustersHealthy + t.clustersUnhealthy ? 'bad' : ''}`} data-testid="clusters-ready">
            {t.clustersReady} / {t.clustersHealthy + t.clustersUnhealthy}</span>
          <span class="sub">{t.clustersHealthy} reachable</span></div>
        <div class="card"><span class="label">Workers live</span>
          <span class={`value ${data.workers.live < data.workers.total ? 'bad' : ''}`}>{data.workers.live} / {data.workers.total}</span></div>
        <div class="card"><span class="label">Proxies live</span>
          <span class={`value ${data.proxies.rejecting > 0 || data.proxies.live < data.proxies.total ? 'bad' : ''}`}>
            {data.proxies.live} / {data.proxies.total}{data.proxies.rejecting > 0 && ` (${data.proxies.rejecting} rejecting)`}</span></div>
      </section>
      {data.regions.length === 0 ? (
        <Empty>No regions yet. <a href="#/add">Add a region</a> with its Redis deployment, or PUT one through the API.</Empty>
      ) : (
        <div class={`overview-grid${data.regions.length > GRAPH_UP_TO ? ' wide' : ''}`}>
          <section aria-labelledby="mesh-title" class="panel">
            <h2 id="mesh-title">Regions and links</h2>
            {data.regions.length > GRAPH_UP_TO && <p class="hint">{data.regions.length} regions: each cell is the worst link from
              the row's region to the column's; click it for the link.</p>}
            {data.regions.length <= GRAPH_UP_TO && <MeshGraph overview={data} />}
            {data.regions.length >= 2 && <MeshMatrix overview={data} />}
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
            ) : <LinksTable links={data.links} />}
          </section>
        </div>
      )}
    </>
  );
}
