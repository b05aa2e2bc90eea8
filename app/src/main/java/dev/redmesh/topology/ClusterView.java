package dev.redmesh.topology;

import dev.redmesh.redis.NodeRole;

import dev.redmesh.redis.SlotRange;

import java.util.List;

import dev.redmesh.redis.HostAndPort;

/**
 * A Redis Cluster's own account of its shards, from {@code CLUSTER SHARDS} (7.x) or
 * {@code CLUSTER NODES} (6.2), as seen by one node.
 */
public record ClusterView(List<Shard> shards) {

    public record Shard(List<SlotRange> slots, List<Node> nodes) {

        /** The master the cluster agrees on: the one holding the slots and not marked failed. */
        public Node master() {
            return nodes.stream().filter(n -> n.role() == NodeRole.MASTER && !n.failed()).findFirst().orElse(null);
        }
    }

    /** @param failed the cluster marks it {@code fail} (or health {@code failed}) */
    public record Node(String nodeId, HostAndPort address, NodeRole role, boolean failed) {
    }
}
