// The REST API as the dashboard calls it: same-origin, with the session cookie, the CSRF token on
// every change, and errors turned into problem documents the pages can show.
import type { components } from './generated/api';
import type { Problem } from './form';

// Every type the server answers with is generated from its OpenAPI document (web-ui/openapi.json,
// checked against the running app by OpenApiDocumentIT): a field the server renames, drops or makes
// nullable breaks `npm run build` here, not a page in a browser.
type Schemas = components['schemas'];

export type Session = Schemas['SessionResponse'];
export type Role = NonNullable<Session['role']>;
export type Overview = Schemas['OverviewResponse'];
export type LinkSummary = Schemas['LinkSummary'];
export type Level = LinkSummary['level'];
export type Thresholds = Schemas['Thresholds'];
export type Link = Schemas['LinkResponse'];
export type ShardAssignment = Schemas['ShardAssignment'];
export type Cluster = Schemas['ClusterResponse'];
export type Event = Schemas['EventResponse'];
export type Worker = Schemas['WorkerResponse'];
export type Proxy = Schemas['ProxyResponse'];
export type LagSeries = Schemas['LagSeries'];
export type Region = Schemas['RegionResponse'];
export type Mesh = Schemas['MeshResponse'];
export type Verification = Schemas['VerificationResponse'];

export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!response.ok) {
    throw new ApiError(response.status, (json as Problem) ?? { title: `HTTP ${response.status}` });
  }
  return json as T;
}

export const api = {
  session: () => call<Session>('GET', '/api/v1/session'),
  signIn: (token: string) => call<Session>('POST', '/api/v1/session', { token }),
  signOut: () => call<void>('DELETE', '/api/v1/session'),
  overview: () => call<Overview>('GET', '/api/v1/overview'),
  link: (id: string) => call<Link>('GET', `/api/v1/links/${encodeURIComponent(id)}`),
  lag: (id: string, window: string) => call<LagSeries>('GET', `/api/v1/links/${encodeURIComponent(id)}/lag?window=${window}`),
  pause: (id: string) => call<Link>('POST', `/api/v1/links/${encodeURIComponent(id)}/pause`),
  resume: (id: string) => call<Link>('POST', `/api/v1/links/${encodeURIComponent(id)}/resume`),
  clusters: () => call<Cluster[]>('GET', '/api/v1/clusters'),
  meshes: () => call<Mesh[]>('GET', '/api/v1/meshes'),
  verifications: (mesh: string) => call<Verification[]>('GET', `/api/v1/meshes/${encodeURIComponent(mesh)}/verifications`),
  verify: (mesh: string) => call<Verification>('POST', `/api/v1/meshes/${encodeURIComponent(mesh)}/verifications`, {}),
  repair: (id: string, order: string[]) => call<Verification>('POST', `/api/v1/verifications/${encodeURIComponent(id)}/repair`,
    { policy: 'REGION_ORDER', order }),
  cluster: (name: string) => call<Cluster>('GET', `/api/v1/clusters/${encodeURIComponent(name)}`),
  events: (query: string) => call<Event[]>('GET', `/api/v1/events${query}`),
  workers: () => call<Worker[]>('GET', '/api/v1/fleet/workers'),
  proxies: () => call<Proxy[]>('GET', '/api/v1/fleet/proxies'),
  region: (name: string) => call<Region>('GET', `/api/v1/regions/${encodeURIComponent(name)}`),
  putRegion: (name: string, body: object) => call<Region>('PUT', `/api/v1/regions/${encodeURIComponent(name)}`, body),
  deleteRegion: (name: string) => call<void>('DELETE', `/api/v1/regions/${encodeURIComponent(name)}`),
  putCluster: (name: string, body: object) => call<Cluster>('PUT', `/api/v1/clusters/${encodeURIComponent(name)}`, body),
};

/** What a role may do, by the server's ladder (docs/security.md): buttons are disabled, not refused. */
export function can(role: Role | null | undefined, needed: 'OPERATOR' | 'ADMIN'): boolean {
  if (role === 'ADMIN') return true;
  return needed === 'OPERATOR' && role === 'OPERATOR';
}
