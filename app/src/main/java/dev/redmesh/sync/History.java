package dev.redmesh.sync;

import java.util.HashMap;
import java.util.Map;

/**
 * Which stretch of the source's replication history the applier is applying, and what it knows of
 * the stretch before it: every unit's header names them, so the target can skip what a checkpoint
 * of the current history — or of the previous one, up to the fork — already covers (I2, I4).
 * Changed only by the applier thread.
 */
final class History {

    /** The history being applied; null until the stream says (after a full sync it does only then). */
    String replid;
    /** The history the current one continues (a promoted replica's former master's), or "". */
    String previousReplid = "";
    /** The last offset the current history shares with the previous one; -1 when none. */
    long forkOffset = -1;
    /** Fork points learned from the source's {@code INFO replication}: former history → last shared offset. */
    final Map<String, Long> knownForks = new HashMap<>();
    /** The offset a full sync's RDB was taken at: the mark of its RESTORE units; -1 otherwise. */
    long fullSyncOffset = -1;
    /** Whether what is applied can be resumed from (a resume point may be stored). */
    boolean resumable;
    /** End offset of the last source command translated into units (or the resume point). */
    long translatedUpTo = -1;
    /** The last resume point stored in the target. */
    long resumeStored = -1;

    /** A full sync starts: nothing of what came before applies any more. */
    void fullSyncStarted() {
        replid = null;
        previousReplid = "";
        forkOffset = -1;
        fullSyncOffset = -1;
        resumable = false;
    }

    /**
     * The stream continues in {@code replid} after {@code offset}: right after a full sync (the RDB
     * was taken there), or in a new history that continues {@code previous} (a promotion).
     */
    void streaming(String replid, String previous, long offset) {
        if (this.replid == null) {
            fullSyncOffset = offset;
            translatedUpTo = offset;
        } else if (previous != null) {
            previousReplid = previous;
            forkOffset = knownForks.getOrDefault(previous, offset);
        }
        this.replid = replid;
        resumable = true;
    }

    /** The mark a unit's checkpoint gets: its last command's offset, or for a unit of restores the RDB's. */
    long markOf(long lastOffset) {
        return lastOffset >= 0 ? lastOffset : fullSyncOffset;
    }
}
