package dev.redmesh.localredis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;

/**
 * Turns freshly started cluster-enabled nodes into one healthy cluster, with plain cluster
 * commands over Lettuce (the shipped 6.2 binary comes without redis-cli):
 * assign slots → distinct config epochs → meet → await gossip → replicate → await agreement.
 */
final class ClusterFormation {

    static final int SLOT_COUNT = 16384;

    private final List<RedisNode> masters;
    private final Map<RedisNode, List<RedisNode>> replicasByMaster;
    private final List<RedisNode> everyone = new ArrayList<>();
    private final Map<RedisNode, String> nodeIds = new LinkedHashMap<>();
    private final Duration timeout;

    ClusterFormation(Map<RedisNode, List<RedisNode>> replicasByMaster, Duration timeout) {
        this.masters = List.copyOf(replicasByMaster.keySet());
        this.replicasByMaster = replicasByMaster;
        this.timeout = timeout;
        everyone.addAll(masters);
        replicasByMaster.values().forEach(everyone::addAll);
    }

    /** The slots master {@code index} of {@code masterCount} owns: an even, contiguous share. */
    static List<Integer> slotsOf(int index, int masterCount) {
        return IntStream.range(index * SLOT_COUNT / masterCount, (index + 1) * SLOT_COUNT / masterCount).boxed().toList();
    }

    void form() {
        everyone.forEach(node -> nodeIds.put(node, node.call(commands -> commands.clusterMyId())));
        assignSlotsAndEpochs();
        meetEveryoneThroughTheFirst();
        Await.until("every node to know all " + everyone.size() + " nodes", timeout, this::strangers);
        attachReplicas();
        awaitAgreement();
    }

    void awaitAgreement() {
        Await.until("cluster_state:ok and the same slot map on every node", timeout, this::disagreement);
    }

    /**
     * Distinct epochs spare the nodes their collision resolution, which otherwise bumps epochs
     * one by one after the meet, so who wins a later failover depends on timing.
     */
    private void assignSlotsAndEpochs() {
        for (int i = 0; i < masters.size(); i++) {
            int[] slots = slotsOf(i, masters.size()).stream().mapToInt(Integer::intValue).toArray();
            long epoch = i + 1;
            masters.get(i).call(commands -> {
                commands.clusterAddSlots(slots);
                return commands.clusterSetConfigEpoch(epoch);
            });
        }
    }

    private void meetEveryoneThroughTheFirst() {
        RedisNode first = everyone.get(0);
        everyone.subList(1, everyone.size())
                .forEach(node -> node.call(commands -> commands.clusterMeet(first.host(), first.port())));
    }

    private Optional<String> strangers() {
        for (RedisNode node : everyone) {
            Partitions view = viewOf(node);
            long known = view.stream().filter(entry -> !entry.is(NodeFlag.HANDSHAKE) && !entry.is(NodeFlag.NOADDR)).count();
            if (known < everyone.size()) {
                return Optional.of(node.address() + " knows " + known + " of " + everyone.size() + " nodes");
            }
        }
        return Optional.empty();
    }

    private void attachReplicas() {
        replicasByMaster.forEach((master, replicas) -> replicas.forEach(
                replica -> replica.call(commands -> commands.clusterReplicate(nodeIds.get(master)))));
    }

    private Optional<String> disagreement() {
        for (RedisNode node : everyone) {
            Map<String, String> info = LocalRedisConnections.parseInfo(node.call(commands -> commands.clusterInfo()));
            if (!"ok".equals(info.get("cluster_state"))) {
                return Optional.of(node.address() + " has cluster_state:" + info.get("cluster_state"));
            }
            Optional<String> wrongEntry = wrongEntryInViewOf(node);
            if (wrongEntry.isPresent()) {
                return wrongEntry;
            }
        }
        return replicasNotLinked();
    }

    private Optional<String> wrongEntryInViewOf(RedisNode observer) {
        Partitions view = viewOf(observer);
        for (int i = 0; i < masters.size(); i++) {
            RedisNode master = masters.get(i);
            RedisClusterNode entry = view.getPartitionByNodeId(nodeIds.get(master));
            if (entry == null || !entry.is(NodeFlag.UPSTREAM) && !entry.is(NodeFlag.MASTER)) {
                return Optional.of(observer.address() + " does not see " + master.address() + " as a master");
            }
            if (!entry.getSlots().equals(slotsOf(i, masters.size()))) {
                return Optional.of(observer.address() + " sees " + entry.getSlots().size() + " slots on "
                        + master.address() + " instead of " + slotsOf(i, masters.size()).size());
            }
            for (RedisNode replica : replicasByMaster.get(master)) {
                RedisClusterNode replicaEntry = view.getPartitionByNodeId(nodeIds.get(replica));
                if (replicaEntry == null || !nodeIds.get(master).equals(replicaEntry.getSlaveOf())) {
                    return Optional.of(observer.address() + " does not see " + replica.address()
                            + " as a replica of " + master.address());
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> replicasNotLinked() {
        for (List<RedisNode> replicas : replicasByMaster.values()) {
            for (RedisNode replica : replicas) {
                String link = replica.info("replication").get("master_link_status");
                if (!"up".equals(link)) {
                    return Optional.of(replica.address() + " has master_link_status:" + link);
                }
            }
        }
        return Optional.empty();
    }

    private static Partitions viewOf(RedisNode node) {
        String clusterNodes = node.call(commands -> commands.clusterNodes());
        return ClusterPartitionParser.parse(clusterNodes);
    }
}
