package dev.redmesh.sync;

import java.time.Duration;

/**
 * @param memoryBudgetBytes heap the link's queue may hold; past it the source is not read (I5)
 * @param batchSize         commands per pipelined round trip to the target
 * @param targetTimeout     a target that has not answered a batch by then is retried
 * @param propagateFlush    send FLUSHALL/FLUSHDB on; off by default, since a flush in one region
 *                          would wipe every region
 */
public record SyncOptions(long memoryBudgetBytes, int batchSize, Duration targetTimeout, boolean propagateFlush) {

    public static SyncOptions defaults() {
        return new SyncOptions(64L * 1024 * 1024, 1000, Duration.ofSeconds(10), false);
    }
}
