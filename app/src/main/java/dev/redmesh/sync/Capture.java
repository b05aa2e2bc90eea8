package dev.redmesh.sync;

/** How a link's writes are read from its source master. */
public enum Capture {
    /** As a PSYNC2 replica: every operation, in order, resumable by offset. */
    PSYNC,
    /**
     * From keyspace notifications, for managed Redis that refuses PSYNC: every changed key's current
     * state, read from the source after the change was notified.
     */
    KEYSPACE
}
