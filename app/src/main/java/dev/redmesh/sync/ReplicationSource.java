package dev.redmesh.sync;

import dev.redmesh.redis.RedisEndpoint;

import dev.redmesh.redis.TlsTrust;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.moilioncircle.redis.replicator.Configuration;
import com.moilioncircle.redis.replicator.Replicator;
import com.moilioncircle.redis.replicator.cmd.CommandName;
import com.moilioncircle.redis.replicator.cmd.impl.DefaultCommand;
import com.moilioncircle.redis.replicator.cmd.impl.SelectCommand;
import com.moilioncircle.redis.replicator.cmd.parser.DefaultCommandParser;
import com.moilioncircle.redis.replicator.event.Event;
import com.moilioncircle.redis.replicator.event.PostRdbSyncEvent;
import com.moilioncircle.redis.replicator.event.PreCommandSyncEvent;
import com.moilioncircle.redis.replicator.event.PreRdbSyncEvent;
import com.moilioncircle.redis.replicator.rdb.datatype.ExpiredType;
import com.moilioncircle.redis.replicator.rdb.datatype.Function;
import com.moilioncircle.redis.replicator.rdb.dump.DumpRdbVisitor;
import com.moilioncircle.redis.replicator.rdb.dump.datatype.DumpFunction;
import com.moilioncircle.redis.replicator.rdb.dump.parser.DefaultDumpValueParser;
import com.moilioncircle.redis.replicator.rdb.dump.datatype.DumpKeyValuePair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one source master as a PSYNC2 replica (redis-replicator) and puts everything it reads
 * into the bounded queue, in order. The RDB of a full sync arrives as {@code DUMP} payloads
 * already in the target's RDB version, so the target can {@code RESTORE} them. A dropped
 * connection is reopened with {@code PSYNC <replid> <offset+1>} from what was read, which the
 * master answers with {@code +CONTINUE} while its backlog still holds that offset.
 */
final class ReplicationSource implements ChangeSource {

    /** The PSYNC2 capture: a replica of the source master, resuming after {@code from} when it can. */
    static final ChangeSource.Factory PSYNC = (spec, catalog, targetRdbVersion, queue, stats, from, events, downgrade) ->
            new ReplicationSource(spec.source(), spec.options().tls(), catalog.names(), targetRdbVersion, queue, stats,
                    from == null ? null : from.replid(), from == null ? -1 : from.offset(),
                    spec.options().maxRestoreBytes(), spec.options().reconnectBackoffMax().toMillis(), new PsyncBeats(spec), downgrade);


    private static final Logger log = LoggerFactory.getLogger(ReplicationSource.class);
    private static final long FIRST_BACKOFF_MILLIS = 100;

    private final RedisEndpoint endpoint;
    private final Set<String> commandNames;
    private final int targetRdbVersion;
    /** Says when a full sync's hash loses its field TTLs on a target without them (the dump visitor drops them). */
    private final FieldTtlDowngrade downgrade;
    private final BoundedEventQueue queue;
    private final SyncStats stats;
    private final Configuration configuration = Configuration.defaultSetting();
    private final AtomicReference<Replicator> current = new AtomicReference<>();
    private final AtomicLong rdbKeys = new AtomicLong();
    private final java.util.Set<Integer> dbsCounted = new java.util.HashSet<>();
    private DefaultDumpValueParser functions;
    private final long backoffMaxMillis;
    private final LargeValueSplitter splitter;
    private volatile boolean closed;
    private volatile int db;
    /** The history the events queued so far belong to; a change is announced before the next command. */
    private String announcedReplid;
    /** End offset of the last command read from the stream (or where streaming began); -1 before. */
    private volatile long readOffset = -1;
    private Thread thread;
    private final PsyncBeats beats;

    /**
     * @param replid  history to resume, or null for a full sync
     * @param offset  last offset already applied (PSYNC asks for offset + 1); ignored without replid
     */
    ReplicationSource(RedisEndpoint endpoint, TlsTrust trust, Set<String> commandNames, int targetRdbVersion, BoundedEventQueue queue,
                      SyncStats stats, String replid, long offset, long maxRestoreBytes, long backoffMaxMillis, PsyncBeats beats,
                      FieldTtlDowngrade downgrade) {
        this.endpoint = endpoint;
        this.downgrade = downgrade;
        this.beats = beats;
        this.backoffMaxMillis = backoffMaxMillis;
        this.splitter = new LargeValueSplitter(maxRestoreBytes);
        this.commandNames = commandNames;
        this.targetRdbVersion = targetRdbVersion;
        this.queue = queue;
        this.stats = stats;
        // reconnects are ours (run()): a new replicator resumes from what was read, and the phase says
        // DISCONNECTED meanwhile. 0 here would mean "retry forever inside open()", every 100 ms, with
        // the link still reported STREAMING while its source is down
        configuration.setRetries(1);
        configuration.setRetryTimeInterval(100);
        configuration.setBufferSize(64 * 1024);
        configuration.setUseDefaultExceptionListener(false);
        configuration.setHeartbeatPeriod(1000);
        configuration.setConnectionTimeout(5000);
        configuration.setAuthUser(endpoint.username());
        configuration.setAuthPassword(endpoint.password());
        configuration.setSsl(endpoint.tls());
        if (endpoint.tls()) {
            configuration.setSslSocketFactory(trust.socketFactory());
            configuration.setSslParameters(trust.sslParameters());
        }
        if (replid != null) {
            configuration.setReplId(replid);
            configuration.setReplOffset(offset);
            announcedReplid = replid;
        }
    }

    @Override
    public void start() {
        thread = new Thread(this::run, "sync-source-" + endpoint.seeds().get(0));
        thread.setDaemon(true);
        thread.start();
        beats.start();
    }

    @Override
    public String replid() {
        return configuration.getReplId();
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (!closed) {
            Replicator replicator = newReplicator();
            current.set(replicator);
            long before = stats.fullSyncs();
            try {
                stats.connecting();
                replicator.open();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    log.warn("Replication from {} stopped: {}", endpoint, e.toString());
                }
            } finally {
                try {
                    replicator.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
            if (closed) {
                return;
            }
            boolean streamed = stats.phase() == SyncStats.Phase.STREAMING;
            stats.disconnected();
            // a connection that got as far as streaming or a full sync starts the backoff afresh
            backoff = streamed || stats.fullSyncs() > before ? FIRST_BACKOFF_MILLIS : Math.min(backoff * 2, backoffMaxMillis);
            sleep(backoff);
        }
    }

    private Replicator newReplicator() {
        UnlistedReplicator replicator = new UnlistedReplicator(endpoint.host(), endpoint.port(), configuration);
        for (String name : commandNames) {
            replicator.addCommandParser(CommandName.name(name), new DefaultCommandParser());
        }
        replicator.setRdbVisitor(FieldTtlDowngrade.targetKeepsFieldTtls(targetRdbVersion)
                ? new DumpRdbVisitor(replicator, targetRdbVersion) : new FieldTtlsDropped(replicator));
        functions = new DefaultDumpValueParser(replicator);
        replicator.addEventListener((r, event) -> onEvent(event));
        replicator.addExceptionListener((r, error, event) -> {
            if (!closed) { // once closed, what the replicator still had buffered is dropped on purpose
                log.warn("Source {} event failed: {}", endpoint, error.toString());
            }
        });
        return replicator;
    }

    /**
     * The dump visitor writes a hash with field TTLs for an older target as a plain hash: each such
     * key is counted and named as approximated ({@link FieldTtlDowngrade}).
     */
    private final class FieldTtlsDropped extends DumpRdbVisitor {

        FieldTtlsDropped(Replicator replicator) {
            super(replicator, targetRdbVersion);
        }

        @Override
        public Event applyHashMetadata(com.moilioncircle.redis.replicator.io.RedisInputStream in, int version,
                                       com.moilioncircle.redis.replicator.rdb.datatype.ContextKeyValuePair context) throws java.io.IOException {
            return dropped(super.applyHashMetadata(in, version, context));
        }

        @Override
        public Event applyHashListPackEx(com.moilioncircle.redis.replicator.io.RedisInputStream in, int version,
                                         com.moilioncircle.redis.replicator.rdb.datatype.ContextKeyValuePair context) throws java.io.IOException {
            return dropped(super.applyHashListPackEx(in, version, context));
        }

        private Event dropped(Event event) {
            if (event instanceof DumpKeyValuePair kv) {
                downgrade.approximated(kv.getKey(), "full sync");
            }
            return event;
        }
    }

    private void onEvent(Event event) {
        if (closed) {
            return; // nobody reads the queue any more
        }
        try {
            if (event instanceof PreRdbSyncEvent) {
                rdbKeys.set(0);
                dbsCounted.clear();
                stats.fullSyncStarted();
                announcedReplid = null; // redis-replicator learns the new history only after the RDB
                queue.put(new ReplicationEvent.FullSyncStarted());
            } else if (event instanceof DumpKeyValuePair kv) {
                rdbKeys.incrementAndGet();
                stats.rdbKeyRead(kv.getValue().length);
                int keyDb = (int) kv.getDb().getDbNumber();
                if (dbsCounted.add(keyDb) && kv.getDb().getDbsize() != null) {
                    stats.rdbKeysExpected(kv.getDb().getDbsize()); // RESIZEDB: how many keys this database holds
                }
                List<ReplicationEvent.Command> pieces = splitter.split(keyDb, kv.getKey(), kv.getValue(), expireAt(kv));
                if (pieces.isEmpty()) {
                    queue.put(new ReplicationEvent.KeyDump(keyDb, kv.getKey(), kv.getValue(), expireAt(kv)));
                } else {
                    for (ReplicationEvent.Command piece : pieces) {
                        queue.put(piece);
                    }
                }
            } else if (event instanceof Function function) {
                queue.put(new ReplicationEvent.FunctionLibrary(function.getCode()));
            } else if (event instanceof DumpFunction dumped) {
                // the dump visitor hands libraries over serialized; their code is what FUNCTION LOAD takes
                queue.put(new ReplicationEvent.FunctionLibrary(functions.parse(dumped).getCode()));
            } else if (event instanceof PostRdbSyncEvent) {
                queue.put(new ReplicationEvent.FullSyncFinished(rdbKeys.get()));
            } else if (event instanceof PreCommandSyncEvent) {
                String replid = configuration.getReplId();
                long offset = configuration.getReplOffset();
                String previous = announcedReplid != null && !announcedReplid.equals(replid) ? announcedReplid : null;
                if (previous != null) {
                    log.info("Source {} continues in a new history {} (was {} up to offset {})", endpoint, replid,
                            previous, offset);
                }
                announcedReplid = replid;
                readOffset = offset;
                queue.put(new ReplicationEvent.Streaming(replid, previous, offset));
            } else if (event instanceof SelectCommand select) {
                db = select.getIndex();
            } else if (event instanceof DefaultCommand command) {
                onCommand(command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("source closed while waiting for room in the queue", e);
        }
    }

    private void onCommand(DefaultCommand command) throws InterruptedException {
        long end = command.getContext() != null && command.getContext().getOffsets() != null
                ? command.getContext().getOffsets().getV2() : configuration.getReplOffset();
        long before = readOffset;
        readOffset = end;
        ReplicationEvent.Command parsed = ReplicationEvent.Command.of(db, command.getCommand(), command.getArgs(), end);
        beats.read(parsed.name(), parsed.args(), before < 0 ? end : before);
        if (parsed.name().equals("SELECT")) {
            db = Integer.parseInt(new String(command.getArgs()[0], java.nio.charset.StandardCharsets.US_ASCII));
            return;
        }
        queue.put(parsed);
    }

    private static long expireAt(DumpKeyValuePair kv) {
        if (kv.getExpiredType() == null || kv.getExpiredType() == ExpiredType.NONE || kv.getExpiredValue() == null) {
            return 0;
        }
        return kv.getExpiredType() == ExpiredType.SECOND ? kv.getExpiredValue() * 1000 : kv.getExpiredValue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void applied(long offset) {
        beats.applied(offset);
    }

    @Override
    public long lagMs() {
        return beats.lagMs();
    }

    @Override
    public void close() {
        closed = true;
        beats.close();
        Replicator replicator = current.get();
        if (replicator != null) {
            try {
                replicator.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** How far the stream has been read (no I/O); what is read but not applied waits in the worker. */
    @Override
    public long readOffset() {
        return readOffset;
    }
}
