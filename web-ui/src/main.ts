import './style.css';

interface Region { name: string; displayName: string | null; cloud: string | null }
interface Link { id: string; source: string; target: string; mode: string; state: string; lagMs: number | null }

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json() as Promise<T>;
}

function table(headers: string[], rows: string[][]): HTMLTableElement {
  const t = document.createElement('table');
  const head = t.createTHead().insertRow();
  headers.forEach((h) => { const th = document.createElement('th'); th.textContent = h; head.appendChild(th); });
  const body = t.createTBody();
  rows.forEach((r) => { const tr = body.insertRow(); r.forEach((c) => { tr.insertCell().textContent = c; }); });
  return t;
}

function show(id: string, content: HTMLElement | string): void {
  const el = document.getElementById(id)!;
  el.replaceChildren(typeof content === 'string' ? document.createTextNode(content) : content);
}

async function refresh(): Promise<void> {
  try {
    const regions = await getJson<Region[]>('/api/v1/regions');
    show('regions', regions.length === 0
      ? 'No regions yet — add one with PUT /api/v1/regions/{name}.'
      : table(['name', 'display name', 'cloud'], regions.map((r) => [r.name, r.displayName ?? '', r.cloud ?? ''])));
    const links = await getJson<Link[]>('/api/v1/links');
    show('links', links.length === 0
      ? 'No links yet — put two clusters in one mesh.'
      : table(['link', 'source → target', 'mode', 'state', 'lag'],
          links.map((l) => [l.id, `${l.source} → ${l.target}`, l.mode, l.state, l.lagMs == null ? 'unknown' : `${l.lagMs} ms`])));
  } catch (e) {
    show('regions', `Could not load: ${(e as Error).message}`);
  }
}

void refresh();
setInterval(() => void refresh(), 2000);
