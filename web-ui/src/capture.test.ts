import { describe, expect, it } from 'vitest';
import { describeCapture } from './capture';

describe('capture', () => {
  it('says what runs and why', () => {
    expect(describeCapture({ capture: 'AUTO', captureInEffect: 'PSYNC', mode: 'STANDALONE' }))
      .toEqual({ label: 'replication stream (PSYNC)', why: 'AUTO: its masters accept PSYNC' });
    expect(describeCapture({ capture: 'AUTO', captureInEffect: 'KEYSPACE', mode: 'CLUSTER' }).why)
      .toBe('AUTO: its masters refuse PSYNC');
    expect(describeCapture({ capture: 'AUTO', captureInEffect: 'KEYSPACE', mode: 'ELASTICACHE' }))
      .toEqual({ label: 'keyspace capture', why: 'AUTO: ElastiCache refuses PSYNC' });
    expect(describeCapture({ capture: 'KEYSPACE', captureInEffect: 'KEYSPACE', mode: 'STANDALONE' }).why)
      .toBe('KEYSPACE set on the cluster');
  });
});
