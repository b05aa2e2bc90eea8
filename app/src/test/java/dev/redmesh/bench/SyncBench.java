package dev.redmesh.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.sync.KeyFilter;
import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.sync.SyncOptions;
import dev.redmesh.sync.SyncStats;
import dev.redmesh.sync.SyncWorker;
import org.junit.jupiter.api.Test;

/**
 * Benchmark P1 (not a test; run on purpose): the worker against a native Redis replica, in the same
 * run, on the same data.
 * <ol>
 *   <li>Backlog drain: both consumers stopped (SIGSTOP), {@code bench.commands} pipelined SETs written
 *   by redis-benchmark, then each resumed alone and timed until it has applied everything.</li>
 *   <li>Full sync: {@code bench.keys} keys; a fresh native replica and a fresh worker target, timed
 *   until each holds the dataset.</li>
 * </ol>
 * <pre>./mvnw -pl app -am -Dskip.npm verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=SyncBench -Dbench.commands=2000000 -Dbench.keys=1000000</pre>
 */
class SyncBench {

    @Test
    void workerAgainstNativeReplica() throws Exception {
        long commands = Long.getLong("bench.commands", 2_000_000);
        long keys = Long.getLong("bench.keys", 1_000_000);
        RedisBinary binary = RedisBinary.locate();
        String benchmark = BenchSupport.benchmarkBinary(binary);
        StringBuilder report = new StringBuilder();

        try (RedisNode source = RedisNode.start(binary, "repl-backlog-size 2gb", "client-output-buffer-limit replica 0 0 0");
             RedisNode replica = RedisNode.start(binary);
             RedisNode target = RedisNode.start(binary)) {
            replica.replicaOf(source);
            replica.awaitInSyncWith(source);
            SyncWorker worker = worker(source, target);
            try (worker) {
                worker.start();
                BenchSupport.await("worker streaming", () -> worker.stats().phase() == SyncStats.Phase.STREAMING ? 1 : 0, 1);

                replica.pause();
                target.pause();
                long start = BenchSupport.masterOffset(source);
                BenchSupport.run(benchmark, "-p", Integer.toString(source.port()), "-t", "set", "-n", Long.toString(commands),
                        "-P", "100", "-r", "1000000", "-d", "32", "-q");
                long end = BenchSupport.masterOffset(source);

                replica.resume();
                long t0 = System.nanoTime();
                BenchSupport.await("native replica drained", () -> replicaOffset(replica), end);
                double nativeSeconds = (System.nanoTime() - t0) / 1e9;

                target.resume();
                long t1 = System.nanoTime();
                BenchSupport.await("worker drained", () -> worker.stats().appliedOffset(), end);
                double workerSeconds = (System.nanoTime() - t1) / 1e9;

                report.append(String.format("P1-backlog commands=%d backlog_bytes=%d native_s=%.2f worker_s=%.2f ratio=%.2f "
                                + "worker_commands_per_s=%.0f native_commands_per_s=%.0f%n",
                        commands, end - start, nativeSeconds, workerSeconds, workerSeconds / nativeSeconds,
                        commands / workerSeconds, commands / nativeSeconds));
            }
        }

        try (RedisNode source = RedisNode.start(binary);
             RedisNode replica = RedisNode.start(binary);
             RedisNode target = RedisNode.start(binary)) {
            BenchSupport.run(benchmark, "-p", Integer.toString(source.port()), "-t", "set", "-n", Long.toString(keys),
                    "-P", "100", "-r", "100000000", "-d", "100", "-q");
            long dbsize = source.call(c -> c.dbsize());
            source.call(c -> c.save());
            long rdbBytes = Files.size(source.directory().resolve("dump.rdb"));

            long t0 = System.nanoTime();
            replica.replicaOf(source);
            replica.awaitInSyncWith(source);
            BenchSupport.await("native replica loaded", () -> replica.call(c -> c.dbsize()), dbsize);
            double nativeSeconds = (System.nanoTime() - t0) / 1e9;

            SyncWorker worker = worker(source, target);
            try (worker) {
                long t1 = System.nanoTime();
                worker.start();
                BenchSupport.await("worker full sync", () -> worker.stats().phase() == SyncStats.Phase.STREAMING ? 1 : 0, 1);
                BenchSupport.await("target holds every key", () -> target.call(c -> c.dbsize()), dbsize);
                double workerSeconds = (System.nanoTime() - t1) / 1e9;
                report.append(String.format("P1-fullsync keys=%d rdb_mb=%.1f native_s=%.2f worker_s=%.2f ratio=%.2f "
                                + "native_keys_per_s=%.0f worker_keys_per_s=%.0f native_mb_per_s=%.1f worker_mb_per_s=%.1f%n",
                        dbsize, rdbBytes / 1e6, nativeSeconds, workerSeconds, workerSeconds / nativeSeconds,
                        dbsize / nativeSeconds, dbsize / workerSeconds, rdbBytes / 1e6 / nativeSeconds,
                        rdbBytes / 1e6 / workerSeconds));
            }
        }
        report.append("redis=").append(binary.version()).append(" cores=")
                .append(Runtime.getRuntime().availableProcessors()).append('\n');
        System.out.print("SYNC-BENCH\n" + report);
        Path out = Path.of("target", "bench", "sync.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static SyncWorker worker(RedisNode source, RedisNode target) {
        return new SyncWorker(new SyncWorker.Spec("bench",
                new RedisEndpoint(List.of(source.address()), false, null, null, false),
                new RedisEndpoint(List.of(target.address()), false, null, null, false),
                KeyFilter.everything(), SyncOptions.defaults()), e -> { });
    }

    private static long replicaOffset(RedisNode replica) {
        Map<String, String> info = replica.info("replication");
        return Long.parseLong(info.getOrDefault("slave_repl_offset", "0"));
    }

}
