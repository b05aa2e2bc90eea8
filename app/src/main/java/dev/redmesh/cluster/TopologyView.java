package dev.redmesh.cluster;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** The discovered shards and nodes of a cluster; implemented by topology discovery. */
public interface TopologyView {

    List<Shard> shardsOf(String cluster);

    /**
     * Why the cluster's masters are not all known, as the last poll found it — the topology could
     * not be read (with the connection error) or a shard's master did not answer; null when its
     * masters answered, or before its first poll.
     */
    default @Nullable String problem(String cluster) {
        return null;
    }

    /** @param slots slot ranges such as {@code 0-5460}; empty for a standalone master */
    record Shard(String id, List<String> slots, @Nullable String master, List<Node> nodes) {
    }

    /**
     * @param offset   replication offset (master: {@code master_repl_offset}; replica: {@code slave_repl_offset})
     * @param lastSeen when it last answered
     * @param error    why the last poll failed, if it did
     * @param server   engine and version, "redis 8.0.2" or "valkey 8.0.1"; null until the node answered
     */
    record Node(String address, String role, boolean healthy, @Nullable Long offset, @Nullable Instant lastSeen,
                @Nullable String error, @Nullable String redisNodeId, @Nullable String server) {
    }
}
