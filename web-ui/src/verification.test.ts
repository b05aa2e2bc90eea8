import { describe, expect, it } from 'vitest';
import { progressOf } from './verification';

describe('verification progress', () => {
  it('is a percent and words while running, nothing after', () => {
    expect(progressOf({ state: 'RUNNING', progress: { keysChecked: 250, keysEstimated: 1000, etaSeconds: 12 } }))
      .toEqual({ percent: 25, text: '250 of ~1,000 keys, ~12 s left' });
    expect(progressOf({ state: 'RUNNING', progress: { keysChecked: 5, keysEstimated: 0, etaSeconds: null } })!.percent).toBe(0);
    expect(progressOf({ state: 'RUNNING', progress: { keysChecked: 10, keysEstimated: 100, etaSeconds: 600 } })!.text)
      .toContain('~10 min left');
    expect(progressOf({ state: 'DONE', progress: { keysChecked: 1, keysEstimated: 1, etaSeconds: null } })).toBeNull();
  });
});
