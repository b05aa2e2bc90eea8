package dev.redmesh.fleet;

import java.util.ArrayList;
import java.util.HashMap;
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

    @Override
    public Map<String, List<LinkResponse.ShardAssignment>> shardsByLink() {
        Map<String, List<LinkResponse.ShardAssignment>> byLink = new HashMap<>();
        for (FleetStore.AssignmentRow a : store.assignments()) {
            byLink.computeIfAbsent(a.linkId(), l -> new ArrayList<>()).add(shard(a));
        }
        return byLink;
    }

    @Override
    public List<LinkResponse> list(String source, String target) {
        Map<String, LinkResponse> byId = new java.util.LinkedHashMap<>();
        Map<String, List<LinkResponse.ShardAssignment>> shards = new HashMap<>();
        List<Object[]> rows = new ArrayList<>();
        jdbc.query("""
                select l.id, l.source_cluster, l.target_cluster, l.mode, l.state, l.state_reason, l.state_changed_at,
                       l.origin, l.mesh, l.include_patterns, l.exclude_patterns, l.created_at,
                       a.shard_id, a.worker_id, a.source_node, a.epoch, a.applied_offset, a.phase, a.lag_ms, a.lag_bytes,
                       a.ops_per_sec
                from replication_link l left join assignment a on a.link_id = l.id
                where (cast(? as varchar) is null or l.source_cluster = ?) and (cast(? as varchar) is null or l.target_cluster = ?)
                order by l.id, a.shard_id""", rs -> {
            String id = rs.getString("id");
            rows.add(new Object[] {id, rs.getString("source_cluster"), rs.getString("target_cluster"),
                    LinkMode.valueOf(rs.getString("mode")), LinkState.valueOf(rs.getString("state")),
                    rs.getString("state_reason"), rs.getTimestamp("state_changed_at").toInstant(),
                    LinkOrigin.valueOf(rs.getString("origin")), rs.getString("mesh"),
                    new LinkResponse.Filters(strings(rs.getArray("include_patterns")), strings(rs.getArray("exclude_patterns"))),
                    rs.getTimestamp("created_at").toInstant()});
            if (rs.getString("shard_id") != null) {
                shards.computeIfAbsent(id, k -> new ArrayList<>()).add(new LinkResponse.ShardAssignment(
                        rs.getString("shard_id"), rs.getString("worker_id"), rs.getString("source_node"), rs.getLong("epoch"),
                        (Long) rs.getObject("applied_offset"), rs.getString("phase"), (Long) rs.getObject("lag_ms"),
                        (Long) rs.getObject("lag_bytes"), (Double) rs.getObject("ops_per_sec")));
            }
        }, source, source, target, target);
        for (Object[] r : rows) {
            byId.computeIfAbsent((String) r[0], id -> LinkResponse.of(id, (String) r[1], (String) r[2], (LinkMode) r[3],
                    (LinkState) r[4], (String) r[5], (java.time.Instant) r[6], (LinkOrigin) r[7], (String) r[8],
                    (LinkResponse.Filters) r[9], shards.getOrDefault(id, List.of()), (java.time.Instant) r[10]));
        }
        return List.copyOf(byId.values());
    }

    private static List<String> strings(java.sql.Array array) throws java.sql.SQLException {
        return array == null ? List.of() : java.util.Arrays.asList((String[]) array.getArray());
    }

    static LinkResponse.ShardAssignment shard(FleetStore.AssignmentRow a) {
        return new LinkResponse.ShardAssignment(a.shardId(), a.workerId(), a.sourceNode(), a.epoch(), a.appliedOffset(),
                a.phase(), a.lagMs(), a.lagBytes(), a.opsPerSec());
    }
}
