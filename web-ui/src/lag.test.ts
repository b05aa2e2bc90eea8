import { describe, expect, it } from 'vitest';
import { displayLevel, formatBytes, formatMs, levelOf } from './lag';

const t = { lagWarnMs: 1000, lagCriticalMs: 30_000 };

describe('levelOf', () => {
  it('is OK below the warn threshold and WARN from it', () => {
    expect(levelOf('STREAMING', 0, t)).toBe('OK');
    expect(levelOf('STREAMING', 999, t)).toBe('OK');
    expect(levelOf('STREAMING', 1000, t)).toBe('WARN');
    expect(levelOf('STREAMING', 29_999, t)).toBe('WARN');
  });

  it('is CRITICAL from the critical threshold, and for a broken link whatever its lag', () => {
    expect(levelOf('STREAMING', 30_000, t)).toBe('CRITICAL');
    expect(levelOf('BROKEN', 0, t)).toBe('CRITICAL');
    expect(levelOf('BROKEN', null, t)).toBe('CRITICAL');
  });

  it('is UNKNOWN while no worker reported a lag', () => {
    expect(levelOf('PENDING', null, t)).toBe('UNKNOWN');
    expect(levelOf('FULL_SYNC', undefined, t)).toBe('UNKNOWN');
    expect(levelOf('STREAMING', -1, t)).toBe('UNKNOWN');
  });

  it('follows the thresholds the server sends', () => {
    expect(levelOf('STREAMING', 500, { lagWarnMs: 200, lagCriticalMs: 400 })).toBe('CRITICAL');
  });

  it('shows a paused link as paused, not by its stale lag', () => {
    expect(displayLevel('PAUSED', 90_000, t)).toBe('PAUSED');
    expect(displayLevel('STREAMING', 90_000, t)).toBe('CRITICAL');
  });
});

describe('formatting', () => {
  it('formats milliseconds for people', () => {
    expect(formatMs(null)).toBe('unknown');
    expect(formatMs(12)).toBe('12 ms');
    expect(formatMs(1500)).toBe('1.5 s');
    expect(formatMs(42_000)).toBe('42 s');
    expect(formatMs(125_000)).toBe('2 min 5 s');
  });

  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(2048)).toBe('2.0 KiB');
    expect(formatBytes(5 * 1024 * 1024)).toBe('5.0 MiB');
    expect(formatBytes(undefined)).toBe('unknown');
  });
});
