package dev.redmesh.sync;

import dev.redmesh.redis.TlsTrust;

import java.time.Duration;

/**
 * @param memoryBudgetBytes heap the link's queue may hold; past it the source is not read (I5)
 * @param batchSize         commands per pipelined round trip to the target
 * @param targetTimeout     a target that has not answered a batch by then is retried
 * @param propagateFlush    send FLUSHALL/FLUSHDB on; off by default, since a flush in one region
 *                          would wipe every region
 * @param maxRestoreBytes   a full-sync value larger than this is written as several commands, not one RESTORE
 * @param apply             how writes reach the target; anything but {@link Apply#UNITS} is a
 *                          benchmark baseline that gives up I1–I3
 * @param tls               what TLS connections to sources and targets trust
 */
public record SyncOptions(long memoryBudgetBytes, int batchSize, Duration targetTimeout, boolean propagateFlush,
                          long maxRestoreBytes, Apply apply, TlsTrust tls) {

    public static final long DEFAULT_MAX_RESTORE_BYTES = 64L * 1024 * 1024;

    /** How the applier writes to the target. */
    public enum Apply {
        /** Atomic Lua units per slot, checkpoint first (design.md §4): the only safe mode. */
        UNITS,
        /**
         * The same Lua units without reading or writing a checkpoint: no fencing, no exactly-once,
         * and nothing marks the writes as link traffic. Exists to measure what checkpointing costs.
         */
        UNITS_WITHOUT_CHECKPOINT,
        /** Every command pipelined on its own, as a naive one-way copier would. A baseline only. */
        PLAIN
    }

    public SyncOptions(long memoryBudgetBytes, int batchSize, Duration targetTimeout, boolean propagateFlush,
                       long maxRestoreBytes) {
        this(memoryBudgetBytes, batchSize, targetTimeout, propagateFlush, maxRestoreBytes, Apply.UNITS, TlsTrust.DEFAULT);
    }

    public SyncOptions {
        if (apply == null) {
            apply = Apply.UNITS;
        }
        if (tls == null) {
            tls = TlsTrust.DEFAULT;
        }
    }

    public static SyncOptions defaults() {
        return new SyncOptions(64L * 1024 * 1024, 1000, Duration.ofSeconds(10), false, DEFAULT_MAX_RESTORE_BYTES);
    }

    public SyncOptions withMaxRestoreBytes(long bytes) {
        return new SyncOptions(memoryBudgetBytes, batchSize, targetTimeout, propagateFlush, bytes, apply, tls);
    }

    public SyncOptions withApply(Apply mode) {
        return new SyncOptions(memoryBudgetBytes, batchSize, targetTimeout, propagateFlush, maxRestoreBytes, mode, tls);
    }

    public SyncOptions withTls(TlsTrust trust) {
        return new SyncOptions(memoryBudgetBytes, batchSize, targetTimeout, propagateFlush, maxRestoreBytes, apply, trust);
    }
}
