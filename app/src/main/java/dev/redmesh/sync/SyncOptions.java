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
 * @param tls               what TLS connections to sources and targets trust
 * @param reconnectBackoffMax the longest wait between two attempts to reach a source that went away (the
 *                          first is 100 ms, each one after doubles)
 */
public record SyncOptions(long memoryBudgetBytes, int batchSize, Duration targetTimeout, boolean propagateFlush,
                          long maxRestoreBytes, TlsTrust tls, Duration reconnectBackoffMax) {

    public static final Duration DEFAULT_RECONNECT_BACKOFF_MAX = Duration.ofSeconds(5);

    public static final long DEFAULT_MAX_RESTORE_BYTES = 64L * 1024 * 1024;

    public SyncOptions(long memoryBudgetBytes, int batchSize, Duration targetTimeout, boolean propagateFlush,
                       long maxRestoreBytes) {
        this(memoryBudgetBytes, batchSize, targetTimeout, propagateFlush, maxRestoreBytes, TlsTrust.DEFAULT,
                DEFAULT_RECONNECT_BACKOFF_MAX);
    }

    public SyncOptions {
        if (tls == null) {
            tls = TlsTrust.DEFAULT;
        }
        if (reconnectBackoffMax == null) {
            reconnectBackoffMax = DEFAULT_RECONNECT_BACKOFF_MAX;
        }
    }

    public static SyncOptions defaults() {
        return new SyncOptions(64L * 1024 * 1024, 1000, Duration.ofSeconds(10), false, DEFAULT_MAX_RESTORE_BYTES);
    }

    public SyncOptions withMaxRestoreBytes(long bytes) {
        return new SyncOptions(memoryBudgetBytes, batchSize, targetTimeout, propagateFlush, bytes, tls, reconnectBackoffMax);
    }

    public SyncOptions withTls(TlsTrust trust) {
        return new SyncOptions(memoryBudgetBytes, batchSize, targetTimeout, propagateFlush, maxRestoreBytes, trust,
                reconnectBackoffMax);
    }

    public SyncOptions withReconnectBackoffMax(Duration max) {
        return new SyncOptions(memoryBudgetBytes, batchSize, targetTimeout, propagateFlush, maxRestoreBytes, tls, max);
    }
}
