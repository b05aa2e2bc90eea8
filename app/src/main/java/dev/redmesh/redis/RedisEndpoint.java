package dev.redmesh.redis;

import java.util.List;

/**
 * How to reach one side of a link.
 *
 * @param seeds   {@code host:port}; for a source, the one master followed
 * @param cluster the target is a Redis Cluster (slot routing, MOVED/ASK)
 */
public record RedisEndpoint(List<String> seeds, boolean cluster, String username, String password, boolean tls) {

    public String host() {
        return hostOf(seeds.get(0));
    }

    public int port() {
        return portOf(seeds.get(0));
    }

    /** The host of a {@code host:port} or {@code [ipv6]:port} seed. */
    public static String hostOf(String seed) {
        return seed.substring(0, seed.lastIndexOf(':')).replace("[", "").replace("]", "");
    }

    public static int portOf(String seed) {
        return Integer.parseInt(seed.substring(seed.lastIndexOf(':') + 1));
    }

    @Override
    public String toString() {
        return seeds + (cluster ? " (cluster)" : "") + (tls ? " (tls)" : "");
    }
}
