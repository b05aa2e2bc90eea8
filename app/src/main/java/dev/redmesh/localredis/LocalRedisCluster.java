package dev.redmesh.localredis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisURI;

/**
 * A Redis Cluster of local nodes: masters with the 16384 slots split evenly between them, each
 * with the same number of replicas, every node agreeing on the slot map when {@link #start}
 * returns. Roles and slots are those it was formed with: after a test fails a master over, ask
 * the nodes (CLUSTER NODES) for the current picture.
 */
public final class LocalRedisCluster implements AutoCloseable {

    public static final int SLOT_COUNT = ClusterFormation.SLOT_COUNT;

    private final Map<RedisNode, List<RedisNode>> replicasByMaster;
    private final ClusterFormation formation;

    private LocalRedisCluster(Map<RedisNode, List<RedisNode>> replicasByMaster, Duration formationTimeout) {
        this.replicasByMaster = replicasByMaster;
        this.formation = new ClusterFormation(replicasByMaster, formationTimeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static LocalRedisCluster start(RedisBinary binary, int masters, int replicasPerMaster) {
        return builder().binary(binary).masters(masters).replicasPerMaster(replicasPerMaster).start();
    }

    public List<RedisNode> masters() {
        return List.copyOf(replicasByMaster.keySet());
    }

    public List<RedisNode> replicas() {
        return replicasByMaster.values().stream().flatMap(List::stream).toList();
    }

    public List<RedisNode> replicasOf(RedisNode master) {
        List<RedisNode> replicas = replicasByMaster.get(master);
        if (replicas == null) {
            throw new IllegalArgumentException(master + " is not a master of this cluster");
        }
        return replicas;
    }

    /** Masters first, then replicas. */
    public List<RedisNode> nodes() {
        List<RedisNode> nodes = new ArrayList<>(masters());
        nodes.addAll(replicas());
        return List.copyOf(nodes);
    }

    /** "host:port" of every node, for clients that take seed addresses. */
    public List<String> seeds() {
        return nodes().stream().map(RedisNode::address).toList();
    }

    /** Connection details of every node, e.g. for {@code RedisClusterClient.create(cluster.uris())}. */
    public List<RedisURI> uris() {
        return nodes().stream().map(RedisNode::uri).toList();
    }

    /** The master the slot was assigned to when the cluster was formed. */
    public RedisNode nodeForSlot(int slot) {
        if (slot < 0 || slot >= SLOT_COUNT) {
            throw new IllegalArgumentException("slot must be in 0.." + (SLOT_COUNT - 1) + ": " + slot);
        }
        List<RedisNode> masters = masters();
        for (int i = 0; i < masters.size(); i++) {
            if (ClusterFormation.slotsOf(i, masters.size()).contains(slot)) {
                return masters.get(i);
            }
        }
        throw new IllegalStateException("slot " + slot + " was assigned to no master");
    }

    /** Waits until every node reports cluster_state:ok and the slot map and replicas it was formed with. */
    public void awaitHealthy() {
        formation.awaitAgreement();
    }

    /** Replicas first: Redis 7 makes a master wait for lagging replicas on SIGTERM. */
    @Override
    public void close() {
        LocalNodes.closeAll(replicasFirst(), null);
    }

    private List<RedisNode> replicasFirst() {
        List<RedisNode> order = new ArrayList<>(replicas());
        order.addAll(masters());
        return order;
    }

    @Override
    public String toString() {
        return "cluster of " + replicasByMaster.size() + " masters " + seeds();
    }

    /** Settings of a cluster to start; defaults: 3 masters, no replicas, 2 s node timeout. */
    public static final class Builder {

        private RedisBinary binary;
        private int masters = 3;
        private int replicasPerMaster;
        private Duration nodeTimeout = Duration.ofSeconds(2);
        private Duration formationTimeout = Duration.ofSeconds(30);
        private final List<String> extraConfig = new ArrayList<>();

        private Builder() {
        }

        /** Defaults to {@link RedisBinary#locate()}. */
        public Builder binary(RedisBinary binary) {
            this.binary = binary;
            return this;
        }

        public Builder masters(int masters) {
            if (masters < 1 || masters > SLOT_COUNT) {
                throw new IllegalArgumentException("masters must be in 1.." + SLOT_COUNT + ": " + masters);
            }
            this.masters = masters;
            return this;
        }

        public Builder replicasPerMaster(int replicasPerMaster) {
            if (replicasPerMaster < 0) {
                throw new IllegalArgumentException("replicas per master must not be negative: " + replicasPerMaster);
            }
            this.replicasPerMaster = replicasPerMaster;
            return this;
        }

        /** cluster-node-timeout: how long a silent node takes to be failed over. Short keeps tests fast. */
        public Builder nodeTimeout(Duration nodeTimeout) {
            this.nodeTimeout = nodeTimeout;
            return this;
        }

        /** How long {@link #start()} and {@link LocalRedisCluster#awaitHealthy()} wait for agreement. */
        public Builder formationTimeout(Duration formationTimeout) {
            this.formationTimeout = formationTimeout;
            return this;
        }

        /** redis.conf lines for every node, after the cluster settings. */
        public Builder extraConfig(String... lines) {
            extraConfig.addAll(List.of(lines));
            return this;
        }

        public LocalRedisCluster start() {
            RedisBinary server = binary != null ? binary : RedisBinary.locate();
            List<String> config = new ArrayList<>(List.of(
                    "cluster-enabled yes",
                    "cluster-config-file nodes.conf",
                    "cluster-node-timeout " + nodeTimeout.toMillis()));
            config.addAll(extraConfig);
            // replicas authenticate to their master with the password every node shares
            RedisConfigFile.password(extraConfig).ifPresent(secret -> config.add("masterauth \"" + secret + "\""));
            Map<RedisNode, List<RedisNode>> replicasByMaster = new LinkedHashMap<>();
            List<RedisNode> started = new ArrayList<>();
            try {
                for (int m = 0; m < masters; m++) {
                    RedisNode master = RedisNode.start(server, config);
                    started.add(master);
                    List<RedisNode> replicas = new ArrayList<>();
                    for (int r = 0; r < replicasPerMaster; r++) {
                        RedisNode replica = RedisNode.start(server, config);
                        started.add(replica);
                        replicas.add(replica);
                    }
                    replicasByMaster.put(master, List.copyOf(replicas));
                }
                LocalRedisCluster cluster = new LocalRedisCluster(replicasByMaster, formationTimeout);
                cluster.formation.form();
                return cluster;
            } catch (RuntimeException e) {
                LocalNodes.closeAll(started, e);
                throw e;
            }
        }
    }
}
