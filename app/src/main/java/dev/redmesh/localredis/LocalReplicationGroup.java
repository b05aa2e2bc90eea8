package dev.redmesh.localredis;

import java.util.ArrayList;
import java.util.List;

/**
 * A master with replicas attached, every replica in sync when {@link #start} returns. The roles
 * are those it was started with: after a test promotes a replica, ask the nodes (ROLE, INFO).
 */
public final class LocalReplicationGroup implements AutoCloseable {

    private final RedisNode master;
    private final List<RedisNode> replicas;

    private LocalReplicationGroup(RedisNode master, List<RedisNode> replicas) {
        this.master = master;
        this.replicas = List.copyOf(replicas);
    }

    /**
     * @param extraConfig redis.conf lines for every node, e.g. {@code "repl-backlog-size 1mb"};
     *                    a {@code requirepass} is passed on to the replicas as masterauth
     */
    public static LocalReplicationGroup start(RedisBinary binary, int replicaCount, String... extraConfig) {
        if (replicaCount < 0) {
            throw new IllegalArgumentException("replica count must not be negative: " + replicaCount);
        }
        List<RedisNode> started = new ArrayList<>();
        try {
            RedisNode master = RedisNode.start(binary, extraConfig);
            started.add(master);
            List<RedisNode> replicas = new ArrayList<>();
            for (int i = 0; i < replicaCount; i++) {
                RedisNode replica = RedisNode.start(binary, extraConfig);
                started.add(replica);
                replicas.add(replica);
                replica.replicaOf(master);
            }
            LocalReplicationGroup group = new LocalReplicationGroup(master, replicas);
            group.awaitReplicasInSync();
            return group;
        } catch (RuntimeException e) {
            LocalNodes.closeAll(started, e);
            throw e;
        }
    }

    public RedisNode master() {
        return master;
    }

    public List<RedisNode> replicas() {
        return replicas;
    }

    /** The master first, then the replicas. */
    public List<RedisNode> nodes() {
        List<RedisNode> nodes = new ArrayList<>();
        nodes.add(master);
        nodes.addAll(replicas);
        return List.copyOf(nodes);
    }

    /** Waits until every replica is linked to the master and has all it had when this was called. */
    public void awaitReplicasInSync() {
        replicas.forEach(replica -> replica.awaitInSyncWith(master));
    }

    /** Stops replicas before the master: Redis 7 makes a master wait for lagging replicas on SIGTERM. */
    @Override
    public void close() {
        List<RedisNode> replicasFirst = new ArrayList<>(replicas);
        replicasFirst.add(master);
        LocalNodes.closeAll(replicasFirst, null);
    }

    @Override
    public String toString() {
        return "replication group, master " + master.address() + ", replicas "
                + replicas.stream().map(RedisNode::address).toList();
    }
}
