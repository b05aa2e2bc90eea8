package dev.redmesh.topology;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The shards' masters as the fleet reads them, through this package, which owns the {@code shard}
 * table the topology poller writes: {@link #QUERY} to compose into a round trip, {@link #row} to map.
 */
public final class ShardReadModel {

    /** Every shard with a known master, by cluster, in shard order. */
    public static final String QUERY = "select cluster_name, id, master_address, slots from shard "
            + "where master_address is not null order by cluster_name, id";

    /**
     * A shard of a cluster and the master the topology poller last saw for it; {@code slots} as the
     * poller stored them, empty for a standalone master.
     */
    public record Row(String cluster, String shard, String master, String slots) {

        public Row(String cluster, String shard, String master) {
            this(cluster, shard, master, "");
        }

        /** Owns hash slots: its cluster is written slot by slot (Redis Cluster, cluster-mode ElastiCache). */
        public boolean slotted() {
            return slots != null && !slots.isBlank();
        }
    }

    private ShardReadModel() {
    }

    public static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("cluster_name"), rs.getString("id"), rs.getString("master_address"),
                rs.getString("slots"));
    }
}
