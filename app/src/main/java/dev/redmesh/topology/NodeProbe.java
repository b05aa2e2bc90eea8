package dev.redmesh.topology;

import dev.redmesh.redis.NodeRole;

import dev.redmesh.redis.ReplicationInfo;

import java.time.Instant;

import dev.redmesh.redis.HostAndPort;

/**
 * The outcome of asking one node {@code INFO replication} in one poll.
 *
 * @param server the node's engine and version ("redis 8.0.2", "valkey 8.0.1"), null until known
 */
public record NodeProbe(HostAndPort address, ReplicationInfo info, String error, Instant at, String server) {

    public NodeProbe(HostAndPort address, ReplicationInfo info, String error, Instant at) {
        this(address, info, error, at, null);
    }

    public static NodeProbe answered(HostAndPort address, ReplicationInfo info, Instant at) {
        return new NodeProbe(address, info, null, at);
    }

    public static NodeProbe failed(HostAndPort address, String error, Instant at) {
        return new NodeProbe(address, null, error, at);
    }

    public NodeProbe withServer(String server) {
        return new NodeProbe(address, info, error, at, server);
    }

    public boolean reachable() {
        return info != null;
    }

    public boolean claimsMaster() {
        return info != null && info.role() == NodeRole.MASTER;
    }
}
