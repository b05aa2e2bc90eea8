package dev.redmesh.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.protocol.RedisCommand;

import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.redis.RedisVersion;
import dev.redmesh.redis.SyncClients;
import dev.redmesh.redis.TlsTrust;

/**
 * A standalone master as a target: one connection per database the link writes to, each unit
 * dispatched on its database's connection, every connection written in one go per batch.
 * Bookkeeping across databases (the fence walks all of them with {@code SELECT}) has a connection
 * of its own.
 */
class StandaloneTarget extends TargetWriter {

    private final RedisClient client;
    private final Map<Integer, StatefulRedisConnection<byte[], byte[]>> databases = new HashMap<>();
    private final int rdbVersion;
    private final int databaseCount;
    private StatefulRedisConnection<byte[], byte[]> admin;

    StandaloneTarget(RedisEndpoint endpoint, Duration timeout, TlsTrust trust) {
        super(endpoint, timeout, trust);
        this.client = RedisClient.create(SyncClients.resources(), uri(endpoint.seeds().get(0)));
        this.client.setOptions(trust.apply(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(NO_COMMAND_TIMEOUT)).build());
        // the bookkeeping connection learns the server's version and database count in one round trip
        StatefulRedisConnection<byte[], byte[]> bookkeeping = admin();
        RedisFuture<String> info = bookkeeping.async().info("server");
        RedisFuture<Map<String, String>> count = bookkeeping.async().configGet("databases");
        this.rdbVersion = rdbVersionOf(RedisVersion.fromInfo(reply(info)));
        int databases;
        try {
            databases = Integer.parseInt(reply(count).getOrDefault("databases", "16"));
        } catch (RuntimeException e) {
            databases = 16; // CONFIG may be renamed or refused (managed Redis): Redis' default
        }
        this.databaseCount = databases;
    }

    @Override
    int rdbVersion() {
        return rdbVersion;
    }

    /** Standalone: one list per database connection, written in one go; replies come back in order. */
    @Override
    Pending send(List<Unit> units) {
        List<UnitScripts.Result> results = new ArrayList<>(units.size());
        Map<Integer, List<RedisCommand<byte[], byte[], ?>>> perDatabase = new HashMap<>();
        for (Unit unit : units) {
            UnitScripts.Result result = new UnitScripts.Result();
            results.add(result);
            perDatabase.computeIfAbsent(unit.db(), d -> new ArrayList<>()).addAll(commandsFor(unit, result));
        }
        // only the last command of each list needs a future: the others are answered before it
        List<CompletableFuture<?>> lasts = new ArrayList<>();
        perDatabase.forEach((db, commands) -> {
            int last = commands.size() - 1;
            @SuppressWarnings({"unchecked", "rawtypes"})
            AsyncCommand<byte[], byte[], ?> tail = new AsyncCommand<>((RedisCommand) commands.get(last));
            commands.set(last, tail);
            lasts.add(tail);
            StatefulRedisConnection<byte[], byte[]> connection = database(db);
            connection.dispatch(commands);
            connection.flushCommands();
        });
        return new Pending(lasts, results);
    }

    /** The commands that apply one unit: its script call, whose reply fills {@code result}. */
    protected List<RedisCommand<byte[], byte[], ?>> commandsFor(Unit unit, UnitScripts.Result result) {
        return List.of(new Command<>(io.lettuce.core.protocol.CommandType.EVAL, result,
                eval(UnitScripts.APPLY, unit.keys(), unit.argv())));
    }

    /** Every database's checkpoint key and database 0's resume key, on one connection, in one pipeline. */
    @Override
    Fenced fence(String link, long epoch) {
        byte[] epochBytes = UnitScripts.ascii(Long.toString(epoch));
        StatefulRedisConnection<byte[], byte[]> connection = admin();
        return fenceKeys(link, epochBytes, pass -> {
            connection.setAutoFlushCommands(false);
            try {
                for (int db = 0; db < databaseCount; db++) {
                    pass.other(connection.async().select(db));
                    pass.fence(connection.async(), SlotTags.checkpointKey(0, link));
                    if (db == 0) {
                        pass.fence(connection.async(), SlotTags.resumeKey(link));
                    }
                }
                pass.other(connection.async().select(0));
            } finally {
                connection.flushCommands();
                connection.setAutoFlushCommands(true);
            }
        });
    }

    @Override
    protected <T> CompletableFuture<T> atResumeKey(
            java.util.function.Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> call) {
        StatefulRedisConnection<byte[], byte[]> connection = database(0);
        CompletableFuture<T> reply = call.apply(connection.async()).toCompletableFuture();
        connection.flushCommands();
        return reply;
    }

    @Override
    void onEveryMaster(ProtocolKeyword name, byte[]... args) {
        StatefulRedisConnection<byte[], byte[]> connection = database(0);
        CompletableFuture<Void> reply = connection.async().dispatch(name, new DiscardingOutput(), argsOf(args)).toCompletableFuture();
        connection.flushCommands();
        awaitEveryMaster(name, List.of(reply));
    }

    @Override
    protected void flushQueued() {
        databases.values().forEach(StatefulRedisConnection::flushCommands);
        if (admin != null) {
            admin.flushCommands();
        }
    }

    /** A connection for the link's bookkeeping across databases (it SELECTs freely), opened on first use. */
    private StatefulRedisConnection<byte[], byte[]> admin() {
        if (admin == null) {
            admin = client.connect(ByteArrayCodec.INSTANCE);
        }
        return admin;
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

    @Override
    public void close() {
        databases.values().forEach(StatefulRedisConnection::close);
        if (admin != null) {
            admin.close();
        }
        client.shutdown();
    }
}
