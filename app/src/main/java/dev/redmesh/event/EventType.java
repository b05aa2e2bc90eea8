package dev.redmesh.event;

/** Kinds of things that happen to the mesh and are worth a line in the timeline. */
public enum EventType {
    LINK_CREATED,
    LINK_DELETED,
    LINK_STATE,
    ROLE_CHANGE,
    SPLIT_BRAIN,
    DIVERGENCE,
    ASSIGNMENT,
    LEADER
}
