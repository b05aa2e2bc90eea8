package dev.redmesh.topology;

import dev.redmesh.redis.ReplicationInfo;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import dev.redmesh.redis.RedisVersion;
import dev.redmesh.redis.RedisUris;
import dev.redmesh.redis.TlsTrust;
import dev.redmesh.security.RedisTlsProperties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Asynchronous, bounded access to many Redis nodes over long-lived Lettuce connections: one
 * connection per node, commands that fail fast when it is down, a per-command timeout, and a
 * global cap on commands in flight so that thousands of slow nodes cannot pile up work.
 */
@Component
public class RedisNodeClient implements DisposableBean {

    private final ClientResources resources;
    private final RedisClient client;
    private final Semaphore inFlight;
    private final TopologyProperties properties;
    private final TlsTrust trust;
    private final Map<NodeTarget, CompletableFuture<StatefulRedisConnection<String, String>>> connections =
            new ConcurrentHashMap<>();
    private final Map<NodeTarget, RedisVersion> versions = new ConcurrentHashMap<>();

    RedisNodeClient(TopologyProperties properties, RedisTlsProperties tls) {
        this.properties = properties;
        this.trust = tls.trust();
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        this.client = RedisClient.create(resources);
        this.client.setOptions(trust.apply(ClientOptions.builder())
                .protocolVersion(ProtocolVersion.RESP2)
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(properties.nodeTimeout()))
                .socketOptions(SocketOptions.builder().connectTimeout(properties.connectTimeout()).keepAlive(true).build())
                .build());
        this.inFlight = new Semaphore(properties.maxInFlight());
    }

    public CompletableFuture<ReplicationInfo> replicationInfo(NodeTarget target) {
        return call(target, commands -> commands.info("replication")).thenApply(ReplicationInfo::parse);
    }

    public CompletableFuture<String> clusterNodes(NodeTarget target) {
        return call(target, RedisAsyncCommands::clusterNodes);
    }

    public CompletableFuture<List<Object>> clusterShards(NodeTarget target) {
        return call(target, RedisAsyncCommands::clusterShards);
    }

    /**
     * Whether the node knows PSYNC: managed Redis (ElastiCache, Memorystore...) and servers started with
     * {@code rename-command PSYNC ""} answer {@code COMMAND INFO PSYNC} with a nil entry.
     */
    public CompletableFuture<Boolean> knowsPsync(NodeTarget target) {
        return call(target, commands -> commands.commandInfo("PSYNC"))
                .thenApply(reply -> !reply.isEmpty() && reply.get(0) != null
                        && !(reply.get(0) instanceof List<?> entry && entry.isEmpty())); // RESP2's nil entry: []
    }

    /** How long a node's engine and version is believed before it is asked again (it changes on upgrade). */
    private static final java.time.Duration SERVER_FRESH_FOR = java.time.Duration.ofMinutes(1);
    private record Server(String text, long askedNanos) {
    }
    private final Map<NodeTarget, Server> servers = new ConcurrentHashMap<>();

    /**
     * The node's engine and version, "redis 8.0.2" or "valkey 8.0.1" ({@code INFO server}: Valkey
     * says {@code server_name:valkey} and {@code valkey_version}, and a Redis-compatible
     * {@code redis_version}), asked at most once a minute per node.
     */
    public CompletableFuture<String> server(NodeTarget target) {
        Server known = servers.get(target);
        if (known != null && System.nanoTime() - known.askedNanos() < SERVER_FRESH_FOR.toNanos()) {
            return CompletableFuture.completedFuture(known.text());
        }
        return call(target, commands -> commands.info("server")).thenApply(info -> {
            String text = serverOf(info);
            servers.put(target, new Server(text, System.nanoTime()));
            return text;
        });
    }

    static String serverOf(String info) {
        Map<String, String> fields = new java.util.HashMap<>();
        info.lines().forEach(line -> {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        });
        String name = fields.getOrDefault("server_name", "redis");
        String version = fields.getOrDefault(name + "_version", fields.getOrDefault("redis_version", "?"));
        return name + " " + version;
    }

    /** The node's Redis version, asked once per node and remembered. */
    public CompletableFuture<RedisVersion> version(NodeTarget target) {
        RedisVersion known = versions.get(target);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        return call(target, commands -> commands.info("server")).thenApply(info -> {
            RedisVersion version = RedisVersion.fromInfo(info);
            versions.put(target, version);
            return version;
        });
    }

    /** Closes the connection to a node that is gone from the topology. */
    public void forget(NodeTarget target) {
        versions.remove(target);
        CompletableFuture<StatefulRedisConnection<String, String>> connection = connections.remove(target);
        if (connection != null) {
            connection.thenAccept(StatefulRedisConnection::closeAsync);
        }
    }

    private <T> CompletableFuture<T> call(NodeTarget target,
                                          Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "skipped: " + properties.maxInFlight() + " node commands already in flight"));
        }
        CompletableFuture<T> result = connection(target)
                .thenCompose(connection -> command.apply(connection.async()))
                .toCompletableFuture()
                // Lettuce times out commands itself; this also bounds a connect that hangs
                .orTimeout(properties.connectTimeout().plus(properties.nodeTimeout()).toMillis(), TimeUnit.MILLISECONDS);
        return result.whenComplete((value, error) -> inFlight.release());
    }

    private CompletableFuture<StatefulRedisConnection<String, String>> connection(NodeTarget target) {
        CompletableFuture<StatefulRedisConnection<String, String>> connection = connections.computeIfAbsent(target,
                t -> client.connectAsync(StringCodec.UTF8, uri(t)).toCompletableFuture());
        if (connection.isCompletedExceptionally()) {
            // a failed connect is retried on the next poll, not remembered forever
            connections.remove(target, connection);
        }
        return connection;
    }

    private RedisURI uri(NodeTarget target) {
        return RedisUris.of(target.address().host(), target.address().port(), target.username(), target.password(),
                target.tls(), trust, properties.nodeTimeout());
    }

    @Override
    public void destroy() {
        connections.values().forEach(c -> c.thenAccept(StatefulRedisConnection::closeAsync));
        connections.clear();
        client.shutdown();
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
