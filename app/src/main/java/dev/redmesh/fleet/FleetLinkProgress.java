package dev.redmesh.fleet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redmesh.link.LinkMode;
import dev.redmesh.link.LinkOrigin;
import dev.redmesh.link.LinkProgress;
import dev.redmesh.link.LinkResponse;
import dev.redmesh.link.LinkState;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

@Component
class FleetLinkProgress implements LinkProgress {

    private final FleetStore store;
    private final JdbcTemplate jdbc;

    FleetLinkProgress(FleetStore store, JdbcTemplate jdbc) {
        this.store = store;
        this.jdbc = jdbc;
    }

    @Override
    public List<LinkResponse.ShardAssignment> shards(String linkId) {
        return store.assignmentsOf(linkId).stream().map(FleetLinkProgress::shard).toList();
    }

    /** A link's own columns, read once per link from the joined rows. */
    private record LinkColumns(String id, String source, String target, LinkMode mode, LinkState state, String stateReason,
                               Instant stateChangedAt, LinkOrigin origin, String mesh, LinkResponse.Filters filters,
                               Instant createdAt) {
    }

    @Override
    public List<LinkResponse> list(String source, String target) {
        Map<String, LinkColumns> links = new LinkedHashMap<>();
        Map<String, List<LinkResponse.ShardAssignment>> shards = new HashMap<>();
        jdbc.query("""
                select l.id, l.source_cluster, l.target_cluster, l.mode, l.state, l.state_reason, l.state_changed_at,
                       l.origin, l.mesh, l.include_patterns, l.exclude_patterns, l.created_at,
                       a.shard_id, a.worker_id, a.source_node, a.epoch, a.applied_offset, a.phase, a.lag_ms, a.lag_bytes,
                       a.ops_per_sec
                from replication_link l left join assignment a on a.link_id = l.id
                where (cast(? as varchar) is null or l.source_cluster = ?) and (cast(? as varchar) is null or l.target_cluster = ?)
                order by l.id, a.shard_id""", rs -> {
            String id = rs.getString("id");
            if (!links.containsKey(id)) {
                links.put(id, new LinkColumns(id, rs.getString("source_cluster"), rs.getString("target_cluster"),
                        LinkMode.valueOf(rs.getString("mode")), LinkState.valueOf(rs.getString("state")),
                        rs.getString("state_reason"), rs.getTimestamp("state_changed_at").toInstant(),
                        LinkOrigin.valueOf(rs.getString("origin")), rs.getString("mesh"),
                        new LinkResponse.Filters(FleetStore.strings(rs.getArray("include_patterns")),
                                FleetStore.strings(rs.getArray("exclude_patterns"))),
                        rs.getTimestamp("created_at").toInstant()));
            }
            if (rs.getString("shard_id") != null) {
                shards.computeIfAbsent(id, k -> new ArrayList<>()).add(new LinkResponse.ShardAssignment(
                        rs.getString("shard_id"), rs.getString("worker_id"), rs.getString("source_node"), rs.getLong("epoch"),
                        (Long) rs.getObject("applied_offset"), rs.getString("phase"), (Long) rs.getObject("lag_ms"),
                        (Long) rs.getObject("lag_bytes"), (Double) rs.getObject("ops_per_sec")));
            }
        }, source, source, target, target);
        return links.values().stream().map(l -> LinkResponse.of(l.id(), l.source(), l.target(), l.mode(), l.state(),
                l.stateReason(), l.stateChangedAt(), l.origin(), l.mesh(), l.filters(),
                shards.getOrDefault(l.id(), List.of()), l.createdAt())).toList();
    }

    static LinkResponse.ShardAssignment shard(FleetStore.AssignmentRow a) {
        return new LinkResponse.ShardAssignment(a.shardId(), a.workerId(), a.sourceNode(), a.epoch(), a.appliedOffset(),
                a.phase(), a.lagMs(), a.lagBytes(), a.opsPerSec());
    }
}
