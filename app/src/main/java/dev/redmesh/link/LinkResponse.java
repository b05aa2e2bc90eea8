package dev.redmesh.link;

import java.time.Instant;
import java.util.List;

/**
 * A link as the API shows it. Lag and throughput are null until a sync worker reports them;
 * {@code shards} lists the per-source-shard assignments once workers run the link.
 */
record LinkResponse(String id, String source, String target, LinkMode mode, LinkState state, String stateReason,
                    Instant stateChangedAt, LinkOrigin origin, String mesh, Filters filters,
                    Long lagMs, Long lagBytes, Double opsPerSec, List<ShardAssignment> shards, Instant createdAt) {

    record Filters(List<String> include, List<String> exclude) {
    }

    record ShardAssignment(String shard, String worker, String sourceNode, long epoch, long offset, String state,
                           Long lagMs) {
    }

    static LinkResponse of(ReplicationLink link) {
        return new LinkResponse(link.getId(), link.getSource(), link.getTarget(), link.getMode(), link.getState(),
                link.getStateReason(), link.getStateChangedAt(), link.getOrigin(), link.getMesh(),
                new Filters(link.getIncludePatterns(), link.getExcludePatterns()),
                null, null, null, List.of(), link.getCreatedAt());
    }
}
