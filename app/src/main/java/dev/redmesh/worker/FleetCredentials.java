package dev.redmesh.worker;

/**
 * The token a worker presents to its control plane when none is configured: the all-in-one
 * process's control plane gives its own worker a credential that exists only in its memory.
 */
@FunctionalInterface
public interface FleetCredentials {

    String token();
}
