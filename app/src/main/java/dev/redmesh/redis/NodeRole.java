package dev.redmesh.redis;

/** The role a Redis node plays, as redmesh records it. */
public enum NodeRole {
    MASTER,
    REPLICA,
    /** Never answered, so nobody knows yet. */
    UNKNOWN
}
