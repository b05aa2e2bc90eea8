package dev.redmesh.link;

/** How a link carries writes from its source to its target. */
public enum LinkMode {
    /** A sync worker follows the source as a PSYNC2 replica. */
    PSYNC,
    /** Keyspace notifications (for sources that refuse PSYNC); not driven yet. */
    KEYSPACE,
    /** Envoy mirrors writes; no worker, lag unknown. */
    PROXY_MIRROR
}
