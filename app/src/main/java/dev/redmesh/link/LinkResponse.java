package dev.redmesh.link;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A link as the API shows it. Lag and throughput are null until a sync worker reports them;
 * {@code shards} lists the per-source-shard assignments once workers run the link.
 */
public record LinkResponse(String id, String source, String target, LinkMode mode, LinkState state,
                           @Nullable String stateReason, @Nullable Instant stateChangedAt, LinkOrigin origin,
                           @Nullable String mesh, Filters filters, @Nullable Long lagMs, @Nullable Long lagBytes,
                           @Nullable Double opsPerSec, List<ShardAssignment> shards, Instant createdAt) {

    public record Filters(List<String> include, List<String> exclude) {
    }

    /**
     * One source shard's assignment as its worker last reported it; offsets and lag null until then,
     * {@code fullSync} only while it full-syncs.
     */
    public record ShardAssignment(String shard, @Nullable String worker, String sourceNode, long epoch,
                                  @Nullable Long offset, @Nullable String state, @Nullable Long lagMs,
                                  @Nullable Long lagBytes, @Nullable Double opsPerSec, @Nullable FullSync fullSync) {
    }

    /**
     * How far a shard's full sync has come: keys of the source's RDB read, how many it holds (0 when
     * the RDB does not say), and how long the full sync has run.
     */
    public record FullSync(long keysRead, long keysTotal, long elapsedMs) {
    }

    /** @param problems for the reason of a link pending on a cluster it cannot reach ({@link WaitingReason}) */
    static LinkResponse of(ReplicationLink link, List<ShardAssignment> shards, ClusterProblems problems) {
        String reason = FullSyncReason.shown(link.getState(), shards, WaitingReason.shown(link.getState(),
                !shards.isEmpty(), link.getSource(), link.getTarget(), link.getStateReason(), problems));
        return of(link.getId(), link.getSource(), link.getTarget(), link.getMode(), link.getState(), reason,
                link.getStateChangedAt(), link.getOrigin(), link.getMesh(),
                new Filters(link.getIncludePatterns(), link.getExcludePatterns()), shards, link.getCreatedAt());
    }

    /** Lag is the worst shard's, bytes and throughput the sum; null while no shard has reported. */
    public static LinkResponse of(String id, String source, String target, LinkMode mode, LinkState state,
                                  String stateReason, Instant stateChangedAt, LinkOrigin origin, String mesh,
                                  Filters filters, List<ShardAssignment> shards, Instant createdAt) {
        Long lagMs = shards.stream().map(ShardAssignment::lagMs).filter(java.util.Objects::nonNull)
                .max(Long::compare).orElse(null);
        Long lagBytes = shards.stream().map(ShardAssignment::lagBytes).filter(java.util.Objects::nonNull)
                .reduce(Long::sum).orElse(null);
        Double ops = shards.stream().map(ShardAssignment::opsPerSec).filter(java.util.Objects::nonNull)
                .reduce(Double::sum).map(o -> Math.round(o * 10) / 10.0).orElse(null); // a rate, not 14 decimals
        return new LinkResponse(id, source, target, mode, state, stateReason, stateChangedAt, origin, mesh, filters,
                lagMs, lagBytes, ops, shards, createdAt);
    }
}
