package dev.redmesh.topology;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.redmesh.redis.HostAndPort;
import org.springframework.stereotype.Component;

/**
 * Redis Cluster: the cluster's own view (slots, masters, replicas) is read from one node —
 * {@code CLUSTER SHARDS} on 7.x, {@code CLUSTER NODES} on 6.2 — and every node it lists is then
 * asked {@code INFO replication} for its offset and its own idea of its role.
 */
@Component
class RedisClusterDiscovery {

    private static final int VIEW_CANDIDATES = 3;

    private final RedisNodeClient redis;
    private final NodeProber prober;

    RedisClusterDiscovery(RedisNodeClient redis, NodeProber prober) {
        this.redis = redis;
        this.prober = prober;
    }

    /** @param preferred nodes to ask for the view first (last poll's masters), then the seeds */
    CompletableFuture<Discovery> discover(ClusterTarget cluster, List<HostAndPort> preferred) {
        LinkedHashSet<HostAndPort> candidates = new LinkedHashSet<>(preferred);
        candidates.addAll(cluster.seeds());
        return view(cluster, new ArrayList<>(candidates), 0, null).thenCompose(read -> {
            List<HostAndPort> addresses = read.view().shards().stream()
                    .flatMap(s -> s.nodes().stream()).map(ClusterView.Node::address).distinct().toList();
            return prober.probeAll(cluster, addresses).thenApply(probes -> toDiscovery(read, probes));
        });
    }

    record ViewRead(ClusterView view, String method) {
    }

    /** Tries candidates one after another (at most a few) until one answers with a view. */
    private CompletableFuture<ViewRead> view(ClusterTarget cluster, List<HostAndPort> candidates, int index,
                                            Throwable lastError) {
        if (index >= candidates.size() || index >= VIEW_CANDIDATES) {
            return CompletableFuture.failedFuture(new IllegalStateException("no node of " + cluster.name()
                    + " answered with the cluster view; last error: "
                    + (lastError == null ? "none" : NodeProber.describe(lastError))));
        }
        NodeTarget target = cluster.node(candidates.get(index));
        return redis.version(target).thenCompose(version -> version.isAtLeast(7, 0)
                        ? redis.clusterShards(target).thenApply(r -> new ViewRead(ClusterViewParser.fromClusterShards(r), "CLUSTER SHARDS"))
                        : redis.clusterNodes(target).thenApply(r -> new ViewRead(ClusterViewParser.fromClusterNodes(r), "CLUSTER NODES")))
                .handle((read, error) -> read != null && !read.view().shards().isEmpty()
                        ? CompletableFuture.completedFuture(read)
                        : view(cluster, candidates, index + 1, error))
                .thenCompose(Function.identity());
    }

    private static Discovery toDiscovery(ViewRead read, List<NodeProbe> probes) {
        Map<HostAndPort, NodeProbe> byAddress = probes.stream()
                .collect(Collectors.toMap(NodeProbe::address, Function.identity(), (a, b) -> a));
        List<Discovery.ShardObservation> shards = new ArrayList<>();
        for (ClusterView.Shard shard : read.view().shards()) {
            List<Discovery.ObservedNode> nodes = shard.nodes().stream()
                    .map(n -> new Discovery.ObservedNode(n.address(), n.nodeId(), n.role(), byAddress.get(n.address()), n.failed()))
                    .toList();
            ClusterView.Node master = shard.master();
            shards.add(new Discovery.ShardObservation(null, shard.slots(), master == null ? null : master.address(), nodes));
        }
        return new Discovery(shards, read.method());
    }
}
