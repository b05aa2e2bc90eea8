package dev.redmesh.sync;

import org.jspecify.annotations.Nullable;

 /**
 * A link's progress as workers report it.
 *
 * @param lagBytes    source offset not yet applied; -1 when unknown
 * @param opsPerSec   commands and restored keys applied per second since the previous status
 * @param bytesPerSec bytes applied per second since the previous status
 * @param epoch       the fencing token this worker applies with
 * @param echoesDropped commands read from the source that had come through a link, not sent on (I1)
 */
public record SyncStatus(String link, long epoch, SyncStats.Phase phase, @Nullable String replid, long appliedOffset,
                         long sourceOffset, long lagBytes, double opsPerSec, double bytesPerSec, long fullSyncs,
                         long rdbKeysTotal, long rdbKeysRead, long keysRestored, long commandsApplied,
                         long commandsSkipped, long applyErrors, long bytesApplied, long queueBytes,
                         long queueHighWaterBytes, long echoesDropped, long divergences,
                         SyncStats.@Nullable Divergence lastDivergence) {
}
