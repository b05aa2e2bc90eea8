package dev.redmesh.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;

import dev.redmesh.localredis.RedisVersion;

/**
 * Writes to the target with Lettuce, many commands per round trip: a batch is dispatched with
 * auto-flush off, flushed once, then awaited. Standalone targets get one connection per database;
 * Redis Cluster targets are routed by the first key of each command (Lettuce follows MOVED/ASK).
 */
final class TargetWriter implements AutoCloseable {

    /** One command for the target. {@code keyIndex} is the argument used for slot routing, -1 for none. */
    record Op(int db, ProtocolKeyword name, byte[][] args, int keyIndex, long weight) {
    }

    /** What a batch did: commands the target refused (wrong type, say) are counted, not retried. */
    record Outcome(int applied, List<String> errors) {
    }

    /**
     * A write sent is never sent again because its reply is slow: a stopped target (SIGSTOP, a long
     * fork) answers later, in order, and resending would apply non-idempotent commands twice.
     */
    private static final TimeoutOptions NO_COMMAND_TIMEOUT = TimeoutOptions.builder().timeoutCommands(false).build();

    private final RedisEndpoint endpoint;
    private final Duration timeout;
    private final RedisClient client;
    private final RedisClusterClient clusterClient;
    private final StatefulRedisClusterConnection<byte[], byte[]> cluster;
    private final Map<Integer, StatefulRedisConnection<byte[], byte[]>> databases = new HashMap<>();

    TargetWriter(RedisEndpoint endpoint, Duration timeout) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        if (endpoint.cluster()) {
            this.client = null;
            this.clusterClient = RedisClusterClient.create(endpoint.seeds().stream().map(this::uri).toList());
            this.clusterClient.setOptions(ClusterClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                    .timeoutOptions(NO_COMMAND_TIMEOUT).maxRedirects(5).validateClusterNodeMembership(false).build());
            this.cluster = clusterClient.connect(ByteArrayCodec.INSTANCE);
            this.cluster.setTimeout(timeout);
        } else {
            this.clusterClient = null;
            this.cluster = null;
            this.client = RedisClient.create(uri(endpoint.seeds().get(0)));
            this.client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                    .timeoutOptions(NO_COMMAND_TIMEOUT).build());
        }
    }

    /** The RDB version the target understands, from its Redis version, for DUMP payloads made for it. */
    int rdbVersion() {
        String info = endpoint.cluster()
                ? new String(cluster.sync().info("server").getBytes())
                : database(0).sync().info("server");
        String version = info.lines().filter(l -> l.startsWith("redis_version:")).findFirst().orElseThrow()
                .substring("redis_version:".length()).trim();
        return rdbVersionOf(RedisVersion.parse(version));
    }

    static int rdbVersionOf(RedisVersion version) {
        if (version.isAtLeast(7, 4)) {
            return 12;
        }
        if (version.isAtLeast(7, 2)) {
            return 11;
        }
        if (version.isAtLeast(7, 0)) {
            return 10;
        }
        return version.isAtLeast(5, 0) ? 9 : 8;
    }

    /** Sends every op, pipelined; the replies are awaited with {@link Pending#await}. */
    Pending send(List<Op> ops) {
        List<CompletableFuture<Void>> replies = new ArrayList<>(ops.size());
        List<StatefulConnection<byte[], byte[]>> used = new ArrayList<>();
        try {
            for (Op op : ops) {
                StatefulConnection<byte[], byte[]> connection = connectionFor(op.db());
                if (!used.contains(connection)) {
                    connection.setAutoFlushCommands(false);
                    used.add(connection);
                }
                CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
                for (int i = 0; i < op.args().length; i++) {
                    if (i == op.keyIndex()) {
                        args.addKey(op.args()[i]);
                    } else {
                        args.add(op.args()[i]);
                    }
                }
                replies.add(dispatch(connection, op.name(), args));
            }
        } finally {
            for (StatefulConnection<byte[], byte[]> connection : used) {
                connection.flushCommands();
                connection.setAutoFlushCommands(true);
            }
        }
        return new Pending(replies);
    }

    /** Replies of one batch on their way. */
    final class Pending {

        private final List<CompletableFuture<Void>> replies;

        private Pending(List<CompletableFuture<Void>> replies) {
            this.replies = replies;
        }

        /** Waits up to the target timeout; {@link TimeoutException} means "still waiting", never "lost". */
        Outcome await() throws TimeoutException {
            return TargetWriter.this.await(replies);
        }
    }

    private CompletableFuture<Void> dispatch(StatefulConnection<byte[], byte[]> connection, ProtocolKeyword name,
                                             CommandArgs<byte[], byte[]> args) {
        if (connection instanceof StatefulRedisClusterConnection<byte[], byte[]> c) {
            return c.async().dispatch(name, new DiscardingOutput(), args).toCompletableFuture();
        }
        return ((StatefulRedisConnection<byte[], byte[]>) connection).async()
                .dispatch(name, new DiscardingOutput(), args).toCompletableFuture();
    }

    private Outcome await(List<CompletableFuture<Void>> replies) throws TimeoutException {
        CompletableFuture<Void> all = CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new));
        try {
            all.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException ignored) {
            // some replies are errors: sorted out below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + endpoint, e);
        }
        int applied = 0;
        List<String> errors = new ArrayList<>();
        for (CompletableFuture<Void> reply : replies) {
            try {
                reply.get();
                applied++;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RedisCommandExecutionException refused) {
                    errors.add(refused.getMessage());
                } else {
                    throw new IllegalStateException("target " + endpoint + " failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + endpoint, e);
            }
        }
        return new Outcome(applied, errors);
    }

    private StatefulConnection<byte[], byte[]> connectionFor(int db) {
        if (cluster != null) {
            if (db != 0) {
                throw new IllegalArgumentException("a Redis Cluster target has only database 0, not " + db);
            }
            return cluster;
        }
        return database(db);
    }

    private StatefulRedisConnection<byte[], byte[]> database(int db) {
        return databases.computeIfAbsent(db, d -> {
            StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
            connection.setTimeout(timeout);
            if (d != 0) {
                connection.sync().select(d);
            }
            return connection;
        });
    }

    /** Sends one command to every master (function libraries live on each node of a cluster). */
    void onEveryMaster(ProtocolKeyword name, byte[]... args) {
        CommandArgs<byte[], byte[]> commandArgs = new CommandArgs<>(ByteArrayCodec.INSTANCE);
        for (byte[] arg : args) {
            commandArgs.add(arg);
        }
        if (cluster == null) {
            database(0).sync().dispatch(name, new DiscardingOutput(), commandArgs);
            return;
        }
        cluster.getPartitions().forEach(node -> {
            if (node.is(io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag.UPSTREAM)) {
                cluster.getConnection(node.getNodeId()).sync().dispatch(name, new DiscardingOutput(), commandArgs);
            }
        });
    }

    private RedisURI uri(String seed) {
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(seed.substring(0, seed.lastIndexOf(':')).replace("[", "").replace("]", ""))
                .withPort(Integer.parseInt(seed.substring(seed.lastIndexOf(':') + 1)))
                .withSsl(endpoint.tls()).withTimeout(timeout);
        if (endpoint.password() != null) {
            if (endpoint.username() != null) {
                uri.withAuthentication(endpoint.username(), endpoint.password().toCharArray());
            } else {
                uri.withPassword(endpoint.password().toCharArray());
            }
        }
        return uri.build();
    }

    @Override
    public void close() {
        databases.values().forEach(StatefulRedisConnection::close);
        if (cluster != null) {
            cluster.close();
            clusterClient.shutdown();
        }
        if (client != null) {
            client.shutdown();
        }
    }
}
