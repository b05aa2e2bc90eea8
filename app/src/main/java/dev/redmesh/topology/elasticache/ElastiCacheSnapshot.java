package dev.redmesh.topology.elasticache;

import java.util.List;

import dev.redmesh.redis.HostAndPort;
import dev.redmesh.redis.SlotRange;

/**
 * One {@code DescribeReplicationGroups} answer for a replication group, reduced to what topology
 * discovery needs.
 *
 * @param clusterMode           {@code ClusterEnabled}: shards with slots, roles known only from Redis
 * @param configurationEndpoint cluster mode on: the endpoint to ask {@code CLUSTER NODES}; else null
 * @param status                e.g. {@code available}, {@code modifying}
 */
public record ElastiCacheSnapshot(String replicationGroupId, String status, boolean clusterMode,
                                  HostAndPort configurationEndpoint, List<NodeGroup> nodeGroups) {

    /**
     * @param id              {@code NodeGroupId}, e.g. {@code 0001}; stable across failovers
     * @param slots           cluster mode on: the shard's slots; otherwise empty
     * @param primaryEndpoint cluster mode off: the group's primary endpoint; otherwise null
     */
    public record NodeGroup(String id, String status, List<SlotRange> slots, HostAndPort primaryEndpoint,
                            List<Member> members) {
    }

    /**
     * @param currentRole {@code primary} or {@code replica} (cluster mode off); null when ElastiCache
     *                    does not say (cluster mode on)
     */
    public record Member(String cacheClusterId, String cacheNodeId, HostAndPort endpoint, String currentRole,
                         String availabilityZone) {
    }
}
