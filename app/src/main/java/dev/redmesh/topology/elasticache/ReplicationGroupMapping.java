package dev.redmesh.topology.elasticache;

import java.util.List;

import software.amazon.awssdk.services.elasticache.model.Endpoint;
import software.amazon.awssdk.services.elasticache.model.NodeGroup;
import software.amazon.awssdk.services.elasticache.model.NodeGroupMember;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;

import dev.redmesh.redis.HostAndPort;
import dev.redmesh.redis.SlotRange;

/**
 * Turns the SDK's {@link ReplicationGroup} into an {@link ElastiCacheSnapshot}, so nothing past
 * this package sees AWS model classes.
 */
final class ReplicationGroupMapping {

    private ReplicationGroupMapping() {
    }

    static ElastiCacheSnapshot toSnapshot(ReplicationGroup group) {
        // ClusterEnabled is optional in the API model; a group that does not say has no
        // configuration endpoint to read slots from either, so it can only be handled as mode off
        boolean clusterMode = Boolean.TRUE.equals(group.clusterEnabled());
        List<ElastiCacheSnapshot.NodeGroup> nodeGroups = group.nodeGroups().stream()
                .map(nodeGroup -> toNodeGroup(group.replicationGroupId(), nodeGroup))
                .toList();
        return new ElastiCacheSnapshot(group.replicationGroupId(), group.status(), clusterMode,
                clusterMode ? endpoint(group.configurationEndpoint()) : null, nodeGroups);
    }

    private static ElastiCacheSnapshot.NodeGroup toNodeGroup(String groupId, NodeGroup nodeGroup) {
        List<ElastiCacheSnapshot.Member> members = nodeGroup.nodeGroupMembers().stream()
                .map(ReplicationGroupMapping::toMember)
                .toList();
        return new ElastiCacheSnapshot.NodeGroup(nodeGroup.nodeGroupId(), nodeGroup.status(),
                slots(groupId, nodeGroup), endpoint(nodeGroup.primaryEndpoint()), members);
    }

    /**
     * Cluster mode on, the API gives neither a role nor a read endpoint per member: both come
     * from {@code CLUSTER NODES} on the configuration endpoint, so they stay null here.
     */
    private static ElastiCacheSnapshot.Member toMember(NodeGroupMember member) {
        return new ElastiCacheSnapshot.Member(member.cacheClusterId(), member.cacheNodeId(),
                endpoint(member.readEndpoint()), member.currentRole(), member.preferredAvailabilityZone());
    }

    private static List<SlotRange> slots(String groupId, NodeGroup nodeGroup) {
        try {
            return SlotRange.parseList(nodeGroup.slots());
        } catch (IllegalArgumentException e) {
            throw new ElastiCacheException("replication group '" + groupId + "' node group " + nodeGroup.nodeGroupId()
                    + " has unreadable Slots '" + nodeGroup.slots() + "'", e);
        }
    }

    private static HostAndPort endpoint(Endpoint endpoint) {
        if (endpoint == null || endpoint.address() == null || endpoint.port() == null) {
            return null;
        }
        return new HostAndPort(endpoint.address(), endpoint.port());
    }
}
