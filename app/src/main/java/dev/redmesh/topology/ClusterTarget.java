package dev.redmesh.topology;

import java.util.List;

import dev.redmesh.cluster.Cluster;
import dev.redmesh.cluster.ClusterMode;
import dev.redmesh.redis.HostAndPort;

/** What the poller needs of a cluster's spec, detached from JPA so polls run off the request threads. */
public record ClusterTarget(String name, String region, ClusterMode mode, List<HostAndPort> seeds, String username,
                            String password, boolean tls, String replicationGroupId, String awsRegion) {

    /** @param password the cluster's password, decrypted ({@link dev.redmesh.cluster.ClusterSecrets}) */
    public static ClusterTarget of(Cluster cluster, String password) {
        List<HostAndPort> seeds = cluster.getSeeds().stream()
                .map(seed -> HostAndPort.parse(seed).orElseThrow()).toList();
        return new ClusterTarget(cluster.getName(), cluster.getRegion(), cluster.getMode(), seeds,
                cluster.getUsername(), password, cluster.isTls(),
                cluster.getElasticacheReplicationGroupId(), cluster.getElasticacheAwsRegion());
    }

    public NodeTarget node(HostAndPort address) {
        return new NodeTarget(address, username, password, tls);
    }

    @Override
    public String toString() {
        // never the password: targets end up in logs and error messages
        return name + " (" + mode + ", " + seeds + (tls ? ", tls" : "") + ")";
    }
}
