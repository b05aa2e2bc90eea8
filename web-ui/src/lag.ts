// How lag is judged and shown. The thresholds come from the server (GET /api/v1/overview), so the
// dashboard, the `links` health component and the alerts agree on what "lagging" means.

export type Level = 'OK' | 'WARN' | 'CRITICAL' | 'UNKNOWN';

export interface Thresholds {
  lagWarnMs: number;
  lagCriticalMs: number;
}

/** The same rule as the server's LagLevels: BROKEN or past critical is CRITICAL; nothing reported is UNKNOWN. */
export function levelOf(state: string, lagMs: number | null | undefined, t: Thresholds): Level {
  if (state === 'BROKEN' || (lagMs != null && lagMs >= t.lagCriticalMs)) return 'CRITICAL';
  if (lagMs == null || lagMs < 0) return 'UNKNOWN';
  return lagMs >= t.lagWarnMs ? 'WARN' : 'OK';
}

/** A paused link is neither healthy nor failing: it is shown as such, whatever its last lag was. */
export function displayLevel(state: string, lagMs: number | null | undefined, t: Thresholds): Level | 'PAUSED' {
  return state === 'PAUSED' ? 'PAUSED' : levelOf(state, lagMs, t);
}

export const levelColor: Record<Level | 'PAUSED', string> = {
  OK: 'var(--ok)',
  WARN: 'var(--warn)',
  CRITICAL: 'var(--critical)',
  UNKNOWN: 'var(--unknown)',
  PAUSED: 'var(--paused)',
};

export function formatMs(ms: number | null | undefined): string {
  if (ms == null || ms < 0) return 'unknown';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || bytes < 0) return 'unknown';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond == null) return '–';
  if (perSecond < 1000) return `${Math.round(perSecond)}/s`;
  return `${(perSecond / 1000).toFixed(1)}k/s`;
}
