package dev.redmesh.topology;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import dev.redmesh.redis.HostAndPort;
import org.springframework.stereotype.Component;

/** Asks many nodes {@code INFO replication} at once; a node that fails or times out is a failed probe, never an exception. */
@Component
public class NodeProber {

    private final RedisNodeClient redis;
    private final Clock clock;
    private final Counter answered;
    private final Counter failed;

    NodeProber(RedisNodeClient redis, Clock clock, MeterRegistry meters) {
        this.redis = redis;
        this.clock = clock;
        this.answered = meters.counter("redmesh.topology.probes", "outcome", "answered");
        this.failed = meters.counter("redmesh.topology.probes", "outcome", "failed");
    }

    public CompletableFuture<NodeProbe> probe(ClusterTarget cluster, HostAndPort address) {
        return redis.replicationInfo(cluster.node(address))
                .handle((info, error) -> {
                    (info != null ? answered : failed).increment();
                    return info != null
                            ? NodeProbe.answered(address, info, clock.instant())
                            : NodeProbe.failed(address, describe(error), clock.instant());
                })
                .thenCompose(probe -> !probe.reachable() ? CompletableFuture.completedFuture(probe)
                        : redis.server(cluster.node(address)).handle((server, error) -> probe.withServer(server)));
    }

    public CompletableFuture<List<NodeProbe>> probeAll(ClusterTarget cluster, Collection<HostAndPort> addresses) {
        List<CompletableFuture<NodeProbe>> probes = addresses.stream().map(a -> probe(cluster, a)).toList();
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                .thenApply(done -> new ArrayList<>(probes.stream().map(CompletableFuture::join).toList()));
    }

    static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String message = cause.getMessage();
        String described = cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        // Lettuce's "Unable to connect to host:port" hides why: the innermost cause says it (refused, timed out, unknown host)
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String why = root.getMessage();
        return root == cause || why == null || described.contains(why) ? described : described + " (" + why + ")";
    }
}
