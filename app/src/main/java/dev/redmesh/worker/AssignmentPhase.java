package dev.redmesh.worker;

import dev.redmesh.sync.SyncStats;

/**
 * Where one assignment is, as its worker reports it — in the heartbeat, in the control plane's
 * database ({@code assignment.phase}, a check constraint lists these) and in the reconciler, which
 * switches over them exhaustively.
 */
public enum AssignmentPhase {
    /** Ordered, being started (fence, plan, connect). */
    STARTING,
    /** The sync engine is connecting to its source. */
    CONNECTING,
    /** Copying the source's whole dataset. */
    FULL_SYNC,
    /** Following the source's stream of writes. */
    STREAMING,
    /** The source went away; reconnecting with a partial resync. */
    DISCONNECTED,
    /** A newer holder of the assignment fenced this one off the target. */
    FENCED,
    /** It could not start, or its engine stopped; retried, the reason reported with it. */
    FAILED;

    /** The sync engine's phase as a report; an engine that stopped has failed. */
    public static AssignmentPhase of(SyncStats.Phase phase) {
        return switch (phase) {
            case CONNECTING -> CONNECTING;
            case FULL_SYNC -> FULL_SYNC;
            case STREAMING -> STREAMING;
            case DISCONNECTED -> DISCONNECTED;
            case FENCED -> FENCED;
            case STOPPED -> FAILED;
        };
    }
}
