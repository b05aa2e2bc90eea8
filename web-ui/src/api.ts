// The REST API as the dashboard calls it: same-origin, with the session cookie, the CSRF token on
// every change, and errors turned into problem documents the pages can show.
import type { Problem } from './form';
import type { Level, Thresholds } from './lag';
import type { LagSeries } from './chart';

export type Role = 'VIEWER' | 'OPERATOR' | 'ADMIN' | 'WORKER' | 'PROXY';

export interface Session {
  authenticated: boolean;
  name: string | null;
  role: Role | null;
  via: string | null;
  csrfToken: string | null;
}

export interface Overview {
  thresholds: Thresholds;
  regions: { name: string; displayName: string | null; cloud: string | null; clusters: string[] }[];
  clusters: { name: string; region: string; mode: string; mesh: string | null; shards: number; nodes: number;
    healthyNodes: number; ready: boolean; status: string }[];
  links: { id: string; source: string; target: string; sourceRegion: string | null; targetRegion: string | null;
    mode: string; state: string; stateReason: string | null; lagMs: number | null; lagBytes: number | null;
    opsPerSec: number | null; level: Level }[];
  workers: { live: number; total: number };
  proxies: { live: number; total: number; rejecting: number };
  totals: { worstLagMs: number | null; opsPerSec: number; linksStreaming: number; clustersHealthy: number;
    clustersUnhealthy: number };
}

export interface ShardAssignment {
  shard: string; worker: string | null; sourceNode: string; epoch: number; offset: number | null;
  state: string | null; lagMs: number | null; lagBytes: number | null; opsPerSec: number | null;
}

export interface Link {
  id: string; source: string; target: string; mode: string; state: string; stateReason: string | null;
  stateChangedAt: string | null; origin: string; mesh: string | null; lagMs: number | null; lagBytes: number | null;
  opsPerSec: number | null; shards: ShardAssignment[];
}

export interface Cluster {
  name: string; region: string; mode: string; seeds: string[]; username: string | null; passwordSet: boolean;
  tls: boolean; mesh: string | null;
  shards: { id: string; slots: string[]; master: string | null;
    nodes: { address: string; role: string; healthy: boolean; offset: number | null; lastSeen: string | null;
      error: string | null }[] }[];
  status: { ready: boolean; message: string };
}

export interface Event {
  id: number; type: string; subject: string; occurredAt: string; message: string; details: Record<string, unknown> | null;
}

export interface Worker {
  id: string; kind: string; pinnedNode: string | null; address: string | null; version: string | null;
  heartbeatAgeMs: number; live: boolean; assignments: { id: string; link: string; epoch: number; phase: string | null }[];
}

export interface Proxy {
  id: string; region: string | null; envoyVersion: string | null; connected: boolean; live: boolean;
  lastSeenAgeMs: number; versionSent: string | null; versionAcked: string | null; currentVersion: string | null;
  upToDate: boolean; nack: { version: string; error: string; at: string } | null;
}

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
  cluster: (name: string) => call<Cluster>('GET', `/api/v1/clusters/${encodeURIComponent(name)}`),
  events: (query: string) => call<Event[]>('GET', `/api/v1/events${query}`),
  workers: () => call<Worker[]>('GET', '/api/v1/fleet/workers'),
  proxies: () => call<Proxy[]>('GET', '/api/v1/fleet/proxies'),
  putRegion: (name: string, body: object) => call<unknown>('PUT', `/api/v1/regions/${encodeURIComponent(name)}`, body),
  putCluster: (name: string, body: object) => call<Cluster>('PUT', `/api/v1/clusters/${encodeURIComponent(name)}`, body),
};

/** What a role may do, by the server's ladder (docs/security.md): buttons are disabled, not refused. */
export function can(role: Role | null | undefined, needed: 'OPERATOR' | 'ADMIN'): boolean {
  if (role === 'ADMIN') return true;
  return needed === 'OPERATOR' && role === 'OPERATOR';
}
