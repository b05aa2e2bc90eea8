package dev.redmesh.link;

import org.jspecify.annotations.Nullable;

/**
 * Why a cluster's masters are not all known, as its last topology poll found it (implemented by
 * topology discovery; the link feature only reads it to say why a pending link waits).
 */
@FunctionalInterface
public interface ClusterProblems {

    /** The poll's error, or null when the cluster's masters answered (or before its first poll). */
    @Nullable String problem(String cluster);
}
