package dev.redmesh.localredis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hands out loopback ports for redis-server. A port is only handed out when it and its cluster bus
 * port (port + 10000) are both free, and it stays reserved in this JVM until released, so a
 * stopped node can restart on its own port without another node taking it meanwhile.
 *
 * <p>Ports come from below the kernel's ephemeral range (32768+ on Linux) so outgoing connections
 * never happen to take a port a node is about to bind. Another process can still win the race
 * between the check and redis' own bind; {@link RedisNode} retries on a new port when that happens.
 */
final class FreePorts {

    static final int CLUSTER_BUS_OFFSET = 10000;
    private static final int LOWEST = 10000;
    private static final int HIGHEST = 32767 - CLUSTER_BUS_OFFSET;
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> RESERVED = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    static int reserve() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, HIGHEST + 1);
            if (isFree(port) && isFree(port + CLUSTER_BUS_OFFSET) && RESERVED.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port pair (p, p+" + CLUSTER_BUS_OFFSET + ") in "
                + LOWEST + ".." + HIGHEST + " after " + ATTEMPTS + " attempts");
    }

    /** Reserves this very port if it (and its bus port) is free. */
    static boolean tryReserve(int port) {
        return port >= 1 && port + CLUSTER_BUS_OFFSET <= 65535 && isFree(port) && isFree(port + CLUSTER_BUS_OFFSET)
                && RESERVED.add(port);
    }

    static void release(int port) {
        RESERVED.remove(port);
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // redis-server sets SO_REUSEADDR too, so a port in TIME_WAIT is as good as free for it
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(RedisNode.HOST, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
