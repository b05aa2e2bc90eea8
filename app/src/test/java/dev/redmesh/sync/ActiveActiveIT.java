package dev.redmesh.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.redmesh.localredis.LocalRedisCluster;
import dev.redmesh.localredis.LocalReplicationGroup;
import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.DatasetComparison;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.Mesh;
import dev.redmesh.testing.MeshWorkload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Invariants I1–I4 (design.md §4) with real redis-servers: regions in a full mesh writing at once,
 * a stale worker fenced off, failovers planned and unplanned.
 */
class ActiveActiveIT {

    private static final String[] COMMANDS = MeshWorkload.COMMANDS;

    private final Mesh mesh = new Mesh();

    @AfterEach
    void tearDown() {
        mesh.close();
    }

    private Mesh.Region standalone(String name) {
        LocalReplicationGroup group = mesh.own(LocalReplicationGroup.start(RedisBinary.forVersion("7"), 1,
                "repl-backlog-size 64mb"));
        return new Mesh.Region(name, group, null);
    }

    private Mesh.Region cluster(String name) {
        LocalRedisCluster cluster = mesh.own(LocalRedisCluster.builder().binary(RedisBinary.forVersion("7"))
                .masters(3).replicasPerMaster(1).extraConfig("repl-backlog-size 64mb").start());
        return new Mesh.Region(name, null, cluster);
    }

    @Test
    void threeStandaloneRegionsInAFullMeshConvergeWithExactCountersAndNoEcho() throws Exception {
        assertMeshConverges(List.of(standalone("a"), standalone("b"), standalone("c")));
    }

    @Test
    void redisClusterRegionsAsSourceAndTargetKeepTheSameGuarantees() throws Exception {
        assertMeshConverges(List.of(standalone("a"), cluster("b"), cluster("c")));
    }

    private void assertMeshConverges(List<Mesh.Region> regions) throws Exception {
        for (Mesh.Region region : regions) {
            mesh.commands(region).set(region.name() + ":before", "preloaded");
        }
        List<SyncWorker> workers = mesh.connectAll(regions);
        // writes start once every first full sync is applied: with three regions joining at once under
        // load, a full sync may carry a third region's key ahead of that region's own link, which the
        // target then keeps (docs/sync.md, "Full sync keys"); WorkerCrashIT and FleetIT wait the same way
        Mesh.awaitCaughtUp(workers, Duration.ofSeconds(60));
        List<MeshWorkload> workloads = new ArrayList<>();
        for (Mesh.Region region : regions) {
            workloads.add(new MeshWorkload(region.name() + ":", () -> mesh.commands(region)));
        }
        Thread.sleep(8_000);
        for (MeshWorkload workload : workloads) {
            workload.close();
            assertThat(workload.rounds()).as(workload.prefix() + " wrote").isGreaterThan(100);
        }
        Mesh.awaitCaughtUp(workers, Duration.ofSeconds(60));

        for (Mesh.Region region : regions) {
            for (MeshWorkload workload : workloads) {
                workload.assertExactIn(region.name(), mesh.commands(region));
            }
            assertThat(mesh.commands(region).get("a:before")).isEqualTo("preloaded");
        }
        Mesh.Region first = regions.get(0);
        for (Mesh.Region other : regions.subList(1, regions.size())) {
            assertThat(DatasetComparison.differences(nodes(first), nodes(other)))
                    .as(first.name() + " and " + other.name() + " hold the same data").isEmpty();
        }
        // no echo: every region executed each write exactly once, its own or through one link
        for (Mesh.Region region : regions) {
            for (int c = 0; c < COMMANDS.length; c++) {
                final int command = c;
                long written = workloads.stream().mapToLong(w -> w.acked(command)).sum();
                assertThat(Mesh.calls(region.masters(), COMMANDS[c]))
                        .as("%s calls on region %s", COMMANDS[c], region.name()).isEqualTo(written);
            }
        }
        assertThat(workers.stream().mapToLong(w -> w.stats().echoesDropped()).sum())
                .as("units applied by links were read back and dropped").isPositive();
        assertThat(workers.stream().mapToLong(w -> w.stats().applyErrors()).sum()).isZero();
    }

    private List<RedisCommands<String, String>> nodes(Mesh.Region region) {
        return region.masters().stream().map(mesh::commands).toList();
    }

    @Test
    void aWorkerWithAnOlderEpochIsRefusedAndChangesNothing() throws Exception {
        RedisNode source = mesh.own(RedisNode.start(RedisBinary.forVersion("7")));
        RedisNode target = mesh.own(RedisNode.start(RedisBinary.forVersion("7")));
        RedisClusterCommands<String, String> src = mesh.commands(source);
        RedisClusterCommands<String, String> dst = mesh.commands(target);
        src.set("k1", "v1");
        SyncWorker stale = mesh.worker("a.b", Mesh.endpointOf(source), Mesh.endpointOf(target), 1);
        stale.start();
        Mesh.awaitCaughtUp(List.of(stale), Duration.ofSeconds(30));
        assertThat(dst.get("k1")).isEqualTo("v1");

        // the assignment moves to epoch 2: the new holder fences the target, then goes away
        SyncWorker successor = mesh.worker("a.b", Mesh.endpointOf(source), Mesh.endpointOf(target), 2);
        successor.start();
        successor.close();
        Map<String, String> before = dump(dst);

        src.set("k2", "written after the fence");
        src.incr("k1:counter");
        Eventually.await("the stale worker is refused", Duration.ofSeconds(10),
                () -> stale.stats().phase() == SyncStats.Phase.FENCED);
        assertThat(stale.stats().unitsFenced()).isPositive();
        assertThat(dump(dst)).as("the target is unchanged by the stale worker").isEqualTo(before);
        assertThat(dst.exists("k2", "k1:counter")).isZero();

        // and a worker that starts with an older epoch than the target's is refused outright
        SyncWorker older = mesh.worker("a.b", Mesh.endpointOf(source), Mesh.endpointOf(target), 1);
        assertThatThrownBy(older::start).isInstanceOf(FencedException.class);
        assertThat(dump(dst)).isEqualTo(before);
    }

    /**
     * The same on a Redis Cluster target, where a new holder fences and reads all 16,384 slot
     * checkpoints: on Redis 7 with one script per master, on 6.2 slot by slot.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"7", "6.2"})
    void onARedisClusterTargetEverySlotIsFencedAndTheSuccessorResumes(String version) throws Exception {
        RedisNode source = mesh.own(RedisNode.start(RedisBinary.forVersion("7")));
        LocalRedisCluster target = mesh.own(LocalRedisCluster.builder().binary(RedisBinary.forVersion(version))
                .masters(3).replicasPerMaster(0).start());
        Mesh.Region region = new Mesh.Region("b", null, target);
        RedisClusterCommands<String, String> src = mesh.commands(source);
        RedisClusterCommands<String, String> dst = mesh.commands(region);
        for (int i = 0; i < 300; i++) {
            src.incr("counter:" + i);
        }
        SyncWorker stale = mesh.worker("a.b", Mesh.endpointOf(source), region.endpoint(), 1);
        stale.start();
        Mesh.awaitCaughtUp(List.of(stale), Duration.ofSeconds(30));
        src.incr("counter:0");
        Eventually.await("the stale worker applied the write", Duration.ofSeconds(10), () -> "2".equals(dst.get("counter:0")));

        SyncWorker successor = mesh.worker("a.b", Mesh.endpointOf(source), region.endpoint(), 2);
        successor.start();
        Mesh.awaitCaughtUp(List.of(successor), Duration.ofSeconds(30));
        assertThat(successor.stats().fullSyncs()).as("the successor resumes where the target stands").isZero();
        assertThat(dst.get("counter:0")).as("nothing applied twice").isEqualTo("2");
        successor.close();
        Map<String, Long> epochs = checkpointEpochs(target);
        assertThat(epochs).as("every slot's checkpoint and the resume key carry the new epoch")
                .isEqualTo(Map.of("2", (long) LocalRedisCluster.SLOT_COUNT + 1));
        Map<String, String> before = dump(target);

        src.incr("counter:1");
        src.set("k2", "written after the fence");
        Eventually.await("the stale worker is refused", Duration.ofSeconds(10),
                () -> stale.stats().phase() == SyncStats.Phase.FENCED);
        assertThat(dump(target)).as("the target is unchanged by the stale worker").isEqualTo(before);

        SyncWorker older = mesh.worker("a.b", Mesh.endpointOf(source), region.endpoint(), 1);
        assertThatThrownBy(older::start).isInstanceOf(FencedException.class);
        assertThat(dump(target)).isEqualTo(before);
        assertThat(dst.get("counter:1")).isEqualTo("1");
    }

    /** How many of the cluster's checkpoint and resume keys hold each epoch. */
    private Map<String, Long> checkpointEpochs(LocalRedisCluster cluster) {
        Map<String, Long> epochs = new java.util.TreeMap<>();
        for (RedisNode master : cluster.masters()) {
            RedisCommands<String, String> node = mesh.commands(master);
            for (String key : node.keys(KeyFilter.INTERNAL_PREFIX + "*")) {
                epochs.merge(node.get(key).split(":")[0], 1L, Long::sum);
            }
        }
        return epochs;
    }

    private Map<String, String> dump(LocalRedisCluster cluster) {
        Map<String, String> values = new java.util.TreeMap<>();
        for (RedisNode master : cluster.masters()) {
            values.putAll(dump(mesh.commands(master)));
        }
        return values;
    }

    /** Every key and value of a standalone node, internal keys included, as a digest-like map. */
    private static Map<String, String> dump(RedisClusterCommands<String, String> redis) {
        Map<String, String> values = new java.util.TreeMap<>();
        for (String key : redis.keys("*")) {
            values.put(key, redis.type(key) + ":" + (redis.type(key).equals("string") ? redis.get(key) : redis.dump(key).length));
        }
        return values;
    }

    @Test
    void aPlannedFailoverUnderLoadResumesByPartialResyncOnTheNewMaster() throws Exception {
        LocalReplicationGroup group = standalone("a").group();
        RedisNode target = mesh.own(RedisNode.start(RedisBinary.forVersion("7")));
        RedisNode oldMaster = group.master();
        RedisNode replica = group.replicas().get(0);
        mesh.commands(oldMaster).set("before", "1");
        SyncWorker first = mesh.worker("a.b", Mesh.endpointOf(oldMaster), Mesh.endpointOf(target), 1);
        first.start();
        Mesh.awaitCaughtUp(List.of(first), Duration.ofSeconds(30));
        RedisNode[] master = {oldMaster};
        MeshWorkload workload = new MeshWorkload("a:", () -> mesh.commands(master[0]));
        Thread.sleep(2_000);

        // FAILOVER: the master pauses writes, lets the replica catch up, and swaps roles with it
        group.awaitReplicasInSync();
        mesh.commands(oldMaster).dispatch(RawCommand.of("FAILOVER"),
                new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8));
        Eventually.await("replica promoted", Duration.ofSeconds(20),
                () -> "master".equals(replica.info("replication").get("role")));
        master[0] = replica;
        // the control plane moves the assignment to the new master with the next epoch
        first.close();
        SyncWorker second = mesh.worker("a.b", Mesh.endpointOf(replica), Mesh.endpointOf(target), 2);
        second.start();
        Thread.sleep(2_000);
        workload.close();
        assertThat(workload.failedRounds()).as("writes were refused during the swap").isPositive();
        Mesh.awaitCaughtUp(List.of(second), Duration.ofSeconds(30));

        assertThat(second.stats().fullSyncs()).as("the new master was followed by partial resync").isZero();
        assertThat(replica.info("stats").get("sync_full")).isEqualTo("0");
        assertThat(Long.parseLong(replica.info("stats").get("sync_partial_ok"))).isPositive();
        assertThat(second.stats().divergences()).isZero();
        workload.assertExactIn("target", mesh.commands(target));
        assertThat(DatasetComparison.differences(List.of(mesh.commands(replica)), List.of(mesh.commands(target))))
                .isEmpty();
    }

    @Test
    void aReplicaPromotedWhileBehindIsFollowedAndTheDivergenceIsRecordedWithItsRange() throws Exception {
        LocalReplicationGroup group = standalone("a").group();
        RedisNode target = mesh.own(RedisNode.start(RedisBinary.forVersion("7")));
        RedisNode oldMaster = group.master();
        RedisNode replica = group.replicas().get(0);
        RedisClusterCommands<String, String> old = mesh.commands(oldMaster);
        for (int i = 0; i < 100; i++) {
            old.incr("shared:counter");
        }
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        SyncWorker first = new SyncWorker(new SyncWorker.Spec("a.b", Mesh.endpointOf(oldMaster), Mesh.endpointOf(target),
                KeyFilter.everything(), SyncOptions.defaults(), 1), events::add);
        mesh.own(first);
        first.start();
        Mesh.awaitCaughtUp(List.of(first), Duration.ofSeconds(30));
        group.awaitReplicasInSync();

        // cut the replica off, then write what only the old master (and through the link, the target) gets
        mesh.commands(replica).replicaof("127.0.0.1", 1); // a master that does not exist: the replica stays behind
        for (int i = 0; i < 50; i++) {
            old.incr("lost:counter");
        }
        Mesh.awaitCaughtUp(List.of(first), Duration.ofSeconds(30));
        long appliedOnOldMaster = first.stats().appliedOffset();
        first.close();
        oldMaster.kill();

        mesh.commands(replica).replicaofNoOne();
        long fork = Long.parseLong(replica.info("replication").get("second_repl_offset")) - 1;
        assertThat(fork).isLessThan(appliedOnOldMaster);
        SyncWorker second = new SyncWorker(new SyncWorker.Spec("a.b", Mesh.endpointOf(replica), Mesh.endpointOf(target),
                KeyFilter.everything(), SyncOptions.defaults(), 2), events::add);
        mesh.own(second);
        second.start();
        RedisClusterCommands<String, String> now = mesh.commands(replica);
        for (int i = 0; i < 30; i++) {
            now.incr("shared:counter");
            now.incr("after:counter");
        }
        Mesh.awaitCaughtUp(List.of(second), Duration.ofSeconds(30));

        SyncStats.Divergence divergence = second.stats().lastDivergence();
        assertThat(divergence).as("divergence recorded").isNotNull();
        assertThat(divergence.fromOffset()).isEqualTo(fork + 1);
        assertThat(divergence.toOffset()).isGreaterThanOrEqualTo(appliedOnOldMaster - 64).isLessThanOrEqualTo(appliedOnOldMaster);
        assertThat(events).anyMatch(e -> e.contains("offsets " + (fork + 1) + ".."));
        assertThat(second.stats().fullSyncs()).as("continued by partial resync").isZero();
        RedisClusterCommands<String, String> dst = mesh.commands(target);
        assertThat(dst.get("shared:counter")).as("the new master's writes were not skipped").isEqualTo("130");
        assertThat(dst.get("after:counter")).isEqualTo("30");
        assertThat(dst.get("lost:counter")).as("what the target got before the fork stays, reported").isEqualTo("50");
    }

}
