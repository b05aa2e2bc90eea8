/** How a cluster's writes are read, in words for the Clusters page. */
export interface CaptureOf {
  capture: 'AUTO' | 'PSYNC' | 'KEYSPACE';
  captureInEffect: 'AUTO' | 'PSYNC' | 'KEYSPACE';
  mode: 'STANDALONE' | 'CLUSTER' | 'ELASTICACHE';
}

export function describeCapture(c: CaptureOf): { label: string; why: string } {
  const keyspace = c.captureInEffect === 'KEYSPACE';
  const label = keyspace ? 'keyspace capture' : 'replication stream (PSYNC)';
  if (c.capture !== 'AUTO') return { label, why: `${c.capture} set on the cluster` };
  if (!keyspace) return { label, why: 'AUTO: its masters accept PSYNC' };
  return { label, why: c.mode === 'ELASTICACHE' ? 'AUTO: ElastiCache refuses PSYNC' : 'AUTO: its masters refuse PSYNC' };
}
