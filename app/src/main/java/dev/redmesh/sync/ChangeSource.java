package dev.redmesh.sync;

/**
 * Where a link's writes come from: the engine's capture seam. A source reads one source master and
 * puts what it reads — a full copy first when asked, then every change, in order — on the worker's
 * {@link BoundedEventQueue}; the rest of the engine (echo filter, per-slot units, the target writer,
 * checkpoints and fencing) does not know how they were captured.
 *
 * <p>Today's implementation follows the replication stream as a PSYNC2 replica
 * ({@link ReplicationSource}); a source for managed Redis that refuses PSYNC implements the same
 * contract from keyspace notifications.
 */
interface ChangeSource extends AutoCloseable {

    /** Starts reading on a thread of its own; returns at once. */
    void start();

    /**
     * The history the source stands on (the replication id it resumed or was given), what a
     * checkpoint names next to an offset; null before it is known.
     */
    String replid();

    /** End offset of the last change read (or where reading began); -1 before; no I/O. */
    long readOffset();

    /** Every change up to {@code offset} is applied on the target (called by the applying thread). */
    default void applied(long offset) {
    }

    /**
     * The lag in ms from the source's write to the target's apply, where the source measures it
     * itself; -1 where it does not (the fleet's offset clock times it then).
     */
    default long lagMs() {
        return -1;
    }

    /**
     * Where the source learns how far the links <em>into</em> its cluster have carried their sources'
     * writes (ms since the epoch; {@link dev.redmesh.worker.FleetProtocol.Orders#covered}). Called
     * before {@link #start()}; a source that never reverts the target's state ignores it.
     */
    default void inboundCoverage(java.util.function.LongSupplier covered) {
    }

    /** Where a resync is: under way, the source's writes from before the capture began may not be applied yet. */
    default Resync resync() {
        return Resync.NONE;
    }

    /** Stops reading; the queue may still hold what was read. Never throws. */
    @Override
    void close();

    /** Makes the source a worker starts with, from where its resume plan says to begin. */
    @FunctionalInterface
    interface Factory {

        /**
         * @param from   the checkpoint to resume after, or null for a full copy first
         * @param events    notable things worth an event in the timeline
         * @param downgrade the link's one record of values a target without field TTLs gets approximated
         */
        ChangeSource open(SyncWorker.Spec spec, CommandCatalog catalog, int targetRdbVersion, BoundedEventQueue queue,
                          SyncStats stats, Checkpoint from, java.util.function.Consumer<String> events,
                          FieldTtlDowngrade downgrade);
    }
}
