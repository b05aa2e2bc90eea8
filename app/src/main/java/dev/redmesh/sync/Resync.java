package dev.redmesh.sync;

/**
 * Where a keyspace capture's resync is, as its link reports it to the control plane (docs/sync.md,
 * "the resync"). What the control plane tells the opposite direction's resync depends on it.
 */
public enum Resync {
    /** No resync under way: the link carries its source's writes as its lag says. */
    NONE,
    /**
     * Comparing, or restoring what the target lacks: the source's writes from before the capture
     * began may not be on the target yet, so the link covers nothing of its source.
     */
    RECONCILING,
    /**
     * Everything the target lacked is applied; only keys the target holds differently are left, and
     * they wait for the links into the source. Two links of a pair both waiting wait on the same keys
     * — each side's state may be the newer — and neither can decide them.
     */
    WAITING;

    /**
     * What the control plane answers a waiting resync when the links into its source that do not
     * cover it are waiting too ({@link dev.redmesh.worker.FleetProtocol.Orders#covered}): they wait on
     * the same keys seen from the other side, and neither side's state can be told to be the newer.
     */
    public static final long UNDECIDABLE = -1;
}
