package dev.redmesh.worker;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * A sync worker ({@code redmesh.worker.*}). Until fleet orchestration assigns links, a worker runs
 * the links listed here.
 *
 * @param memoryBudget   heap each link may hold between reading its source and writing its target
 * @param batchSize      commands per pipelined round trip to a target
 * @param targetTimeout  how long a batch may go unanswered before it is logged (it is never resent)
 * @param propagateFlush send FLUSHALL/FLUSHDB on to targets
 * @param maxRestoreSize a value larger than this (a full sync's, or one a keyspace capture read) is written as several commands, not one RESTORE
 * @param reconnectBackoffMax the longest wait between attempts to reach a source that went away
 */
@Validated
@ConfigurationProperties("redmesh.worker")
public record WorkerProperties(
        @NotNull @DefaultValue("64MB") DataSize memoryBudget,
        @Min(1) @DefaultValue("1000") int batchSize,
        @NotNull @DefaultValue("10s") java.time.Duration targetTimeout,
        @DefaultValue("false") boolean propagateFlush,
        @NotNull @DefaultValue("64MB") DataSize maxRestoreSize,
        @DefaultValue List<@Valid Link> links,
        @NotNull @DefaultValue("5s") java.time.Duration reconnectBackoffMax) {

    /** One configured link: writes of {@code source} (one shard master) carried to {@code target}. */
    public record Link(
            @NotNull @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,127}") String id,
            @Valid @NotNull Endpoint source,
            @Valid @NotNull Endpoint target,
            @DefaultValue List<String> include,
            @DefaultValue List<String> exclude) {
    }

    /** @param cluster the target is a Redis Cluster (sources are always one master) */
    public record Endpoint(@NotEmpty List<String> seeds, @DefaultValue("false") boolean cluster, String username,
                           String password, @DefaultValue("false") boolean tls) {
    }
}
