package dev.redmesh.redis;


import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;


/**
 * What {@code INFO replication} says about one node: one round trip gives its role, where its
 * master is, its offset and the PSYNC2 history ids that failover continuity needs later.
 *
 * @param masterAddress   for a replica: the master it follows; null for a master
 * @param masterLinkUp    for a replica: {@code master_link_status:up}
 * @param replicas        for a master: the replicas it lists ({@code slaveN:ip=…,port=…}), except those that
 *                        announce no listening port (port 0): replication clients such as redmesh's own
 *                        sync workers, which are not nodes
 * @param secondReplOffset {@code second_repl_offset}: where the current history forked from replid2, -1 if none
 */
public record ReplicationInfo(NodeRole role, HostAndPort masterAddress, boolean masterLinkUp, long offset,
                              String replid, String replid2, long secondReplOffset, List<HostAndPort> replicas) {

    /** Parses the text of {@code INFO replication}; lenient about fields added by newer Redis versions. */
    public static ReplicationInfo parse(String info) {
        Map<String, String> fields = new HashMap<>();
        List<HostAndPort> replicas = new ArrayList<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0 || line.startsWith("#")) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1).trim();
            if (key.startsWith("slave") && Character.isDigit(key.charAt(key.length() - 1)) && value.contains("ip=")) {
                HostAndPort replica = replicaAddress(value);
                if (replica != null && replica.port() > 0) {
                    replicas.add(replica);
                }
            } else {
                fields.put(key, value);
            }
        }
        boolean replica = "slave".equals(fields.get("role"));
        HostAndPort master = null;
        if (replica && fields.containsKey("master_host") && fields.containsKey("master_port")) {
            master = new HostAndPort(fields.get("master_host"), Integer.parseInt(fields.get("master_port")));
        }
        return new ReplicationInfo(
                replica ? NodeRole.REPLICA : "master".equals(fields.get("role")) ? NodeRole.MASTER : NodeRole.UNKNOWN,
                master,
                "up".equals(fields.get("master_link_status")),
                // a replica's own offset is slave_repl_offset; master_repl_offset is what it has received
                parseLong(fields.getOrDefault(replica ? "slave_repl_offset" : "master_repl_offset",
                        fields.get("master_repl_offset")), 0),
                fields.get("master_replid"),
                fields.get("master_replid2"),
                parseLong(fields.get("second_repl_offset"), -1),
                List.copyOf(replicas));
    }

    private static HostAndPort replicaAddress(String value) {
        Map<String, String> parts = new HashMap<>();
        for (String part : value.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        try {
            return new HostAndPort(parts.get("ip"), Integer.parseInt(parts.get("port")));
        } catch (RuntimeException malformed) {
            return null;
        }
    }

    private static long parseLong(String value, long fallback) {
        try {
            return value == null ? fallback : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
