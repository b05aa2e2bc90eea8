package dev.redmesh.sync;

import java.io.IOException;

import com.moilioncircle.redis.replicator.Configuration;
import com.moilioncircle.redis.replicator.RedisSocketReplicator;
import com.moilioncircle.redis.replicator.util.Strings;

/**
 * A replication client that announces {@code REPLCONF listening-port 0}: it is not a Redis node
 * anyone can reach. redis-replicator announces the local port of its connection, which the master
 * then lists as a replica ({@code slaveN:ip=…,port=<that port>}), so every topology poller — ours
 * included — took a sync worker for a replica that is always down. Port 0 says "not a node"; the
 * poller ({@code ReplicationInfo}) leaves such entries out.
 */
final class UnlistedReplicator extends RedisSocketReplicator {

    static final String NO_LISTENING_PORT = "0";

    UnlistedReplicator(String host, int port, Configuration configuration) {
        super(host, port, configuration);
    }

    @Override
    protected void sendSlavePort() throws IOException {
        send("REPLCONF".getBytes(), "listening-port".getBytes(), NO_LISTENING_PORT.getBytes());
        String reply = Strings.toString(reply());
        if (!"OK".equals(reply)) {
            // as the library does: a master that refuses it still serves the stream
            logger.warn("[REPLCONF listening-port {}] failed: {}", NO_LISTENING_PORT, reply);
        }
    }
}
