package dev.redmesh.sync;

import dev.redmesh.redis.RedisEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;

import dev.redmesh.localredis.LocalRedisCluster;
import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.DatasetComparison;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.Workload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One direction, source → target, against real redis-server processes: full sync, then streaming. */
class OneWaySyncIT {

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private RedisCommands<String, String> connect(RedisNode node, int db) {
        RedisClient client = RedisClient.create(node.uri());
        closeLater(client::shutdown);
        RedisCommands<String, String> commands = client.connect().sync();
        commands.select(db);
        return commands;
    }

    private static RedisNode start(RedisBinary binary) {
        return RedisNode.start(binary);
    }

    private SyncWorker worker(RedisNode source, RedisEndpoint target) {
        RedisEndpoint from = new RedisEndpoint(List.of(source.address()), false, null, null, false);
        SyncWorker worker = new SyncWorker(new SyncWorker.Spec("test-" + source.port(), from, target, KeyFilter.everything(),
                SyncOptions.defaults()), event -> { });
        closeLater(worker);
        return worker;
    }

    private static void awaitEqual(String what, List<RedisCommands<String, String>> source,
                                   List<RedisCommands<String, String>> target) {
        Eventually.await(what, Duration.ofSeconds(10), () -> {
            List<String> differences = DatasetComparison.differences(source, target);
            if (!differences.isEmpty()) {
                throw new AssertionError(differences.size() + " differences, first: "
                        + differences.subList(0, Math.min(5, differences.size())));
            }
            return true;
        });
    }

    private static void awaitStreamingAndCaughtUp(SyncWorker worker) {
        Eventually.await("streaming", Duration.ofSeconds(60), () -> worker.stats().phase() == SyncStats.Phase.STREAMING);
        Eventually.await("caught up", Duration.ofSeconds(30), () -> worker.status().lagBytes() == 0);
    }

    @ParameterizedTest(name = "redis {0} → redis {1}")
    @CsvSource({"7, 7", "6.2, 6.2", "7, 6.2"})
    void standaloneTargetGetsEveryTypeAndEveryDatabaseWhileWritesContinue(String sourceVersion, String targetVersion)
            throws Exception {
        RedisNode source = closeLater(start(RedisBinary.forVersion(sourceVersion)));
        RedisNode target = closeLater(start(RedisBinary.forVersion(targetVersion)));
        RedisCommands<String, String> src = connect(source, 0);
        Workload.preload(src, "pre:", 20_000);
        Workload.preloadOtherDatabases(src, "pre:");
        boolean functions = sourceVersion.equals("7") && targetVersion.equals("7");
        if (functions) {
            src.functionLoad("#!lua name=before\nredis.register_function('hello', function(keys, args) return 'hi' end)");
        }

        SyncWorker worker = worker(source, new RedisEndpoint(List.of(target.address()), false, null, null, false));
        Workload.Writer writer = new Workload.Writer(connect(source, 0), "live:");
        worker.start();
        awaitStreamingAndCaughtUp(worker);
        if (functions) {
            src.functionLoad("#!lua name=during\nredis.register_function('bye', function(keys, args) return 'bye' end)");
        }
        Thread.sleep(500);
        writer.close();
        assertThat(writer.rounds()).isPositive();
        awaitStreamingAndCaughtUp(worker);

        if (functions) {
            assertThat(connect(target, 0).functionList().toString()).contains("before").contains("during");
        }
        for (int db = 0; db <= 2; db++) {
            RedisCommands<String, String> s = connect(source, db);
            RedisCommands<String, String> t = connect(target, db);
            awaitEqual("db " + db + " equal", List.of(s), List.of(t));
        }
        assertThat(connect(target, 0).get("live:counter")).isEqualTo(Long.toString(writer.rounds()));
        assertThat(worker.stats().fullSyncs()).isEqualTo(1);
        assertThat(worker.stats().keysRestored()).isGreaterThan(20_000);
        assertThat(worker.stats().rdbKeysTotal()).as("progress knows the total").isEqualTo(worker.stats().rdbKeysRead());
        assertThat(worker.stats().applyErrors()).isZero();
    }

    /**
     * Two regions joining a mesh run their first full syncs at once, so the source's snapshot can hold
     * copies of the target's own keys that are already older than the target: they must not be restored.
     */
    @Test
    void aFullSyncKeepsKeysTheTargetAlreadyHolds() throws Exception {
        RedisNode source = closeLater(start(RedisBinary.locate()));
        RedisNode target = closeLater(start(RedisBinary.locate()));
        RedisCommands<String, String> src = connect(source, 0);
        RedisCommands<String, String> tgt = connect(target, 0);
        src.set("target:counter", "5"); // the source's copy, taken when the target's counter was 5
        src.set("source:only", "s");
        tgt.set("target:counter", "9"); // the target's own, newer value
        SyncWorker worker = worker(source, new RedisEndpoint(List.of(target.address()), false, null, null, false));
        worker.start();
        awaitStreamingAndCaughtUp(worker);
        assertThat(tgt.get("target:counter")).isEqualTo("9");
        assertThat(tgt.get("source:only")).isEqualTo("s");
        assertThat(worker.stats().keysKept()).isEqualTo(1);
        assertThat(worker.stats().applyErrors()).isZero();
        src.incrby("target:counter", 1); // later writes still travel as commands
        Eventually.await("streamed", Duration.ofSeconds(10), () -> "10".equals(tgt.get("target:counter")));
    }

    /** The P2 benchmark prices checkpointing against these baselines: they must copy the same data. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(value = Baselines.Apply.class, names = {"UNITS_WITHOUT_CHECKPOINT", "PLAIN"})
    void benchmarkBaselinesCopyTheSameData(Baselines.Apply mode) throws Exception {
        RedisNode source = closeLater(start(RedisBinary.locate()));
        RedisNode target = closeLater(start(RedisBinary.locate()));
        RedisCommands<String, String> src = connect(source, 0);
        Workload.preload(src, "pre:", 2_000);
        SyncWorker worker = closeLater(Baselines.worker(new SyncWorker.Spec("baseline",
                new RedisEndpoint(List.of(source.address()), false, null, null, false),
                new RedisEndpoint(List.of(target.address()), false, null, null, false), KeyFilter.everything(),
                SyncOptions.defaults()), mode, event -> { }));
        worker.start();
        awaitStreamingAndCaughtUp(worker);
        Workload.Writer writer = new Workload.Writer(connect(source, 0), "live:");
        Thread.sleep(300);
        writer.close();
        awaitStreamingAndCaughtUp(worker);
        awaitEqual("equal", List.of(src), List.of(connect(target, 0)));
        assertThat(connect(target, 0).get("live:counter")).isEqualTo(Long.toString(writer.rounds()));
        assertThat(connect(target, 0).get(new String(SlotTags.checkpointKey(0, "baseline"), java.nio.charset.StandardCharsets.US_ASCII)))
                .as("fenced at start, never advanced: a baseline writes no checkpoint").isEqualTo("1::-1");
    }

    /** One side of a link: a standalone node or a Redis Cluster 3 × 1, with what the test needs of it. */
    private record Side(List<RedisNode> masters, RedisEndpoint endpoint, LocalRedisCluster cluster) {
    }

    private Side side(boolean cluster, String version) {
        if (cluster) {
            LocalRedisCluster c = closeLater(LocalRedisCluster.builder().binary(RedisBinary.forVersion(version))
                    .masters(3).replicasPerMaster(1).start());
            return new Side(c.masters(), new RedisEndpoint(c.seeds(), true, null, null, false), c);
        }
        RedisNode node = closeLater(start(RedisBinary.forVersion(version)));
        return new Side(List.of(node), new RedisEndpoint(List.of(node.address()), false, null, null, false), null);
    }

    private io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands<String, String> clusterCommands(LocalRedisCluster c) {
        RedisClusterClient client = RedisClusterClient.create(c.uris());
        closeLater(client::shutdown);
        return client.connect().sync();
    }

    @ParameterizedTest(name = "{0} → {1} on redis {2}")
    @CsvSource({"standalone, cluster, 7", "standalone, cluster, 6.2", "cluster, standalone, 7", "cluster, standalone, 6.2",
            "cluster, cluster, 7", "cluster, cluster, 6.2"})
    void everyShardOfTheSourceReachesTheTargetWhileWritesContinue(String from, String to, String version) throws Exception {
        Side source = side(from.equals("cluster"), version);
        Side target = side(to.equals("cluster"), version);
        Workload.Writer writer;
        if (source.cluster() != null) {
            Workload.preload(clusterCommands(source.cluster()), "pre:", 5_000);
            writer = new Workload.Writer(clusterCommands(source.cluster()), "live:");
        } else {
            Workload.preload(connect(source.masters().get(0), 0), "pre:", 5_000);
            writer = new Workload.Writer(connect(source.masters().get(0), 0), "live:");
        }
        // one worker per source shard master, as the fleet will assign them
        List<SyncWorker> workers = source.masters().stream().map(m -> worker(m, target.endpoint())).toList();
        workers.forEach(SyncWorker::start);
        workers.forEach(OneWaySyncIT::awaitStreamingAndCaughtUp);
        Thread.sleep(500);
        writer.close();
        assertThat(writer.rounds()).isPositive();
        workers.forEach(OneWaySyncIT::awaitStreamingAndCaughtUp);

        awaitEqual("target equal to source", source.masters().stream().map(m -> connect(m, 0)).toList(),
                target.masters().stream().map(m -> connect(m, 0)).toList());
        for (SyncWorker worker : workers) {
            assertThat(worker.stats().fullSyncs()).isEqualTo(1);
            assertThat(worker.stats().applyErrors()).isZero();
        }
    }

    @Test
    void valuesAboveTheRestoreLimitArriveAsSeveralCommands() throws Exception {
        RedisNode source = closeLater(start(RedisBinary.forVersion("7")));
        RedisNode target = closeLater(start(RedisBinary.forVersion("7")));
        RedisCommands<String, String> src = connect(source, 0);
        Workload.preload(src, "pre:", 100);      // big collections of 10k elements, well above 16 KB
        StringBuilder blob = new StringBuilder();
        java.util.Random random = new java.util.Random(42);
        while (blob.length() < 300_000) {
            blob.append(Long.toHexString(random.nextLong())); // incompressible, so the RDB payload stays large
        }
        src.set("pre:blob", blob.toString());
        src.pexpire("pre:list:big", 600_000);
        SyncWorker worker = closeLater(new SyncWorker(new SyncWorker.Spec("split",
                new RedisEndpoint(List.of(source.address()), false, null, null, false),
                new RedisEndpoint(List.of(target.address()), false, null, null, false),
                KeyFilter.everything(), SyncOptions.defaults().withMaxRestoreBytes(16 * 1024)), e -> { }));
        worker.start();
        awaitStreamingAndCaughtUp(worker);

        awaitEqual("equal", List.of(src), List.of(connect(target, 0)));
        Map<String, String> calls = target.info("commandstats");
        for (String command : List.of("rpush", "sadd", "zadd", "hset", "append")) {
            assertThat(calls.get("cmdstat_" + command)).as(command).isNotNull();
            assertThat(Long.parseLong(calls.get("cmdstat_" + command).split("[=,]")[1])).as(command + " calls").isGreaterThan(1);
        }
        assertThat(Long.parseLong(calls.get("cmdstat_restore").split("[=,]")[1]))
                .as("small keys and the stream are still restored").isGreaterThan(100);
    }

    @Test
    void disklessFullSyncFromAnAclUserWithPasswordIntoAPasswordProtectedTarget() throws Exception {
        RedisBinary binary = RedisBinary.forVersion("7");
        RedisNode source = closeLater(RedisNode.start(binary, "repl-diskless-sync yes", "repl-diskless-sync-delay 0"));
        RedisNode target = closeLater(RedisNode.start(binary, "requirepass target-secret"));
        source.call(c -> c.aclSetuser("syncer", io.lettuce.core.AclSetuserArgs.Builder.on()
                .addPassword("syncer-secret").allCommands().allKeys().allChannels()));
        source.call(c -> c.aclSetuser("default", io.lettuce.core.AclSetuserArgs.Builder.off()));
        RedisClient admin = RedisClient.create(io.lettuce.core.RedisURI.builder().withHost(source.host())
                .withPort(source.port()).withAuthentication("syncer", "syncer-secret".toCharArray()).build());
        closeLater(admin::shutdown);
        RedisCommands<String, String> src = admin.connect().sync();
        Workload.preload(src, "pre:", 1_000);

        SyncWorker worker = closeLater(new SyncWorker(new SyncWorker.Spec("secured",
                new RedisEndpoint(List.of(source.address()), false, "syncer", "syncer-secret", false),
                new RedisEndpoint(List.of(target.address()), false, null, "target-secret", false),
                KeyFilter.everything(), SyncOptions.defaults()), e -> { }));
        worker.start();
        awaitStreamingAndCaughtUp(worker);
        src.incrby("live:counter", 7);
        awaitStreamingAndCaughtUp(worker);

        RedisCommands<String, String> t = connect(target, 0);
        awaitEqual("equal", List.of(src), List.of(t));
        assertThat(src.info("replication")).as("followed as a replica").contains("slave0:");
        assertThat(src.info("stats")).as("the full sync went over the socket, no RDB file")
                .containsPattern("sync_full:1\\b");
        assertThat(src.info("persistence")).contains("rdb_saves:0");
    }

    @Test
    void filtersTransactionsAndFlushes() throws Exception {
        RedisNode source = closeLater(start(RedisBinary.forVersion("7")));
        RedisNode target = closeLater(start(RedisBinary.forVersion("7")));
        RedisCommands<String, String> src = connect(source, 0);
        src.set("keep:before", "1");
        src.set("drop:before", "1");
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        SyncWorker worker = closeLater(new SyncWorker(new SyncWorker.Spec("filtered",
                new RedisEndpoint(List.of(source.address()), false, null, null, false),
                new RedisEndpoint(List.of(target.address()), false, null, null, false),
                new KeyFilter(List.of("keep:*"), List.of("keep:secret:*")), SyncOptions.defaults()), events::add));
        worker.start();
        awaitStreamingAndCaughtUp(worker);

        src.set("keep:a", "1");
        src.set("drop:b", "1");
        src.set("keep:secret:c", "1");
        src.set("__redmesh:internal", "never travels");
        src.multi();
        src.incr("keep:tx1");
        src.incr("keep:tx2");
        src.exec();
        src.flushall();
        src.set("keep:after", "1");
        awaitStreamingAndCaughtUp(worker);

        RedisCommands<String, String> t = connect(target, 0);
        Eventually.await("keep:after arrived", Duration.ofSeconds(5), () -> "1".equals(t.get("keep:after")));
        assertThat(t.keys("*")).filteredOn(k -> !k.startsWith("__redmesh:"))
                .containsExactlyInAnyOrder("keep:before", "keep:a", "keep:tx1", "keep:tx2", "keep:after");
        assertThat(worker.stats().flushesNotPropagated()).isEqualTo(1);
        assertThat(events).singleElement().asString().contains("FLUSHALL");
        assertThat(target.info("commandstats")).as("every write reaches the target inside an atomic unit")
                .containsKey("cmdstat_eval").doesNotContainKey("cmdstat_exec");
    }

    @Test
    void aKilledReplicationConnectionResumesByPartialResync() throws Exception {
        RedisNode source = closeLater(start(RedisBinary.forVersion("7")));
        RedisNode target = closeLater(start(RedisBinary.forVersion("7")));
        RedisCommands<String, String> src = connect(source, 0);
        Workload.preload(src, "pre:", 1_000);
        SyncWorker worker = worker(source, new RedisEndpoint(List.of(target.address()), false, null, null, false));
        Workload.Writer writer = new Workload.Writer(connect(source, 0), "live:");
        worker.start();
        awaitStreamingAndCaughtUp(worker);
        long partialBefore = Long.parseLong(source.info("stats").get("sync_partial_ok"));
        long fullBefore = Long.parseLong(source.info("stats").get("sync_full"));

        for (int kill = 1; kill <= 3; kill++) {
            assertThat(src.clientKill(io.lettuce.core.KillArgs.Builder.typeSlave())).isEqualTo(1);
            long expected = partialBefore + kill;
            Eventually.await("partial resync " + kill, Duration.ofSeconds(10),
                    () -> Long.parseLong(source.info("stats").get("sync_partial_ok")) >= expected);
        }
        writer.close();
        awaitStreamingAndCaughtUp(worker);

        assertThat(Long.parseLong(source.info("stats").get("sync_full"))).as("no second full sync").isEqualTo(fullBefore);
        assertThat(worker.stats().fullSyncs()).isEqualTo(1);
        RedisCommands<String, String> t = connect(target, 0);
        awaitEqual("equal after reconnects", List.of(src), List.of(t));
        assertThat(t.get("live:counter")).isEqualTo(Long.toString(writer.rounds()));
    }

    /** A source that goes down is reported (the link leaves STREAMING) until it is back. */
    @Test
    void aSourceThatGoesDownIsReportedDisconnectedUntilItIsBack() throws Exception {
        RedisNode source = closeLater(start(RedisBinary.forVersion("7")));
        RedisNode target = closeLater(start(RedisBinary.forVersion("7")));
        RedisCommands<String, String> src = connect(source, 0);
        src.set("k", "1");
        SyncWorker worker = worker(source, dev.redmesh.testing.Mesh.endpointOf(target));
        worker.start();
        awaitStreamingAndCaughtUp(worker);

        source.kill();
        Eventually.await("the worker reports its source gone", Duration.ofSeconds(5),
                () -> worker.stats().phase() == SyncStats.Phase.DISCONNECTED || worker.stats().phase() == SyncStats.Phase.CONNECTING);
        Thread.sleep(3000);
        assertThat(worker.stats().phase()).as("still not streaming while the source is down")
                .isIn(SyncStats.Phase.DISCONNECTED, SyncStats.Phase.CONNECTING);

        source.restart();
        connect(source, 0).set("k2", "after the restart");
        RedisCommands<String, String> t = connect(target, 0);
        Eventually.await("streaming again, and carrying writes", Duration.ofSeconds(30),
                () -> worker.stats().phase() == SyncStats.Phase.STREAMING && "after the restart".equals(t.get("k2")));
    }
}
