package dev.redmesh.topology;

/** The role a Redis node plays, as redmesh records it. */
public enum NodeRole {
    MASTER,
    REPLICA,
    /** Never answered, so nobody knows yet. */
    UNKNOWN
}
