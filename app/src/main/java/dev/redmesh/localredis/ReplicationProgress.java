package dev.redmesh.localredis;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Reads INFO replication to tell whether a replica has caught up with its master. */
final class ReplicationProgress {

    private ReplicationProgress() {
    }

    /**
     * Waits until {@code replica} is linked to {@code master} and its offset has reached the
     * master's offset as it was when this was called. Comparing with a moving target would never
     * settle: the master's own pings to its replicas keep advancing its offset.
     */
    static void awaitInSync(RedisNode replica, RedisNode master, Duration timeout) {
        long target = offset(master.info("replication"), "master_repl_offset");
        Await.until(replica.address() + " in sync with master " + master.address() + " at offset " + target,
                timeout, () -> lagBehind(replica, master, target));
    }

    private static Optional<String> lagBehind(RedisNode replica, RedisNode master, long target) {
        Map<String, String> replication = replica.info("replication");
        String role = replication.get("role");
        if (!"slave".equals(role)) {
            return Optional.of("role is " + role);
        }
        String masterPort = replication.get("master_port");
        if (!String.valueOf(master.port()).equals(masterPort)) {
            return Optional.of("replicating from port " + masterPort);
        }
        String link = replication.get("master_link_status");
        if (!"up".equals(link)) {
            return Optional.of("master_link_status:" + link);
        }
        long offset = offset(replication, "slave_repl_offset");
        if (offset < target) {
            return Optional.of("slave_repl_offset " + offset);
        }
        return Optional.empty();
    }

    private static long offset(Map<String, String> replication, String field) {
        String value = replication.get(field);
        if (value == null) {
            throw new IllegalStateException("INFO replication has no " + field + ": " + replication);
        }
        return Long.parseLong(value);
    }
}
