package dev.redmesh.topology;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the control plane watches every Redis node ({@code redmesh.topology.*}).
 *
 * @param enabled          poll at all (off for processes that only run workers)
 * @param pollInterval     how often every node is asked {@code INFO replication}
 * @param nodeTimeout      a node that has not answered by then counts as missed for this poll
 * @param connectTimeout   TCP/TLS connect timeout to a node
 * @param maxInFlight      probes outstanding at once across all clusters; more nodes wait a poll
 * @param splitBrainPolls  consecutive polls with two masters in one shard before it is reported
 * @param forgetAfter      a standalone node nobody mentions and that has not answered for this long is dropped
 * @param persistInterval  offsets and last-seen times are written to Postgres at most this often per node
 *                         (roles, health and membership at once); the API always shows the latest poll
 */
@Validated
@ConfigurationProperties("redmesh.topology")
public record TopologyProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @NotNull @DefaultValue("500ms") Duration nodeTimeout,
        @NotNull @DefaultValue("1s") Duration connectTimeout,
        @Min(1) @DefaultValue("1024") int maxInFlight,
        @Min(1) @DefaultValue("3") int splitBrainPolls,
        @NotNull @DefaultValue("10m") Duration forgetAfter,
        @NotNull @DefaultValue("10s") Duration persistInterval) {
}
