package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.redis.RedisUris;
import dev.redmesh.redis.SyncClients;

/**
 * Keyspace capture, for managed Redis that refuses PSYNC: the second {@link ChangeSource}.
 *
 * <p>It subscribes to the source master's keyspace notifications <em>before</em> it copies the
 * keyspace ({@code SCAN} + {@code DUMP}/{@code PTTL}, handed on as a full sync under the same
 * keep-what-the-target-holds rule), so a key changed during the copy is read again after it. Then
 * every notified key is read in its current state and handed on as {@code RESTORE … REPLACE} (or
 * {@code DEL} when it is gone); notifications of one key that arrive before it is read coalesce
 * into one read. It copies state, not operations.
 *
 * <p>No echo (I1): a unit a link applies to a target that is read this way brackets its writes with
 * the link's marker key ({@link UnitScripts#APPLY}); a script's notifications arrive contiguously and
 * in order, so everything between a marker's {@code set} and its {@code del} came through a link and
 * is dropped here, while a client's later write of the same key is read as usual.
 *
 * <p>A gap in the notifications (the subscription dropped: a restart, a failover, a slow subscriber
 * disconnected by {@code client-output-buffer-limit pubsub}) is closed by a resync after
 * resubscribing; so is a restart on a target that already had its copy (a failover of the source,
 * a worker replaced). Its lag in ms is timed by beats published on the source ({@link Beats}).
 */
final class KeyspaceSource implements ChangeSource {

    /**
     * How long a resync waits between its two reads of a candidate: longer than a link's lag, so a key
     * the target wrote (which reaches the source through the opposite link) is equal again by then.
     */
    static final Duration RESYNC_DELAY = Duration.ofSeconds(2);
    /**
     * How long a resync waits for the links into its source to cover a key the target holds
     * differently before it leaves the key to verification.
     */
    static final Duration RESYNC_WAIT = Duration.ofSeconds(30);

    /** How often a beat is published on the source to time the lag (see {@link Beats}). */
    static final Duration BEAT_EVERY = Duration.ofMillis(250);

    static final ChangeSource.Factory FACTORY = (spec, catalog, targetRdbVersion, queue, stats, from, events, downgrade) ->
            new KeyspaceSource(spec, queue, stats, from != null, events, RESYNC_DELAY);


    private static final Logger log = LoggerFactory.getLogger(KeyspaceSource.class);
    private static final byte[] PATTERN = ascii("__keyspace@*__:*");
    private static final byte[] CHANNEL_PREFIX = ascii("__keyspace@");
    private static final byte[] MARKER = ascii(KeyFilter.INTERNAL_PREFIX + SlotTags.UNIT_MARKER);
    private static final byte[] RESTORE = ascii("RESTORE");
    private static final byte[] DEL = ascii("DEL");
    private static final int READ_BATCH = 256;
    private static final int SCAN_COUNT = 1000;

    private final SyncWorker.Spec spec;
    private final BoundedEventQueue queue;
    private final SyncStats stats;
    private final String replid = "keyspace-" + UUID.randomUUID();
    /** Keys notified and not read yet, in notification order; a key notified again keeps its place. */
    private final Map<DbKey, Boolean> dirty = new LinkedHashMap<>();
    /** Per database: inside a unit a link applied (between its marker's set and del). */
    private final boolean[] inUnit = new boolean[64];
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong echoes = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean gap;
    private volatile long readOffset = -1;
    private RedisClient client;
    private StatefulRedisConnection<byte[], byte[]> reader;
    private StatefulRedisPubSubConnection<byte[], byte[]> notifications;
    private Thread thread;

    private final Beats beats = new Beats();
    private final LargeValueSplitter splitter;
    /** Where this capture's beats are published: its own channel (Redis Cluster broadcasts PUBLISH to every node). */
    private final byte[] beatChannel = ascii(KeyFilter.INTERNAL_PREFIX + "beat:" + replid);
    private volatile java.util.concurrent.ScheduledFuture<?> beating;

    private final boolean resumed;
    private final Consumer<String> events;
    private final Duration resyncDelay;
    private volatile Resync resync = Resync.NONE;
    private volatile java.util.function.LongSupplier inboundCovered = () -> Long.MAX_VALUE;
    private RedisClusterClient targetCluster;
    private RedisClient targetClient;
    private StatefulConnection<byte[], byte[]> targetReader;

    /**
     * @param resumed the target already holds what this link applied before (its resume point): it is
     *                reconciled by a resync, not copied again
     */
    KeyspaceSource(SyncWorker.Spec spec, BoundedEventQueue queue, SyncStats stats, boolean resumed,
                   Consumer<String> events, Duration resyncDelay) {
        this.spec = spec;
        this.queue = queue;
        this.stats = stats;
        this.resumed = resumed;
        this.events = events;
        this.resyncDelay = resyncDelay;
        this.splitter = new LargeValueSplitter(spec.options().maxRestoreBytes());
    }

    /** Thrown when the source does not notify what capture needs; the message says what to set, and where. */
    static final class NotificationsOff extends IllegalStateException {
        NotificationsOff(String message) {
            super(message);
        }
    }

    @Override
    public void start() {
        stats.connecting();
        client = RedisClient.create(SyncClients.resources(), SyncWorker.sourceUri(spec));
        client.setOptions(spec.options().tls().apply(io.lettuce.core.ClientOptions.builder()).build());
        reader = client.connect(ByteArrayCodec.INSTANCE);
        reader.setTimeout(spec.options().targetTimeout());
        notifications = client.connectPubSub(ByteArrayCodec.INSTANCE);
        notifications.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] pattern, byte[] channel, byte[] message) {
                onNotification(channel, message);
            }

            @Override
            public void message(byte[] channel, byte[] message) {
                onBeat(message);
            }
        });
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(io.lettuce.core.RedisChannelHandler<?, ?> connection) {
                if (connection == notifications && !closed) {
                    gap = true; // what was notified meanwhile is lost: a resync finds it
                    log.warn("Link {}: keyspace notifications from {} interrupted; a resync follows", spec.link(),
                            spec.source());
                }
            }
        });
        notifications.sync().psubscribe(PATTERN);
        notifications.sync().subscribe(beatChannel);
        requireNotifications();
        beating = SyncClients.resources().eventExecutorGroup().scheduleAtFixedRate(this::beat, 0, BEAT_EVERY.toMillis(),
                TimeUnit.MILLISECONDS);
        thread = new Thread(this::run, "sync-keyspace-" + spec.source().seeds().get(0));
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Capture needs {@code K} (keyspace channel) and every event class. Asked with {@code CONFIG GET}
     * where the source allows it, otherwise by a probe key of redmesh's own that must be notified.
     */
    private void requireNotifications() {
        String flags = null;
        try {
            flags = reader.sync().configGet("notify-keyspace-events").get("notify-keyspace-events");
        } catch (RuntimeException refused) {
            // managed Redis renames CONFIG away: probe instead
        }
        if (flags != null) {
            if (!NotificationFlags.sufficient(flags)) {
                throw new NotificationsOff(NotificationFlags.remedy(spec.source().toString(), flags));
            }
            return;
        }
        byte[] probe = ascii(KeyFilter.INTERNAL_PREFIX + "probe:" + UUID.randomUUID());
        long seen = probesSeen;
        probeKey = probe;
        reader.sync().set(probe, ascii("1"), SetArgs.Builder.px(2000));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (probesSeen == seen && System.nanoTime() < deadline) {
            sleep(10);
        }
        if (probesSeen == seen) {
            throw new NotificationsOff(NotificationFlags.remedy(spec.source().toString(), null));
        }
    }

    private volatile byte[] probeKey;
    private volatile long probesSeen;

    private void onNotification(byte[] channel, byte[] event) {
        int db = dbOf(channel);
        if (db < 0 || db >= inUnit.length) {
            return;
        }
        int keyStart = indexOf(channel, (byte) ':', CHANNEL_PREFIX.length) + 1;
        byte[] key = Arrays.copyOfRange(channel, keyStart, channel.length);
        if (KeyFilter.isInternal(key)) {
            if (KeyFilter.startsWith(key, MARKER)) {
                String what = new String(event, StandardCharsets.US_ASCII);
                if (what.equals("set")) {
                    inUnit[db] = true;
                } else if (what.equals("del")) {
                    inUnit[db] = false;
                }
            } else if (probeKey != null && Arrays.equals(key, probeKey)) {
                probesSeen++;
            }
            return;
        }
        if (inUnit[db]) {
            echoes.incrementAndGet();
            return;
        }
        synchronized (dirty) {
            dirty.putIfAbsent(new DbKey(db, key), Boolean.TRUE);
            dirty.notifyAll();
        }
    }

    /**
     * Publishes a beat on the source. A {@code PUBLISH} writes nothing in the keyspace (an idle mesh
     * stays without writes) and reaches the subscriber through the same output buffer as the
     * keyspace notifications, in the order the source executed them.
     */
    private void beat() {
        if (closed) {
            return;
        }
        long id = beats.sent(System.nanoTime());
        try {
            beats.track(id, reader.async().publish(beatChannel, ascii(Long.toString(id))));
        } catch (RuntimeException e) {
            // the source does not answer: the beat stays outstanding and the lag grows
        }
    }

    private void onBeat(byte[] message) {
        synchronized (dirty) {
            dirty.putIfAbsent(new DbKey(BEAT, message), Boolean.TRUE); // takes its place among the changes
            dirty.notifyAll();
        }
    }

    /** The database of a beat's entry among the dirty keys. */
    private static final int BEAT = -1;

    private void run() {
        try {
            if (!resumed) {
                copyPass();
            }
            queue.put(new ReplicationEvent.Streaming(replid, null, sequence.get()));
            readOffset = sequence.get();
            if (resumed) {
                resync("the link restarted");
            }
            while (!closed) {
                if (gap) {
                    gap = false;
                    resync("keyspace notifications were interrupted");
                }
                streamOnce();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closed) {
                log.warn("Keyspace capture from {} stopped: {}", spec.source(), e.toString());
                stats.disconnected();
            }
        }
    }

    /**
     * Copies every key of every database as a full sync does: {@code RESTORE} without {@code REPLACE},
     * so a key the target already holds stays (in a mesh the target is the origin of its own keys).
     */
    private void copyPass() throws InterruptedException {
        long started = System.nanoTime();
        stats.fullSyncStarted();
        queue.put(new ReplicationEvent.FullSyncStarted());
        long keys = 0;
        RedisAsyncCommands<byte[], byte[]> commands = reader.async();
        for (int db : databasesWithKeys()) {
            reader.sync().select(db);
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<byte[]> page = reader.sync().scan(cursor, ScanArgs.Builder.limit(SCAN_COUNT));
                List<byte[]> found = page.getKeys().stream().filter(k -> !KeyFilter.isInternal(k)).toList();
                List<Pending> reads = new ArrayList<>(found.size());
                for (byte[] key : found) {
                    reads.add(Pending.of(commands, key));
                }
                for (int i = 0; i < found.size(); i++) {
                    State state = reads.get(i).await(this);
                    if (state == null) {
                        continue; // gone since the scan saw it: its notification follows
                    }
                    stats.rdbKeyRead(state.payload().length);
                    List<ReplicationEvent.Command> pieces = splitter.split(db, found.get(i), state.payload(),
                            state.expireAtMillis());
                    if (pieces.isEmpty()) {
                        queue.put(new ReplicationEvent.KeyDump(db, found.get(i), state.payload(), state.expireAtMillis()));
                    } else {
                        for (ReplicationEvent.Command piece : pieces) {
                            queue.put(piece);
                        }
                    }
                    keys++;
                }
                cursor = page;
            } while (!cursor.isFinished() && !closed);
        }
        reader.sync().select(0);
        queue.put(new ReplicationEvent.FullSyncFinished(keys));
        log.info("Link {}: keyspace copy of {} read {} keys in {} ms", spec.link(), spec.source(), keys,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Closes a gap in the notifications (or a restart) without trusting either side blindly: every
     * key of either side is compared (its {@code DUMP}); a key that differs is read again on both
     * sides after {@link #RESYNC_DELAY} (the stream carries on meanwhile), and only what neither side
     * changed and still differs is what the gap may have lost:
     * <ul>
     * <li>a key the target lacks gets the source's state at once: nothing of the target's is lost by it
     *     (a delete the target's clients made during a gap of the opposite link too is undone: the key
     *     stays in both regions);</li>
     * <li>a key the target holds differently — reverted or deleted by the source's state — may be a
     *     state the target's own clients wrote (or another region's) that is still on its way to the
     *     source: it waits until every link into the source covers the moment it was seen
     *     ({@link #inboundCoverage}), is read again, and gets the source's state only if it still
     *     differs unchanged. If the links into the source do not cover it within {@link #RESYNC_WAIT}
     *     (one of them is down, or resyncing too), the key is left as it is, on the timeline, for
     *     verification to find: a blind apply could lose a client's write.</li>
     * </ul>
     * While a resync compares and restores the link reports {@link Resync#RECONCILING}, and so covers
     * nothing of its source: the opposite direction's resync does not decide on a key this one has
     * yet to carry. Once what the target lacked is applied it reports {@link Resync#WAITING}: if the
     * opposite direction waits too, both wait on keys each side holds differently, a conflict neither
     * can decide ({@link Resync#UNDECIDABLE}), and both leave them.
     */
    private void resync(String why) throws InterruptedException {
        resync = Resync.RECONCILING;
        try {
            reconcile(why);
        } finally {
            resync = Resync.NONE;
        }
    }

    private void reconcile(String why) throws InterruptedException {
        long started = System.nanoTime();
        RedisClusterAsyncCommands<byte[], byte[]> target = targetReads();
        Map<DbKey, long[]> candidates = new LinkedHashMap<>();
        long compared = 0;
        Set<Integer> dbs = new java.util.TreeSet<>(databasesWithKeys());
        if (!spec.target().cluster()) {
            dbs.addAll(databasesWithKeys(((StatefulRedisConnection<byte[], byte[]>) targetReader).sync().info("keyspace")));
        }
        for (int db : dbs) {
            if (db != 0 && spec.target().cluster()) {
                continue; // a Redis Cluster target has database 0 only
            }
            selectTarget(db);
            reader.sync().select(db);
            // the source's keys, then the target's that the source lacks
            for (boolean sourceSide : new boolean[] {true, false}) {
                ScanCursor cursor = ScanCursor.INITIAL;
                do {
                    KeyScanCursor<byte[]> page = sourceSide
                            ? reader.sync().scan(cursor, ScanArgs.Builder.limit(SCAN_COUNT))
                            : targetScan(cursor);
                    List<byte[]> keys = page.getKeys().stream()
                            .filter(k -> !KeyFilter.isInternal(k) && spec.filter().travels(k)).toList();
                    long[][] digests = digests(db, keys, target);
                    for (int i = 0; i < keys.size(); i++) {
                        if (!sourceSide && digests[i][0] != MISSING) {
                            continue; // compared from the source's side already
                        }
                        compared++;
                        if (digests[i][0] != digests[i][1]) {
                            candidates.put(new DbKey(db, keys.get(i)), digests[i]);
                        }
                    }
                    cursor = page;
                } while (!cursor.isFinished() && !closed);
            }
        }
        reader.sync().select(0);
        selectTarget(0);
        long differing = candidates.size();
        long[] applied = new long[2]; // restored, deleted
        boolean undecidable = false;
        long held = 0;
        long waited = 0;
        List<DbKey> left = List.of();
        if (!candidates.isEmpty()) {
            streamFor(resyncDelay, () -> false);
            Map<DbKey, long[]> stable = unchanged(candidates, target);
            Map<DbKey, long[]> targetHolds = new LinkedHashMap<>();
            List<DbKey> targetLacks = new ArrayList<>();
            stable.forEach((key, digest) -> {
                if (digest[1] == MISSING) {
                    targetLacks.add(key);
                } else {
                    targetHolds.put(key, digest);
                }
            });
            apply(targetLacks, stable, applied);
            held = targetHolds.size();
            if (!targetHolds.isEmpty()) {
                // on the target before saying so: the opposite direction's resync decides on what it sees there
                long restoredUpTo = sequence.get();
                streamFor(RESYNC_WAIT, () -> appliedSequence >= restoredUpTo);
                resync = Resync.WAITING;
                long seen = System.currentTimeMillis();
                long waitStarted = System.nanoTime();
                long[] upTo = {0}; // the last answer read decides, not a later one
                streamFor(RESYNC_WAIT, () -> {
                    upTo[0] = inboundCovered.getAsLong();
                    return upTo[0] >= seen || upTo[0] == Resync.UNDECIDABLE;
                });
                boolean covered = upTo[0] >= seen;
                undecidable = upTo[0] == Resync.UNDECIDABLE;
                waited = (System.nanoTime() - waitStarted) / 1_000_000;
                Map<DbKey, long[]> still = unchanged(targetHolds, target);
                if (covered) {
                    apply(List.copyOf(still.keySet()), still, applied);
                } else {
                    left = List.copyOf(still.keySet());
                }
            }
        }
        StringBuilder message = new StringBuilder(String.format("Link %s: resync after %s: %d keys compared, %d differed,"
                + " %d applied (%d restored, %d deleted) in %d ms", spec.link(), why, compared, differing,
                applied[0] + applied[1], applied[0], applied[1], (System.nanoTime() - started) / 1_000_000));
        if (held > 0) {
            message.append(String.format("; %d the target holds waited %d ms for the links into the source", held, waited));
        }
        if (!left.isEmpty()) {
            message.append(String.format("; %d left as they are, for verification: %s, so the target's state may be its"
                    + " clients' newest (%s)", left.size(), undecidable
                    ? "the opposite direction resyncs too and holds them differently (written on both sides of a gap)"
                    : "the links into the source did not stream within " + RESYNC_WAIT.toSeconds() + " s (one is down,"
                            + " paused or resyncing)", sample(left)));
        }
        log.info(message.toString());
        events.accept(message.toString());
    }

    /** The candidates whose digests on both sides are still the ones given and still differ, with them. */
    private Map<DbKey, long[]> unchanged(Map<DbKey, long[]> candidates, RedisClusterAsyncCommands<byte[], byte[]> target) {
        Map<Integer, List<DbKey>> byDb = new java.util.TreeMap<>();
        candidates.keySet().forEach(k -> byDb.computeIfAbsent(k.db(), d -> new ArrayList<>()).add(k));
        Map<DbKey, long[]> unchanged = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<DbKey>> entry : byDb.entrySet()) {
            selectTarget(entry.getKey());
            reader.sync().select(entry.getKey());
            List<DbKey> keys = entry.getValue();
            long[][] again = digests(entry.getKey(), keys.stream().map(DbKey::key).toList(), target);
            for (int i = 0; i < keys.size(); i++) {
                long[] before = candidates.get(keys.get(i));
                if (again[i][0] == before[0] && again[i][1] == before[1] && again[i][0] != again[i][1]) {
                    unchanged.put(keys.get(i), before);
                }
            }
        }
        reader.sync().select(0);
        selectTarget(0);
        return unchanged;
    }

    /** Carries the source's current state of {@code keys} as the stream does; counts restores and deletes. */
    private void apply(List<DbKey> keys, Map<DbKey, long[]> digests, long[] applied) throws InterruptedException {
        for (DbKey key : keys) {
            applied[digests.get(key)[0] == MISSING ? 1 : 0]++;
        }
        for (int i = 0; i < keys.size(); i += READ_BATCH) {
            read(keys.subList(i, Math.min(keys.size(), i + READ_BATCH)));
        }
    }

    /**
     * Carries notified changes for up to {@code max}, or until {@code done}; returns whether it was
     * done. A resync's waits are spent streaming, so a long one holds nothing back.
     */
    private boolean streamFor(Duration max, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!closed) {
            if (done.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            streamOnce();
        }
        return false;
    }

    /** Reads and carries one batch of notified keys (waiting briefly for one). */
    private void streamOnce() throws InterruptedException {
        List<DbKey> keys = takeDirty();
        if (!keys.isEmpty()) {
            read(keys);
        }
        long dropped = echoes.getAndSet(0);
        if (dropped > 0) {
            stats.echoesDropped(dropped);
        }
    }

    private static String sample(List<DbKey> keys) {
        List<String> names = keys.stream().limit(5).map(k -> (k.db() == 0 ? "" : "db" + k.db() + " ")
                + new String(k.key(), StandardCharsets.UTF_8)).toList();
        return String.join(", ", names) + (keys.size() > names.size() ? ", …" : "");
    }

    @Override
    public void inboundCoverage(java.util.function.LongSupplier covered) {
        this.inboundCovered = covered;
    }

    @Override
    public Resync resync() {
        return resync;
    }

    private static final long MISSING = Long.MIN_VALUE;

    /** Per key: the digest of its {@code DUMP} on the source and on the target ({@link #MISSING} where absent). */
    private long[][] digests(int db, List<byte[]> keys, RedisClusterAsyncCommands<byte[], byte[]> target) {
        RedisAsyncCommands<byte[], byte[]> source = reader.async();
        List<RedisFuture<byte[]>> here = new ArrayList<>(keys.size());
        List<RedisFuture<byte[]>> there = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            here.add(source.dump(key));
            there.add(target.dump(key));
        }
        long[][] digests = new long[keys.size()][];
        for (int i = 0; i < keys.size(); i++) {
            digests[i] = new long[] {digest(await(here.get(i))), digest(await(there.get(i)))};
        }
        return digests;
    }

    private static long digest(byte[] dump) {
        if (dump == null) {
            return MISSING;
        }
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(dump);
        return ((long) dump.length << 32) | crc.getValue();
    }

    /** Reads of the target for a resync: its master (standalone) or slot-routed (Redis Cluster). */
    @SuppressWarnings("unchecked")
    private RedisClusterAsyncCommands<byte[], byte[]> targetReads() {
        if (targetReader == null) {
            RedisEndpoint target = spec.target();
            if (target.cluster()) {
                List<RedisURI> uris = target.seeds().stream().map(seed -> RedisUris.of(RedisEndpoint.hostOf(seed),
                        RedisEndpoint.portOf(seed), target.username(), target.password(), target.tls(), spec.options().tls(),
                        spec.options().targetTimeout())).toList();
                targetCluster = RedisClusterClient.create(SyncClients.resources(), uris);
                targetReader = targetCluster.connect(ByteArrayCodec.INSTANCE);
            } else {
                targetClient = RedisClient.create(SyncClients.resources(), RedisUris.of(target.host(), target.port(),
                        target.username(), target.password(), target.tls(), spec.options().tls(), spec.options().targetTimeout()));
                targetReader = targetClient.connect(ByteArrayCodec.INSTANCE);
            }
        }
        return targetReader instanceof StatefulRedisClusterConnection<?, ?> c
                ? ((StatefulRedisClusterConnection<byte[], byte[]>) c).async()
                : ((StatefulRedisConnection<byte[], byte[]>) targetReader).async();
    }

    @SuppressWarnings("unchecked")
    private void selectTarget(int db) {
        if (targetReader instanceof StatefulRedisConnection<?, ?> c) {
            ((StatefulRedisConnection<byte[], byte[]>) c).sync().select(db);
        }
    }

    @SuppressWarnings("unchecked")
    private KeyScanCursor<byte[]> targetScan(ScanCursor cursor) {
        if (targetReader instanceof StatefulRedisClusterConnection<?, ?> c) {
            return ((StatefulRedisClusterConnection<byte[], byte[]>) c).sync().scan(cursor, ScanArgs.Builder.limit(SCAN_COUNT));
        }
        return ((StatefulRedisConnection<byte[], byte[]>) targetReader).sync().scan(cursor, ScanArgs.Builder.limit(SCAN_COUNT));
    }

    private List<Integer> databasesWithKeys() {
        return databasesWithKeys(reader.sync().info("keyspace"));
    }

    private static List<Integer> databasesWithKeys(String keyspaceInfo) {
        List<Integer> dbs = new ArrayList<>();
        for (String line : keyspaceInfo.split("\r?\n")) {
            if (line.startsWith("db")) {
                dbs.add(Integer.parseInt(line.substring(2, line.indexOf(':'))));
            }
        }
        return dbs;
    }

    private List<DbKey> takeDirty() throws InterruptedException {
        synchronized (dirty) {
            if (dirty.isEmpty()) {
                dirty.wait(50);
            }
            List<DbKey> keys = new ArrayList<>(Math.min(READ_BATCH, dirty.size()));
            var it = dirty.keySet().iterator();
            while (it.hasNext() && keys.size() < READ_BATCH) {
                keys.add(it.next());
                it.remove();
            }
            return keys;
        }
    }

    /** Reads the keys' current state (one pipeline per database) and hands it on, in notification order. */
    private void read(List<DbKey> keys) throws InterruptedException {
        RedisAsyncCommands<byte[], byte[]> commands = reader.async();
        int selected = -1;
        List<Pending> reads = new ArrayList<>(keys.size());
        for (DbKey k : keys) {
            if (k.db() == BEAT) {
                reads.add(null);
                continue;
            }
            if (k.db() != selected) {
                commands.select(k.db());
                selected = k.db();
            }
            reads.add(Pending.of(commands, k.key()));
        }
        if (selected > 0) {
            commands.select(0);
        }
        for (int i = 0; i < keys.size(); i++) {
            DbKey k = keys.get(i);
            if (k.db() == BEAT) {
                beats.notified(Long.parseLong(new String(k.key(), StandardCharsets.US_ASCII)), sequence.get(),
                        System.nanoTime());
                continue;
            }
            State state = reads.get(i).await(this);
            long offset = sequence.incrementAndGet();
            if (state == null) {
                queue.put(ReplicationEvent.Command.of(k.db(), DEL, new byte[][] {k.key()}, offset));
            } else {
                List<ReplicationEvent.Command> pieces = splitter.split(k.db(), k.key(), state.payload(),
                        state.expireAtMillis());
                if (pieces.isEmpty()) {
                    queue.put(ReplicationEvent.Command.of(k.db(), RESTORE, state.expireAtMillis() > 0
                            ? new byte[][] {k.key(), ascii(Long.toString(state.expireAtMillis())), state.payload(),
                                    ascii("REPLACE"), ascii("ABSTTL")}
                            : new byte[][] {k.key(), ascii("0"), state.payload(), ascii("REPLACE")}, offset));
                } else {
                    // too large for one RESTORE: rebuilt piece by piece; the last piece carries the offset
                    for (int p = 0; p < pieces.size() - 1; p++) {
                        queue.put(pieces.get(p));
                    }
                    ReplicationEvent.Command last = pieces.get(pieces.size() - 1);
                    queue.put(ReplicationEvent.Command.of(last.db(), last.rawName(), last.args(), offset));
                }
            }
            readOffset = offset;
        }
    }

    /** One key's state on the source: its {@code DUMP} payload and absolute expiry (0: none). */
    private record State(byte[] payload, long expireAtMillis) {
    }

    /** A key's {@code DUMP} and {@code PTTL}, pipelined. */
    private record Pending(RedisFuture<byte[]> dump, RedisFuture<Long> ttl) {

        static Pending of(RedisAsyncCommands<byte[], byte[]> commands, byte[] key) {
            return new Pending(commands.dump(key), commands.pttl(key));
        }

        /** The state read, or null when the key is gone. */
        State await(KeyspaceSource source) {
            long now = System.currentTimeMillis();
            byte[] payload = source.await(dump);
            long pttl = source.await(ttl);
            return payload == null || pttl == -2 ? null : new State(payload, pttl > 0 ? now + pttl : 0);
        }
    }

    @Override
    public void applied(long offset) {
        appliedSequence = offset;
        beats.applied(offset, System.nanoTime());
    }

    /** The last change the applying thread reports applied ({@link #applied}). */
    private volatile long appliedSequence = -1;

    @Override
    public long lagMs() {
        return beats.lagMs(System.nanoTime());
    }

    private <T> T await(RedisFuture<T> reply) {
        try {
            return reply.get(spec.options().targetTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("source " + spec.source() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("source " + spec.source() + " did not answer", e);
        }
    }

    @Override
    public String replid() {
        return replid;
    }

    @Override
    public long readOffset() {
        return readOffset;
    }

    @Override
    public void close() {
        closed = true;
        if (beating != null) {
            beating.cancel(false);
        }
        if (thread != null) {
            thread.interrupt();
        }
        if (client != null) {
            client.shutdownAsync(0, 1, TimeUnit.SECONDS);
        }
        if (targetClient != null) {
            targetClient.shutdownAsync(0, 1, TimeUnit.SECONDS);
        }
        if (targetCluster != null) {
            targetCluster.shutdownAsync(0, 1, TimeUnit.SECONDS);
        }
    }

    private record DbKey(int db, byte[] key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof DbKey other && other.db == db && Arrays.equals(other.key, key);
        }

        @Override
        public int hashCode() {
            return 31 * db + Arrays.hashCode(key);
        }
    }

    /** {@code __keyspace@<db>__:<key>} → db, or -1. */
    static int dbOf(byte[] channel) {
        if (!KeyFilter.startsWith(channel, CHANNEL_PREFIX)) {
            return -1;
        }
        int db = 0;
        int i = CHANNEL_PREFIX.length;
        if (i >= channel.length || channel[i] < '0' || channel[i] > '9') {
            return -1;
        }
        while (i < channel.length && channel[i] >= '0' && channel[i] <= '9') {
            db = db * 10 + (channel[i] - '0');
            i++;
        }
        return i + 2 < channel.length && channel[i] == '_' && channel[i + 1] == '_' && channel[i + 2] == ':' ? db : -1;
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return bytes.length - 1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
