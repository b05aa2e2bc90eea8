package dev.redmesh.topology;

import dev.redmesh.redis.NodeRole;

import dev.redmesh.redis.SlotRange;

import java.util.List;

import dev.redmesh.redis.HostAndPort;

/**
 * What one poll of one cluster saw: its shards and, for every node, the role the cluster's own
 * authority gives it and what the node itself answered.
 *
 * @param method how the topology was read, e.g. {@code INFO replication} or {@code CLUSTER SHARDS}
 */
public record Discovery(List<ShardObservation> shards, String method) {

    /**
     * @param key                 a stable shard id when the source has one (ElastiCache node group id,
     *                            {@code 0} for standalone); null for Redis Cluster, matched by node ids
     * @param authoritativeMaster the master the cluster agrees on (Redis Cluster view, ElastiCache
     *                            primary); null where only the nodes' own claims count (standalone)
     */
    public record ShardObservation(String key, List<SlotRange> slots, HostAndPort authoritativeMaster,
                                   List<ObservedNode> nodes) {
    }

    /**
     * @param nodeId           Redis Cluster node id, if any
     * @param role             the best knowledge of its role this poll; UNKNOWN if nobody said
     * @param failedByCluster  the cluster itself marks the node failed
     */
    public record ObservedNode(HostAndPort address, String nodeId, NodeRole role, NodeProbe probe,
                               boolean failedByCluster) {

        public boolean healthy() {
            return probe.reachable() && !failedByCluster
                    && (probe.info().role() == NodeRole.MASTER || probe.info().masterLinkUp());
        }
    }
}
