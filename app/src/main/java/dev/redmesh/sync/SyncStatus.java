package dev.redmesh.sync;

/**
 * A link's progress as workers report it.
 *
 * @param lagBytes    source offset not yet applied; -1 when unknown
 * @param opsPerSec   commands and restored keys applied per second since the previous status
 * @param bytesPerSec bytes applied per second since the previous status
 */
public record SyncStatus(String link, SyncStats.Phase phase, String replid, long appliedOffset, long sourceOffset,
                         long lagBytes, double opsPerSec, double bytesPerSec, long fullSyncs, long rdbKeysTotal, long rdbKeysRead, long keysRestored, long commandsApplied,
                         long commandsSkipped, long applyErrors, long bytesApplied, long queueBytes,
                         long queueHighWaterBytes) {
}
