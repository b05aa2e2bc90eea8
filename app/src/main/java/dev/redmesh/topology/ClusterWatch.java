package dev.redmesh.topology;

import dev.redmesh.redis.NodeRole;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.redmesh.redis.HostAndPort;
import dev.redmesh.cluster.TopologyView;

/** What the poller remembers about one cluster between polls. Touched by one poll at a time. */
final class ClusterWatch {

    final ClusterTarget target;
    final ShardIdentities identities = new ShardIdentities();
    final Map<String, ShardMasterTracker> trackers = new HashMap<>();
    final Map<String, TopologyStore.NodeRow> written = new HashMap<>();
    final Map<String, Instant> writtenAt = new HashMap<>();
    final Map<String, TopologyStore.ShardRow> writtenShards = new HashMap<>();
    /** The latest poll as the API shows it; fresher than the rows, whose offsets are written less often. */
    volatile List<TopologyView.Shard> live;
    final AtomicBoolean busy = new AtomicBoolean();
    volatile Health health = Health.UNKNOWN;
    /** What the last PSYNC check found on a master; null before the first. */
    volatile Boolean psyncRefused;

    /**
     * The region health view of this cluster after the last poll.
     *
     * @param unreachableMasters shards whose master did not answer, as "shard: address"
     * @param unhealthyNodes     every node that is down, failed or has its replication link down
     */
    record Health(boolean discovered, List<String> unreachableMasters, List<String> unhealthyNodes, Instant at) {
        static final Health UNKNOWN = new Health(false, List.of(), List.of(), null);
    }

    ClusterWatch(ClusterTarget target, List<TopologyStore.ShardRow> shards, List<TopologyStore.NodeRow> nodes,
                 int splitBrainPolls) {
        this.target = target;
        for (TopologyStore.ShardRow shard : shards) {
            writtenShards.put(shard.id(), shard);
            HostAndPort master = shard.master() == null ? null
                    : HostAndPort.parse(shard.master()).orElse(null);
            trackers.put(shard.id(), new ShardMasterTracker(master, splitBrainPolls));
        }
        for (TopologyStore.NodeRow node : nodes) {
            written.put(node.address(), node);
            identities.remember(node.redisNodeId(), node.shardId());
        }
    }

    /** Every node this cluster is known to have, for standalone discovery to ask again. */
    Set<HostAndPort> knownAddresses() {
        Set<HostAndPort> known = new LinkedHashSet<>();
        for (String address : written.keySet()) {
            HostAndPort.parse(address).ifPresent(known::add);
        }
        return known;
    }

    /** Masters first: the best nodes to ask for a Redis Cluster view. */
    List<HostAndPort> preferredViewSources() {
        return written.values().stream()
                .filter(n -> n.role() == NodeRole.MASTER && n.healthy())
                .map(n -> HostAndPort.parse(n.address()).orElse(null))
                .filter(a -> a != null).sorted((a, b) -> a.toString().compareTo(b.toString())).toList();
    }

    ShardMasterTracker tracker(String shardId, int splitBrainPolls) {
        return trackers.computeIfAbsent(shardId, id -> new ShardMasterTracker(null, splitBrainPolls));
    }
}
