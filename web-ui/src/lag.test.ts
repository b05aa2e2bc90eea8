import { describe, expect, it } from 'vitest';
import { formatBehind, formatBytes, formatMs, levelColor } from './lag';

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

describe('levels', () => {
  it('has a colour for every level the server can send, paused apart from failing', () => {
    expect(Object.keys(levelColor).sort()).toEqual(['CRITICAL', 'OK', 'PAUSED', 'UNKNOWN', 'WARN']);
    expect(levelColor.PAUSED).not.toBe(levelColor.CRITICAL);
  });
});

describe('behind', () => {
  it('has no bytes for a keyspace capture, and formats them for PSYNC', () => {
    expect(formatBehind('KEYSPACE', -1)).toBe('n/a');
    expect(formatBehind('PSYNC', 2048)).toBe('2.0 KiB');
  });
});
