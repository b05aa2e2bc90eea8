package dev.redmesh.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.lettuce.core.api.sync.RedisCommands;

import dev.redmesh.localredis.LocalRedisCluster;
import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.testing.DatasetComparison;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.Mesh;
import dev.redmesh.testing.MeshWorkload;

/**
 * Keyspace capture between "managed" regions: real redis-servers that refuse what ElastiCache
 * refuses ({@code SYNC}, {@code PSYNC}, {@code CONFIG} renamed away), so the only way to read their
 * writes is their keyspace notifications.
 */
class KeyspaceCaptureIT {

    private final Mesh mesh = new Mesh();
    private final List<SyncWorker> workers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        workers.forEach(SyncWorker::close);
        mesh.close();
    }

    private RedisNode managed(String notifications) {
        List<String> config = new ArrayList<>(List.of("rename-command SYNC \"\"", "rename-command PSYNC \"\"",
                "rename-command CONFIG \"\""));
        if (notifications != null) {
            config.add("notify-keyspace-events " + notifications);
        }
        return mesh.own(RedisNode.start(RedisBinary.forVersion("7"), config));
    }

    private SyncWorker keyspace(String link, RedisNode source, RedisNode target) {
        return keyspace(link, Mesh.endpointOf(source), Mesh.endpointOf(target));
    }

    private final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

    private SyncWorker keyspace(String link, RedisEndpoint source, RedisEndpoint target) {
        return keyspace(link, source, target, 1);
    }

    private SyncWorker keyspace(String link, RedisEndpoint source, RedisEndpoint target, long epoch) {
        return keyspace(link, source, target, epoch, SyncOptions.defaults());
    }

    private SyncWorker keyspace(String link, RedisEndpoint source, RedisEndpoint target, long epoch, SyncOptions options) {
        SyncWorker worker = new SyncWorker(new SyncWorker.Spec(link, source, target,
                KeyFilter.everything(), options, epoch, Capture.KEYSPACE, true), events::add);
        workers.add(worker);
        return worker;
    }

    @Test
    void twoManagedRegionsConvergeBothWaysWithoutEcho() throws Exception {
        RedisNode a = managed("KA");
        RedisNode b = managed("KA");
        RedisCommands<String, String> ra = mesh.commands(a);
        RedisCommands<String, String> rb = mesh.commands(b);
        ra.set("a:before", "preloaded");
        ra.psetex("a:expiring", 600_000, "with a ttl");
        rb.hset("b:before", "f", "v");
        assertThatThrownBy(() -> ra.dispatch(new io.lettuce.core.protocol.ProtocolKeyword() {
            @Override
            public byte[] getBytes() {
                return "PSYNC".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            }

            @Override
            public String toString() {
                return "PSYNC";
            }
        }, new io.lettuce.core.output.StatusOutput<>(io.lettuce.core.codec.StringCodec.UTF8),
                new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8).add("?").add(-1)))
                .as("the source refuses PSYNC, as ElastiCache does").hasMessageContaining("unknown command");

        SyncWorker ab = keyspace("a.b", a, b);
        SyncWorker ba = keyspace("b.a", b, a);
        ab.start();
        ba.start();
        awaitStreaming(ab, ba);
        Eventually.await("the initial copies arrived", Duration.ofSeconds(20),
                () -> "preloaded".equals(rb.get("a:before")) && "v".equals(ra.hget("b:before", "f")));
        assertThat(rb.pttl("a:expiring")).as("the TTL travelled").isBetween(500_000L, 600_000L);

        MeshWorkload wa = new MeshWorkload("a:", () -> mesh.commands(a));
        MeshWorkload wb = new MeshWorkload("b:", () -> mesh.commands(b));
        Thread.sleep(6_000);
        wa.close();
        wb.close();
        assertThat(wa.rounds()).isGreaterThan(100);
        ra.del("a:before");
        rb.expire("b:before", 1);

        Eventually.await("both regions hold the same data", Duration.ofSeconds(30),
                () -> DatasetComparison.differences(List.of(ra), List.of(rb)).isEmpty());
        wa.assertExactIn("b", rb);
        wb.assertExactIn("a", ra);
        assertThat(rb.exists("a:before")).as("a delete travels as a delete").isZero();
        Eventually.await("an expiry travels", Duration.ofSeconds(10), () -> ra.exists("b:before") == 0);

        // no echo: a client's operations run only where the client sent them (the other region
        // receives their resulting state), so each region executed exactly its own
        for (int c = 0; c < MeshWorkload.COMMANDS.length; c++) {
            assertThat(Mesh.calls(List.of(a), MeshWorkload.COMMANDS[c])).as("%s on a", MeshWorkload.COMMANDS[c])
                    .isEqualTo(wa.acked(c));
            assertThat(Mesh.calls(List.of(b), MeshWorkload.COMMANDS[c])).as("%s on b", MeshWorkload.COMMANDS[c])
                    .isEqualTo(wb.acked(c));
        }
        assertThat(ab.stats().echoesDropped() + ba.stats().echoesDropped())
                .as("the units each link applied were notified and dropped").isPositive();

        // one client write → exactly one write in the other region, and none back
        Thread.sleep(500);
        long restoresA = Mesh.calls(List.of(a), "restore");
        long restoresB = Mesh.calls(List.of(b), "restore");
        long evalsA = Mesh.calls(List.of(a), "eval");
        ra.set("a:one", "1");
        Eventually.await("the write arrived", Duration.ofSeconds(10), () -> "1".equals(rb.get("a:one")));
        Thread.sleep(1_000);
        assertThat(Mesh.calls(List.of(b), "restore") - restoresB).as("restores on b").isEqualTo(1);
        assertThat(Mesh.calls(List.of(a), "restore") - restoresA).as("restores on a: nothing came back").isZero();

        // an idle mesh writes nothing
        long idleA = writes(a);
        long idleB = writes(b);
        Thread.sleep(2_000);
        assertThat(writes(a)).as("writes on an idle a").isEqualTo(idleA);
        assertThat(writes(b)).as("writes on an idle b").isEqualTo(idleB);
        assertThat(Mesh.calls(List.of(a), "eval")).as("no unit applied to a since").isEqualTo(evalsA);
        assertThat(ab.stats().applyErrors() + ba.stats().applyErrors()).isZero();
    }

    /**
     * Three managed regions, six keyspace links: every region's writes reach both others exactly
     * once — a unit written into a region is dropped by both captures of that region, so nothing
     * travels on, back or around.
     */
    @Test
    void threeManagedRegionsConvergeWithoutEchoOrRelay() throws Exception {
        List<RedisNode> nodes = List.of(managed("KA"), managed("KA"), managed("KA"));
        String[] names = {"a", "b", "c"};
        List<SyncWorker> links = new ArrayList<>();
        for (int s = 0; s < 3; s++) {
            for (int t = 0; t < 3; t++) {
                if (s != t) {
                    links.add(keyspace(names[s] + "." + names[t], nodes.get(s), nodes.get(t)));
                }
            }
        }
        links.forEach(SyncWorker::start);
        awaitStreaming(links.toArray(SyncWorker[]::new));
        List<MeshWorkload> load = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            RedisNode node = nodes.get(r);
            load.add(new MeshWorkload(names[r] + ":", () -> mesh.commands(node)));
        }
        Thread.sleep(5_000);
        for (MeshWorkload w : load) {
            w.close();
        }
        List<RedisCommands<String, String>> regions = nodes.stream().map(mesh::commands).toList();
        Eventually.await("the three regions hold the same data", Duration.ofSeconds(30),
                () -> DatasetComparison.differences(List.of(regions.get(0)), List.of(regions.get(1))).isEmpty()
                        && DatasetComparison.differences(List.of(regions.get(0)), List.of(regions.get(2))).isEmpty());
        for (int r = 0; r < 3; r++) {
            for (int other = 0; other < 3; other++) {
                load.get(r).assertExactIn(names[other], regions.get(other));
            }
            for (int c = 0; c < MeshWorkload.COMMANDS.length; c++) {
                assertThat(Mesh.calls(List.of(nodes.get(r)), MeshWorkload.COMMANDS[c]))
                        .as("%s on %s: its clients' only", MeshWorkload.COMMANDS[c], names[r]).isEqualTo(load.get(r).acked(c));
            }
        }
        // each region receives the other two's keys: one RESTORE per changed key per source, and an idle mesh writes nothing
        long[] idle = new long[3];
        for (int r = 0; r < 3; r++) {
            idle[r] = writes(nodes.get(r));
        }
        Thread.sleep(2_000);
        for (int r = 0; r < 3; r++) {
            assertThat(writes(nodes.get(r))).as("writes on an idle %s", names[r]).isEqualTo(idle[r]);
        }
        assertThat(links.stream().mapToLong(l -> l.stats().applyErrors()).sum()).isZero();
    }

    /**
     * A Redis Cluster region: notifications are local to each node, so every shard master has its
     * own capture (one assignment per master, as the fleet makes them), and the units written into
     * the cluster carry their marker in their own slot, where that slot's capture sees it.
     */
    @Test
    void aRedisClusterRegionIsCapturedOnEveryShardMasterAndWrittenSlotBySlot() throws Exception {
        LocalRedisCluster cluster = mesh.own(LocalRedisCluster.builder().binary(RedisBinary.forVersion("7"))
                .masters(3).replicasPerMaster(0)
                .extraConfig("rename-command SYNC \"\"", "rename-command PSYNC \"\"", "notify-keyspace-events KA").start());
        Mesh.Region c = new Mesh.Region("c", null, cluster);
        RedisNode s = managed("KA");
        RedisCommands<String, String> rs = mesh.commands(s);
        List<SyncWorker> links = new ArrayList<>();
        for (RedisNode master : cluster.masters()) {
            links.add(keyspace("c.s/" + master.port(), Mesh.endpointOf(master), Mesh.endpointOf(s)));
        }
        links.add(keyspace("s.c", Mesh.endpointOf(s), c.endpoint()));
        for (SyncWorker link : links) {
            link.start();
        }
        awaitStreaming(links.toArray(SyncWorker[]::new));

        MeshWorkload wc = new MeshWorkload("c:", () -> mesh.commands(c));
        MeshWorkload ws = new MeshWorkload("s:", () -> mesh.commands(s));
        Thread.sleep(5_000);
        wc.close();
        ws.close();
        List<RedisCommands<String, String>> masters = cluster.masters().stream().map(mesh::commands).toList();
        Eventually.await("both regions hold the same data", Duration.ofSeconds(30),
                () -> DatasetComparison.differences(masters, List.of(rs)).isEmpty());
        wc.assertExactIn("s", rs);
        ws.assertExactIn("c", mesh.commands(c));
        for (int i = 0; i < MeshWorkload.COMMANDS.length; i++) {
            assertThat(Mesh.calls(cluster.masters(), MeshWorkload.COMMANDS[i])).as("%s on c", MeshWorkload.COMMANDS[i])
                    .isEqualTo(wc.acked(i));
            assertThat(Mesh.calls(List.of(s), MeshWorkload.COMMANDS[i])).as("%s on s", MeshWorkload.COMMANDS[i])
                    .isEqualTo(ws.acked(i));
        }
        assertThat(links.stream().mapToLong(l -> l.stats().applyErrors()).sum()).isZero();
    }

    /**
     * What the notifications cannot say — writes while a link's worker was down, writes while its
     * subscription was cut — is found by the resync: both sides compared, what differs read again a
     * little later, and only what neither side changed meanwhile applied. Keys the target owns are
     * never reverted to the source's older copy.
     */
    @Test
    void aRestartedWorkerAndACutSubscriptionLoseNoFinalStateAndRevertNothing() throws Exception {
        RedisNode a = managed("KA");
        RedisNode b = managed("KA");
        RedisCommands<String, String> ra = mesh.commands(a);
        RedisCommands<String, String> rb = mesh.commands(b);
        for (int i = 0; i < 200; i++) {
            ra.set("a:kept:" + i, "v1");
            rb.set("b:owned:" + i, "v1");
        }
        SyncWorker ab = keyspace("a.b", a, b);
        SyncWorker ba = keyspace("b.a", b, a);
        ab.start();
        ba.start();
        awaitStreaming(ab, ba);
        Eventually.await("the copies arrived", Duration.ofSeconds(20),
                () -> DatasetComparison.differences(List.of(ra), List.of(rb)).isEmpty());

        // a.b's worker goes away; a's clients change, add and delete keys meanwhile, b's own keys change too
        ab.close();
        for (int i = 0; i < 100; i++) {
            ra.set("a:kept:" + i, "v2");
            ra.incrby("a:counter", 3);
            ra.del("a:kept:" + (100 + i));
            ra.hset("a:new:" + i, "f", "x");
            rb.set("b:owned:" + i, "v2"); // travels b → a as usual
        }
        SyncWorker successor = keyspace("a.b", Mesh.endpointOf(a), Mesh.endpointOf(b), 2);
        successor.start();
        awaitStreaming(successor);
        Eventually.await("the successor's resync closed the gap", Duration.ofSeconds(30),
                () -> DatasetComparison.differences(List.of(ra), List.of(rb)).isEmpty());
        assertThat(rb.get("a:kept:0")).isEqualTo("v2");
        assertThat(rb.exists("a:kept:150")).as("a delete while the worker was down").isZero();
        assertThat(rb.get("a:counter")).isEqualTo("300");
        assertThat(rb.get("b:owned:0")).as("the target's own key is not reverted").isEqualTo("v2");
        assertThat(events).anyMatch(e -> e.contains("resync after the link restarted") && e.contains("applied"));

        // under load, every capture's subscription is cut: the gap is noticed and closed
        MeshWorkload wa = new MeshWorkload("a:", () -> mesh.commands(a));
        MeshWorkload wb = new MeshWorkload("b:", () -> mesh.commands(b));
        Thread.sleep(2_000);
        ra.clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
        rb.clientKill(io.lettuce.core.KillArgs.Builder.typePubsub());
        Thread.sleep(3_000);
        wa.close();
        wb.close();
        Eventually.await("both regions hold the same data", Duration.ofSeconds(40),
                () -> DatasetComparison.differences(List.of(ra), List.of(rb)).isEmpty());
        wa.assertExactIn("b", rb);
        wb.assertExactIn("a", ra);
        assertThat(events).anyMatch(e -> e.contains("resync after keyspace notifications were interrupted"));
    }

    /**
     * A keyspace link's lag in ms is timed from the source: beats published there, done once the
     * target applied everything notified before them. A stalled target (writes waiting) or a stalled
     * source (nothing notified) shows as a lag that grows, and falls back when it recovers.
     */
    @Test
    void theLagIsTimedFromTheSourceAndGrowsWhileEitherSideStalls() throws Exception {
        RedisNode a = managed("KA");
        RedisNode b = managed("KA");
        RedisCommands<String, String> ra = mesh.commands(a);
        RedisCommands<String, String> rb = mesh.commands(b);
        SyncWorker ab = keyspace("a.b", a, b);
        ab.start();
        awaitStreaming(ab);
        Eventually.await("a small lag once streaming", Duration.ofSeconds(10),
                () -> ab.measuredLagMs() >= 0 && ab.measuredLagMs() < 200);

        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            RedisCommands<String, String> w = mesh.commands(a);
            for (int i = 0; writing.get(); i++) {
                w.set("a:k" + (i % 100), Integer.toString(i));
                sleepQuietly(5);
            }
        });
        writer.start();
        try {
            Thread.sleep(500);
            rb.clientPause(2_000); // the target applies nothing for 2 s
            assertThat(maxLagWithin(ab, Duration.ofMillis(1_900))).as("lag while the target stalls").isGreaterThan(1_000);
            Eventually.await("the lag falls once the target recovers", Duration.ofSeconds(10),
                    () -> ab.measuredLagMs() < 200);
            ra.clientPause(2_000); // the source neither executes nor notifies for 2 s
            assertThat(maxLagWithin(ab, Duration.ofMillis(1_900))).as("lag while the source stalls").isGreaterThan(1_000);
            Eventually.await("the lag falls once the source recovers", Duration.ofSeconds(10),
                    () -> ab.measuredLagMs() < 200);
        } finally {
            writing.set(false);
            writer.join();
        }
        Eventually.await("b caught up", Duration.ofSeconds(20),
                () -> DatasetComparison.differences(List.of(ra), List.of(rb)).isEmpty());
        assertThat(ra.keys("__redmesh:*")).as("a beat leaves no key behind").isEmpty();
        assertThat(Mesh.calls(List.of(a), "publish")).as("beats are published").isPositive();
    }

    private static long maxLagWithin(SyncWorker worker, Duration window) throws InterruptedException {
        long max = -1;
        long until = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < until) {
            max = Math.max(max, worker.measuredLagMs());
            Thread.sleep(20);
        }
        return max;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A value above the restore limit travels as the PSYNC path writes it, in pieces, both in the
     * copy and when a client changes it afterwards; a stream (no piecewise form) stays one RESTORE.
     */
    @Test
    void valuesAboveTheRestoreLimitTravelInPiecesInTheCopyAndAfterIt() throws Exception {
        RedisNode a = managed("KA");
        RedisNode b = managed("KA");
        RedisCommands<String, String> ra = mesh.commands(a);
        RedisCommands<String, String> rb = mesh.commands(b);
        dev.redmesh.testing.Workload.preload(ra, "pre:", 100); // 10k-element collections, well above 16 KB
        ra.pexpire("pre:list:big", 600_000);
        SyncWorker ab = keyspace("a.b", Mesh.endpointOf(a), Mesh.endpointOf(b), 1,
                SyncOptions.defaults().withMaxRestoreBytes(16 * 1024));
        ab.start();
        awaitStreaming(ab);
        Eventually.await("the copy arrived", Duration.ofSeconds(30),
                () -> DatasetComparison.differences(List.of(ra), List.of(rb)).isEmpty());
        for (String command : List.of("rpush", "sadd", "zadd", "hset")) {
            assertThat(Mesh.calls(List.of(b), command)).as("%s pieces in the copy", command).isGreaterThan(1);
        }
        long pieces = Mesh.calls(List.of(b), "rpush");
        long restores = Mesh.calls(List.of(b), "restore");

        ra.rpush("pre:list:big", "one more");
        ra.hset("pre:hash:big", "f0", "changed");
        ra.xadd("pre:stream", java.util.Map.of("n", "late"));
        Eventually.await("the changes arrived", Duration.ofSeconds(20),
                () -> DatasetComparison.differences(List.of(ra), List.of(rb)).isEmpty());
        assertThat(rb.lindex("pre:list:big", -1)).isEqualTo("one more");
        assertThat(rb.pttl("pre:list:big")).as("the TTL of a value rebuilt in pieces").isBetween(500_000L, 600_000L);
        assertThat(Mesh.calls(List.of(b), "rpush") - pieces).as("the changed list came in pieces").isGreaterThan(1);
        assertThat(Mesh.calls(List.of(b), "restore") - restores).as("only the stream was one RESTORE").isEqualTo(1);
        assertThat(ab.stats().applyErrors()).isZero();
    }

    @Test
    void withNotificationsOffTheStartSaysWhatToSetAndWhere() {
        RedisNode a = managed(null);
        RedisNode b = managed("KA");
        SyncWorker ab = keyspace("a.b", a, b);
        assertThatThrownBy(ab::start)
                .hasMessageContaining("notify-keyspace-events")
                .hasMessageContaining("KA")
                .hasMessageContaining("parameter group");
    }

    private static long writes(RedisNode node) {
        long writes = 0;
        for (String command : List.of("set", "del", "restore", "eval", "incrby", "hset", "expire", "pexpire")) {
            writes += Mesh.calls(List.of(node), command);
        }
        return writes;
    }

    private static void awaitStreaming(SyncWorker... workers) {
        Eventually.await("every link streaming", Duration.ofSeconds(30), () -> {
            for (SyncWorker worker : workers) {
                if (worker.stats().phase() != SyncStats.Phase.STREAMING) {
                    throw new AssertionError(worker.status());
                }
            }
            return true;
        });
    }
}
