package dev.redmesh.sync;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Live counters of one link, read by metrics and status; written by the source and applier threads. */
public final class SyncStats {

    public enum Phase { CONNECTING, FULL_SYNC, STREAMING, DISCONNECTED, STOPPED }

    private final AtomicReference<Phase> phase = new AtomicReference<>(Phase.CONNECTING);
    private final AtomicLong fullSyncs = new AtomicLong();
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

    void connecting() {
        phase.set(Phase.CONNECTING);
    }

    void disconnected() {
        reconnects.incrementAndGet();
        phase.set(Phase.DISCONNECTED);
    }

    void fullSyncStarted() {
        fullSyncs.incrementAndGet();
        rdbKeysRead.set(0);
        rdbBytesRead.set(0);
        rdbKeysTotal.set(0);
        phase.set(Phase.FULL_SYNC);
    }

    void streaming() {
        phase.set(Phase.STREAMING);
    }

    void stopped() {
        phase.set(Phase.STOPPED);
    }

    void rdbKeyRead(long bytes) {
        rdbKeysRead.incrementAndGet();
        rdbBytesRead.addAndGet(bytes);
    }

    void rdbKeysExpected(long keys) {
        rdbKeysTotal.addAndGet(keys);
    }

    void restored(long bytes) {
        keysRestored.incrementAndGet();
        bytesApplied.addAndGet(bytes);
    }

    void applied(long bytes, long endOffset) {
        commandsApplied.incrementAndGet();
        bytesApplied.addAndGet(bytes);
        if (endOffset >= 0) { // pieces of a split full-sync value have no offset of their own
            appliedOffset.set(endOffset);
        }
    }

    void skipped(long endOffset) {
        commandsSkipped.incrementAndGet();
        appliedOffset.set(endOffset);
    }

    void applyError() {
        applyErrors.incrementAndGet();
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
