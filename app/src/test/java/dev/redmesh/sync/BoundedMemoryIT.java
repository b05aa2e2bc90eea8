package dev.redmesh.sync;

import dev.redmesh.redis.RedisEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;

import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.DatasetComparison;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.Workload;
import org.junit.jupiter.api.Test;

/** Invariant I5: a stopped target makes the worker stop reading the source; its heap does not grow with the backlog. */
class BoundedMemoryIT {

    private static final long BUDGET = 4L * 1024 * 1024;

    @Test
    void aTargetStoppedForThirtySecondsUnderLoadCostsNoMoreThanTheBudget() throws Exception {
        RedisBinary binary = RedisBinary.forVersion("7");
        // a backlog large enough that the master can hold what the worker does not read: partial resync afterwards
        try (RedisNode source = RedisNode.start(binary, "repl-backlog-size 512mb",
                "client-output-buffer-limit replica 0 0 0");
             RedisNode target = RedisNode.start(binary)) {
            RedisClient client = RedisClient.create(source.uri());
            RedisClient targetClient = RedisClient.create(target.uri());
            try {
                RedisCommands<String, String> src = client.connect().sync();
                SyncOptions options = new SyncOptions(BUDGET, 1000, Duration.ofSeconds(2), false, SyncOptions.DEFAULT_MAX_RESTORE_BYTES);
                SyncWorker worker = new SyncWorker(new SyncWorker.Spec("bounded",
                        new RedisEndpoint(List.of(source.address()), false, null, null, false),
                        new RedisEndpoint(List.of(target.address()), false, null, null, false),
                        KeyFilter.everything(), options), e -> { });
                try (worker; Workload.Writer writer = new Workload.Writer(client.connect().sync(), "live:")) {
                    worker.start();
                    Eventually.await("streaming", Duration.ofSeconds(30),
                            () -> worker.stats().phase() == SyncStats.Phase.STREAMING);
                    long heapBefore = usedHeapAfterGc();

                    target.pause();
                    long backlogStart = worker.status().sourceOffset();
                    RedisCommands<String, String> blobs = client.connect().sync();
                    String blob = "x".repeat(4096);
                    Thread blobWriter = new Thread(() -> {
                        for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                            blobs.set("blob:" + (i % 1000), blob);
                        }
                    });
                    blobWriter.start();
                    long maxHeapGrowth = 0;
                    for (int second = 0; second < 30; second++) {
                        Thread.sleep(1000);
                        maxHeapGrowth = Math.max(maxHeapGrowth, usedHeapAfterGc() - heapBefore);
                    }
                    blobWriter.interrupt();
                    blobWriter.join(5000);
                    long backlog = worker.status().sourceOffset() - backlogStart;
                    SyncStatus paused = worker.status();
                    target.resume();

                    assertThat(backlog).as("the source kept writing: the backlog is far larger than the budget")
                            .isGreaterThan(8 * BUDGET);
                    assertThat(paused.queueHighWaterBytes()).isLessThanOrEqualTo(BUDGET + 64 * 1024);
                    assertThat(maxHeapGrowth).as("heap growth while the target was stopped")
                            .isLessThan(BUDGET + 32L * 1024 * 1024);
                    System.out.printf("BOUNDED-MEMORY backlog=%d bytes queueHighWater=%d heapGrowthMax=%d%n",
                            backlog, paused.queueHighWaterBytes(), maxHeapGrowth);

                    writer.close();
                    Eventually.await("caught up", Duration.ofSeconds(120), () -> worker.status().lagBytes() == 0);
                    RedisCommands<String, String> t = targetClient.connect().sync();
                    Eventually.await("equal", Duration.ofSeconds(20), () ->
                            DatasetComparison.differences(List.of(src), List.of(t)).isEmpty());
                    assertThat(t.get("live:counter")).isEqualTo(Long.toString(writer.rounds()));
                    assertThat(worker.stats().fullSyncs()).isEqualTo(1);
                }
            } finally {
                client.shutdown();
                targetClient.shutdown();
            }
        }
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
