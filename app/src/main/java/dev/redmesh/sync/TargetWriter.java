package dev.redmesh.sync;

import dev.redmesh.redis.RedisEndpoint;

import dev.redmesh.redis.SyncClients;

import dev.redmesh.redis.RedisUris;

import dev.redmesh.redis.TlsTrust;

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

import dev.redmesh.redis.RedisVersion;

/**
 * Writes to the target with Lettuce as atomic units ({@link UnitScripts}), many per round trip: a
 * batch is dispatched with auto-flush off, flushed once, then awaited. Standalone targets get one
 * connection per database; on a Redis Cluster target each unit is routed by its checkpoint key,
 * which shares the slot of the unit's commands (Lettuce follows MOVED/ASK).
 */
final class TargetWriter implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TargetWriter.class);

    /**
     * A write sent is never sent again because its reply is slow: a stopped target (SIGSTOP, a long
     * fork) answers later, in order, and resending would apply non-idempotent commands twice.
     */
    private static final TimeoutOptions NO_COMMAND_TIMEOUT = TimeoutOptions.builder().timeoutCommands(false).build();

    private final RedisEndpoint endpoint;
    private final TlsTrust trust;
    private final Duration timeout;
    private final RedisClient client;
    private final RedisClusterClient clusterClient;
    private final StatefulRedisClusterConnection<byte[], byte[]> cluster;
    private final Map<Integer, StatefulRedisConnection<byte[], byte[]>> databases = new HashMap<>();
    private final int rdbVersion;
    private final SyncOptions.Apply apply;
    /** Redis 7+ runs scripts that declare {@code allow-cross-slot-keys}: one fence call per master. */
    private final boolean crossSlotScripts;

    TargetWriter(RedisEndpoint endpoint, Duration timeout) {
        this(endpoint, timeout, SyncOptions.Apply.UNITS, TlsTrust.DEFAULT);
    }

    TargetWriter(RedisEndpoint endpoint, Duration timeout, SyncOptions.Apply apply, TlsTrust trust) {
        this.endpoint = endpoint;
        this.trust = trust;
        this.timeout = timeout;
        this.apply = apply;
        if (apply != SyncOptions.Apply.UNITS && endpoint.cluster()) {
            throw new IllegalArgumentException("the " + apply + " baseline is measured on standalone targets only");
        }
        if (endpoint.cluster()) {
            this.client = null;
            this.clusterClient = RedisClusterClient.create(SyncClients.resources(), endpoint.seeds().stream().map(this::uri).toList());
            ClusterClientOptions.Builder options = ClusterClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                    .timeoutOptions(NO_COMMAND_TIMEOUT).maxRedirects(5).validateClusterNodeMembership(false);
            trust.apply(options);
            this.clusterClient.setOptions(options.build());
            this.cluster = clusterClient.connect(ByteArrayCodec.INSTANCE);
            this.cluster.setTimeout(timeout);
            RedisVersion version = RedisVersion.fromInfo(cluster.sync().info("server"));
            this.rdbVersion = rdbVersionOf(version);
            this.crossSlotScripts = version.isAtLeast(7, 0);
            openEveryMaster();
        } else {
            this.clusterClient = null;
            this.cluster = null;
            this.crossSlotScripts = false;
            this.client = RedisClient.create(SyncClients.resources(), uri(endpoint.seeds().get(0)));
            this.client.setOptions(trust.apply(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                    .timeoutOptions(NO_COMMAND_TIMEOUT)).build());
            // the bookkeeping connection learns the server's version and database count in one round trip
            StatefulRedisConnection<byte[], byte[]> admin = admin();
            io.lettuce.core.RedisFuture<String> info = admin.async().info("server");
            io.lettuce.core.RedisFuture<Map<String, String>> databases = admin.async().configGet("databases");
            this.rdbVersion = rdbVersionOf(RedisVersion.fromInfo(reply(info)));
            try {
                this.databaseCount = Integer.parseInt(reply(databases).getOrDefault("databases", "16"));
            } catch (RuntimeException e) {
                this.databaseCount = 16; // CONFIG may be renamed or refused (managed Redis): Redis' default
            }
        }
    }

    /**
     * Opens the connection slot routing uses to every master, with auto-flush still on. Commands a
     * batch dispatches (auto-flush off) for a node whose connection is still opening are written once
     * it is open, after the batch's flush, and then wait for a flush that only a timeout brings: the
     * first fence of a new holder (16,385 keys) waited two target timeouts that way.
     */
    private void openEveryMaster() {
        List<CompletableFuture<Long>> replies = new ArrayList<>();
        for (io.lettuce.core.cluster.models.partitions.RedisClusterNode node : masters()) {
            if (!node.getSlots().isEmpty()) {
                replies.add(cluster.async().exists(SlotTags.checkpointKey(node.getSlots().get(0), "")).toCompletableFuture());
            }
        }
        try {
            await(replies);
        } catch (TimeoutException e) {
            // only a head start: a slow master is waited for like any batch
            log.warn("Not every master of {} answered within {}", endpoint, timeout);
        }
    }

    /** The masters in the client's view of the cluster. */
    private List<io.lettuce.core.cluster.models.partitions.RedisClusterNode> masters() {
        return cluster.getPartitions().stream()
                .filter(node -> node.is(io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag.UPSTREAM)).toList();
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

    /**
     * One atomic unit: the commands of one slot (one database of a standalone target) applied by
     * {@link UnitScripts#APPLY}. {@code argv} is the script's ARGV, header included.
     */
    record Unit(int db, byte[] checkpointKey, List<byte[]> argv) {
    }

    /** Sends every unit, pipelined; the replies are awaited with {@link Pending#await}. */
    Pending send(List<Unit> units) {
        List<UnitScripts.Result> results = new ArrayList<>(units.size());
        if (cluster != null) {
            List<CompletableFuture<UnitScripts.Result>> replies = new ArrayList<>(units.size());
            cluster.setAutoFlushCommands(false);
            try {
                for (Unit unit : units) {
                    if (unit.db() != 0) {
                        throw new IllegalArgumentException("a Redis Cluster target has only database 0, not " + unit.db());
                    }
                    UnitScripts.Result result = new UnitScripts.Result();
                    results.add(result);
                    replies.add(cluster.async().dispatch(io.lettuce.core.protocol.CommandType.EVAL, result, evalArgs(unit))
                            .toCompletableFuture());
                }
            } finally {
                // Auto-flush is off only while a batch is dispatched: Lettuce re-sends MOVED/ASK
                // redirections and commands queued for a node connection still opening later, on
                // its own, and those must go out without waiting for a next batch that may never come.
                cluster.flushCommands();
                cluster.setAutoFlushCommands(true);
            }
            return new Pending(replies, results);
        }
        // Standalone: one list per database connection, written in one go. Replies come back in order,
        // so only the last unit of each list needs a future.
        Map<Integer, List<RedisCommand<byte[], byte[], ?>>> perDatabase = new HashMap<>();
        for (Unit unit : units) {
            UnitScripts.Result result = new UnitScripts.Result();
            results.add(result);
            List<RedisCommand<byte[], byte[], ?>> commands = perDatabase.computeIfAbsent(unit.db(), d -> new ArrayList<>());
            if (apply == SyncOptions.Apply.PLAIN) {
                commands.addAll(plain(unit, result));
            } else {
                commands.add(new Command<>(io.lettuce.core.protocol.CommandType.EVAL, result, evalArgs(unit)));
            }
        }
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

    private CommandArgs<byte[], byte[]> evalArgs(Unit unit) {
        if (apply == SyncOptions.Apply.UNITS_WITHOUT_CHECKPOINT) {
            CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
            args.add(UnitScripts.APPLY_WITHOUT_CHECKPOINT).add(0);
            unit.argv().forEach(args::add);
            return args;
        }
        return eval(UnitScripts.APPLY, unit.checkpointKey(), unit.argv());
    }

    /**
     * The PLAIN baseline: the unit's commands one by one, as a copier without checkpoints would send
     * them; the unit counts as applied in full (errors are not looked at).
     */
    private static List<RedisCommand<byte[], byte[], ?>> plain(Unit unit, UnitScripts.Result result) {
        List<byte[]> argv = unit.argv();
        List<RedisCommand<byte[], byte[], ?>> commands = new ArrayList<>();
        for (int i = UnitScripts.HEADER_ARGS; i < argv.size(); ) {
            int argc = Integer.parseInt(new String(argv.get(i + 1), java.nio.charset.StandardCharsets.US_ASCII));
            CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
            for (int a = i + 3; a < i + 2 + argc; a++) {
                args.add(argv.get(a));
            }
            commands.add(new Command<>(new RawCommand(argv.get(i + 2)), new DiscardingOutput(), args));
            i += 2 + argc;
        }
        result.set(commands.size());
        result.set(0);
        result.set(0);
        return commands;
    }

    private static CommandArgs<byte[], byte[]> eval(byte[] script, byte[] key, List<byte[]> argv) {
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
        args.add(script).add(1).addKey(key);
        for (byte[] arg : argv) {
            args.add(arg);
        }
        return args;
    }

    /** Replies of one batch on their way. */
    final class Pending {

        private final List<? extends CompletableFuture<?>> replies;
        private final List<UnitScripts.Result> results;

        private Pending(List<? extends CompletableFuture<?>> replies, List<UnitScripts.Result> results) {
            this.replies = replies;
            this.results = results;
        }

        boolean isDone() {
            return replies.stream().allMatch(CompletableFuture::isDone);
        }

        /**
         * Waits up to the target timeout; {@link TimeoutException} means "still waiting", never "lost".
         * Returns one result per unit, in order; a unit the target refused as a whole carries its error.
         */
        List<UnitScripts.Result> await() throws TimeoutException {
            TargetWriter.this.await(replies);
            return results;
        }
    }

    private void await(List<? extends CompletableFuture<?>> replies) throws TimeoutException {
        CompletableFuture<Void> all = CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new));
        try {
            all.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException slow) {
            // Commands Lettuce queued on its own (after a reconnect, say) wait for a flush that no
            // new batch may bring: push them out, then keep waiting, never resending anything.
            databases.values().forEach(StatefulRedisConnection::flushCommands);
            if (admin != null) {
                admin.flushCommands();
            }
            if (cluster != null) {
                cluster.flushCommands();
            }
            throw slow;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof RedisCommandExecutionException)) {
                throw new IllegalStateException("target " + endpoint + " failed: " + e.getCause(), e.getCause());
            }
            // a unit refused as a whole: its result carries the error; wait for the others
            for (CompletableFuture<?> reply : replies) {
                try {
                    reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (ExecutionException refused) {
                    if (!(refused.getCause() instanceof RedisCommandExecutionException)) {
                        throw new IllegalStateException("target " + endpoint + " failed: " + refused.getCause(),
                                refused.getCause());
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for " + endpoint, interrupted);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + endpoint, e);
        }
    }

    /** Where the link stands on the target once fenced: its resume point (null if none) and every checkpoint. */
    record Fenced(Checkpoint resume, List<Checkpoint> checkpoints) {
    }

    /**
     * Raises the link's epoch in every checkpoint key (every slot, or every database of a standalone
     * target) and in its resume key, so that a former holder can no longer apply anything (I3), and
     * answers what those keys hold afterwards: the fence and the read are one pass over the keys
     * (16,385 of them on a Redis Cluster target), on the path of every takeover.
     *
     * @throws FencedException if the target already holds a newer epoch
     */
    Fenced fence(String link, long epoch) {
        byte[] epochBytes = UnitScripts.ascii(Long.toString(epoch));
        if (cluster != null && crossSlotScripts) {
            Fenced fenced = fenceEachMaster(link, epochBytes);
            if (fenced != null) {
                return fenced;
            }
        }
        List<byte[]> argv = List.of(epochBytes);
        List<byte[]> keys = new ArrayList<>();
        List<io.lettuce.core.output.ByteArrayOutput<byte[], byte[]>> outputs = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        forEveryCheckpoint(link, (connection, key) -> {
            io.lettuce.core.output.ByteArrayOutput<byte[], byte[]> output = new io.lettuce.core.output.ByteArrayOutput<>(ByteArrayCodec.INSTANCE);
            keys.add(key);
            outputs.add(output);
            return connection.dispatch(io.lettuce.core.protocol.CommandType.EVAL, output, eval(UnitScripts.FENCE, key, argv));
        }, refusals);
        refuseIfFenced(link, refusals);
        List<byte[]> values = new ArrayList<>(outputs.size());
        outputs.forEach(output -> values.add(output.get()));
        return standing(link, keys, values);
    }

    /**
     * The fence on a Redis 7+ cluster: one {@link UnitScripts#FENCE_MANY} per master and chunk of its
     * slots instead of one script per slot, on that master's own connection. Null if the view of the
     * cluster is not complete or a master refuses a key as not its own (a slot moving): the caller
     * then fences slot by slot, routed, which follows redirections. Raising an epoch twice is harmless.
     */
    private Fenced fenceEachMaster(String link, byte[] epochBytes) {
        List<byte[]> keys = new ArrayList<>();
        List<CompletableFuture<List<byte[]>>> replies = new ArrayList<>();
        int covered = 0;
        for (io.lettuce.core.cluster.models.partitions.RedisClusterNode node : masters()) {
            if (node.getSlots().isEmpty()) {
                continue;
            }
            List<byte[]> nodeKeys = new ArrayList<>();
            for (int slot : node.getSlots()) {
                nodeKeys.add(SlotTags.checkpointKey(slot, link));
            }
            covered += nodeKeys.size();
            if (node.hasSlot(0)) {
                nodeKeys.add(SlotTags.resumeKey(link));
            }
            // the connection slot routing uses (host and port), which openEveryMaster opened: not a second one
            StatefulRedisConnection<byte[], byte[]> connection = cluster.getConnection(node.getUri().getHost(),
                    node.getUri().getPort());
            for (int from = 0; from < nodeKeys.size(); from += FENCE_CHUNK) {
                List<byte[]> chunk = nodeKeys.subList(from, Math.min(nodeKeys.size(), from + FENCE_CHUNK));
                CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
                args.add(UnitScripts.FENCE_MANY).add(0).add(epochBytes);
                chunk.forEach(args::add);
                keys.addAll(chunk);
                replies.add(connection.async().dispatch(io.lettuce.core.protocol.CommandType.EVAL,
                        new io.lettuce.core.output.ValueListOutput<>(ByteArrayCodec.INSTANCE), args).toCompletableFuture());
            }
        }
        if (covered != io.lettuce.core.cluster.SlotHash.SLOT_COUNT) {
            return null;
        }
        awaitCheckpoints(link, replies);
        List<String> refusals = new ArrayList<>();
        List<byte[]> values = new ArrayList<>(keys.size());
        for (CompletableFuture<List<byte[]>> reply : replies) {
            try {
                values.addAll(reply.join());
            } catch (java.util.concurrent.CompletionException e) {
                String message = String.valueOf(e.getCause().getMessage());
                if (!UnitScripts.isFenced(message)) {
                    log.info("Link {}: fencing {} master by master failed ({}); slot by slot instead", link, endpoint, message);
                    return null;
                }
                refusals.add(message);
            }
        }
        refuseIfFenced(link, refusals);
        return standing(link, keys, values);
    }

    /** Keys per {@link UnitScripts#FENCE_MANY} call: a few milliseconds of the master's time each. */
    private static final int FENCE_CHUNK = 2048;

    private void refuseIfFenced(String link, List<String> refusals) {
        if (!refusals.isEmpty()) {
            throw new FencedException("link " + link + " on " + endpoint + ": " + refusals.get(0));
        }
    }

    /** The link's standing from the fenced keys' values (the resume key's among them). */
    private static Fenced standing(String link, List<byte[]> keys, List<byte[]> values) {
        byte[] resumeKey = SlotTags.resumeKey(link);
        Checkpoint resume = null;
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            Checkpoint checkpoint = Checkpoint.parse(values.get(i));
            if (checkpoint == null || checkpoint.offset() < 0) {
                continue;
            }
            checkpoints.add(checkpoint);
            if (java.util.Arrays.equals(keys.get(i), resumeKey)) {
                resume = checkpoint;
            }
        }
        return new Fenced(resume, checkpoints);
    }

    /**
     * Stores the resume point: every slot has applied everything up to {@code offset}. Not waited
     * for (a stopped target must not stop the applier): the reply is looked at by the next call,
     * which does nothing while the previous one is unanswered.
     *
     * @throws FencedException if a previous store was refused because a newer epoch holds the link
     */
    boolean storeResumePoint(String link, long epoch, String replid, long offset) {
        if (resumeReply != null) {
            if (!resumeReply.isDone()) {
                return false;
            }
            try {
                resumeReply.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (UnitScripts.isFenced(String.valueOf(e.getCause().getMessage()))) {
                    throw new FencedException("link " + link + " on " + endpoint + ": " + e.getCause().getMessage());
                }
                // not stored (a reconnect, say): the next one will be
            }
        }
        List<byte[]> argv = List.of(UnitScripts.ascii(Long.toString(epoch)), UnitScripts.ascii(replid),
                UnitScripts.ascii(Long.toString(offset)));
        resumeReply = atResumeKey(commands -> commands.dispatch(io.lettuce.core.protocol.CommandType.EVAL,
                new DiscardingOutput(), eval(UnitScripts.RESUME, SlotTags.resumeKey(link), argv)));
        return true;
    }

    private CompletableFuture<Void> resumeReply;

    /** Sends one command on the connection that serves the resume key (slot 0, or database 0), flushed. */
    private <T> CompletableFuture<T> atResumeKey(
            java.util.function.Function<io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<byte[], byte[]>,
                    io.lettuce.core.RedisFuture<T>> call) {
        if (cluster != null) {
            return call.apply(cluster.async()).toCompletableFuture();
        }
        StatefulRedisConnection<byte[], byte[]> connection = database(0);
        CompletableFuture<T> reply = call.apply(connection.async()).toCompletableFuture();
        connection.flushCommands();
        return reply;
    }

    private interface KeyCall {
        io.lettuce.core.RedisFuture<?> call(io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands<byte[], byte[]> connection,
                                            byte[] key);
    }

    /** Calls {@code call} for every checkpoint key of the link and the resume key, pipelined, and waits. */
    private void forEveryCheckpoint(String link, KeyCall call, List<String> refusals) {
        List<io.lettuce.core.RedisFuture<?>> replies = new ArrayList<>();
        if (cluster != null) {
            cluster.setAutoFlushCommands(false);
            try {
                for (int slot = 0; slot < io.lettuce.core.cluster.SlotHash.SLOT_COUNT; slot++) {
                    replies.add(call.call(cluster.async(), SlotTags.checkpointKey(slot, link)));
                }
                replies.add(call.call(cluster.async(), SlotTags.resumeKey(link)));
            } finally {
                cluster.flushCommands();
                cluster.setAutoFlushCommands(true);
            }
        } else {
            // one connection walks every database with SELECT, all in one pipeline; the count is asked
            // first, since a synchronous call on a connection that does not flush would only time out
            int databases = databaseCount;
            StatefulRedisConnection<byte[], byte[]> admin = admin();
            admin.setAutoFlushCommands(false);
            try {
                for (int db = 0; db < databases; db++) {
                    replies.add(admin.async().select(db));
                    replies.add(call.call(admin.async(), SlotTags.checkpointKey(0, link)));
                    if (db == 0) {
                        replies.add(call.call(admin.async(), SlotTags.resumeKey(link)));
                    }
                }
                replies.add(admin.async().select(0));
            } finally {
                admin.flushCommands();
                admin.setAutoFlushCommands(true);
            }
        }
        List<CompletableFuture<?>> answers = new ArrayList<>(replies.size());
        replies.forEach(reply -> answers.add(reply.toCompletableFuture()));
        awaitCheckpoints(link, answers);
        for (CompletableFuture<?> answer : answers) {
            try {
                answer.join();
            } catch (java.util.concurrent.CompletionException e) {
                String message = String.valueOf(e.getCause().getMessage());
                if (!UnitScripts.isFenced(message)) {
                    throw new IllegalStateException("checkpoints of " + link + " on " + endpoint + ": " + message, e.getCause());
                }
                refusals.add(message);
            }
        }
    }

    /** Waits up to three target timeouts for the answers of a pass over the link's checkpoints. */
    private void awaitCheckpoints(String link, List<? extends CompletableFuture<?>> answers) {
        for (int attempt = 1; ; attempt++) {
            try {
                await(answers); // pushes out what Lettuce queued on its own when slow, like any batch
                return;
            } catch (TimeoutException slow) {
                if (attempt == 3) {
                    throw new IllegalStateException("checkpoints of " + link + " on " + endpoint + " not answered within "
                            + timeout.multipliedBy(3), slow);
                }
            }
        }
    }

    /** Databases of a standalone target: CONFIG GET when allowed (managed services may rename CONFIG), else 16. */
    private <T> T reply(io.lettuce.core.RedisFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(endpoint + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(endpoint + " did not answer within " + timeout, e);
        }
    }

    private int databaseCount;
    private StatefulRedisConnection<byte[], byte[]> admin;

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
            for (io.lettuce.core.cluster.models.partitions.RedisClusterNode node : masters()) {
                StatefulRedisConnection<byte[], byte[]> connection = cluster.getConnection(node.getNodeId());
                replies.add(connection.async().dispatch(name, new DiscardingOutput(), commandArgs).toCompletableFuture());
                connection.flushCommands();
            }
        }
        try {
            for (CompletableFuture<Void> reply : replies) {
                reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + " refused by " + endpoint + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + endpoint, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + " not answered by " + endpoint, e);
        }
    }

    private RedisURI uri(String seed) {
        return RedisUris.of(RedisEndpoint.hostOf(seed), RedisEndpoint.portOf(seed), endpoint.username(),
                endpoint.password(), endpoint.tls(), trust, timeout);
    }

    @Override
    public void close() {
        databases.values().forEach(StatefulRedisConnection::close);
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
            clusterClient.shutdown();
        }
        if (client != null) {
            client.shutdown();
        }
    }
}
