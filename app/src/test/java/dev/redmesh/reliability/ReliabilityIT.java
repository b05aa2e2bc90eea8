package dev.redmesh.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import tools.jackson.databind.JsonNode;

import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.DatasetComparison;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.Mesh;
import dev.redmesh.testing.MeshWorkload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 10: faults injected into a realistic installation ({@link Installation}: Postgres, a
 * control plane, two worker processes, three regions in a mesh, one a 3×1 Redis Cluster) under a
 * non-idempotent workload in every region; after each, an independent checker (plain Redis
 * commands, no engine code) proves that every write the sources kept is in every region exactly
 * once and that nothing echoed back. One installation lives through the faults in order; each
 * fault writes under its own key prefix. Results go to {@code target/reliability/results.md}
 * (docs/reliability.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReliabilityIT {

    /** Rounds a second per region (7 writes each): paced so that the processes under test get the two cores. */
    private static final int RATE = 60;
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Duration CONVERGE_GOAL = Duration.ofSeconds(10);

    private Installation installation;
    private final Path results = Path.of("target", "reliability", "results.md");

    /** Progress and failures as they happen, in target/reliability/progress.log: a run takes minutes. */
    @org.junit.jupiter.api.extension.RegisterExtension
    final org.junit.jupiter.api.extension.TestWatcher progress = new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testSuccessful(org.junit.jupiter.api.extension.ExtensionContext context) {
            note(context.getDisplayName() + " passed");
        }

        @Override
        public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
            java.io.StringWriter trace = new java.io.StringWriter();
            cause.printStackTrace(new java.io.PrintWriter(trace));
            note(context.getDisplayName() + " FAILED: " + String.join("\n",
                    trace.toString().lines().filter(l -> !l.contains("org.junit") && !l.contains("jdk.internal")
                            && !l.contains("surefire")).limit(40).toList()));
        }
    };

    static void note(String line) {
        try {
            Files.writeString(Path.of("target", "reliability", "progress.log"), java.time.Instant.now() + " " + line + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @BeforeAll
    void install() throws IOException {
        installation = new Installation();
        Files.writeString(results, "| fault | what was done | writes | lost | duplicated | converged after | notes |\n"
                + "|---|---|---|---|---|---|---|\n");
    }

    @AfterAll
    void uninstall() throws Exception {
        if (installation != null) {
            installation.close();
        }
    }

    // --- R1: a worker process SIGKILLed

    @Test
    @Order(1)
    void r1AKilledWorkersAssignmentsMoveAndNothingIsLostOrApplyTwice() throws Exception {
        Map<String, MeshWorkload> load = startWorkloads("R1");
        Thread.sleep(2000);
        WorkerLoss loss = loseWorker("R1", "w1", load, () -> installation.direct.kill("w1"), null,
                () -> installation.direct.startWorker("w1"));
        report("R1", "SIGKILL of worker w1 (" + loss.victims() + " of " + Installation.ASSIGNMENTS + " assignments)",
                load.values(), loss.converged(), "measured from the end of w1's lease (" + seconds(loss.converged().plus(LEASE))
                        + " from the kill); its assignments streamed on w2 " + seconds(loss.moved()) + " after the kill");
        // FleetIT holds one worker's replacement to lease + 2 s. Here two of the moved assignments
        // write into the Redis Cluster, and fencing a cluster target raises the epoch in all 16,384
        // slot checkpoints: 3-3.6 s on these loaded cores (docs/reliability.md). The bound still
        // catches a takeover that waited for a long poll's timeout or a second lease.
        assertThat(loss.moved()).isLessThanOrEqualTo(LEASE.plusSeconds(6));
        Eventually.await("w1 back", Duration.ofSeconds(90), () -> installation.direct.liveWorkers().contains("w1"));
        installation.awaitStreamingAndBalanced(Duration.ofSeconds(60));
    }

    /** What losing a worker measured, each from the moment it was lost. */
    private record WorkerLoss(int victims, Duration stopped, Duration moved, Duration converged) {
    }

    /**
     * R1 and R5: {@code worker} is lost while every region writes; its assignments must stream on the
     * other worker with new epochs, every region converge exactly, nothing echo. A lost worker never
     * "clears": the clock for convergence starts when its leases end, the moment the system is meant
     * to act. {@code restore} runs whatever happened, so that the next faults have both workers.
     *
     * @param stoppedWhen when the lost worker is known to apply nothing any more, or null (a dead one)
     */
    private WorkerLoss loseWorker(String fault, String worker, Map<String, MeshWorkload> load, Step lose,
                                  java.util.function.Supplier<Boolean> stoppedWhen, Step restore) throws Exception {
        Set<String> victims = installation.direct.holdings().getOrDefault(worker, Set.of());
        assertThat(victims).as("%s holds assignments", worker).isNotEmpty();
        Map<String, Long> epochs = installation.direct.epochs();
        long lostAt = System.nanoTime();
        lose.run();
        long clearedAt = lostAt + LEASE.toNanos();
        Duration stopped = null;
        Duration moved;
        Duration converged;
        try {
            if (stoppedWhen != null) {
                Eventually.await(worker + " runs nothing once its lease is gone", Duration.ofSeconds(30), stoppedWhen);
                stopped = Duration.ofNanos(System.nanoTime() - lostAt);
            }
            Eventually.await(worker + "'s assignments streaming on another worker", Duration.ofSeconds(30),
                    () -> movedAndStreaming(victims, worker));
            moved = Duration.ofNanos(System.nanoTime() - lostAt);
            Thread.sleep(1000);
            stop(load.values());
            converged = converge(fault, clearedAt, load.values(), key -> true);
        } finally {
            stop(load.values());
            restore.run();
        }
        assertEpochsRaised(victims, epochs);
        assertNoEcho(load.values());
        return new WorkerLoss(victims.size(), stopped, moved, converged);
    }

    // --- R3: a target frozen for 60 s

    @Test
    @Order(2)
    void r3ATargetStoppedForAMinuteCatchesUpExactly() throws Exception {
        Map<String, MeshWorkload> load = startWorkloads("R3");
        Thread.sleep(2000);
        // r2's own clients would hang on a frozen server: they stop first, so every write they made is acknowledged
        load.get("r2").close();
        installation.r2.pause();
        long clearedAt;
        try {
            Thread.sleep(60_000);
        } finally {
            installation.r2.resume();
            clearedAt = System.nanoTime();
        }
        Thread.sleep(2000);
        stop(load.values());
        Duration converged = converge("R3", clearedAt, load.values(), key -> true);
        assertNoEcho(load.values());
        report("R3", "SIGSTOP of r2's redis-server for 60 s, then SIGCONT; r1 and r3 kept writing", load.values(),
                converged, "measured from SIGCONT");
        installation.awaitStreamingAndBalanced(Duration.ofSeconds(60));
    }

    // --- R4: control plane and Postgres restarts

    @Test
    @Order(3)
    void r4aAControlPlaneRestartLosesNothing() throws Exception {
        outage("R4a", "SIGKILL of the control plane, restarted", installation::killControlPlane,
                installation::startControlPlane);
    }

    @Test
    @Order(4)
    void r4bAPostgresRestartLosesNothingAndWorkersKeepStreaming() throws Exception {
        outage("R4b", "Postgres stopped and started again on its data", installation::stopPostgres,
                () -> installation.startPostgres(false));
    }

    interface Step {
        void run() throws Exception;
    }

    /**
     * R4: the control plane or its database goes away while every region writes, and comes back.
     * Writes must keep reaching other regions for the first seconds (the workers' leases hold), and
     * nothing may be lost or applied twice; epochs never go back.
     */
    private void outage(String fault, String what, Step down, Step up) throws Exception {
        Map<String, MeshWorkload> load = startWorkloads(fault);
        Thread.sleep(2000);
        Map<String, Long> epochs = installation.direct.epochs();
        String r1Counters = "r1:" + fault + ":";
        long before = counterSum(installation.masterConnections("r2"), r1Counters);
        long downAt = System.nanoTime();
        down.run();
        Thread.sleep(2000);
        long duringOutage = counterSum(installation.masterConnections("r2"), r1Counters) - before;
        // the writes stop here: what is measured is the restart, not how long the backlog of a
        // 30 s control-plane start takes to drain on two loaded cores (7-15 s, docs/reliability.md)
        stop(load.values());
        up.run();
        long clearedAt = System.nanoTime();
        Duration converged = converge(fault, clearedAt, load.values(), key -> true);
        assertNoEcho(load.values());
        assertThat(duringOutage).as("r1's writes reached r2 in the outage's first 2 s (leases still valid)").isPositive();
        Eventually.await("the control plane answers again", Duration.ofSeconds(30),
                () -> installation.api.get("/api/v1/links").status() == 200);
        Map<String, Long> after = installation.direct.epochs();
        epochs.forEach((id, epoch) -> assertThat(after.get(id)).as("epoch of %s never goes back", id)
                .isGreaterThanOrEqualTo(epoch));
        report(fault, what + " (" + seconds(Duration.ofNanos(clearedAt - downAt)) + " down)", load.values(), converged,
                duringOutage + " INCRBY of r1 applied in r2 in the outage's first 2 s; " + handovers(epochs, after)
                        + " of 10 assignments changed epoch");
        installation.awaitStreamingAndBalanced(Duration.ofSeconds(60));
    }

    // --- R5: a worker cut off from the control plane, not from Redis

    @Test
    @Order(5)
    void r5APartitionedWorkerStopsApplyingOnceItsLeaseIsGone() throws Exception {
        Map<String, MeshWorkload> load = startWorkloads("R5");
        Thread.sleep(2000);
        WorkerLoss loss = loseWorker("R5", "w2", load, installation.partition::cut,
                () -> installation.partitioned.workerStatus("w2").isEmpty(), installation.partition::heal);
        report("R5", "w2's connection to the control plane cut (a relay between them), Redis still reachable",
                load.values(), loss.converged(), "measured from the end of w2's lease; w2 stopped applying "
                        + seconds(loss.stopped()) + " after the cut, its assignments streamed on w1 " + seconds(loss.moved())
                        + " after it");
        assertThat(loss.stopped()).as("stops within its lease").isLessThanOrEqualTo(LEASE.plusSeconds(2));
        assertThat(loss.stopped()).as("not before its lease is gone").isGreaterThanOrEqualTo(LEASE.minusSeconds(2));
        Eventually.await("w2 back", Duration.ofSeconds(30), () -> installation.direct.liveWorkers().contains("w2"));
        installation.awaitStreamingAndBalanced(Duration.ofSeconds(60));
    }

    // --- R2: r1's master SIGKILLed, its replica promoted while behind

    @Test
    @Order(6)
    void r2AMasterKilledAndAReplicaPromotedBehindKeepsWhatTheSourceKeptAndReportsTheDivergence() throws Exception {
        Map<String, MeshWorkload> load = startWorkloads("R2");
        Thread.sleep(2000);
        RedisNode oldMaster = installation.r1.master();
        RedisNode replica = installation.r1.replicas().get(0);
        // the replica falls behind (its link to the master breaks), so the promotion loses writes that
        // the sync links had already carried: the divergence this fault is about
        replica.call(c -> c.replicaof("127.0.0.1", 1));
        Thread.sleep(700);
        oldMaster.kill();
        Thread.sleep(500);
        replica.promote();
        installation.r1Master = replica;
        long clearedAt = System.nanoTime();
        Thread.sleep(2000);
        stop(load.values());

        // every region holds r2's and r3's writes exactly, and agrees on everything but r1's R2 keys
        List<MeshWorkload> exact = List.of(load.get("r2"), load.get("r3"));
        Duration converged = converge("R2", clearedAt, exact, key -> !key.startsWith("r1:R2:"));

        // r1's writes: the rounds r1 kept are in r2 and r3 once each; any extra is a reported divergence
        Set<Long> kept = rounds(installation.masterConnections("r1"), "r1:R2:", null);
        assertThat(kept).isNotEmpty();
        StringBuilder notes = new StringBuilder("r1 lost " + (load.get("r1").acked(1) - kept.size())
                + " acknowledged rounds itself (promoted behind)");
        long lost = 0;
        long duplicated = 0;
        for (String region : List.of("r2", "r3")) {
            List<Long> duplicates = new ArrayList<>();
            Set<Long> carried = rounds(installation.masterConnections(region), "r1:R2:", duplicates);
            Set<Long> missing = new HashSet<>(kept);
            missing.removeAll(carried);
            Set<Long> extra = new HashSet<>(carried);
            extra.removeAll(kept);
            lost += missing.size();
            duplicated += duplicates.size();
            assertThat(missing).as("r1's kept rounds missing in %s", region).isEmpty();
            assertThat(duplicates).as("r1's rounds twice in %s", region).isEmpty();
            JsonNode divergences = installation.api.get("/api/v1/events?type=DIVERGENCE&subject=c-r1.c-" + region).json();
            if (!extra.isEmpty()) {
                assertThat(divergences.size()).as("a divergence reported for c-r1.c-%s (%d rounds beyond the fork)",
                        region, extra.size()).isPositive();
                JsonNode details = divergences.get(0);
                notes.append("; ").append(region).append(" holds ").append(extra.size())
                        .append(" rounds beyond the fork, reported: ").append(details.path("message").asString());
            } else {
                notes.append("; ").append(region).append(": nothing beyond the fork");
            }
        }
        JsonNode events = installation.api.get("/api/v1/events?type=ROLE_CHANGE&subject=c-r1/0").json();
        assertThat(events.size()).as("the promotion seen").isPositive();
        assertThat(events.get(0).path("message").asString()).contains(replica.address());
        // no echo in r2 and r3: each command ran once per write of r2 and r3, plus once per write of
        // r1 they hold (what r1's links carried, divergence included)
        assertNoEcho(exact, List.of("r2", "r3"), load.get("r1"));
        report("R2", "SIGKILL of r1's master, its replica (cut off 0.7 s earlier) promoted 0.5 s later", load.values(),
                converged, notes.toString(), lost, duplicated);
        Eventually.await("links from the new master streaming", Duration.ofSeconds(60),
                () -> installation.direct.allStreaming(Installation.LINKS));
    }

    // --- the checker: plain commands, no engine code

    private Map<String, MeshWorkload> startWorkloads(String fault) {
        for (String region : Installation.REGIONS) {
            for (RedisNode master : installation.masters(region)) {
                master.call(RedisCommands::configResetstat);
            }
        }
        Map<String, MeshWorkload> load = new LinkedHashMap<>();
        for (String region : Installation.REGIONS) {
            load.put(region, new MeshWorkload(region + ":" + fault + ":", installation.commands(region), RATE));
        }
        return load;
    }

    private static void stop(Collection<MeshWorkload> load) throws InterruptedException {
        for (MeshWorkload workload : load) {
            workload.close();
        }
    }

    /**
     * Waits until every region holds each workload's acknowledged writes exactly once and r1, r2 and
     * r3 hold the same data under this fault's keys (those {@code compared} accepts); returns the
     * time since {@code clearedAt}. Then, untimed, the same comparison over every key the regions
     * hold, earlier faults' included: the timed loop reads only what this fault wrote, so that the
     * figure is the system's and not the checker's reading time.
     */
    private Duration converge(String fault, long clearedAt, Collection<MeshWorkload> exact, Predicate<String> compared) {
        Predicate<String> thisFault = key -> key.contains(":" + fault + ":");
        Eventually.await("every region exact and equal", Duration.ofSeconds(90), () -> {
            for (String region : Installation.REGIONS) {
                RedisClusterCommands<String, String> redis = installation.commands(region).get();
                for (MeshWorkload workload : exact) {
                    workload.assertExactIn(region, redis);
                }
            }
            assertRegionsEqual(thisFault.and(compared));
            return true;
        });
        Duration converged = Duration.ofNanos(System.nanoTime() - clearedAt);
        assertRegionsEqual(compared);
        return converged;
    }

    private void assertRegionsEqual(Predicate<String> compared) {
        List<RedisCommands<String, String>> first = installation.masterConnections("r1");
        for (String other : List.of("r2", "r3")) {
            List<String> differences = DatasetComparison.differences(first, installation.masterConnections(other), compared);
            assertThat(differences).as("r1 and %s hold the same data", other).isEmpty();
        }
    }

    /** No echo: each region executed every write once, its own or through one link (INFO commandstats). */
    private void assertNoEcho(Collection<MeshWorkload> load) {
        assertNoEcho(load, Installation.REGIONS, null);
    }

    /**
     * @param held a workload whose writes are counted from what each region holds of them rather
     *             than from acknowledgements (a source that lost some of its own), or null
     */
    private void assertNoEcho(Collection<MeshWorkload> load, List<String> regions, MeshWorkload held) {
        for (String region : regions) {
            long[] extra = held == null ? new long[MeshWorkload.COMMANDS_PER_ROUND] : held.heldIn(installation.commands(region).get());
            for (int c = 0; c < MeshWorkload.COMMANDS.length; c++) {
                int command = c;
                long written = load.stream().mapToLong(w -> w.acked(command)).sum() + extra[c];
                assertThat(Mesh.calls(installation.masters(region), MeshWorkload.COMMANDS[c]))
                        .as("%s calls on %s", MeshWorkload.COMMANDS[c], region).isEqualTo(written);
            }
        }
    }

    /** The round numbers in a workload's lists (each round pushes its number to one list); repeats go to {@code duplicates}. */
    private static Set<Long> rounds(List<RedisCommands<String, String>> nodes, String prefix, List<Long> duplicates) {
        Set<Long> rounds = new HashSet<>();
        for (RedisCommands<String, String> redis : nodes) {
            for (String key : redis.keys(prefix + "list:*")) {
                for (String value : redis.lrange(key, 0, -1)) {
                    if (!rounds.add(Long.parseLong(value)) && duplicates != null) {
                        duplicates.add(Long.parseLong(value));
                    }
                }
            }
        }
        return rounds;
    }

    private static long counterSum(List<RedisCommands<String, String>> nodes, String prefix) {
        long sum = 0;
        for (RedisCommands<String, String> redis : nodes) {
            for (String key : redis.keys(prefix + "ctr:*")) {
                sum += Long.parseLong(redis.get(key));
            }
        }
        return sum;
    }

    private boolean movedAndStreaming(Set<String> assignments, String from) {
        Map<String, JsonNode> now = installation.direct.assignments();
        return assignments.stream().allMatch(id -> {
            JsonNode a = now.get(id);
            return a != null && !from.equals(a.path("worker").asString()) && "STREAMING".equals(a.path("state").asString());
        });
    }

    private void assertEpochsRaised(Set<String> assignments, Map<String, Long> before) {
        Map<String, Long> after = installation.direct.epochs();
        for (String id : assignments) {
            assertThat(after.get(id)).as("a new holder of %s gets a new epoch", id).isGreaterThan(before.get(id));
        }
    }

    private static long handovers(Map<String, Long> before, Map<String, Long> after) {
        return before.keySet().stream().filter(id -> !before.get(id).equals(after.get(id))).count();
    }

    private static String seconds(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    private void report(String fault, String what, Collection<MeshWorkload> load, Duration converged, String notes)
            throws IOException {
        report(fault, what, load, converged, notes, 0, 0);
    }

    private void report(String fault, String what, Collection<MeshWorkload> load, Duration converged, String notes,
                        long lost, long duplicated) throws IOException {
        long writes = 0;
        for (MeshWorkload w : load) {
            for (int c = 0; c < MeshWorkload.COMMANDS_PER_ROUND; c++) {
                writes += w.acked(c);
            }
        }
        String line = "| " + fault + " | " + what + " | " + writes + " | " + lost + " | " + duplicated + " | "
                + seconds(converged) + " | " + notes + " |";
        System.out.println("RELIABILITY " + line);
        Files.writeString(results, line + "\n", StandardOpenOption.APPEND);
        assertThat(converged).as("%s converged within %s of the fault clearing", fault, CONVERGE_GOAL)
                .isLessThanOrEqualTo(CONVERGE_GOAL);
    }
}
