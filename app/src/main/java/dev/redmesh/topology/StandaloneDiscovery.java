package dev.redmesh.topology;

import dev.redmesh.redis.NodeRole;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.redmesh.redis.HostAndPort;
import org.springframework.stereotype.Component;

/**
 * A master and its replicas: every known node is asked {@code INFO replication}; masters name their
 * replicas and replicas name their master, so nodes added since the last poll are found and asked
 * in a second wave of the same poll.
 */
@Component
class StandaloneDiscovery {

    static final String SHARD = "0";
    static final String METHOD = "INFO replication";

    private final NodeProber prober;

    StandaloneDiscovery(NodeProber prober) {
        this.prober = prober;
    }

    CompletableFuture<Discovery> discover(ClusterTarget cluster, Collection<HostAndPort> known) {
        Set<HostAndPort> first = new LinkedHashSet<>(cluster.seeds());
        first.addAll(known);
        return prober.probeAll(cluster, first).thenCompose(wave -> {
            Set<HostAndPort> learned = new LinkedHashSet<>(mentioned(wave));
            learned.removeAll(first);
            if (learned.isEmpty()) {
                return CompletableFuture.completedFuture(wave);
            }
            return prober.probeAll(cluster, learned).thenApply(second -> {
                List<NodeProbe> all = new ArrayList<>(wave);
                all.addAll(second);
                return all;
            });
        }).thenApply(StandaloneDiscovery::toDiscovery);
    }

    private static Set<HostAndPort> mentioned(List<NodeProbe> probes) {
        Set<HostAndPort> mentioned = new LinkedHashSet<>();
        for (NodeProbe probe : probes) {
            if (probe.reachable()) {
                mentioned.addAll(probe.info().replicas());
                if (probe.info().masterAddress() != null) {
                    mentioned.add(probe.info().masterAddress());
                }
            }
        }
        return mentioned;
    }

    private static Discovery toDiscovery(List<NodeProbe> probes) {
        Map<HostAndPort, Discovery.ObservedNode> nodes = new LinkedHashMap<>();
        for (NodeProbe probe : probes) {
            NodeRole role = probe.reachable() ? probe.info().role() : NodeRole.UNKNOWN;
            nodes.putIfAbsent(probe.address(), new Discovery.ObservedNode(probe.address(), null, role, probe, false));
        }
        return new Discovery(List.of(new Discovery.ShardObservation(SHARD, List.of(), null, List.copyOf(nodes.values()))),
                METHOD);
    }
}
