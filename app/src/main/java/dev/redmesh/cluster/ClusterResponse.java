package dev.redmesh.cluster;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A cluster as the API shows it: its spec (without the password), discovered shards and status;
 * {@code capture} as asked, {@code captureInEffect} what its outgoing links run (PSYNC or KEYSPACE).
 */
record ClusterResponse(String name, String region, ClusterMode mode, List<String> seeds, @Nullable String username,
                       boolean passwordSet, boolean tls, @Nullable String mesh, @Nullable Elasticache elasticache,
                       List<TopologyView.Shard> shards, ClusterStatus status, ClusterCapture capture,
                       ClusterCapture captureInEffect, Instant createdAt, Instant updatedAt) {

    record Elasticache(String replicationGroupId, @Nullable String awsRegion) {
    }

    static ClusterResponse of(Cluster cluster, List<TopologyView.Shard> shards, ClusterStatus status) {
        Elasticache elasticache = cluster.getMode() == ClusterMode.ELASTICACHE
                ? new Elasticache(cluster.getElasticacheReplicationGroupId(), cluster.getElasticacheAwsRegion())
                : null;
        return new ClusterResponse(cluster.getName(), cluster.getRegion(), cluster.getMode(), cluster.getSeeds(),
                cluster.getUsername(), cluster.hasPassword(), cluster.isTls(), cluster.getMesh(), elasticache,
                shards, status, cluster.getCapture(),
                cluster.readsKeyspace() ? ClusterCapture.KEYSPACE : ClusterCapture.PSYNC,
                cluster.getCreatedAt(), cluster.getUpdatedAt());
    }
}
