package dev.redmesh.topology;

import dev.redmesh.redis.NodeRole;

import dev.redmesh.redis.SlotRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redmesh.redis.HostAndPort;

/** Reads {@code CLUSTER NODES} text (6.2 and later) and {@code CLUSTER SHARDS} replies (7.0 and later). */
public final class ClusterViewParser {

    private ClusterViewParser() {
    }

    /**
     * {@code <id> <ip:port@cport[,hostname]> <flags> <master-id> <ping> <pong> <epoch> <link> <slot>...};
     * masters become shards, replicas join their master's shard. Nodes without an address are skipped.
     */
    public static ClusterView fromClusterNodes(String text) {
        Map<String, List<SlotRange>> slotsByMaster = new LinkedHashMap<>();
        Map<String, List<ClusterView.Node>> nodesByMaster = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 8) {
                continue;
            }
            HostAndPort address = address(f[1]);
            String flags = "," + f[2] + ",";
            if (address == null || flags.contains(",handshake,") || flags.contains(",noaddr,")) {
                continue;
            }
            boolean master = flags.contains(",master,");
            boolean failed = flags.contains(",fail,");
            ClusterView.Node node = new ClusterView.Node(f[0], address, master ? NodeRole.MASTER : NodeRole.REPLICA, failed);
            String shardKey = master ? f[0] : f[3];
            nodesByMaster.computeIfAbsent(shardKey, k -> new ArrayList<>()).add(node);
            List<SlotRange> slots = slotsByMaster.computeIfAbsent(shardKey, k -> new ArrayList<>());
            if (master) {
                for (int i = 8; i < f.length; i++) {
                    if (!f[i].startsWith("[")) { // [slot->-id] / [slot-<-id] are migrations in flight
                        slots.add(SlotRange.parse(f[i]));
                    }
                }
            }
        }
        List<ClusterView.Shard> shards = new ArrayList<>();
        nodesByMaster.forEach((key, nodes) -> {
            nodes.sort((a, b) -> a.role() == b.role() ? 0 : a.role() == NodeRole.MASTER ? -1 : 1);
            shards.add(new ClusterView.Shard(SlotRange.normalize(slotsByMaster.get(key)), List.copyOf(nodes)));
        });
        return new ClusterView(List.copyOf(shards));
    }

    /**
     * The RESP2 reply of {@code CLUSTER SHARDS}: per shard a flat list {@code slots [s e s e…] nodes [[k v k v…]…]}.
     */
    public static ClusterView fromClusterShards(List<Object> reply) {
        List<ClusterView.Shard> shards = new ArrayList<>();
        for (Object shardObject : reply) {
            Map<String, Object> shard = pairs(shardObject);
            List<SlotRange> slots = new ArrayList<>();
            List<?> bounds = (List<?>) shard.getOrDefault("slots", List.of());
            for (int i = 0; i + 1 < bounds.size(); i += 2) {
                slots.add(new SlotRange(toInt(bounds.get(i)), toInt(bounds.get(i + 1))));
            }
            List<ClusterView.Node> nodes = new ArrayList<>();
            for (Object nodeObject : (List<?>) shard.getOrDefault("nodes", List.of())) {
                Map<String, Object> node = pairs(nodeObject);
                Object ip = node.containsKey("ip") ? node.get("ip") : node.get("endpoint");
                Object port = node.containsKey("port") ? node.get("port") : node.get("tls-port");
                if (ip == null || port == null || "?".equals(String.valueOf(ip))) {
                    continue;
                }
                nodes.add(new ClusterView.Node(String.valueOf(node.get("id")),
                        new HostAndPort(String.valueOf(ip), toInt(port)),
                        "master".equals(String.valueOf(node.get("role"))) ? NodeRole.MASTER : NodeRole.REPLICA,
                        "failed".equals(String.valueOf(node.get("health")))));
            }
            nodes.sort((a, b) -> a.role() == b.role() ? 0 : a.role() == NodeRole.MASTER ? -1 : 1);
            shards.add(new ClusterView.Shard(SlotRange.normalize(slots), List.copyOf(nodes)));
        }
        return new ClusterView(List.copyOf(shards));
    }

    private static HostAndPort address(String field) {
        String hostPort = field.split("[@,]")[0];
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        int port = Integer.parseInt(hostPort.substring(colon + 1));
        return port == 0 ? null : new HostAndPort(hostPort.substring(0, colon), port);
    }

    private static Map<String, Object> pairs(Object value) {
        Map<String, Object> map = new HashMap<>();
        if (value instanceof Map<?, ?> resp3) {
            resp3.forEach((k, v) -> map.put(String.valueOf(k), v));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i + 1 < list.size(); i += 2) {
                map.put(String.valueOf(list.get(i)), list.get(i + 1));
            }
        }
        return map;
    }

    private static int toInt(Object value) {
        return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value));
    }
}
