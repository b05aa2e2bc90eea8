package dev.redmesh.localredis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * One Lettuce client for every local node: a client owns event-loop threads, and starting a set
 * of them per node would cost more than the short-lived connections we open through it.
 */
final class LocalRedisConnections {

    private static final class Shared {
        static final RedisClient CLIENT = RedisClient.create();
    }

    private LocalRedisConnections() {
    }

    /**
     * Runs {@code command} on a fresh connection, closed afterwards. A cached connection would
     * outlive the restarts, pauses and kills that tests inflict on nodes; a new one per call has
     * no stale state to get wrong and costs about a millisecond on loopback.
     */
    static <T> T call(RedisURI uri, Function<RedisCommands<String, String>, T> command) {
        try (StatefulRedisConnection<String, String> connection = Shared.CLIENT.connect(uri)) {
            return command.apply(connection.sync());
        }
    }

    /** INFO output as field → value; section headers and blank lines are dropped. */
    static Map<String, String> parseInfo(String info) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (line.isBlank() || line.startsWith("#") || colon < 0) {
                continue;
            }
            fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return fields;
    }
}
