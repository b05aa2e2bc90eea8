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
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.RedisCommand;
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
    private final int rdbVersion;

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
            this.rdbVersion = rdbVersionOf(RedisVersion.fromInfo(cluster.sync().info("server")));
        } else {
            this.clusterClient = null;
            this.cluster = null;
            this.client = RedisClient.create(uri(endpoint.seeds().get(0)));
            this.client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                    .timeoutOptions(NO_COMMAND_TIMEOUT).build());
            try (StatefulRedisConnection<String, String> probe = client.connect()) {
                this.rdbVersion = rdbVersionOf(RedisVersion.fromInfo(probe.sync().info("server")));
            }
        }
    }

    /** The RDB version the target understands, from its Redis version, for DUMP payloads made for it. */
    int rdbVersion() {
        return rdbVersion;
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
        if (cluster != null) {
            return sendToCluster(ops);
        }
        // Standalone: one list per database connection, written in one go. Replies come back in order,
        // so only the last command of each list needs a future; the others are plain commands whose
        // outputs say whether the target refused them.
        Map<Integer, List<RedisCommand<byte[], byte[], ?>>> perDatabase = new HashMap<>();
        List<Command<byte[], byte[], Void>> all = new ArrayList<>(ops.size());
        for (Op op : ops) {
            Command<byte[], byte[], Void> command = new Command<>(op.name(), new DiscardingOutput(), args(op));
            all.add(command);
            perDatabase.computeIfAbsent(op.db(), d -> new ArrayList<>()).add(command);
        }
        List<CompletableFuture<Void>> lasts = new ArrayList<>();
        perDatabase.forEach((db, commands) -> {
            int last = commands.size() - 1;
            @SuppressWarnings("unchecked")
            AsyncCommand<byte[], byte[], Void> tail = new AsyncCommand<>((RedisCommand<byte[], byte[], Void>) commands.get(last));
            commands.set(last, tail);
            lasts.add(tail);
            StatefulRedisConnection<byte[], byte[]> connection = database(db);
            connection.dispatch(commands);
            connection.flushCommands();
        });
        return new Pending(lasts, all);
    }

    /**
     * Auto-flush is off only while a batch is dispatched: Lettuce re-sends MOVED/ASK redirections and
     * commands queued for a node connection still being opened later, on its own, and those must
     * go out without waiting for a next batch that may never come.
     */
    private Pending sendToCluster(List<Op> ops) {
        List<CompletableFuture<Void>> replies = new ArrayList<>(ops.size());
        cluster.setAutoFlushCommands(false);
        try {
            for (Op op : ops) {
                if (op.db() != 0) {
                    throw new IllegalArgumentException("a Redis Cluster target has only database 0, not " + op.db());
                }
                replies.add(cluster.async().dispatch(op.name(), new DiscardingOutput(), args(op)).toCompletableFuture());
            }
        } finally {
            cluster.flushCommands();
            cluster.setAutoFlushCommands(true);
        }
        return new Pending(replies, List.of());
    }

    private static CommandArgs<byte[], byte[]> args(Op op) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
        for (int i = 0; i < op.args().length; i++) {
            if (i == op.keyIndex()) {
                args.addKey(op.args()[i]);
            } else {
                args.add(op.args()[i]);
            }
        }
        return args;
    }

    /** Replies of one batch on their way. */
    final class Pending {

        private final List<CompletableFuture<Void>> replies;
        private final List<Command<byte[], byte[], Void>> plain;

        private Pending(List<CompletableFuture<Void>> replies, List<Command<byte[], byte[], Void>> plain) {
            this.replies = replies;
            this.plain = plain;
        }

        boolean isDone() {
            return replies.stream().allMatch(CompletableFuture::isDone);
        }

        /** Waits up to the target timeout; {@link TimeoutException} means "still waiting", never "lost". */
        Outcome await() throws TimeoutException {
            Outcome futures = TargetWriter.this.await(replies);
            if (plain.isEmpty()) {
                return futures;
            }
            // every plain command was answered before the last one of its connection
            List<String> errors = new ArrayList<>();
            for (Command<byte[], byte[], Void> command : plain) {
                if (command.getOutput().hasError()) {
                    errors.add(command.getOutput().getError());
                }
            }
            return new Outcome(plain.size() - errors.size(), errors);
        }
    }

    private Outcome await(List<CompletableFuture<Void>> replies) throws TimeoutException {
        CompletableFuture<Void> all = CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new));
        try {
            all.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slow) {
            // Commands Lettuce queued on its own (after a reconnect, say) wait for a flush that no
            // new batch may bring: push them out, then keep waiting, never resending anything.
            databases.values().forEach(StatefulRedisConnection::flushCommands);
            if (cluster != null) {
                cluster.flushCommands();
            }
            throw slow;
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

    private StatefulRedisConnection<byte[], byte[]> database(int db) {
        return databases.computeIfAbsent(db, d -> {
            StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
            connection.setTimeout(timeout);
            if (d != 0) {
                connection.sync().select(d);
            }
            connection.setAutoFlushCommands(false);
            return connection;
        });
    }

    /** Sends one command to every master (function libraries live on each node of a cluster) and waits. */
    void onEveryMaster(ProtocolKeyword name, byte[]... args) {
        CommandArgs<byte[], byte[]> commandArgs = new CommandArgs<>(ByteArrayCodec.INSTANCE);
        for (byte[] arg : args) {
            commandArgs.add(arg);
        }
        List<CompletableFuture<Void>> replies = new ArrayList<>();
        if (cluster == null) {
            StatefulRedisConnection<byte[], byte[]> connection = database(0);
            replies.add(connection.async().dispatch(name, new DiscardingOutput(), commandArgs).toCompletableFuture());
            connection.flushCommands();
        } else {
            cluster.getPartitions().forEach(node -> {
                if (node.is(io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag.UPSTREAM)) {
                    StatefulRedisConnection<byte[], byte[]> connection = cluster.getConnection(node.getNodeId());
                    replies.add(connection.async().dispatch(name, new DiscardingOutput(), commandArgs).toCompletableFuture());
                    connection.flushCommands();
                }
            });
        }
        try {
            Outcome outcome = await(replies);
            if (!outcome.errors().isEmpty()) {
                throw new IllegalStateException(name + " refused by " + endpoint + ": " + outcome.errors());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " not answered by " + endpoint, e);
        }
    }

    private RedisURI uri(String seed) {
        return RedisUris.of(RedisEndpoint.hostOf(seed), RedisEndpoint.portOf(seed), endpoint.username(),
                endpoint.password(), endpoint.tls(), timeout);
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
