package dev.redmesh.topology;

import dev.redmesh.redis.NodeRole;

import dev.redmesh.redis.SlotRange;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.redmesh.redis.HostAndPort;
import dev.redmesh.topology.elasticache.ElastiCacheApi;
import dev.redmesh.topology.elasticache.ElastiCacheEvent;
import dev.redmesh.topology.elasticache.ElastiCacheProperties;
import dev.redmesh.topology.elasticache.ElastiCacheSnapshot;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * ElastiCache replication groups. The AWS API is asked at its own, slower pace
 * ({@code redmesh.topology.elasticache.poll-interval}, API rate limits apply) on a thread of its own;
 * nodes are probed every poll as everywhere else. Cluster mode off: roles from
 * {@code CurrentRole}. Cluster mode on: the API has no roles, so the cluster's own view is read
 * through the configuration endpoint and its shards are named after the node groups by slots.
 */
@Component
class ElastiCacheDiscovery implements DisposableBean {

    static final String METHOD = "DescribeReplicationGroups";

    private final ElastiCacheApi api;
    private final NodeProber prober;
    private final RedisClusterDiscovery redisCluster;
    private final ElastiCacheProperties properties;
    private final Clock clock;
    private final ExecutorService aws = Executors.newFixedThreadPool(2, r -> new Thread(r, "elasticache-api"));
    private final Map<String, Described> latest = new ConcurrentHashMap<>();

    /** The last API answer for a cluster, when it came, and the newest AWS event seen so far. */
    private record Described(ElastiCacheSnapshot snapshot, Instant at, Instant lastEvent, List<String> newEvents) {
    }

    ElastiCacheDiscovery(ElastiCacheApi api, NodeProber prober, RedisClusterDiscovery redisCluster,
                         ElastiCacheProperties properties, Clock clock) {
        this.api = api;
        this.prober = prober;
        this.redisCluster = redisCluster;
        this.properties = properties;
        this.clock = clock;
    }

    CompletableFuture<Discovery> discover(ClusterTarget cluster, List<HostAndPort> preferred) {
        return describe(cluster).thenCompose(described -> {
            String method = described.newEvents().isEmpty() ? METHOD
                    : METHOD + "; AWS event: " + String.join(" | ", described.newEvents());
            ElastiCacheSnapshot snapshot = described.snapshot();
            return snapshot.clusterMode()
                    ? clusterMode(cluster, snapshot, preferred, method)
                    : replicationGroup(cluster, snapshot, method);
        });
    }

    private CompletableFuture<Described> describe(ClusterTarget cluster) {
        Described previous = latest.get(cluster.name());
        Instant now = clock.instant();
        if (previous != null && previous.at().plus(properties.pollInterval()).isAfter(now)) {
            return CompletableFuture.completedFuture(
                    new Described(previous.snapshot(), previous.at(), previous.lastEvent(), List.of()));
        }
        return CompletableFuture.supplyAsync(() -> {
            ElastiCacheSnapshot snapshot = api.describe(cluster.awsRegion(), cluster.replicationGroupId());
            Instant since = previous == null ? now : previous.lastEvent();
            List<ElastiCacheEvent> events = api.eventsSince(cluster.awsRegion(), cluster.replicationGroupId(), since);
            Instant lastEvent = events.isEmpty() ? since : events.get(events.size() - 1).date();
            Described described = new Described(snapshot, now, lastEvent,
                    events.stream().map(ElastiCacheEvent::message).toList());
            latest.put(cluster.name(), described);
            return described;
        }, aws);
    }

    private CompletableFuture<Discovery> replicationGroup(ClusterTarget cluster, ElastiCacheSnapshot snapshot,
                                                          String method) {
        List<ElastiCacheSnapshot.Member> members = snapshot.nodeGroups().stream()
                .flatMap(g -> g.members().stream()).filter(m -> m.endpoint() != null).toList();
        return prober.probeAll(cluster, members.stream().map(ElastiCacheSnapshot.Member::endpoint).toList())
                .thenApply(probes -> {
                    List<Discovery.ShardObservation> shards = new ArrayList<>();
                    for (ElastiCacheSnapshot.NodeGroup group : snapshot.nodeGroups()) {
                        HostAndPort primary = null;
                        List<Discovery.ObservedNode> nodes = new ArrayList<>();
                        for (ElastiCacheSnapshot.Member member : group.members()) {
                            if (member.endpoint() == null) {
                                continue;
                            }
                            NodeRole role = "primary".equalsIgnoreCase(member.currentRole()) ? NodeRole.MASTER
                                    : "replica".equalsIgnoreCase(member.currentRole()) ? NodeRole.REPLICA : NodeRole.UNKNOWN;
                            if (role == NodeRole.MASTER) {
                                primary = member.endpoint();
                            }
                            NodeProbe probe = probes.stream().filter(p -> p.address().equals(member.endpoint()))
                                    .findFirst().orElse(null);
                            nodes.add(new Discovery.ObservedNode(member.endpoint(), member.cacheClusterId(), role, probe, false));
                        }
                        nodes.sort((a, b) -> a.role() == b.role() ? 0 : a.role() == NodeRole.MASTER ? -1 : 1);
                        shards.add(new Discovery.ShardObservation(group.id(), group.slots(), primary, nodes));
                    }
                    return new Discovery(shards, method);
                });
    }

    private CompletableFuture<Discovery> clusterMode(ClusterTarget cluster, ElastiCacheSnapshot snapshot,
                                                     List<HostAndPort> preferred, String method) {
        ClusterTarget viaEndpoint = new ClusterTarget(cluster.name(), cluster.region(), cluster.mode(),
                List.of(snapshot.configurationEndpoint()), cluster.username(), cluster.password(), cluster.tls(),
                cluster.replicationGroupId(), cluster.awsRegion());
        return redisCluster.discover(viaEndpoint, preferred).thenApply(view -> new Discovery(view.shards().stream()
                .map(shard -> new Discovery.ShardObservation(nodeGroupFor(shard, snapshot), shard.slots(),
                        shard.authoritativeMaster(), shard.nodes()))
                .toList(), method + " + " + view.method()));
    }

    /** The node group whose slots overlap the shard's most; null leaves naming to node-id matching. */
    private static String nodeGroupFor(Discovery.ShardObservation shard, ElastiCacheSnapshot snapshot) {
        String best = null;
        int bestOverlap = 0;
        for (ElastiCacheSnapshot.NodeGroup group : snapshot.nodeGroups()) {
            int overlap = 0;
            for (SlotRange a : shard.slots()) {
                for (SlotRange b : group.slots()) {
                    overlap += Math.max(0, Math.min(a.to(), b.to()) - Math.max(a.from(), b.from()) + 1);
                }
            }
            if (overlap > bestOverlap) {
                best = group.id();
                bestOverlap = overlap;
            }
        }
        return best;
    }

    @Override
    public void destroy() {
        aws.shutdownNow();
    }
}
