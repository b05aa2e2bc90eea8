package dev.redmesh.cluster;

/** How a Redis deployment is organised, which decides how its topology is discovered. */
public enum ClusterMode {
    /** One master and its replicas. */
    STANDALONE,
    /** Redis Cluster: several shards, slots spread over them. */
    CLUSTER,
    /** An AWS ElastiCache replication group, cluster mode on or off. */
    ELASTICACHE
}
