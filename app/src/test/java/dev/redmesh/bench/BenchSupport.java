package dev.redmesh.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;

/** What the benchmarks share: waiting on a figure, running redis-benchmark, reading offsets. */
final class BenchSupport {

    private BenchSupport() {
    }

    static long masterOffset(RedisNode node) {
        return Long.parseLong(node.info("replication").get("master_repl_offset"));
    }

    /** redis-benchmark next to the redis-server in use, else from PATH. */
    static String benchmarkBinary(RedisBinary binary) {
        Path sibling = binary.path().resolveSibling("redis-benchmark");
        return Files.isExecutable(sibling) ? sibling.toString() : "redis-benchmark";
    }

    /** Polls every 2 ms until {@code value} reaches {@code atLeast}; gives up after ten minutes. */
    static void await(String what, LongSupplier value, long atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (value.getAsLong() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out: " + what);
            }
            Thread.sleep(2);
        }
    }

    static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
