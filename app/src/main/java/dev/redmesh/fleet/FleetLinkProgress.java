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

    FleetLinkProgress(FleetStore store, JdbcTemplate jdbc) {
        this.store = store;
        this.jdbc = jdbc;
    }

    @Override
    public List<LinkResponse.ShardAssignment> shards(String linkId) {
        return store.assignmentsOf(linkId).stream().map(FleetLinkProgress::shard).toList();
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
        return shards;
    }

    static LinkResponse.ShardAssignment shard(FleetStore.AssignmentRow a) {
        return new LinkResponse.ShardAssignment(a.shardId(), a.workerId(), a.sourceNode(), a.epoch(), a.appliedOffset(),
                a.phase() == null ? null : a.phase().name(), a.lagMs(), a.lagBytes(), a.opsPerSec());
    }
}
