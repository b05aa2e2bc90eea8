package dev.redmesh.topology;

import dev.redmesh.redis.NodeRole;

import dev.redmesh.redis.ReplicationInfo;

import java.time.Instant;

import dev.redmesh.redis.HostAndPort;

/** The outcome of asking one node {@code INFO replication} in one poll. */
public record NodeProbe(HostAndPort address, ReplicationInfo info, String error, Instant at) {

    public static NodeProbe answered(HostAndPort address, ReplicationInfo info, Instant at) {
        return new NodeProbe(address, info, null, at);
    }

    public static NodeProbe failed(HostAndPort address, String error, Instant at) {
        return new NodeProbe(address, null, error, at);
    }

    public boolean reachable() {
        return info != null;
    }

    public boolean claimsMaster() {
        return info != null && info.role() == NodeRole.MASTER;
    }
}
