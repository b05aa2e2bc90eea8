package dev.redmesh.sync;

import java.time.Duration;

/**
 * @param memoryBudgetBytes heap the link's queue may hold; past it the source is not read (I5)
 * @param batchSize         commands per pipelined round trip to the target
 * @param targetTimeout     a target that has not answered a batch by then is retried
 * @param propagateFlush    send FLUSHALL/FLUSHDB on; off by default, since a flush in one region
 *                          would wipe every region
 * @param maxRestoreBytes   a full-sync value larger than this is written as several commands, not one RESTORE
 */
public record SyncOptions(long memoryBudgetBytes, int batchSize, Duration targetTimeout, boolean propagateFlush,
                          long maxRestoreBytes) {

    public static final long DEFAULT_MAX_RESTORE_BYTES = 64L * 1024 * 1024;

    public static SyncOptions defaults() {
        return new SyncOptions(64L * 1024 * 1024, 1000, Duration.ofSeconds(10), false, DEFAULT_MAX_RESTORE_BYTES);
    }

    public SyncOptions withMaxRestoreBytes(long bytes) {
        return new SyncOptions(memoryBudgetBytes, batchSize, targetTimeout, propagateFlush, bytes);
    }
}
