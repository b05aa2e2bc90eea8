package dev.redmesh.cluster;

/** How a cluster's writes are read, as its operator asked (docs/sync.md, "Capture modes"). */
public enum ClusterCapture {
    /** PSYNC where the masters accept it; keyspace notifications where they refuse it (ElastiCache always does). */
    AUTO,
    /** Always as a PSYNC2 replica. */
    PSYNC,
    /** Always from keyspace notifications. */
    KEYSPACE;

    /** Whether a cluster asked for this way, of {@code mode}, whose masters refuse PSYNC or not, is read by keyspace capture. */
    public boolean readsKeyspace(ClusterMode mode, boolean psyncRefused) {
        return switch (this) {
            case PSYNC -> false;
            case KEYSPACE -> true;
            case AUTO -> mode == ClusterMode.ELASTICACHE || psyncRefused;
        };
    }
}
