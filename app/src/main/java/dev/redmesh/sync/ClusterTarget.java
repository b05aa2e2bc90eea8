package dev.redmesh.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;

import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.redis.RedisVersion;
import dev.redmesh.redis.SyncClients;
import dev.redmesh.redis.TlsTrust;

/**
 * A Redis Cluster as a target: each unit routed by its checkpoint key, which shares the slot of the
 * unit's commands (Lettuce follows MOVED/ASK). The fence of a new holder — 16,385 keys — runs as one
 * script per master and chunk of its slots where Redis 7 allows cross-slot scripts, slot by slot
 * otherwise.
 */
final class ClusterTarget extends TargetWriter {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ClusterTarget.class);
    /** Keys per {@link UnitScripts#FENCE_MANY} call: a few milliseconds of the master's time each. */
    private static final int FENCE_CHUNK = 2048;

    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<byte[], byte[]> cluster;
    private final int rdbVersion;
    /** Redis 7+ runs scripts that declare {@code allow-cross-slot-keys}: one fence call per master. */
    private final boolean crossSlotScripts;

    ClusterTarget(RedisEndpoint endpoint, Duration timeout, TlsTrust trust) {
        super(endpoint, timeout, trust);
        this.client = RedisClusterClient.create(SyncClients.resources(), endpoint.seeds().stream().map(this::uri).toList());
        ClusterClientOptions.Builder options = ClusterClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                .timeoutOptions(NO_COMMAND_TIMEOUT).maxRedirects(5).validateClusterNodeMembership(false);
        trust.apply(options);
        this.client.setOptions(options.build());
        this.cluster = client.connect(ByteArrayCodec.INSTANCE);
        this.cluster.setTimeout(timeout);
        RedisVersion version = RedisVersion.fromInfo(cluster.sync().info("server"));
        this.rdbVersion = rdbVersionOf(version);
        this.crossSlotScripts = version.isAtLeast(7, 0);
        openEveryMaster();
    }

    @Override
    int rdbVersion() {
        return rdbVersion;
    }

    /**
     * Opens the connection slot routing uses to every master, with auto-flush still on. Commands a
     * batch dispatches (auto-flush off) for a node whose connection is still opening are written once
     * it is open, after the batch's flush, and then wait for a flush that only a timeout brings: the
     * first fence of a new holder (16,385 keys) waited two target timeouts that way.
     */
    private void openEveryMaster() {
        List<CompletableFuture<Long>> replies = new ArrayList<>();
        for (RedisClusterNode node : masters()) {
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
    private List<RedisClusterNode> masters() {
        return cluster.getPartitions().stream().filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM)).toList();
    }

    @Override
    Pending send(List<Unit> units) {
        List<UnitScripts.Result> results = new ArrayList<>(units.size());
        List<CompletableFuture<UnitScripts.Result>> replies = new ArrayList<>(units.size());
        cluster.setAutoFlushCommands(false);
        try {
            for (Unit unit : units) {
                if (unit.db() != 0) {
                    throw new IllegalArgumentException("a Redis Cluster target has only database 0, not " + unit.db());
                }
                UnitScripts.Result result = new UnitScripts.Result();
                results.add(result);
                replies.add(cluster.async().dispatch(io.lettuce.core.protocol.CommandType.EVAL, result,
                        eval(UnitScripts.APPLY, unit.keys(), unit.argv())).toCompletableFuture());
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

    @Override
    Fenced fence(String link, long epoch) {
        byte[] epochBytes = UnitScripts.ascii(Long.toString(epoch));
        if (crossSlotScripts) {
            Fenced fenced = fenceEachMaster(link, epochBytes);
            if (fenced != null) {
                return fenced;
            }
        }
        return fenceKeys(link, epochBytes, pass -> {
            cluster.setAutoFlushCommands(false);
            try {
                for (int slot = 0; slot < SlotHash.SLOT_COUNT; slot++) {
                    pass.fence(cluster.async(), SlotTags.checkpointKey(slot, link));
                }
                pass.fence(cluster.async(), SlotTags.resumeKey(link));
            } finally {
                cluster.flushCommands();
                cluster.setAutoFlushCommands(true);
            }
        });
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
        for (RedisClusterNode node : masters()) {
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
        if (covered != SlotHash.SLOT_COUNT) {
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

    @Override
    protected <T> CompletableFuture<T> atResumeKey(
            java.util.function.Function<RedisClusterAsyncCommands<byte[], byte[]>, RedisFuture<T>> call) {
        return call.apply(cluster.async()).toCompletableFuture();
    }

    /** Libraries live on each node of a cluster: the command goes to every master. */
    @Override
    void onEveryMaster(ProtocolKeyword name, byte[]... args) {
        List<CompletableFuture<Void>> replies = new ArrayList<>();
        for (RedisClusterNode node : masters()) {
            StatefulRedisConnection<byte[], byte[]> connection = cluster.getConnection(node.getNodeId());
            replies.add(connection.async().dispatch(name, new DiscardingOutput(), argsOf(args)).toCompletableFuture());
            connection.flushCommands();
        }
        awaitEveryMaster(name, replies);
    }

    @Override
    protected void flushQueued() {
        cluster.flushCommands();
    }

    @Override
    public void close() {
        cluster.close();
        client.shutdown();
    }
}
