package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.redis.RedisUris;
import dev.redmesh.redis.ReplicationInfo;
import dev.redmesh.redis.SyncClients;

/**
 * Runs one link in one direction: a {@link ChangeSource} (today the PSYNC2 {@link ReplicationSource})
 * reading the source master into a bounded queue, and an applier thread turning what it reads into
 * atomic units on the target ({@link UnitScripts}): per slot, fenced by the link's epoch, checkpointed in the same unit, and
 * recognisable by every reader as having come through a link.
 *
 * <p>On start the worker fences the target with its epoch, reads where the link stands there (its
 * resume point and per-slot checkpoints) and resumes with a partial resync from it — across a
 * failover too, since a promoted replica keeps its former master's history as {@code replid2}.
 * Without a resume point, or when the source no longer has that history, it full-syncs.
 */
public final class SyncWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SyncWorker.class);
    private static final Set<String> NEVER_APPLIED = Set.of("PING", "REPLCONF", "PUBLISH", "SPUBLISH");
    private static final Set<String> FLUSHES = Set.of("FLUSHALL", "FLUSHDB");
    private static final int IN_FLIGHT_BATCHES = 8;

    /** What the worker does with a command its source's stream carries, whatever the command. */
    public enum Handling {
        /** applied on the target as it came, in a unit with the link's checkpoint */
        APPLIED,
        /** a flush: applied only where the link's options say so, an event either way */
        FLUSH,
        /** libraries: applied on every master of the target, outside units */
        EVERY_MASTER,
        /** rewritten or left out on a target without hash field expiration ({@link FieldTtlDowngrade}) */
        FIELD_TTLS,
        /** never applied: replication chatter and messages (PING, REPLCONF, PUBLISH) */
        NOT_APPLIED
    }

    /** How {@link #route} treats {@code name} (upper case); checked against every version's COMMAND table by a test. */
    public static Handling handling(String name) {
        if (NEVER_APPLIED.contains(name)) {
            return Handling.NOT_APPLIED;
        }
        if (FLUSHES.contains(name)) {
            return Handling.FLUSH;
        }
        if (name.equals("FUNCTION")) {
            return Handling.EVERY_MASTER;
        }
        return FieldTtlDowngrade.concerns(name) ? Handling.FIELD_TTLS : Handling.APPLIED;
    }
    /**
     * How often the resume point is stored under load. A worker that takes over after a failover
     * resumes from it, and the new master accepts the partial resync only while that offset is
     * still in its backlog: at 1 MB/s of writes a point one second old already falls out of Redis'
     * default 1 MB backlog.
     */
    private static final long RESUME_POINT_EVERY_NANOS = 100_000_000L;
    private static final byte[] RESTORE = UnitScripts.ascii("RESTORE");

    /**
     * @param epoch the assignment's fencing token: a worker started with a higher one for the same
     *              link makes this one's writes refused (I3)
     */
    /**
     * @param capture     how the source is read
     * @param markUnits   the target is itself read by keyspace capture: every unit brackets its writes with
     *                    the link's marker so that capture does not send them back
     */
    public record Spec(String link, RedisEndpoint source, RedisEndpoint target, KeyFilter filter, SyncOptions options,
                       long epoch, Capture capture, boolean markUnits) {

        public Spec(String link, RedisEndpoint source, RedisEndpoint target, KeyFilter filter, SyncOptions options,
                    long epoch) {
            this(link, source, target, filter, options, epoch, Capture.PSYNC, false);
        }

        public Spec(String link, RedisEndpoint source, RedisEndpoint target, KeyFilter filter, SyncOptions options) {
            this(link, source, target, filter, options, 1);
        }
    }

    private final Spec spec;
    private final SyncStats stats = new SyncStats();
    private final BoundedEventQueue queue;
    private final Consumer<String> events;
    private final FieldTtlDowngrade downgrade;
    private final byte[] epochBytes;
    private final TargetFactory targets;
    private TargetWriter writer;
    private final ChangeSource.Factory sources;
    private ChangeSource source;
    private CommandCatalog catalog;
    private RedisClient sourceClient;
    private StatefulRedisConnection<String, String> sourceConnection;
    private Thread applier;
    private volatile boolean running;

    // applier state: the history being applied, the echo filter, the batches on their way
    private final History history = new History();
    private EchoFilter echoes;
    private final InFlightWindow<InFlight> inFlight = new InFlightWindow<>(IN_FLIGHT_BATCHES);
    /** For the one line a full sync logs: when it began (System.nanoTime) and the bytes of values it carried. */
    private long fullSyncStartedAt;
    private long fullSyncBytes;
    private long resumeStoredAt;

    /** How the worker reaches its target: {@link TargetWriter#open} but in benchmarks of other ways to apply. */
    interface TargetFactory {
        TargetWriter open(RedisEndpoint endpoint, SyncOptions options);
    }

    /** @param events receives notable things worth an event in the timeline (flushes not propagated, divergences) */
    public SyncWorker(Spec spec, Consumer<String> events) {
        this(spec, events, (endpoint, options) -> TargetWriter.open(endpoint, options.targetTimeout(), options.tls()));
    }

    SyncWorker(Spec spec, Consumer<String> events, TargetFactory targets) {
        this(spec, events, targets, spec.capture() == Capture.KEYSPACE ? KeyspaceSource.FACTORY : ReplicationSource.PSYNC);
    }

    SyncWorker(Spec spec, Consumer<String> events, TargetFactory targets, ChangeSource.Factory sources) {
        this.spec = spec;
        this.sources = sources;
        this.events = events;
        this.downgrade = new FieldTtlDowngrade(spec.link(), stats, events);
        this.targets = targets;
        this.queue = new BoundedEventQueue(spec.options().memoryBudgetBytes());
        this.epochBytes = UnitScripts.ascii(Long.toString(spec.epoch()));
    }

    /**
     * Fences the target, reads where the link stands there and starts streaming from that point.
     *
     * @throws FencedException if the target already holds a newer epoch for the link
     */
    public void start() {
        long began = System.nanoTime();
        // the source's command table and replication ids are asked for first and arrive while the
        // target is fenced: a takeover's start is on the path of every failover and lease expiry
        sourceClient = RedisClient.create(SyncClients.resources(), sourceUri());
        sourceClient.setOptions(spec.options().tls().apply(io.lettuce.core.ClientOptions.builder()).build());
        sourceConnection = sourceClient.connect();
        RedisFuture<List<Object>> commandTable = sourceConnection.async().command();
        RedisFuture<String> replication = sourceConnection.async().info("replication");
        writer = targets.open(spec.target(), spec.options());
        TargetWriter.Fenced standing = writer.fence(spec.link(), spec.epoch());
        long fenced = System.nanoTime();
        catalog = CommandCatalog.fromCommandReply(await(commandTable));
        echoes = new EchoFilter(command -> {
            int keyIndex = catalog.firstKeyIndex(command);
            return keyIndex >= 0 && KeyFilter.isInternal(command.args()[keyIndex]);
        }, new EchoFilter.Tally() {
            @Override
            public void skipped(long commands) {
                stats.skipped(commands);
            }

            @Override
            public void echoesDropped(long commands) {
                stats.echoesDropped(commands);
            }
        });
        ResumePlanner.Plan plan = ResumePlanner.plan(ReplicationInfo.parse(await(replication)), standing.resume(),
                standing.checkpoints(), history);
        // a keyspace capture has no replication history to resume in: it always starts with a copy pass
        boolean psync = spec.capture() == Capture.PSYNC;
        if (psync && plan.divergence() != null) {
            diverged(plan.divergence());
        }
        if (psync && plan.lostHistory() != null) {
            events.accept("Link " + spec.link() + ": " + plan.lostHistory() + "; full sync");
        }
        // a keyspace capture resumes nothing, but a target that holds the link's resume point has had its
        // copy: it is reconciled with the source (KeyspaceSource's resync) rather than copied again
        Checkpoint resume = psync ? plan.from() : standing.resume();
        long planned = System.nanoTime();
        source = sources.open(spec, catalog, writer.rdbVersion(), queue, stats, resume, events, downgrade);
        source.inboundCoverage(inboundCoverage);
        running = true;
        applier = new Thread(this::applyLoop, "sync-apply-" + spec.link());
        applier.start();
        source.start();
        log.info("Link {}: {} → {} started with epoch {}, {} (fenced in {} ms, planned in {} ms)", spec.link(),
                spec.source(), spec.target(), spec.epoch(),
                resume == null ? "full sync" : psync ? "resuming after " + resume.replid() + ":" + resume.offset()
                        : "reconciling with the target",
                (fenced - began) / 1_000_000, (planned - fenced) / 1_000_000);
    }

    private void diverged(ResumePlanner.Divergence found) {
        stats.divergence(ResumePlanner.at(found, Instant.now()));
        String message = "Link " + spec.link() + ": the target applied source offsets " + found.fromOffset() + ".."
                + found.toOffset() + " of history " + found.replid() + " that the promoted master never received ("
                + (found.toOffset() - found.fromOffset() + 1) + " bytes); continuing on the new history";
        log.warn(message);
        events.accept(message);
    }

    public SyncStats stats() {
        return stats;
    }

    public long epoch() {
        return spec.epoch();
    }

    public SyncStatus status() {
        long sourceOffset = sourceOffset();
        long applied = stats.appliedOffset();
        Rates rates = rates();
        return new SyncStatus(spec.link(), spec.epoch(), stats.phase(), source == null ? null : source.replid(), applied,
                sourceOffset, lag(sourceOffset, applied), rates.opsPerSec(), rates.bytesPerSec(), stats.fullSyncs(),
                stats.rdbKeysTotal(), stats.rdbKeysRead(), stats.keysRestored(), stats.commandsApplied(),
                stats.commandsSkipped(), stats.applyErrors(), stats.bytesApplied(), queue.bytes(),
                queue.highWaterBytes(), stats.echoesDropped(), stats.divergences(), stats.lastDivergence());
    }

    /** Source offset not yet applied (one {@code INFO} to the source); -1 when unknown. */
    public long lagBytes() {
        return lag(sourceOffset(), stats.appliedOffset());
    }

    /**
     * Lag in ms from the source's write to the target's apply where the capture times it itself
     * (keyspace capture, by beats); -1 where it does not and the offset clock does (PSYNC). No I/O.
     */
    public long measuredLagMs() {
        ChangeSource s = source;
        return s == null ? -1 : s.lagMs();
    }

    /**
     * How far the links into this link's source cluster have carried their writes, as the fleet's
     * control plane reports it ({@link ChangeSource#inboundCoverage}). Without a fleet (configured
     * links, the engine alone) nothing is known of them and a resync trusts its two reads: unlimited.
     * Set before {@link #start()}.
     */
    public void inboundCoverage(java.util.function.LongSupplier covered) {
        this.inboundCoverage = covered;
    }

    private java.util.function.LongSupplier inboundCoverage = () -> Long.MAX_VALUE;

    /** Where a keyspace resync is ({@link ChangeSource#resync}); no I/O. */
    public Resync resync() {
        ChangeSource s = source;
        return s == null ? Resync.NONE : s.resync();
    }

    /** Source offset read from the replication stream so far, -1 before streaming; no I/O. */
    public long readOffset() {
        ChangeSource s = source;
        return s == null ? -1 : s.readOffset();
    }

    /** Bytes waiting between reading the source and writing the target; no I/O. */
    public long queueBytes() {
        return queue.bytes();
    }

    private static long lag(long sourceOffset, long applied) {
        return sourceOffset < 0 || applied < 0 ? -1 : Math.max(0, sourceOffset - applied);
    }

    /** The source's replication offset; -1 for a keyspace capture, whose lag has no bytes (shown as n/a). */
    private long sourceOffset() {
        if (spec.capture() == Capture.KEYSPACE) {
            return -1;
        }
        try {
            return ReplicationInfo.parse(sourceConnection.sync().info("replication")).offset();
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
        UnitBatch units = new UnitBatch();
        while (running) {
            try {
                List<ReplicationEvent> batch = queue.take(spec.options().batchSize(), 50);
                for (ReplicationEvent event : batch) {
                    translate(event, units);
                }
                if (batch.isEmpty()) {
                    drain(units, true); // idle: make the counters, offsets and resume point say where we are
                } else {
                    flush(units);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (FencedException e) {
                stats.fenced();
                log.error("Link {}: epoch {} is fenced off by a newer holder ({}); this worker stops applying",
                        spec.link(), spec.epoch(), e.getMessage());
                events.accept("Link " + spec.link() + ": worker with epoch " + spec.epoch() + " fenced off: " + e.getMessage());
                stopReading();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    log.error("Link {}: applier stopped by {}", spec.link(), e.toString(), e);
                }
                return;
            }
        }
    }

    private void translate(ReplicationEvent event, UnitBatch units) throws InterruptedException {
        if (event instanceof ReplicationEvent.KeyDump dump) {
            fullSyncBytes += dump.payload().length;
            if (spec.filter().travels(dump.key())
                    && (dump.expireAtMillis() == 0 || dump.expireAtMillis() > System.currentTimeMillis())) {
                // no REPLACE: a key the target already holds stays as it is. In a mesh the target is the
                // origin of its own keys, and the source's copy of them (which arrived through the
                // opposite link) is older: restoring it would lose the target's newer writes.
                byte[][] args = dump.expireAtMillis() > 0
                        ? new byte[][] {dump.key(), bytes(dump.expireAtMillis()), dump.payload(), bytes("ABSTTL")}
                        : new byte[][] {dump.key(), bytes(0), dump.payload()};
                units.add(dump.db(), slotOf(dump.key()), -1, RESTORE, args, dump.weight(), 1);
            }
        } else if (event instanceof ReplicationEvent.Command command) {
            translateCommand(command, units);
        } else if (event instanceof ReplicationEvent.FunctionLibrary library) {
            drain(units, false);
            writer.onEveryMaster(RawCommand.of("FUNCTION"), bytes("LOAD"), bytes("REPLACE"), library.code());
        } else if (event instanceof ReplicationEvent.FullSyncStarted) {
            drain(units, false);
            fullSyncStartedAt = System.nanoTime();
            fullSyncBytes = 0;
            history.fullSyncStarted();
            echoes.reset();
        } else if (event instanceof ReplicationEvent.FullSyncFinished finished) {
            drain(units, false);
            log.info("Link {}: full sync applied, {} keys, {} KiB of values in {} ms ({} already on the target and kept)",
                    spec.link(), finished.keys(), fullSyncBytes / 1024, (System.nanoTime() - fullSyncStartedAt) / 1_000_000,
                    stats.keysKept());
        } else if (event instanceof ReplicationEvent.Streaming streaming) {
            drain(units, false);
            history.streaming(streaming.replid(), streaming.previous(), streaming.offset());
            drain(units, true);
            stats.streaming();
            log.info("Link {}: streaming {} after offset {}", spec.link(), history.replid, streaming.offset());
        }
    }

    /** What the echo filter lets travel is routed; the end offset of a transaction or lone command is translated (I1). */
    private void translateCommand(ReplicationEvent.Command command, UnitBatch units) throws InterruptedException {
        EchoFilter.Verdict verdict = echoes.accept(command);
        for (ReplicationEvent.Command travelling : verdict.travel()) {
            route(travelling, units);
        }
        // pieces of a split full-sync value have no offset of their own
        if (verdict.boundary() && command.endOffset() >= 0) {
            history.translatedUpTo = command.endOffset();
        }
    }

    private void route(ReplicationEvent.Command command, UnitBatch units) throws InterruptedException {
        String name = command.name();
        if (NEVER_APPLIED.contains(name)) {
            stats.skipped(1);
            return;
        }
        if (FLUSHES.contains(name) && !spec.options().propagateFlush()) {
            stats.flushNotPropagated();
            stats.skipped(1);
            events.accept(name + " on the source (db " + command.db() + ") was not propagated to the target");
            return;
        }
        int keyIndex = catalog.firstKeyIndex(command);
        if (keyIndex >= 0 && !spec.filter().travels(command.args()[keyIndex])) {
            if (KeyFilter.isInternal(command.args()[keyIndex]) && !PsyncBeats.isBeat(command.args()[keyIndex])) {
                stats.echoesDropped(1); // a checkpoint write on its own (a unit whose commands changed nothing)
            } else {
                stats.skipped(1);
            }
            return;
        }
        // a target without hash field expiration gets the stated approximation (FieldTtlDowngrade)
        if (!FieldTtlDowngrade.targetKeepsFieldTtls(writer.rdbVersion()) && FieldTtlDowngrade.concerns(name)) {
            ReplicationEvent.Command kept = downgrade.rewrite(command);
            if (kept == null) {
                stats.skipped(1);
                return;
            }
            command = kept;
            name = command.name();
        }
        if (name.equals("FUNCTION") || (keyIndex < 0 && spec.target().cluster())) {
            // no key to route by: libraries and keyless writes go to every master of a cluster
            drain(units, false);
            writer.onEveryMaster(new RawCommand(command.rawName()), command.args());
            stats.unitApplied(1, 0, command.weight());
            return;
        }
        int slot = keyIndex < 0 ? 0 : slotOf(command.args()[keyIndex]);
        if (command.args().length + 1 <= UnitBatch.MAX_CALL_ARGS) {
            units.add(command.db(), slot, command.endOffset(), command.rawName(), command.args(), command.weight(), 0);
            return;
        }
        List<byte[][]> pieces = VariadicSplitter.split(name, command.args(), UnitBatch.MAX_CALL_ARGS - 1);
        if (pieces.isEmpty()) {
            stats.applyErrors(1);
            log.error("Link {}: {} with {} arguments cannot be applied in one unit and is not splittable; not applied",
                    spec.link(), name, command.args().length);
            return;
        }
        for (byte[][] piece : pieces) {
            // pieces share the command's offset: a resumed worker skips or applies all of them
            units.add(command.db(), slot, command.endOffset(), command.rawName(), piece, command.weight() / pieces.size(), 0);
        }
    }

    private int slotOf(byte[] key) {
        return spec.target().cluster() ? SlotHash.getSlot(key) : 0;
    }

    /** A batch on its way to the target, with what to count once it is answered. */
    private record InFlight(TargetWriter.Pending pending, List<UnitBatch.Unit> units, long upTo, String replid,
                            boolean resumable) {

        boolean done() {
            return pending == null || pending.isDone();
        }
    }

    /**
     * Sends what was translated without waiting for earlier batches: replies come back in order on
     * each connection, so up to {@code IN_FLIGHT_BATCHES} batches ride the pipe at once. Only past
     * that is the oldest awaited.
     */
    private void flush(UnitBatch units) throws InterruptedException {
        List<UnitBatch.Unit> built = units.take();
        List<TargetWriter.Unit> toSend = UnitBatch.seal(built, epochBytes, history, spec.link(), spec.markUnits());
        InFlight batch = new InFlight(toSend.isEmpty() ? null : writer.send(toSend), built, history.translatedUpTo,
                history.replid, history.resumable);
        inFlight.add(batch, InFlight::done, (done, last) -> complete(done, false));
    }

    /** Waits for every batch on its way (before a function load, at the end of a full sync, when idle). */
    private void drain(UnitBatch units, boolean storeResumePoint) throws InterruptedException {
        flush(units);
        inFlight.drain((batch, last) -> complete(batch, storeResumePoint && last));
    }

    /**
     * Waits for one batch. A slow or stopped target is waited for — the batch is already on its
     * connection and is never sent twice; meanwhile the queue fills and the source stops being read.
     */
    private void complete(InFlight batch, boolean forceResumePoint) throws InterruptedException {
        if (batch.pending() != null) {
            List<UnitScripts.Result> results;
            while (true) {
                try {
                    results = batch.pending().await();
                    break;
                } catch (TimeoutException e) {
                    log.warn("Link {}: target {} has not answered for {}; still waiting", spec.link(), spec.target(),
                            spec.options().targetTimeout());
                    if (!running) {
                        throw new InterruptedException("stopped while waiting for the target");
                    }
                }
            }
            for (int i = 0; i < results.size(); i++) {
                count(results.get(i), batch.units().get(i));
            }
        }
        stats.appliedUpTo(batch.upTo());
        ChangeSource reading = source;
        if (reading != null) {
            reading.applied(batch.upTo());
        }
        if (batch.resumable() && batch.upTo() > history.resumeStored && batch.replid() != null
                && (forceResumePoint || System.nanoTime() - resumeStoredAt > RESUME_POINT_EVERY_NANOS)) {
            if (writer.storeResumePoint(spec.link(), spec.epoch(), batch.replid(), batch.upTo())) {
                history.resumeStored = batch.upTo();
                resumeStoredAt = System.nanoTime();
            }
        }
    }

    private void count(UnitScripts.Result result, UnitBatch.Unit unit) {
        if (result.hasError()) {
            if (UnitScripts.isFenced(result.getError())) {
                throw new FencedException(result.getError());
            }
            stats.applyErrors(unit.commands);
            if (stats.applyErrors() <= 10) {
                log.warn("Link {}: target refused a unit of {} commands: {}", spec.link(), unit.commands, result.getError());
            }
            return;
        }
        long restored = Math.min(unit.restored, result.applied());
        stats.unitApplied(result.applied(), restored, unit.bytes);
        stats.skipped(result.skipped());
        stats.kept(result.kept());
        if (result.errors() > 0) {
            stats.applyErrors(result.errors());
            if (stats.applyErrors() <= 10) {
                log.warn("Link {}: target refused {} command(s): {}", spec.link(), result.errors(), result.firstError());
            }
        }
    }

    private <T> T await(RedisFuture<T> reply) {
        try {
            return reply.get(spec.options().targetTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting link " + spec.link(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("source " + spec.source() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("source " + spec.source() + " did not answer within "
                    + spec.options().targetTimeout(), e);
        }
    }

    private RedisURI sourceUri() {
        return sourceUri(spec);
    }

    static RedisURI sourceUri(Spec spec) {
        RedisEndpoint source = spec.source();
        return RedisUris.of(source.host(), source.port(), source.username(), source.password(), source.tls(),
                spec.options().tls(), null);
    }

    private static byte[] bytes(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
    }

    private void stopReading() {
        running = false;
        if (source != null) {
            source.close();
        }
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
