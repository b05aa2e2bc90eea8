package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import dev.redmesh.redis.SyncClients;

/**
 * Times a PSYNC link's lag from the source's write ({@link Beats}): every {@link #EVERY} the worker
 * writes a numbered beat on the source master, which the replication stream carries back among the
 * clients' writes, in the order the master executed them.
 *
 * <p>A standalone master propagates {@code PUBLISH} to its replicas, so there a beat writes no key.
 * A Redis Cluster master does not (it sends {@code PUBLISH} and {@code SPUBLISH} over the cluster bus
 * instead of its replication stream), so there a beat is a {@code SET} of a key of the link's own,
 * {@code __redmesh:beat:{<tag>}:<link>:<epoch>}, in one of the master's slots, expiring 5 s after the
 * last beat. Like every {@code __redmesh:} key it never travels. Until a beat has come back through
 * the stream, {@link #lagMs} is -1 and the fleet's offset clock times the lag.
 */
final class PsyncBeats implements AutoCloseable {

    static final Duration EVERY = Duration.ofMillis(250);
    private static final String PREFIX = KeyFilter.INTERNAL_PREFIX + "beat:";
    private static final long KEY_TTL_MILLIS = 5_000;

    /** One thread schedules every link's beats; nothing on it blocks (connections and replies are asynchronous). */
    private static final ScheduledExecutorService SCHEDULER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "sync-beats");
        thread.setDaemon(true);
        return thread;
    });

    /** Where beats go: a channel (standalone) or a key in one of the master's slots (cluster). */
    private record Target(byte[] name, boolean key) {
    }

    private final Beats beats = new Beats();
    private final SyncWorker.Spec spec;
    private final byte[] suffix;
    private RedisClient client;
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private volatile boolean connecting;
    private volatile Target target;
    private volatile boolean resolving;
    private volatile boolean closed;
    private ScheduledFuture<?> beating;

    PsyncBeats(SyncWorker.Spec spec) {
        this.spec = spec;
        this.suffix = (":" + spec.link() + ":" + spec.epoch()).getBytes(StandardCharsets.UTF_8);
    }

    void start() {
        client = RedisClient.create(SyncClients.resources(), SyncWorker.sourceUri(spec));
        client.setOptions(spec.options().tls().apply(ClientOptions.builder())
                // a beat that cannot be sent is not queued for later: it stays outstanding and the lag grows
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        beating = SCHEDULER.scheduleAtFixedRate(this::beat, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        if (closed) {
            return;
        }
        StatefulRedisConnection<byte[], byte[]> c = connection;
        Target to = target;
        if (c == null || to == null) {
            if (beats.heard()) {
                beats.sent(System.nanoTime()); // known to work before: the source not answering is lag
            }
            if (c == null) {
                connect();
            } else {
                resolve(c);
            }
            return;
        }
        long id = beats.sent(System.nanoTime());
        byte[] message = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
        try {
            RedisFuture<?> reply = to.key() ? c.async().set(to.name(), message, SetArgs.Builder.px(KEY_TTL_MILLIS))
                    : c.async().publish(to.name(), message);
            beats.track(id, reply);
            if (to.key()) {
                reply.whenComplete((ok, error) -> {
                    if (error != null && error.getMessage() != null && error.getMessage().matches("(?s)^(MOVED|ASK|READONLY|CLUSTERDOWN).*")) {
                        target = null; // the slot moved away, or the node is no master now: find another slot
                    }
                });
            }
        } catch (RuntimeException e) {
            // not connected: the beat stays outstanding
        }
    }

    private void connect() {
        if (connecting) {
            return;
        }
        connecting = true;
        client.connectAsync(ByteArrayCodec.INSTANCE, SyncWorker.sourceUri(spec)).whenComplete((c, error) -> {
            connecting = false;
            if (error != null) {
                return; // tried again at the next beat
            }
            if (closed) {
                c.closeAsync();
                return;
            }
            connection = c;
            resolve(c);
        });
    }

    /** Finds where beats go: {@code INFO cluster} says whether the master is in a Redis Cluster, its nodes which slots it serves. */
    private void resolve(StatefulRedisConnection<byte[], byte[]> c) {
        if (resolving) {
            return;
        }
        resolving = true;
        c.async().info("cluster").toCompletableFuture()
                .thenCompose(info -> info.contains("cluster_enabled:1")
                        ? c.async().clusterNodes().toCompletableFuture().thenApply(PsyncBeats::ownSlot)
                        : CompletableFuture.completedFuture(-1))
                .whenComplete((slot, error) -> {
                    resolving = false;
                    if (error == null && slot != null && slot != NO_SLOT) {
                        target = slot < 0 ? new Target(concat(PREFIX.getBytes(StandardCharsets.US_ASCII), suffix), false)
                                : new Target(concat((PREFIX + "{" + SlotTags.of(slot) + "}").getBytes(StandardCharsets.US_ASCII),
                                suffix), true);
                    }
                });
    }

    private static final int NO_SLOT = -2;

    /** The first slot the {@code myself} line of {@code CLUSTER NODES} serves; {@link #NO_SLOT} when it serves none. */
    static int ownSlot(String nodes) {
        for (String line : nodes.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (fields.length < 3 || !Arrays.asList(fields[2].split(",")).contains("myself")) {
                continue;
            }
            for (int i = 8; i < fields.length; i++) {
                if (!fields[i].startsWith("[")) { // [slot->-node] is a migration in progress, not a slot served
                    int dash = fields[i].indexOf('-');
                    return Integer.parseInt(dash < 0 ? fields[i] : fields[i].substring(0, dash));
                }
            }
        }
        return NO_SLOT;
    }

    /**
     * Called by the stream's reader for every command: a beat of this link, read at {@code before}
     * (the end offset of the change read before it), is notified there.
     */
    void read(String name, byte[][] args, long before) {
        if (args.length < 2 || !(name.equals("PUBLISH") || name.equals("SET")) || !isOurs(args[0])) {
            return;
        }
        try {
            beats.notified(Long.parseLong(new String(args[1], StandardCharsets.US_ASCII)), before, System.nanoTime());
        } catch (NumberFormatException ignored) {
            // not a beat after all
        }
    }

    /** Whether a key is a beat (of any link): skipped by every link, like any {@code __redmesh:} key, but no echo. */
    static boolean isBeat(byte[] key) {
        return KeyFilter.startsWith(key, PREFIX_BYTES);
    }

    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);

    private boolean isOurs(byte[] name) {
        if (name.length < PREFIX.length() + suffix.length || !isBeat(name)) {
            return false;
        }
        return Arrays.equals(name, name.length - suffix.length, name.length, suffix, 0, suffix.length);
    }

    void applied(long offset) {
        beats.applied(offset, System.nanoTime());
    }

    /** The lag in ms, once a beat has come back through the stream; -1 before. */
    long lagMs() {
        return beats.heard() ? beats.lagMs(System.nanoTime()) : -1;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    @Override
    public void close() {
        closed = true;
        if (beating != null) {
            beating.cancel(false);
        }
        StatefulRedisConnection<byte[], byte[]> c = connection;
        if (c != null) {
            c.closeAsync();
        }
        if (client != null) {
            client.shutdownAsync(0, 1, TimeUnit.SECONDS);
        }
    }
}
