package dev.redmesh.verify;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.junit.jupiter.api.Test;

import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;

/**
 * Verification throughput (not a test; run on purpose): {@code bench.keys} keys of mixed types
 * (60% strings, 10% each of 10-element hashes, lists, sets and sorted sets) in region a, copied to
 * region b by a native replica (then promoted), so both hold the same data; one verification of the
 * pair, unpaced. Reports keys compared per second and the JVM heap the run added (sampled every 50 ms
 * after a GC before it). Then again with region b in the large encodings (other DUMP bytes: the
 * logical digest path).
 * <pre>./mvnw -pl app -am -Dskip.npm verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=VerificationBench -Dbench.keys=1000000</pre>
 */
class VerificationBench {

    @Test
    void keysPerSecondAndMemory() throws Exception {
        long keys = Long.getLong("bench.keys", 1_000_000);
        RedisBinary binary = RedisBinary.locate();
        StringBuilder report = new StringBuilder();
        for (boolean otherEncodings : new boolean[] {false, true}) {
            String[] config = otherEncodings
                    ? new String[] {"hash-max-listpack-entries 0", "zset-max-listpack-entries 0", "set-max-intset-entries 0"}
                    : new String[0];
            try (RedisNode a = RedisNode.start(binary, "save \"\"");
                 RedisNode b = RedisNode.start(binary, config)) {
                populate(a, keys);
                b.replicaOf(a);
                b.awaitInSyncWith(a);
                b.promote();
                MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                System.gc();
                long base = memory.getHeapMemoryUsage().getUsed();
                AtomicLong peak = new AtomicLong(base);
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.start();
                Verifier.Result r = Verifier.verify(List.of(a, b), Integer.getInteger("bench.rate", 1_000_000), 1, 0);
                sampler.interrupt();
                sampler.join();
                report.append(String.format("verify keys=%d other_encodings=%s state=%s divergent=%d keys_checked=%d "
                                + "seconds=%.1f keys_per_s=%.0f heap_added_mb=%.0f%n", keys, otherEncodings, r.state(),
                        r.divergent(), r.keysChecked(), r.seconds(), r.keysChecked() / r.seconds(),
                        (peak.get() - base) / 1048576.0));
            }
        }
        report.append("redis=").append(binary.version()).append(" cores=")
                .append(Runtime.getRuntime().availableProcessors()).append('\n');
        System.out.print("VERIFICATION-BENCH\n" + report);
        Path out = Path.of("target", "bench", "verification.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
    }

    private static void populate(RedisNode node, long keys) {
        try (RedisClient client = RedisClient.create(node.uri())) {
            StatefulRedisConnection<String, String> c = client.connect();
            c.setAutoFlushCommands(false);
            RedisAsyncCommands<String, String> async = c.async();
            List<io.lettuce.core.RedisFuture<?>> pending = new java.util.ArrayList<>();
            for (long i = 0; i < keys; i++) {
                String k = "k:" + i;
                switch ((int) (i % 10)) {
                    case 0 -> {
                        Map<String, String> fields = new HashMap<>();
                        for (int f = 0; f < 10; f++) {
                            fields.put("f" + f, "v" + f);
                        }
                        pending.add(async.hset(k, fields));
                    }
                    case 1 -> pending.add(async.rpush(k, "a", "b", "c", "d", "e", "f", "g", "h", "i", "j"));
                    case 2 -> pending.add(async.sadd(k, "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"));
                    case 3 -> pending.add(async.zadd(k, 1.0, "a", 2.0, "b", 3.0, "c", 4.0, "d", 5.0, "e", 6.0, "f", 7.0, "g", 8.0, "h", 9.0, "i",
                            10.0, "j"));
                    default -> pending.add(async.set(k, "value-" + i));
                }
                if (pending.size() == 1000) {
                    c.flushCommands();
                    for (var p : pending) {
                        p.toCompletableFuture().join();
                    }
                    pending.clear();
                }
            }
            c.flushCommands();
            for (var p : pending) {
                p.toCompletableFuture().join();
            }
        }
    }
}
