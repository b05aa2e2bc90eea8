package dev.redmesh.cluster;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Body of {@code PUT /api/v1/clusters/{name}}. Fields are plain strings so that every mistake is
 * reported as a field error with the allowed values, rather than as unreadable JSON.
 */
record ClusterRequest(
        @Schema(description = "region the cluster runs in; must exist", example = "eu-west-1") String region,
        @Schema(description = "STANDALONE, CLUSTER or ELASTICACHE", example = "STANDALONE") String mode,
        @Schema(description = "host:port addresses to discover the topology from", example = "[\"10.0.0.5:6379\"]")
        List<String> seeds,
        @Schema(description = "ACL user, if any") String username,
        @Schema(description = "write-only: never returned; omit to keep the stored one, empty to clear it",
                accessMode = Schema.AccessMode.WRITE_ONLY) String password,
        @Schema(description = "connect with TLS") Boolean tls,
        @Schema(description = "mesh to join: links are created to and from every other member; null leaves it")
        String mesh,
        @Schema(description = "for mode ELASTICACHE") ElasticacheRequest elasticache,
        @Schema(description = "how its writes are read: AUTO (default: PSYNC where the masters accept it, keyspace "
                + "notifications where they refuse it; ELASTICACHE is always KEYSPACE), PSYNC or KEYSPACE",
                example = "AUTO") String capture) {

    /** The cluster as a {@code PUT} would state it now, the password left out (kept). */
    static ClusterRequest of(Cluster cluster) {
        return new ClusterRequest(cluster.getRegion(), cluster.getMode().name(), cluster.getSeeds(), cluster.getUsername(),
                null, cluster.isTls(), cluster.getMesh(), cluster.getMode() == ClusterMode.ELASTICACHE
                        ? new ElasticacheRequest(cluster.getElasticacheReplicationGroupId(), cluster.getElasticacheAwsRegion())
                        : null, cluster.getCapture().name());
    }

    @Override
    public String toString() {
        // never the password: requests end up in logs and error messages
        return "ClusterRequest[region=" + region + ", mode=" + mode + ", seeds=" + seeds + ", username=" + username
                + ", password=" + (password == null ? "null" : "(hidden)") + ", tls=" + tls + ", mesh=" + mesh
                + ", elasticache=" + elasticache + ", capture=" + capture + "]";
    }

    record ElasticacheRequest(
            @Schema(example = "orders-cache") String replicationGroupId,
            @Schema(example = "eu-west-1") String awsRegion) {
    }
}
