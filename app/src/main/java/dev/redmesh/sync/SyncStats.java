package dev.redmesh.sync;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Live counters of one link, read by metrics and status; written by the source and applier threads. */
public final class SyncStats {

    public enum Phase { CONNECTING, FULL_SYNC, STREAMING, DISCONNECTED, FENCED, STOPPED }

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.CONNECTING);
    private final AtomicLong fullSyncs = new AtomicLong();
    private final AtomicLong keysKept = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong rdbKeysRead = new AtomicLong();
    private final AtomicLong rdbBytesRead = new AtomicLong();
    private final AtomicLong rdbKeysTotal = new AtomicLong();
    private final AtomicLong keysRestored = new AtomicLong();
    private final AtomicLong commandsApplied = new AtomicLong();
    private final AtomicLong commandsSkipped = new AtomicLong();
    private final AtomicLong applyErrors = new AtomicLong();
    private final AtomicLong bytesApplied = new AtomicLong();
    private final AtomicLong appliedOffset = new AtomicLong(-1);
    private final AtomicLong flushesNotPropagated = new AtomicLong();
    private final AtomicLong valuesApproximated = new AtomicLong();
    private final AtomicLong echoesDropped = new AtomicLong();
    private final AtomicLong unitsApplied = new AtomicLong();
    private final AtomicLong unitsFenced = new AtomicLong();
    private final AtomicLong divergences = new AtomicLong();
    private final AtomicReference<Divergence> lastDivergence = new AtomicReference<>();

    /**
     * Source bytes the target applied from a history the source no longer has (I4): after a
     * failover to a replica that had not received them. Offsets are inclusive.
     */
    public record Divergence(String replid, long fromOffset, long toOffset, java.time.Instant at) {
    }

    private volatile Runnable phaseListener = () -> { };

    /** Called (on the engine's thread, so it must not block) whenever the phase changes. */
    public void onPhaseChange(Runnable listener) {
        phaseListener = listener;
    }

    private void phase(Phase next) {
        if (phase.getAndSet(next) != next) {
            phaseListener.run();
        }
    }

    void connecting() {
        phase(Phase.CONNECTING);
    }

    void disconnected() {
        reconnects.incrementAndGet();
        phase(Phase.DISCONNECTED);
    }

    void fullSyncStarted() {
        fullSyncStartedNanos = System.nanoTime();
        fullSyncs.incrementAndGet();
        rdbKeysRead.set(0);
        rdbBytesRead.set(0);
        rdbKeysTotal.set(0);
        phase(Phase.FULL_SYNC);
    }

    void streaming() {
        phase(Phase.STREAMING);
    }

    void stopped() {
        if (phase.getAndUpdate(p -> p == Phase.FENCED ? p : Phase.STOPPED) != Phase.STOPPED) {
            phaseListener.run();
        }
    }

    void fenced() {
        unitsFenced.incrementAndGet();
        phase(Phase.FENCED);
    }

    void divergence(Divergence divergence) {
        divergences.incrementAndGet();
        lastDivergence.set(divergence);
    }

    void unitApplied(long commands, long restored, long bytes) {
        unitsApplied.incrementAndGet();
        commandsApplied.addAndGet(commands - restored);
        keysRestored.addAndGet(restored);
        bytesApplied.addAndGet(bytes);
    }

    /** Every source offset up to {@code offset} is applied (or deliberately skipped). */
    void appliedUpTo(long offset) {
        if (offset >= 0) {
            appliedOffset.set(offset);
        }
    }

    void skipped(long commands) {
        commandsSkipped.addAndGet(commands);
    }

    void echoesDropped(long commands) {
        echoesDropped.addAndGet(commands);
        commandsSkipped.addAndGet(commands);
    }

    void applyErrors(long commands) {
        applyErrors.addAndGet(commands);
    }

    void kept(long n) {
        keysKept.addAndGet(n);
    }

    /** Full-sync keys not restored because the target already held them. */
    public long keysKept() {
        return keysKept.get();
    }

    public long echoesDropped() {
        return echoesDropped.get();
    }

    public long unitsApplied() {
        return unitsApplied.get();
    }

    public long unitsFenced() {
        return unitsFenced.get();
    }

    public long divergences() {
        return divergences.get();
    }

    public Divergence lastDivergence() {
        return lastDivergence.get();
    }

    void rdbKeyRead(long bytes) {
        rdbKeysRead.incrementAndGet();
        rdbBytesRead.addAndGet(bytes);
    }

    void rdbKeysExpected(long keys) {
        rdbKeysTotal.addAndGet(keys);
    }

    void valueApproximated() {
        valuesApproximated.incrementAndGet();
    }

    /** Values the target got without what it cannot hold (hash field TTLs: {@link FieldTtlDowngrade}). */
    public long valuesApproximated() {
        return valuesApproximated.get();
    }

    void flushNotPropagated() {
        flushesNotPropagated.incrementAndGet();
    }

    public Phase phase() {
        return phase.get();
    }

    public long fullSyncs() {
        return fullSyncs.get();
    }

    public long reconnects() {
        return reconnects.get();
    }

    public long rdbKeysRead() {
        return rdbKeysRead.get();
    }

    public long rdbBytesRead() {
        return rdbBytesRead.get();
    }

    /** Time since the latest full sync started (read while it runs); 0 before any. */
    public long fullSyncElapsedMs() {
        long started = fullSyncStartedNanos;
        return started == 0 ? 0 : (System.nanoTime() - started) / 1_000_000;
    }

    private volatile long fullSyncStartedNanos;

    /** Keys the RDB announces (RESIZEDB), so progress reads "loaded of total"; 0 when not announced. */
    public long rdbKeysTotal() {
        return rdbKeysTotal.get();
    }

    public long keysRestored() {
        return keysRestored.get();
    }

    public long commandsApplied() {
        return commandsApplied.get();
    }

    public long commandsSkipped() {
        return commandsSkipped.get();
    }

    public long applyErrors() {
        return applyErrors.get();
    }

    public long bytesApplied() {
        return bytesApplied.get();
    }

    /** Source offset just after the last command applied (or deliberately skipped); -1 before any. */
    public long appliedOffset() {
        return appliedOffset.get();
    }

    public long flushesNotPropagated() {
        return flushesNotPropagated.get();
    }
}
