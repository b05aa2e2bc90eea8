package dev.redmesh.worker;

/**
 * The control plane as a worker sees it: heartbeats, the long poll for orders, the goodbye. Over
 * HTTP for a worker of its own ({@link HttpControlPlane}); a direct call for the all-in-one
 * process's worker, which then shares no request thread, connection or rate limit with the API's
 * other callers.
 */
public interface ControlPlane {

    /** The orders the heartbeat was answered with, or null when it was not (the reason logged). */
    FleetProtocol.Orders heartbeat(String workerId, FleetProtocol.Heartbeat heartbeat);

    /** The orders once they differ from {@code after}, or after {@code waitMs}; null when unanswered. */
    FleetProtocol.Orders awaitOrders(String workerId, String after, long waitMs);

    /** Says goodbye; false when the control plane did not hear it. */
    boolean leave(String workerId);

    /** The token orders are sealed for, which opens their passwords ({@link OrderSeal}). */
    String token();

    /** Where it is, for the log. */
    String describe();
}
