package dev.redmesh.topology;

import java.time.Instant;

/**
 * Published inside the app after a shard's new master is recorded (and committed), for the fleet
 * coordinator to move the shard's sync assignment to it.
 *
 * @param method how it was detected, e.g. {@code INFO replication}, {@code CLUSTER SHARDS}
 */
public record RoleChangeEvent(String cluster, String region, String shard, String previousMaster, String newMaster,
                              Instant detectedAt, String method) {
}
