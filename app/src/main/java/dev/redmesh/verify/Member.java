package dev.redmesh.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;

import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.redis.RedisUris;
import dev.redmesh.redis.SyncClients;
import dev.redmesh.redis.TlsTrust;

/**
 * One region's deployment as a verification reads it: a connection per master to scan it, and
 * reads routed by key (by slot on a Redis Cluster, per database on a standalone master).
 */
final class Member implements AutoCloseable {

    /**
     * @param masters       the master of every shard (host:port)
     * @param slotted       written and read slot by slot (Redis Cluster, cluster-mode ElastiCache)
     * @param readsKeyspace read by keyspace capture: a repair written here carries the unit marker
     */
    record Spec(String region, String cluster, List<String> masters, boolean slotted, String username, String password,
                boolean tls, boolean readsKeyspace) {

        /** Where a repair writes into this member. */
        RedisEndpoint endpoint() {
            return new RedisEndpoint(masters, slotted, username, password, tls);
        }
    }

    final Spec spec;
    private final TlsTrust trust;
    private final Duration timeout;
    private final List<RedisClient> clients = new ArrayList<>();
    private final Map<Integer, RedisClusterAsyncCommands<byte[], byte[]>> readers = new HashMap<>();
    private RedisClusterClient clusterClient;

    Member(Spec spec, TlsTrust trust, Duration timeout) {
        this.spec = spec;
        this.trust = trust;
        this.timeout = timeout;
    }

    private RedisURI uri(String address, int db) {
        RedisURI uri = RedisUris.of(RedisEndpoint.hostOf(address), RedisEndpoint.portOf(address), spec.username(), spec.password(), spec.tls(), trust, timeout);
        uri.setDatabase(db);
        return uri;
    }

    /** A connection to one master in database {@code db}, for scanning. */
    StatefulRedisConnection<byte[], byte[]> connect(String master, int db) {
        RedisClient client = RedisClient.create(SyncClients.resources(), uri(master, db));
        client.setOptions(trust.apply(ClientOptions.builder()).build());
        clients.add(client);
        StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
        connection.setTimeout(timeout);
        return connection;
    }

    /** Reads routed to the node that holds each key, in database {@code db}. */
    synchronized RedisClusterAsyncCommands<byte[], byte[]> reads(int db) {
        return readers.computeIfAbsent(db, d -> {
            if (spec.slotted()) {
                clusterClient = RedisClusterClient.create(SyncClients.resources(),
                        spec.masters().stream().map(m -> uri(m, 0)).toList());
                clusterClient.setOptions(ClusterClientOptions.builder(trust.apply(ClientOptions.builder()).build()).build());
                StatefulRedisClusterConnection<byte[], byte[]> c = clusterClient.connect(ByteArrayCodec.INSTANCE);
                c.setTimeout(timeout);
                return c.async();
            }
            return connect(spec.masters().get(0), d).async();
        });
    }

    /** The databases holding keys: 0 only on a slotted member. */
    TreeSet<Integer> databases() {
        TreeSet<Integer> dbs = new TreeSet<>();
        if (spec.slotted()) {
            dbs.add(0);
            return dbs;
        }
        StatefulRedisConnection<byte[], byte[]> c = connect(spec.masters().get(0), 0);
        for (String line : c.sync().info("keyspace").split("\r?\n")) {
            if (line.startsWith("db")) {
                dbs.add(Integer.parseInt(line.substring(2, line.indexOf(':'))));
            }
        }
        return dbs;
    }

    /** Keys held over every master and database. */
    long keyCount() {
        long keys = 0;
        for (String master : spec.masters()) {
            StatefulRedisConnection<byte[], byte[]> c = connect(master, 0);
            for (String line : c.sync().info("keyspace").split("\r?\n")) {
                int at = line.indexOf("keys=");
                if (line.startsWith("db") && at > 0) {
                    int end = line.indexOf(',', at);
                    keys += Long.parseLong(line.substring(at + 5, end < 0 ? line.length() : end));
                }
            }
        }
        return keys;
    }

    String name() {
        return spec.region();
    }

    @Override
    public void close() {
        for (RedisClient client : clients) {
            client.shutdownAsync(0, 1, TimeUnit.SECONDS);
        }
        if (clusterClient != null) {
            clusterClient.shutdownAsync(0, 1, TimeUnit.SECONDS);
        }
    }
}
