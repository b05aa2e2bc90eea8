package dev.redmesh.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import tools.jackson.databind.JsonNode;

import dev.redmesh.localredis.LocalReplicationGroup;
import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Cleanup;
import dev.redmesh.testing.DatasetComparison;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.Fleet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * A failover in a region under load: the poller sees the new master, the leader bumps the
 * assignment's epoch and points it there, the worker resumes by partial resync (PSYNC2 replid2).
 */
@AppIT
class FleetFailoverIT {

    private static final String LINK = "c-r1.c-r2/0";
    private static final String BACKLOG = "repl-backlog-size 64mb";

    @Autowired
    Api api;
    @Autowired
    Environment environment;

    @RegisterExtension
    Cleanup cleanup = new Cleanup();
    private LocalReplicationGroup group;
    private RedisNode other;


    /** Region r1: a master and one replica; region r2: a master; both in mesh m. */
    private void twoRegions() {
        // a backlog that outlasts a handover under this load, as docs/fleet.md asks of production
        group = LocalReplicationGroup.start(RedisBinary.locate(), 1, BACKLOG);
        cleanup.add(group);
        other = RedisNode.start(BACKLOG);
        cleanup.add(other);
        api.put("/api/v1/regions/r1", "{}");
        api.put("/api/v1/regions/r2", "{}");
        api.put("/api/v1/clusters/c-r1", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\""
                + group.master().address() + "\",\"" + group.replicas().get(0).address() + "\"],\"mesh\":\"m\"}");
        api.put("/api/v1/clusters/c-r2", "{\"region\":\"r2\",\"mode\":\"STANDALONE\",\"seeds\":[\"" + other.address()
                + "\"],\"mesh\":\"m\"}");
    }

    /** Clients stop writing to r1's old master just before the promotion, as in a planned failover. */
    private final AtomicBoolean oldMasterWrites = new AtomicBoolean(true);
    /** Counted down once the old master's writer has stopped: a write it was making lands before the replica syncs. */
    private final java.util.concurrent.CountDownLatch oldMasterWriterStopped = new java.util.concurrent.CountDownLatch(1);

    /**
     * Writes to r1's master and to r2 until stopped; r1's writes move to the promoted replica (which
     * refuses them until then). Writes the old master took after the fork would be lost in r1 by the
     * failover itself, which is a divergence (ActiveActiveIT covers it), not what this test is about.
     */
    private AtomicBoolean load() {
        AtomicBoolean running = new AtomicBoolean(true);
        for (RedisNode node : List.of(group.master(), group.replicas().get(0), other)) {
            RedisClient client = RedisClient.create(node.uri());
            cleanup.add(client::shutdown);
            RedisCommands<String, String> redis = client.connect().sync();
            AtomicBoolean enabled = node == group.master() ? oldMasterWrites : new AtomicBoolean(true);
            Thread writer = new Thread(() -> {
                for (long i = 0; running.get() && enabled.get(); i++) {
                    try {
                        redis.incr(node.port() + ":ctr:" + (i % 8));
                        redis.rpush(node.port() + ":log", Long.toString(i));
                        if (i % 4 == 0) {
                            sleep(1); // paced (~2,000 writes/s a writer): the control plane shares these two cores
                        }
                    } catch (RuntimeException readOnlyOrDown) {
                        sleep(20); // a replica refuses writes (READONLY) until it is promoted
                    }
                }
                if (node == group.master()) {
                    oldMasterWriterStopped.countDown();
                }
            }, "load-" + node.port());
            writer.setDaemon(true);
            writer.start();
        }
        cleanup.add(() -> running.set(false));
        return running;
    }

    private JsonNode assignment() {
        return new Fleet(api, 0).assignments().get(LINK);
    }

    private double promote(String expectedWorker) {
        RedisNode replica = group.replicas().get(0);
        oldMasterWrites.set(false);
        try {
            // the writer may be halfway through an iteration: its last writes must reach the replica
            // before the promotion, or they are a divergence this test is not about
            assertThat(oldMasterWriterStopped.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        group.awaitReplicasInSync();
        long promotedAt = System.nanoTime();
        replica.promote();
        group.master().replicaOf(replica);
        Eventually.await("the link streams from the promoted master", Duration.ofSeconds(60), () -> {
            JsonNode a = assignment();
            return a != null && replica.address().equals(a.path("sourceNode").asString())
                    && "STREAMING".equals(a.path("state").asString())
                    && (expectedWorker == null || expectedWorker.equals(a.path("worker").asString()));
        });
        return (System.nanoTime() - promotedAt) / 1e9;
    }

    @Test
    void afterAPromotionTheLinkStreamsFromTheNewMasterWithinTwoSecondsByPartialResync() throws Exception {
        twoRegions();
        Fleet fleet = new Fleet(api, environment.getRequiredProperty("local.server.port", Integer.class));
        Eventually.await("links streaming", Duration.ofSeconds(60), () -> new Fleet(api, 0).allStreaming(2));
        long epochBefore = assignment().path("epoch").asLong();
        AtomicBoolean running = load();
        Thread.sleep(1000);

        double seconds = promote(null);
        System.out.printf("FLEET-FAILOVER promotion → streaming from the new master: %.2f s%n", seconds);
        // the goal is 2 s (P3 in docs/benchmarks.md measures it); the bound here leaves room for a
        // loaded CI machine but still fails if the handover waited for a heartbeat or a lease
        assertThat(seconds).as("promotion → streaming").isLessThanOrEqualTo(3.0);
        assertThat(assignment().path("epoch").asLong()).as("a new source gets a new epoch").isGreaterThan(epochBefore);
        RedisNode promoted = group.replicas().get(0);
        JsonNode status = Eventually.await("the new epoch's worker status", Duration.ofSeconds(5),
                () -> fleet.workerLinks(null, LINK, assignment().path("epoch").asLong()));
        assertThat(status.path("fullSyncs").asLong()).as("resumed by partial resync, no full sync").isZero();

        Thread.sleep(1000);
        running.set(false);
        RedisClient a = RedisClient.create(promoted.uri());
        RedisClient b = RedisClient.create(other.uri());
        cleanup.add(a::shutdown);
        cleanup.add(b::shutdown);
        RedisCommands<String, String> left = a.connect().sync();
        RedisCommands<String, String> right = b.connect().sync();
        Eventually.await("both regions equal, every counter applied once", Duration.ofSeconds(30),
                () -> DatasetComparison.differences(List.of(left), List.of(right)).isEmpty());
        JsonNode events = api.get("/api/v1/events?type=ASSIGNMENT&subject=" + LINK).json();
        assertThat(events.get(0).path("message").asString()).contains("source master");
    }

    @Test
    void sidecarsOnlyTheNewMastersPinnedWorkerRunsTheAssignmentAfterAPromotion() throws Exception {
        twoRegions();
        Fleet fleet = new Fleet(api, environment.getRequiredProperty("local.server.port", Integer.class));
        cleanup.add(fleet);
        RedisNode master = group.master();
        RedisNode replica = group.replicas().get(0);
        fleet.startWorker("side-m", "--redmesh.worker.fleet.kind=SIDECAR",
                "--redmesh.worker.fleet.pinned-node=" + master.address());
        fleet.startWorker("side-r", "--redmesh.worker.fleet.kind=SIDECAR",
                "--redmesh.worker.fleet.pinned-node=" + replica.address());
        Eventually.await("both sidecars live", Duration.ofSeconds(90),
                () -> fleet.liveWorkers().containsAll(List.of("side-m", "side-r")));
        Eventually.await("the master's sidecar streams r1 → r2", Duration.ofSeconds(60), () -> {
            JsonNode a = assignment();
            return fleet.allStreaming(2) && a != null && "side-m".equals(a.path("worker").asString());
        });
        assertThat(fleet.worker("side-r").path("assignments").size()).as("a replica's sidecar stays idle").isZero();
        AtomicBoolean running = load();
        Thread.sleep(1000);

        double seconds = promote("side-r");
        System.out.printf("FLEET-FAILOVER sidecar handover: %.2f s%n", seconds);
        Eventually.await("the old master's sidecar runs nothing", Duration.ofSeconds(5),
                () -> fleet.worker("side-m").path("assignments").isEmpty());
        running.set(false);
        assertThat(fleet.worker("side-r").path("assignments").size()).isEqualTo(1);
        JsonNode status = Eventually.await("side-r's worker status", Duration.ofSeconds(5),
                () -> fleet.workerLinks("side-r", LINK, assignment().path("epoch").asLong()));
        assertThat(status.path("fullSyncs").asLong()).as("the new master's sidecar resumed by partial resync").isZero();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
