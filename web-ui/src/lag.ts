// How lag is shown. How it is *judged* is the server's: every link in GET /api/v1/overview carries
// its level (the same rule as the `links` health component and the alerts), so nothing here
// re-derives it from thresholds.
import type { Level } from './api';

export const levelColor: Record<Level, string> = {
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

/** How far behind in bytes: a keyspace capture copies state, not a byte stream, so it has none. */
export function formatBehind(mode: string, bytes: number | null | undefined): string {
  return mode === 'KEYSPACE' ? 'n/a' : formatBytes(bytes);
}
