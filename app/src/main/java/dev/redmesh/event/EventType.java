package dev.redmesh.event;

/** Kinds of things that happen to the mesh and are worth a line in the timeline. */
public enum EventType {
    LINK_CREATED,
    LINK_DELETED,
    LINK_STATE,
    ROLE_CHANGE,
    SPLIT_BRAIN,
    DIVERGENCE,
    /**
     * What a link's sync did worth a line on its timeline, as its worker reports it: a keyspace resync
     * and its counts, a full sync because the history was lost, a divergence (also recorded as
     * DIVERGENCE, with its range), a stale worker fenced off, a command it did not propagate.
     */
    SYNC,
    /** A verification of a mesh ended (with its divergent keys), or a repair of one did. */
    VERIFICATION,
    ASSIGNMENT,
    LEADER
}
