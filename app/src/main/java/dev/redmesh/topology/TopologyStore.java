package dev.redmesh.topology;

import dev.redmesh.redis.NodeRole;

import dev.redmesh.redis.SlotRange;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.redmesh.cluster.TopologyView;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Shards and nodes in Postgres, written in batches by the poller (only rows that changed) and
 * read by the API. Plain JDBC: thousands of small upserts a second are not an ORM's job.
 */
@Component
class TopologyStore {

    record ShardRow(String id, List<SlotRange> slots, String master) {
    }

    record NodeRow(String address, String shardId, String redisNodeId, NodeRole role, boolean healthy, Long offset,
                   String replid, String replid2, Long secondOffset, Instant lastSeen, String lastError, String server) {

        NodeRow(String address, String shardId, String redisNodeId, NodeRole role, boolean healthy, Long offset,
                String replid, String replid2, Long secondOffset, Instant lastSeen, String lastError) {
            this(address, shardId, redisNodeId, role, healthy, offset, replid, replid2, secondOffset, lastSeen, lastError, null);
        }
    }

    private final JdbcTemplate jdbc;

    TopologyStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    List<ShardRow> shards(String cluster) {
        return jdbc.query("select id, slots, master_address from shard where cluster_name = ? order by id",
                (rs, n) -> new ShardRow(rs.getString(1), SlotRange.parseList(rs.getString(2)), rs.getString(3)), cluster);
    }

    List<NodeRow> nodes(String cluster) {
        return jdbc.query("""
                select address, shard_id, redis_node_id, role, healthy, repl_offset, replid, replid2,
                       second_repl_offset, last_seen, last_error, server
                from node where cluster_name = ? order by shard_id, role, address""",
                (rs, n) -> new NodeRow(rs.getString(1), rs.getString(2), rs.getString(3), NodeRole.valueOf(rs.getString(4)),
                        rs.getBoolean(5), (Long) rs.getObject(6), rs.getString(7), rs.getString(8), (Long) rs.getObject(9),
                        rs.getTimestamp(10) == null ? null : rs.getTimestamp(10).toInstant(), rs.getString(11), rs.getString(12)),
                cluster);
    }

    /** Writes one poll's result: every shard, the nodes that changed, and drops what is gone. */
    @Transactional
    void save(String cluster, List<ShardRow> shards, List<NodeRow> changed, Set<String> removedNodes, Instant now) {
        Timestamp at = Timestamp.from(now);
        jdbc.batchUpdate("""
                insert into shard (cluster_name, id, slots, master_address, updated_at) values (?, ?, ?, ?, ?)
                on conflict (cluster_name, id) do update set slots = excluded.slots,
                    master_address = excluded.master_address, updated_at = excluded.updated_at
                where shard.slots is distinct from excluded.slots
                   or shard.master_address is distinct from excluded.master_address""",
                shards, shards.size(), (ps, s) -> {
                    ps.setString(1, cluster);
                    ps.setString(2, s.id());
                    ps.setString(3, slotsText(s.slots()));
                    ps.setString(4, s.master());
                    ps.setTimestamp(5, at);
                });
        saveNodes(cluster, changed, now);
        for (String address : removedNodes) {
            jdbc.update("delete from node where cluster_name = ? and address = ?", cluster, address);
        }
        List<String> ids = shards.stream().map(ShardRow::id).toList();
        jdbc.update("delete from shard where cluster_name = ? and not (id = any (?))", cluster,
                ids.toArray(String[]::new));
    }

    /** Upserts node rows only, e.g. to mark nodes unreachable when no topology could be read. */
    @Transactional
    void saveNodes(String cluster, List<NodeRow> changed, Instant now) {
        Timestamp at = Timestamp.from(now);
        jdbc.batchUpdate("""
                insert into node (cluster_name, address, shard_id, redis_node_id, role, healthy, repl_offset, replid,
                                  replid2, second_repl_offset, last_seen, last_error, updated_at, server)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                on conflict (cluster_name, address) do update set shard_id = excluded.shard_id,
                    redis_node_id = excluded.redis_node_id, role = excluded.role, healthy = excluded.healthy,
                    repl_offset = excluded.repl_offset, replid = excluded.replid, replid2 = excluded.replid2,
                    second_repl_offset = excluded.second_repl_offset, last_seen = excluded.last_seen,
                    last_error = excluded.last_error, updated_at = excluded.updated_at,
                    server = coalesce(excluded.server, node.server)""",
                changed, changed.size(), (ps, n) -> {
                    ps.setString(1, cluster);
                    ps.setString(2, n.address());
                    ps.setString(3, n.shardId());
                    ps.setString(4, n.redisNodeId());
                    ps.setString(5, n.role().name());
                    ps.setBoolean(6, n.healthy());
                    ps.setObject(7, n.offset());
                    ps.setString(8, n.replid());
                    ps.setString(9, n.replid2());
                    ps.setObject(10, n.secondOffset());
                    ps.setTimestamp(11, n.lastSeen() == null ? null : Timestamp.from(n.lastSeen()));
                    ps.setString(12, n.lastError());
                    ps.setTimestamp(13, at);
                    ps.setString(14, n.server());
                });
    }

    @Transactional
    void clear(String cluster) {
        jdbc.update("delete from node where cluster_name = ?", cluster);
        jdbc.update("delete from shard where cluster_name = ?", cluster);
    }

    @Transactional(readOnly = true)
    List<TopologyView.Shard> shardsOf(String cluster) {
        Map<String, List<TopologyView.Node>> nodes = new LinkedHashMap<>();
        for (NodeRow n : nodes(cluster)) {
            nodes.computeIfAbsent(n.shardId(), k -> new ArrayList<>()).add(new TopologyView.Node(n.address(),
                    n.role().name(), n.healthy(), n.offset(), n.lastSeen(), n.lastError(), n.redisNodeId(), n.server()));
        }
        return shards(cluster).stream().map(s -> new TopologyView.Shard(s.id(),
                s.slots().stream().map(SlotRange::toString).toList(), s.master(),
                nodes.getOrDefault(s.id(), List.of()))).toList();
    }

    static String slotsText(List<SlotRange> slots) {
        return String.join(",", slots.stream().map(SlotRange::toString).toList());
    }
}
