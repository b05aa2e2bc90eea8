package dev.redmesh.cluster;

import java.time.Instant;
import java.util.List;

/** A cluster as the API shows it: its spec (without the password), discovered shards and status. */
record ClusterResponse(String name, String region, ClusterMode mode, List<String> seeds, String username,
                       boolean passwordSet, boolean tls, String mesh, Elasticache elasticache,
                       List<TopologyView.Shard> shards, ClusterStatus status, Instant createdAt, Instant updatedAt) {

    record Elasticache(String replicationGroupId, String awsRegion) {
    }

    static ClusterResponse of(Cluster cluster, List<TopologyView.Shard> shards, ClusterStatus status) {
        Elasticache elasticache = cluster.getMode() == ClusterMode.ELASTICACHE
                ? new Elasticache(cluster.getElasticacheReplicationGroupId(), cluster.getElasticacheAwsRegion())
                : null;
        return new ClusterResponse(cluster.getName(), cluster.getRegion(), cluster.getMode(), cluster.getSeeds(),
                cluster.getUsername(), cluster.hasPassword(), cluster.isTls(), cluster.getMesh(), elasticache,
                shards, status, cluster.getCreatedAt(), cluster.getUpdatedAt());
    }
}
