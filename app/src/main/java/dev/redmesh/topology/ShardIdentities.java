package dev.redmesh.topology;

import dev.redmesh.redis.SlotRange;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives Redis Cluster shards stable ids across polls. The cluster has no shard id of its own
 * (before 7.2), and a failover changes the master's node id, so a shard keeps the id most of its
 * nodes had before. A slot-less shard whose nodes all belonged to a shard still present — the
 * failed former master, say — is folded back into it instead of becoming a shard of its own.
 */
final class ShardIdentities {

    private final Map<String, String> shardOfNode = new HashMap<>();

    void remember(String nodeId, String shardId) {
        if (nodeId != null) {
            shardOfNode.put(nodeId, shardId);
        }
    }

    /** Returns one id per observation, in order; equal ids mean "the same shard, merge them". */
    List<String> assign(List<Discovery.ShardObservation> shards) {
        String[] ids = new String[shards.size()];
        Set<String> taken = new HashSet<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < shards.size(); i++) {
            order.add(i);
        }
        // shards that own slots claim their ids first, the largest first
        order.sort(Comparator.comparingInt((Integer i) -> -slotCount(shards.get(i))));
        for (int i : order) {
            Discovery.ShardObservation shard = shards.get(i);
            String voted = vote(shard);
            if (voted != null && taken.contains(voted) && shard.slots().isEmpty()) {
                ids[i] = voted;
            } else if (voted != null && !taken.contains(voted)) {
                ids[i] = voted;
            } else {
                ids[i] = fresh(shard, taken);
            }
            taken.add(ids[i]);
        }
        Map<String, String> next = new HashMap<>();
        for (int i = 0; i < shards.size(); i++) {
            for (Discovery.ObservedNode node : shards.get(i).nodes()) {
                if (node.nodeId() != null) {
                    next.put(node.nodeId(), ids[i]);
                }
            }
        }
        shardOfNode.clear();
        shardOfNode.putAll(next);
        return List.of(ids);
    }

    private String vote(Discovery.ShardObservation shard) {
        Map<String, Integer> votes = new HashMap<>();
        for (Discovery.ObservedNode node : shard.nodes()) {
            String previous = node.nodeId() == null ? null : shardOfNode.get(node.nodeId());
            if (previous != null) {
                votes.merge(previous, 1, Integer::sum);
            }
        }
        return votes.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(null);
    }

    private static String fresh(Discovery.ShardObservation shard, Set<String> taken) {
        String seed = shard.nodes().stream().map(Discovery.ObservedNode::nodeId).filter(id -> id != null)
                .findFirst().orElse("shard");
        String base = "s-" + seed.substring(0, Math.min(8, seed.length()));
        String id = base;
        for (int n = 2; taken.contains(id); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    private static int slotCount(Discovery.ShardObservation shard) {
        return shard.slots().stream().mapToInt(SlotRange::size).sum();
    }
}
