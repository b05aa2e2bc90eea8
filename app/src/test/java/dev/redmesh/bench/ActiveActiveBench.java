package dev.redmesh.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.sync.Baselines;
import dev.redmesh.sync.Capture;
import dev.redmesh.sync.KeyFilter;
import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.sync.SyncOptions;
import dev.redmesh.sync.SyncStats;
import dev.redmesh.sync.SyncWorker;
import org.junit.jupiter.api.Test;

/**
 * Benchmark P2 (not a test; run on purpose): two regions written at once, synced both ways.
 * <ol>
 *   <li>Lag: {@code bench.rate} writes/s into each region (SET and INCRBY, half each) for
 *   {@code bench.seconds}, while a probe writes {@code probe:<region>:<n>} every 5 ms and the other
 *   region's keyspace notification of that key is timed on the same clock (one JVM's nanoTime).
 *   The physical anchor, in the same run: a native replica of region a, timed by the same probe.</li>
 *   <li>Throughput: a backlog of {@code bench.commands} redis-benchmark SET/INCR drained by the
 *   worker with checkpointed units, and again with the two baselines that give up checkpointing
 *   (the same Lua units without checkpoint, and plain pipelined commands).</li>
 * </ol>
 * <pre>./mvnw -pl app -am -Dskip.npm verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=ActiveActiveBench -Dbench.rate=10000 -Dbench.seconds=30 -Dbench.commands=1000000</pre>
 */
class ActiveActiveBench {

    private static final long PROBE_EVERY_NANOS = 5_000_000;

    @Test
    void lagAndCheckpointCost() throws Exception {
        int rate = Integer.getInteger("bench.rate", 10_000);
        int seconds = Integer.getInteger("bench.seconds", 30);
        long commands = Long.getLong("bench.commands", 1_000_000);
        RedisBinary binary = RedisBinary.locate();
        StringBuilder report = new StringBuilder();

        List<Capture> captures = java.util.Arrays.stream(System.getProperty("bench.captures", "PSYNC").split(","))
                .map(String::trim).map(Capture::valueOf).toList();
        List<Integer> rates = java.util.Arrays.stream(System.getProperty("bench.rates", Integer.toString(rate)).split(","))
                .map(String::trim).map(Integer::valueOf).toList();
        for (int r : rates) {
            for (Capture capture : captures) {
                lag(binary, capture, r, seconds, report);
            }
        }
        for (Capture capture : captures) {
            copy(binary, capture, Long.getLong("bench.copy.keys", 0), report);
        }
        if (commands <= 0) {
            finish(binary, report);
            return;
        }

        double[] seconds3 = new double[Baselines.Apply.values().length];
        for (Baselines.Apply mode : Baselines.Apply.values()) {
            seconds3[mode.ordinal()] = drain(binary, mode, commands);
            report.append(String.format("P2-drain mode=%s commands=%d seconds=%.2f commands_per_s=%.0f%n",
                    mode, commands, seconds3[mode.ordinal()], commands / seconds3[mode.ordinal()]));
        }
        double units = seconds3[Baselines.Apply.UNITS.ordinal()];
        report.append(String.format("P2-throughput-ratio checkpointed_over_units_without_checkpoint=%.2f "
                        + "checkpointed_over_plain=%.2f%n",
                seconds3[Baselines.Apply.UNITS_WITHOUT_CHECKPOINT.ordinal()] / units,
                seconds3[Baselines.Apply.PLAIN.ordinal()] / units));
        finish(binary, report);
    }

    private static void finish(RedisBinary binary, StringBuilder report) throws java.io.IOException {
        report.append("redis=").append(binary.version()).append(" cores=")
                .append(Runtime.getRuntime().availableProcessors()).append('\n');
        System.out.print("ACTIVE-ACTIVE-BENCH\n" + report);
        Path out = Path.of("target", "bench", "active-active.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private void lag(RedisBinary binary, Capture capture, int rate, int seconds, StringBuilder report) throws Exception {
        // the probes are timed by keyspace notifications on the receiving side (K$); a keyspace
        // capture needs every class on its sources (KA) and refuses PSYNC there, as managed Redis does
        String[] config = capture == Capture.KEYSPACE
                ? new String[] {"notify-keyspace-events KA", "rename-command SYNC \"\"", "rename-command PSYNC \"\""}
                : new String[] {"notify-keyspace-events K$"};
        try (RedisNode a = RedisNode.start(binary, config);
             RedisNode b = RedisNode.start(binary, config);
             RedisNode replica = RedisNode.start(binary, "notify-keyspace-events K$");
             SyncWorker ab = worker("a.b", a, b, Baselines.Apply.UNITS, capture);
             SyncWorker ba = worker("b.a", b, a, Baselines.Apply.UNITS, capture);
             RedisClient client = RedisClient.create()) {
            if (capture == Capture.PSYNC) {
                replica.replicaOf(a); // the physical anchor: a native replica (a managed source refuses it)
                replica.awaitInSyncWith(a);
            }
            ab.start();
            ba.start();
            BenchSupport.await("both links streaming", () -> ab.stats().phase() == SyncStats.Phase.STREAMING
                    && ba.stats().phase() == SyncStats.Phase.STREAMING ? 1 : 0, 1);

            Probe aToB = new Probe(client, a, b, "a");
            Probe bToA = new Probe(client, b, a, "b");
            Probe aToReplica = capture == Capture.PSYNC ? new Probe(client, a, replica, "r") : null;
            Load loadA = new Load(client, a, "a", rate);
            Load loadB = new Load(client, b, "b", rate);
            List<Thread> threads = new java.util.ArrayList<>(List.of(new Thread(loadA, "load-a"), new Thread(loadB, "load-b"),
                    new Thread(aToB, "probe-a"), new Thread(bToA, "probe-b")));
            if (aToReplica != null) {
                threads.add(new Thread(aToReplica, "probe-r"));
            }
            threads.forEach(Thread::start);
            int verifyRate = Integer.getInteger("bench.verify.rate", 0);
            java.util.concurrent.atomic.AtomicBoolean verifying = new java.util.concurrent.atomic.AtomicBoolean(verifyRate > 0);
            AtomicLong verified = new AtomicLong();
            java.util.concurrent.atomic.DoubleAdder verifySeconds = new java.util.concurrent.atomic.DoubleAdder();
            Thread verifier = new Thread(() -> {
                // the product's verification of the pair, over and over, beside the load (P2 with verification);
                // its rate is its own: keys read over the time its runs took
                while (verifying.get()) {
                    var result = dev.redmesh.verify.Verifier.verify(List.of(a, b), verifyRate, 1, 0);
                    verified.addAndGet(result.keysChecked());
                    verifySeconds.add(result.seconds());
                }
            }, "verifier");
            if (verifyRate > 0) {
                populate(a, Long.getLong("bench.verify.keys", 200_000));
                verifier.start();
            }
            Thread.sleep(5_000); // warm-up: JIT, connections, buffers
            for (Probe probe : java.util.stream.Stream.of(aToB, bToA, aToReplica).filter(java.util.Objects::nonNull).toList()) {
                probe.lags.clear();
            }
            double cpuBefore = cpuSeconds(a);
            long ackedBefore = loadA.acked.get() + loadB.acked.get();
            long appliedBefore = ab.stats().commandsApplied() + ba.stats().commandsApplied();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double sourceCpu = (cpuSeconds(a) - cpuBefore) / elapsed;
            long acked = loadA.acked.get() + loadB.acked.get() - ackedBefore;
            long applied = ab.stats().commandsApplied() + ba.stats().commandsApplied() - appliedBefore;
            long[] mesh = concat(aToB.lags(), bToA.lags());
            long[] nativeLags = aToReplica == null ? new long[0] : aToReplica.lags();
            verifying.set(false);
            if (verifyRate > 0) {
                verifier.join();
            }
            threads.forEach(Thread::interrupt);
            for (Thread thread : threads) {
                thread.join();
            }
            report.append(String.format("P2-lag capture=%s rate_per_region=%d seconds=%d offered_ops_per_s=%.0f applied_ops_per_s=%.0f "
                            + "probes=%d worker_p50_ms=%.2f worker_p99_ms=%.2f worker_p999_ms=%.2f worker_max_ms=%.2f "
                            + "native_p50_ms=%.2f native_p99_ms=%.2f native_max_ms=%.2f p99_ratio=%.2f "
                            + "echoes_dropped=%d apply_errors=%d source_cpu_cores=%.2f verify_rate=%d keys_verified_per_s=%.0f%n",
                    capture, rate, seconds, acked / elapsed, applied / elapsed, mesh.length,
                    pct(mesh, 50), pct(mesh, 99), pct(mesh, 99.9), pct(mesh, 100),
                    pct(nativeLags, 50), pct(nativeLags, 99), pct(nativeLags, 100), pct(mesh, 99) / pct(nativeLags, 99),
                    ab.stats().echoesDropped() + ba.stats().echoesDropped(),
                    ab.stats().applyErrors() + ba.stats().applyErrors(), sourceCpu, verifyRate, verifySeconds.sum() == 0 ? 0 : verified.get() / verifySeconds.sum()));
        }

    }

    /** The source's CPU (user + system) in seconds so far, from {@code INFO cpu}. */
    private static double cpuSeconds(RedisNode node) {
        java.util.Map<String, String> cpu = node.info("cpu");
        return Double.parseDouble(cpu.get("used_cpu_user")) + Double.parseDouble(cpu.get("used_cpu_sys"));
    }

    /** {@code keys} string keys of 32 bytes, in MSETs of 1,000. */
    private static void populate(RedisNode node, long keys) {
        node.call(c -> {
            String value = "v".repeat(32);
            java.util.Map<String, String> batch = new java.util.HashMap<>();
            for (long i = 0; i < keys; i++) {
                batch.put("copy:" + i, value);
                if (batch.size() == 1000 || i == keys - 1) {
                    c.mset(batch);
                    batch.clear();
                }
            }
            return null;
        });
    }

    /** Keys per second of a link's initial copy of {@code keys} keys (DEBUG POPULATE) into an empty target. */
    private void copy(RedisBinary binary, Capture capture, long keys, StringBuilder report) throws Exception {
        if (keys <= 0) {
            return;
        }
        String[] config = capture == Capture.KEYSPACE
                ? new String[] {"notify-keyspace-events KA", "rename-command SYNC \"\"", "rename-command PSYNC \"\""}
                : new String[0];
        try (RedisNode source = RedisNode.start(binary, config);
             RedisNode target = RedisNode.start(binary)) {
            populate(source, keys);
            try (SyncWorker link = worker("a.b", source, target, Baselines.Apply.UNITS, capture)) {
                long t0 = System.nanoTime();
                link.start();
                BenchSupport.await("the copy is applied", () -> target.call(c -> c.dbsize()) >= keys ? 1 : 0, 1);
                double seconds = (System.nanoTime() - t0) / 1e9;
                report.append(String.format("P2-copy capture=%s keys=%d seconds=%.2f keys_per_s=%.0f%n", capture, keys,
                        seconds, keys / seconds));
            }
        }
    }

    /** Seconds the worker takes to apply a backlog of {@code commands} written while its target was stopped. */
    private static double drain(RedisBinary binary, Baselines.Apply mode, long commands) throws Exception {
        try (RedisNode source = RedisNode.start(binary, "repl-backlog-size 1gb", "client-output-buffer-limit replica 0 0 0");
             RedisNode target = RedisNode.start(binary);
             SyncWorker worker = worker("drain", source, target, mode)) {
            worker.start();
            BenchSupport.await("worker streaming", () -> worker.stats().phase() == SyncStats.Phase.STREAMING ? 1 : 0, 1);
            target.pause();
            long start = BenchSupport.masterOffset(source);
            String benchmark = BenchSupport.benchmarkBinary(binary);
            BenchSupport.run(benchmark, "-p", Integer.toString(source.port()), "-t", "set,incr", "-n", Long.toString(commands / 2),
                    "-P", "100", "-r", "1000000", "-d", "32", "-q");
            long end = BenchSupport.masterOffset(source);
            if (end <= start) {
                throw new IllegalStateException("redis-benchmark wrote nothing");
            }
            target.resume();
            long t0 = System.nanoTime();
            BenchSupport.await("worker drained (" + mode + ")", () -> worker.stats().appliedOffset(), end);
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    /** Writes {@code probe:<name>:<n>} to one node and times its keyspace notification on another. */
    private static final class Probe implements Runnable {

        private final StatefulRedisConnection<String, String> writer;
        private final StatefulRedisPubSubConnection<String, String> reader;
        private final String prefix;
        private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
        final List<Long> lags = java.util.Collections.synchronizedList(new ArrayList<>());

        Probe(RedisClient client, RedisNode from, RedisNode to, String name) {
            this.prefix = "probe:" + name + ":";
            this.writer = client.connect(from.uri());
            this.reader = client.connectPubSub(to.uri());
            reader.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String pattern, String channel, String message) {
                    long now = System.nanoTime();
                    if (!"set".equals(message) && !"restore".equals(message)) { // a keyspace capture RESTOREs
                        return;
                    }
                    long seq = Long.parseLong(channel.substring(channel.lastIndexOf(':') + 1));
                    Long sent = sentAt.remove(seq);
                    if (sent != null) {
                        lags.add(now - sent);
                    }
                }
            });
            reader.sync().psubscribe("__keyspace@0__:" + prefix + "*");
        }

        long[] lags() {
            synchronized (lags) {
                return lags.stream().mapToLong(Long::longValue).sorted().toArray();
            }
        }

        @Override
        public void run() {
            long next = System.nanoTime();
            for (long seq = 0; !Thread.currentThread().isInterrupted(); seq++) {
                sentAt.put(seq, System.nanoTime());
                writer.async().set(prefix + seq, "1");
                next += PROBE_EVERY_NANOS;
                if (!sleepUntil(next)) {
                    break;
                }
            }
            writer.close();
            reader.close();
        }
    }

    /** {@code rate} writes/s, paced per millisecond, pipelined: half SET of a 32-byte value, half INCRBY. */
    private static final class Load implements Runnable {

        private final StatefulRedisConnection<String, String> connection;
        private final String region;
        private final int rate;
        final AtomicLong acked = new AtomicLong();

        Load(RedisClient client, RedisNode node, String region, int rate) {
            this.connection = client.connect(node.uri());
            this.region = region;
            this.rate = rate;
        }

        @Override
        public void run() {
            RedisAsyncCommands<String, String> commands = connection.async();
            connection.setAutoFlushCommands(false);
            String value = "v".repeat(32);
            long start = System.nanoTime();
            long sent = 0;
            while (!Thread.currentThread().isInterrupted()) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                for (; sent < due; sent++) {
                    long n = sent % 100_000;
                    if ((sent & 1) == 0) {
                        commands.set("load:" + region + ":" + n, value).thenRun(acked::incrementAndGet);
                    } else {
                        commands.incrby("count:" + region + ":" + (n % 1000), 1).thenRun(acked::incrementAndGet);
                    }
                }
                connection.flushCommands();
                if (!sleepUntil(System.nanoTime() + 1_000_000)) {
                    break;
                }
            }
            connection.close();
        }
    }

    private static boolean sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                return false;
            }
        }
        return !Thread.currentThread().isInterrupted();
    }

    private static SyncWorker worker(String link, RedisNode source, RedisNode target, Baselines.Apply mode) {
        return worker(link, source, target, mode, Capture.PSYNC);
    }

    private static SyncWorker worker(String link, RedisNode source, RedisNode target, Baselines.Apply mode, Capture capture) {
        return Baselines.worker(new SyncWorker.Spec(link,
                new RedisEndpoint(List.of(source.address()), false, null, null, false),
                new RedisEndpoint(List.of(target.address()), false, null, null, false),
                KeyFilter.everything(), SyncOptions.defaults(), 1, capture, capture == Capture.KEYSPACE), mode, e -> { });
    }

    private static long[] concat(long[] x, long[] y) {
        long[] all = Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, all, x.length, y.length);
        Arrays.sort(all);
        return all;
    }

    /** The p-th percentile (nearest rank) in milliseconds of sorted nanosecond values. */
    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

}
