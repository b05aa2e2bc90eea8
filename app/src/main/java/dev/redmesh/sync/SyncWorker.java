package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one link in one direction: a {@link ReplicationSource} reading the source master into a
 * bounded queue, and an applier thread turning what it reads into pipelined writes on the target.
 * The full sync is {@code RESTORE}d key by key while the commands that arrive meanwhile wait in
 * the master's backlog and the queue, then apply in order.
 */
public final class SyncWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SyncWorker.class);
    private static final Set<String> NEVER_APPLIED = Set.of("PING", "REPLCONF", "PUBLISH", "SPUBLISH");
    private static final Set<String> FLUSHES = Set.of("FLUSHALL", "FLUSHDB");
    private static final Set<String> TRANSACTION = Set.of("MULTI", "EXEC");
    private static final int IN_FLIGHT_BATCHES = 8;

    public record Spec(String link, RedisEndpoint source, RedisEndpoint target, KeyFilter filter, SyncOptions options) {
    }

    private final Spec spec;
    private final SyncStats stats = new SyncStats();
    private final BoundedEventQueue queue;
    private final Consumer<String> events;
    private TargetWriter writer;
    private ReplicationSource source;
    private CommandCatalog catalog;
    private RedisClient sourceClient;
    private StatefulRedisConnection<String, String> sourceConnection;
    private Thread applier;
    private volatile boolean running;

    /** @param events receives notable things worth an event in the timeline (flushes not propagated, say) */
    public SyncWorker(Spec spec, Consumer<String> events) {
        this.spec = spec;
        this.events = events;
        this.queue = new BoundedEventQueue(spec.options().memoryBudgetBytes());
    }

    public void start() {
        start(null, -1);
    }

    /** Starts from a known point of the source's history (partial resync), or full sync when {@code replid} is null. */
    public void start(String replid, long appliedOffset) {
        writer = new TargetWriter(spec.target(), spec.options().targetTimeout());
        sourceClient = RedisClient.create(sourceUri());
        sourceConnection = sourceClient.connect();
        catalog = CommandCatalog.fromCommandReply(sourceConnection.sync().command());
        source = new ReplicationSource(spec.source(), catalog.names(), writer.rdbVersion(), queue, stats, replid,
                appliedOffset, spec.options().maxRestoreBytes());
        running = true;
        applier = new Thread(this::applyLoop, "sync-apply-" + spec.link());
        applier.start();
        source.start();
        log.info("Link {}: {} → {} started", spec.link(), spec.source(), spec.target());
    }

    public SyncStats stats() {
        return stats;
    }

    public SyncStatus status() {
        long sourceOffset = sourceOffset();
        long applied = stats.appliedOffset();
        Rates rates = rates();
        return new SyncStatus(spec.link(), stats.phase(), source.replid(), applied, sourceOffset,
                lag(sourceOffset, applied), rates.opsPerSec(), rates.bytesPerSec(), stats.fullSyncs(),
                stats.rdbKeysTotal(), stats.rdbKeysRead(), stats.keysRestored(), stats.commandsApplied(), stats.commandsSkipped(),
                stats.applyErrors(), stats.bytesApplied(), queue.bytes(), queue.highWaterBytes());
    }

    /** Source offset not yet applied (one {@code INFO} to the source); -1 when unknown. */
    public long lagBytes() {
        return lag(sourceOffset(), stats.appliedOffset());
    }

    /** Bytes waiting between reading the source and writing the target; no I/O. */
    public long queueBytes() {
        return queue.bytes();
    }

    private static long lag(long sourceOffset, long applied) {
        return sourceOffset < 0 || applied < 0 ? -1 : Math.max(0, sourceOffset - applied);
    }

    private long sourceOffset() {
        try {
            String info = sourceConnection.sync().info("replication");
            return info.lines().filter(l -> l.startsWith("master_repl_offset:")).findFirst()
                    .map(l -> Long.parseLong(l.substring("master_repl_offset:".length()).trim())).orElse(-1L);
        } catch (RuntimeException e) {
            return -1; // source unreachable: lag unknown
        }
    }

    private record Rates(double opsPerSec, double bytesPerSec) {
    }

    /** Counters at the last sample, to turn totals into rates; sampled at most once a second. */
    private long[] lastSample = {System.nanoTime(), 0, 0};
    private Rates lastRates = new Rates(0, 0);

    private synchronized Rates rates() {
        long now = System.nanoTime();
        double seconds = (now - lastSample[0]) / 1e9;
        if (seconds < 1) {
            return lastRates; // metric scrapes and API calls in quick succession see the same rates
        }
        long ops = stats.commandsApplied() + stats.keysRestored();
        long bytes = stats.bytesApplied();
        lastRates = new Rates((ops - lastSample[1]) / seconds, (bytes - lastSample[2]) / seconds);
        lastSample = new long[] {now, ops, bytes};
        return lastRates;
    }

    private void applyLoop() {
        List<TargetWriter.Op> ops = new ArrayList<>();
        List<ReplicationEvent.Command> applied = new ArrayList<>();
        while (running) {
            try {
                List<ReplicationEvent> batch = queue.take(spec.options().batchSize(), 50);
                for (ReplicationEvent event : batch) {
                    translate(event, ops, applied);
                }
                if (batch.isEmpty()) {
                    drain(ops, applied); // idle: make the counters and offsets say where we are
                } else {
                    flush(ops, applied);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.error("Link {}: applier stopped by {}", spec.link(), e.toString(), e);
                }
                return;
            }
        }
    }

    private void translate(ReplicationEvent event, List<TargetWriter.Op> ops, List<ReplicationEvent.Command> applied)
            throws InterruptedException {
        if (event instanceof ReplicationEvent.KeyDump dump) {
            if (spec.filter().travels(dump.key())
                    && (dump.expireAtMillis() == 0 || dump.expireAtMillis() > System.currentTimeMillis())) {
                ops.add(restore(dump));
            }
        } else if (event instanceof ReplicationEvent.FunctionLibrary library) {
            drain(ops, applied);
            writer.onEveryMaster(RawCommand.of("FUNCTION"), "LOAD".getBytes(StandardCharsets.US_ASCII),
                    "REPLACE".getBytes(StandardCharsets.US_ASCII), library.code());
        } else if (event instanceof ReplicationEvent.FullSyncFinished finished) {
            drain(ops, applied);
            stats.streaming();
            log.info("Link {}: full sync applied, {} keys; streaming", spec.link(), finished.keys());
        } else if (event instanceof ReplicationEvent.Command command) {
            translateCommand(command, ops, applied);
        }
    }

    private void translateCommand(ReplicationEvent.Command command, List<TargetWriter.Op> ops,
                                  List<ReplicationEvent.Command> applied) throws InterruptedException {
        String name = command.name();
        if (NEVER_APPLIED.contains(name) || (TRANSACTION.contains(name) && spec.target().cluster())) {
            stats.skipped(command.endOffset());
            return;
        }
        if (FLUSHES.contains(name) && !spec.options().propagateFlush()) {
            stats.flushNotPropagated();
            stats.skipped(command.endOffset());
            events.accept(name + " on the source (db " + command.db() + ") was not propagated to the target");
            return;
        }
        if (name.equals("FUNCTION")) {
            // libraries live on every node; FUNCTION LOAD/DELETE/FLUSH have no key to route by
            drain(ops, applied);
            writer.onEveryMaster(new RawCommand(command.rawName()), command.args());
            stats.applied(command.weight(), command.endOffset());
            return;
        }
        int keyIndex = catalog.firstKeyIndex(command);
        if (keyIndex >= 0 && !spec.filter().travels(command.args()[keyIndex])) {
            stats.skipped(command.endOffset());
            return;
        }
        ops.add(new TargetWriter.Op(command.db(), new RawCommand(command.rawName()), command.args(), keyIndex, command.weight()));
        applied.add(command);
    }

    private TargetWriter.Op restore(ReplicationEvent.KeyDump dump) {
        byte[][] args = dump.expireAtMillis() > 0
                ? new byte[][] {dump.key(), bytes(dump.expireAtMillis()), dump.payload(), bytes("REPLACE"), bytes("ABSTTL")}
                : new byte[][] {dump.key(), bytes(0), dump.payload(), bytes("REPLACE")};
        return new TargetWriter.Op(dump.db(), RawCommand.RESTORE, args, 0, dump.weight());
    }

    /** A batch on its way to the target, with what to count once it is answered. */
    private record InFlight(TargetWriter.Pending pending, List<TargetWriter.Op> ops,
                            List<ReplicationEvent.Command> commands) {
    }

    private final java.util.ArrayDeque<InFlight> inFlight = new java.util.ArrayDeque<>();

    /**
     * Sends what was translated without waiting for earlier batches: replies come back in order on
     * each connection, so up to {@code IN_FLIGHT_BATCHES} batches ride the pipe at once. Only past
     * that is the oldest awaited.
     */
    private void flush(List<TargetWriter.Op> ops, List<ReplicationEvent.Command> applied) throws InterruptedException {
        if (!ops.isEmpty()) {
            inFlight.addLast(new InFlight(writer.send(ops), List.copyOf(ops), List.copyOf(applied)));
            ops.clear();
            applied.clear();
        }
        while (inFlight.size() > IN_FLIGHT_BATCHES) {
            complete(inFlight.pollFirst());
        }
        while (!inFlight.isEmpty() && inFlight.peekFirst().pending().isDone()) {
            complete(inFlight.pollFirst());
        }
    }

    /** Waits for every batch on its way (before a function load, at the end of a full sync, when idle). */
    private void drain(List<TargetWriter.Op> ops, List<ReplicationEvent.Command> applied) throws InterruptedException {
        flush(ops, applied);
        while (!inFlight.isEmpty()) {
            complete(inFlight.pollFirst());
        }
    }

    /**
     * Waits for one batch. A slow or stopped target is waited for — the batch is already on its
     * connection and is never sent twice; meanwhile the queue fills and the source stops being read.
     */
    private void complete(InFlight batch) throws InterruptedException {
        TargetWriter.Outcome outcome;
        while (true) {
            try {
                outcome = batch.pending().await();
                break;
            } catch (java.util.concurrent.TimeoutException e) {
                log.warn("Link {}: target {} has not answered for {}; still waiting", spec.link(), spec.target(),
                        spec.options().targetTimeout());
                if (!running) {
                    throw new InterruptedException("stopped while waiting for the target");
                }
            }
        }
        for (String error : outcome.errors()) {
            stats.applyError();
            if (stats.applyErrors() <= 10) {
                log.warn("Link {}: target refused a command: {}", spec.link(), error);
            }
        }
        for (TargetWriter.Op op : batch.ops()) {
            if (op.name() == RawCommand.RESTORE) {
                stats.restored(op.weight());
            }
        }
        for (ReplicationEvent.Command command : batch.commands()) {
            stats.applied(command.weight(), command.endOffset());
        }
    }

    private RedisURI sourceUri() {
        RedisEndpoint source = spec.source();
        return RedisUris.of(source.host(), source.port(), source.username(), source.password(), source.tls(), null);
    }

    private static byte[] bytes(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        running = false;
        if (source != null) {
            source.close();
        }
        if (applier != null) {
            applier.interrupt();
            try {
                applier.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stats.stopped();
        if (writer != null) {
            writer.close();
        }
        if (sourceConnection != null) {
            sourceConnection.close();
            sourceClient.shutdown();
        }
    }
}
