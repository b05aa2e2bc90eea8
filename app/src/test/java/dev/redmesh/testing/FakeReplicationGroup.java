package dev.redmesh.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.redmesh.redis.HostAndPort;

/**
 * One replication group as {@link FakeElastiCache} holds it: mutable, because failovers change
 * roles and the primary endpoint, and guarded by the fake's lock.
 */
public final class FakeReplicationGroup {

    final String id;
    final String status;
    final boolean clusterEnabled;
    final HostAndPort configurationEndpoint;
    final List<NodeGroup> nodeGroups;

    private FakeReplicationGroup(String id, String status, boolean clusterEnabled, HostAndPort configurationEndpoint,
                                 List<NodeGroup> nodeGroups) {
        this.id = id;
        this.status = status;
        this.clusterEnabled = clusterEnabled;
        this.configurationEndpoint = configurationEndpoint;
        this.nodeGroups = nodeGroups;
    }

    /** The {@code <ReplicationGroup>} element of DescribeReplicationGroups. */
    void writeTo(QueryXml xml) {
        xml.start("ReplicationGroup")
                .element("ReplicationGroupId", id)
                .element("Description", "redmesh test group " + id)
                .element("Status", status);
        xml.start("MemberClusters");
        nodeGroups.forEach(group -> group.members.forEach(member -> xml.element("ClusterId", member.cacheClusterId)));
        xml.end();
        xml.start("NodeGroups");
        nodeGroups.forEach(group -> group.writeTo(xml, clusterEnabled));
        xml.end();
        xml.element("AutomaticFailover", "enabled")
                .element("MultiAZ", "enabled");
        if (clusterEnabled) {
            endpoint(xml, "ConfigurationEndpoint", configurationEndpoint);
        }
        xml.element("ClusterEnabled", clusterEnabled)
                .element("CacheNodeType", "cache.r7g.large")
                .element("ClusterMode", clusterEnabled ? "enabled" : "disabled")
                .element("Engine", "redis")
                .end();
    }

    static void endpoint(QueryXml xml, String name, HostAndPort endpoint) {
        if (endpoint != null) {
            xml.start(name).element("Address", endpoint.host()).element("Port", endpoint.port()).end();
        }
    }

    NodeGroup nodeGroup(String nodeGroupId) {
        return nodeGroups.stream().filter(group -> group.id.equals(nodeGroupId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("replication group " + id + " has no node group " + nodeGroupId));
    }

    /** A shard; cluster mode off has exactly one, {@code 0001}, as in ElastiCache. */
    static final class NodeGroup {
        final String id;
        final String slots;
        final List<Member> members;
        HostAndPort primaryEndpoint;

        NodeGroup(String id, String slots, List<Member> members, HostAndPort primaryEndpoint) {
            this.id = id;
            this.slots = slots;
            this.members = members;
            this.primaryEndpoint = primaryEndpoint;
        }

        /** Cluster mode on, ElastiCache tells slots but neither roles nor per-node endpoints. */
        void writeTo(QueryXml xml, boolean clusterEnabled) {
            xml.start("NodeGroup").element("NodeGroupId", id).element("Status", "available");
            if (!clusterEnabled) {
                endpoint(xml, "PrimaryEndpoint", primaryEndpoint);
            }
            xml.element("Slots", slots);
            xml.start("NodeGroupMembers");
            for (Member member : members) {
                xml.start("NodeGroupMember")
                        .element("CacheClusterId", member.cacheClusterId)
                        .element("CacheNodeId", "0001");
                if (!clusterEnabled) {
                    endpoint(xml, "ReadEndpoint", member.endpoint);
                }
                xml.element("PreferredAvailabilityZone", member.availabilityZone);
                if (!clusterEnabled) {
                    xml.element("CurrentRole", member.primary ? "primary" : "replica");
                }
                xml.end();
            }
            xml.end().end();
        }

        Member primary() {
            return members.stream().filter(member -> member.primary).findFirst()
                    .orElseThrow(() -> new IllegalStateException("node group " + id + " has no primary"));
        }

        Member member(String cacheClusterId) {
            return members.stream().filter(member -> member.cacheClusterId.equals(cacheClusterId)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("node group " + id + " has no member " + cacheClusterId));
        }
    }

    /**
     * A cache cluster of one node. The role is tracked in both modes so a failover knows whom it
     * replaces, but ElastiCache reports role and read endpoint only with cluster mode off.
     */
    static final class Member {
        final String cacheClusterId;
        final HostAndPort endpoint;
        final String availabilityZone;
        boolean primary;

        Member(String cacheClusterId, HostAndPort endpoint, String availabilityZone, boolean primary) {
            this.cacheClusterId = cacheClusterId;
            this.endpoint = endpoint;
            this.availabilityZone = availabilityZone;
            this.primary = primary;
        }
    }

    /**
     * Describes a group, then {@link #create()} puts it into the fake. Cluster mode off:
     * {@code primary(...)} and {@code replica(...)}; cluster mode on: {@code clusterMode(...)} and
     * {@code shard(...)}.
     */
    public static final class Builder {
        private static final String[] ZONES = {"a", "b", "c"};

        private final String id;
        private final Consumer<FakeReplicationGroup> onCreate;
        private final List<Member> members = new ArrayList<>();
        private final List<NodeGroup> shards = new ArrayList<>();
        private String status = "available";
        private String region = "eu-west-1";
        private HostAndPort configurationEndpoint;

        Builder(String id, Consumer<FakeReplicationGroup> onCreate) {
            this.id = id;
            this.onCreate = onCreate;
        }

        /** {@code available} unless set: {@code creating}, {@code modifying}, {@code snapshotting}... */
        public Builder status(String status) {
            this.status = status;
            return this;
        }

        /** Only for the availability zone names of members, {@code <region>a}, {@code b}, {@code c} in turn. */
        public Builder region(String region) {
            this.region = region;
            return this;
        }

        /** Cluster mode off: the primary, whose endpoint is also the node group's primary endpoint. */
        public Builder primary(String cacheClusterId, HostAndPort endpoint) {
            return member(cacheClusterId, endpoint, true);
        }

        /** Cluster mode off: a replica. */
        public Builder replica(String cacheClusterId, HostAndPort endpoint) {
            return member(cacheClusterId, endpoint, false);
        }

        private Builder member(String cacheClusterId, HostAndPort endpoint, boolean primary) {
            if (configurationEndpoint != null) {
                throw new IllegalStateException("cluster mode on: describe members with shard(...)");
            }
            members.add(new Member(cacheClusterId, endpoint, zone(members.size()), primary));
            return this;
        }

        /** Cluster mode on, answered with {@code ConfigurationEndpoint}. */
        public Builder clusterMode(HostAndPort configurationEndpoint) {
            if (!members.isEmpty()) {
                throw new IllegalStateException("cluster mode off: primary/replica already given");
            }
            this.configurationEndpoint = configurationEndpoint;
            return this;
        }

        /** Cluster mode on: a shard with slots such as {@code "0-5461"}; the first member is its primary. */
        public Builder shard(String nodeGroupId, String slots, String... cacheClusterIds) {
            if (configurationEndpoint == null) {
                throw new IllegalStateException("call clusterMode(...) before shard(...)");
            }
            List<Member> shardMembers = new ArrayList<>();
            for (int i = 0; i < cacheClusterIds.length; i++) {
                shardMembers.add(new Member(cacheClusterIds[i], null, zone(i), i == 0));
            }
            shards.add(new NodeGroup(nodeGroupId, slots, shardMembers, null));
            return this;
        }

        private String zone(int index) {
            return region + ZONES[index % ZONES.length];
        }

        public FakeReplicationGroup create() {
            FakeReplicationGroup group;
            if (configurationEndpoint != null) {
                group = new FakeReplicationGroup(id, status, true, configurationEndpoint, shards);
            } else {
                Member primary = members.stream().filter(member -> member.primary).findFirst()
                        .orElseThrow(() -> new IllegalStateException("cluster mode off needs a primary"));
                group = new FakeReplicationGroup(id, status, false, null,
                        List.of(new NodeGroup("0001", null, members, primary.endpoint)));
            }
            onCreate.accept(group);
            return group;
        }
    }
}
