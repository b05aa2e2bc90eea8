package dev.redmesh.fleet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.redmesh.link.LinkProgress;
import dev.redmesh.link.LinkResponse;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The links' shards as the fleet's own table holds them, for the link API. */
@Component
class FleetLinkProgress implements LinkProgress {

    private final FleetStore store;
    private final JdbcTemplate jdbc;
    private final dev.redmesh.cluster.TopologyView topology;

    FleetLinkProgress(FleetStore store, JdbcTemplate jdbc, dev.redmesh.cluster.TopologyView topology) {
        this.store = store;
        this.jdbc = jdbc;
        this.topology = topology;
    }

    @Override
    public List<LinkResponse.ShardAssignment> shards(String linkId) {
        return shardsOf(List.of(linkId)).getOrDefault(linkId, List.of());
    }

    @Override
    public Map<String, List<LinkResponse.ShardAssignment>> shardsOf(Collection<String> linkIds) {
        Map<String, List<LinkResponse.ShardAssignment>> shards = new HashMap<>();
        if (linkIds.isEmpty()) {
            return shards;
        }
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("select * from assignment where link_id = any(?) order by link_id, shard_id");
            statement.setArray(1, connection.createArrayOf("varchar", linkIds.toArray()));
            return statement;
        }, rs -> {
            FleetStore.AssignmentRow row = FleetStore.assignment(rs, 0);
            shards.computeIfAbsent(row.linkId(), k -> new ArrayList<>()).add(shard(row));
        });
        List<String> unassigned = linkIds.stream().filter(id -> !shards.containsKey(id)).toList();
        if (!unassigned.isEmpty()) {
            store.pausedShards(unassigned).forEach((link, paused) -> shards.put(link, paused.stream().map(this::paused).toList()));
        }
        return shards;
    }

    /**
     * A shard of a paused link: no worker, and behind by what its source master was written since
     * (its offset now minus where the shard stood at the pause) — a backlog that grows while it is
     * paused. A keyspace capture has no byte offset: n/a.
     */
    private LinkResponse.ShardAssignment paused(FleetStore.PausedShard p) {
        Long behind = null;
        if (p.mode() != dev.redmesh.link.LinkMode.KEYSPACE && p.appliedOffset() != null) {
            Long now = topology.shardsOf(p.sourceCluster()).stream().flatMap(s -> s.nodes().stream())
                    .filter(n -> n.address().equals(p.sourceNode()) && n.offset() != null).map(n -> n.offset()).findFirst()
                    .orElse(null);
            behind = now == null ? null : Math.max(0, now - p.appliedOffset());
        }
        return new LinkResponse.ShardAssignment(p.shard(), null, p.sourceNode(), 0, p.appliedOffset(), "PAUSED", null, behind, 0.0, null);
    }

    static LinkResponse.ShardAssignment shard(FleetStore.AssignmentRow a) {
        return new LinkResponse.ShardAssignment(a.shardId(), a.workerId(), a.sourceNode(), a.epoch(), a.appliedOffset(),
                a.phase() == null ? null : a.phase().name(), a.lagMs(), a.lagBytes(), a.opsPerSec(),
                a.phase() == dev.redmesh.worker.AssignmentPhase.FULL_SYNC ? a.fullSync() : null);
    }
}
