package dev.redmesh.worker;

import dev.redmesh.security.RedisTlsProperties;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.lifecycle.PeriodicLoop;
import dev.redmesh.sync.KeyFilter;
import dev.redmesh.sync.Resync;
import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.sync.SyncOptions;
import dev.redmesh.sync.SyncStats;
import dev.redmesh.sync.SyncStatus;
import dev.redmesh.sync.SyncWorker;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * A worker's membership in the fleet: heartbeats its progress to the control plane every
 * {@code heartbeat-every}, runs exactly the assignments the answer names (each one a
 * {@link SyncWorker} with the assignment's epoch), and keeps a long poll open so that a new epoch
 * after a failover reaches it at once instead of at the next heartbeat.
 *
 * <p>Starting an assignment (fence, plan, connect) happens off the heartbeat thread, so a dead
 * source or target only delays its own assignment. One that fails to start is reported
 * {@code FAILED} with the reason and retried.
 */
@Component
public class FleetAgent implements SmartLifecycle, ApplicationListener<WebServerInitializedEvent> {

    private static final Logger log = LoggerFactory.getLogger(FleetAgent.class);
    /** The full status (one INFO to the source) is read every this many lag samples. */
    private static final int STATUS_EVERY_SAMPLES = 10;
    /** After a long poll that got no answer, the next waits this long: the control plane may be restarting. */
    private static final long UNANSWERED_POLL_PAUSE_MS = 1000;
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(10);

    private final FleetAgentProperties properties;
    private final WorkerProperties workerProperties;
    private final RedisTlsProperties tls;
    private final MeterRegistry meters;
    private final org.springframework.beans.factory.ObjectProvider<FleetCredentials> credentials;
    /** This process's own control plane, when it runs one: called directly rather than over HTTP. */
    private final org.springframework.beans.factory.ObjectProvider<ControlPlane> local;
    private volatile String id;
    /** Where heartbeats go: the configured URL, or this process's control plane. */
    private volatile ControlPlane controlPlaneClient;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** Starts and stops assignments; made anew on every start, since a stopped context may be started again. */
    private volatile ExecutorService lifecycle;
    private volatile URI controlPlane;
    private volatile String address;
    private volatile String fingerprint = "";
    /**
     * Until when (System.nanoTime) the leases of what this worker runs hold, as far as it knows: the
     * send time of the last heartbeat the control plane answered plus the lease it gave. 0: no
     * answer yet. Past it the worker stops applying (docs/fleet.md, "Partitions").
     */
    private volatile long leaseUntil;
    private volatile boolean running0;
    /** Heartbeats, woken early when an assignment changes phase: the control plane should know at once. */
    private final PeriodicLoop heartbeats;
    /** The long poll for new orders, one after the other. */
    private final PeriodicLoop orders;
    /** Lag clocks and leases, woken early by an engine's phase change. */
    private final PeriodicLoop samples;
    private volatile boolean lastPollUnanswered;
    private boolean loopsStarted;

    FleetAgent(FleetAgentProperties properties, WorkerProperties workerProperties, RedisTlsProperties tls, MeterRegistry meters,
               org.springframework.beans.factory.ObjectProvider<FleetCredentials> credentials,
               org.springframework.beans.factory.ObjectProvider<ControlPlane> local) {
        this.local = local;
        this.properties = properties;
        this.tls = tls;
        this.credentials = credentials;
        this.workerProperties = workerProperties;
        this.meters = meters;
        this.id = properties.id() != null ? properties.id() : defaultId();
        this.controlPlane = properties.controlPlane();
        this.heartbeats = PeriodicLoop.every(properties.heartbeatEvery(), "fleet-heartbeat", this::heartbeatOnce);
        this.orders = PeriodicLoop.waiting(() -> lastPollUnanswered ? UNANSWERED_POLL_PAUSE_MS : 0, "fleet-orders",
                this::longPollOnce).interruptedOnStop();
        this.samples = PeriodicLoop.every(properties.sampleEvery(), "fleet-lag", () -> {
            expireLeases();
            sample();
        });
    }

    /** One assignment this process runs, or is starting, or failed to start. */
    /** Notes an assignment keeps while the control plane does not answer; older ones are dropped. */
    private static final int MAX_NOTES = 100;

    private static final class Running {
        final FleetProtocol.AssignmentSpec spec;
        final LagClock lag = new LagClock();
        volatile SyncWorker worker;
        volatile AssignmentPhase phase = AssignmentPhase.STARTING;
        volatile String error;
        volatile long failedAt;
        volatile List<Meter> meters = List.of();
        volatile SyncStatus last;
        volatile long startedAt;
        int samples;
        volatile Thread starter;
        volatile boolean slowReported;
        /** The control plane's {@link FleetProtocol.Orders#covered} for this assignment; 0 until it says. */
        volatile long covered;
        /** The sync's notes not yet carried by an answered heartbeat, oldest first. */
        final java.util.concurrent.LinkedBlockingDeque<String> notes = new java.util.concurrent.LinkedBlockingDeque<>(MAX_NOTES);

        Running(FleetProtocol.AssignmentSpec spec) {
            this.spec = spec;
        }
    }

    public String id() {
        return id;
    }

    /** Progress of every assignment this process runs. */
    public List<SyncStatus> status() {
        List<SyncStatus> status = new ArrayList<>();
        running.values().forEach(r -> {
            if (r.last != null) {
                status.add(r.last);
            }
        });
        return status;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        int port = event.getWebServer().getPort();
        address = host() + ":" + port;
        if (properties.id() == null) {
            // host and pid alone are not unique when one JVM runs several apps (tests do)
            id = defaultId() + "-" + port;
        }
        controlPlaneClient = controlPlane != null ? new HttpControlPlane(controlPlane, this::token) : local.getIfAvailable();
        if (properties.enabled() && controlPlaneClient != null && running0) {
            startLoops();
        }
    }

    @Override
    public void start() {
        lifecycle = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fleet-assignment");
            t.setDaemon(true);
            return t;
        });
        running0 = true;
        if (properties.enabled() && controlPlaneClient != null && address != null) {
            startLoops();
        }
    }

    private synchronized void startLoops() {
        if (loopsStarted) {
            return;
        }
        loopsStarted = true;
        log.info("Worker {} ({}) joins the fleet at {}", id, properties.kind(), controlPlaneClient.describe());
        heartbeats.start();
        orders.start();
        samples.start();
    }

    private void phase(Running r, AssignmentPhase phase) {
        if (phase != r.phase) {
            r.phase = phase;
            heartbeats.wake();
        }
    }

    void heartbeatOnce() {
        List<FleetProtocol.AssignmentReport> reports = new ArrayList<>();
        Map<Running, List<String>> carried = new java.util.IdentityHashMap<>();
        for (Running r : running.values()) {
            SyncStatus s = r.last;
            SyncWorker worker = r.worker;
            long measured = worker == null ? -1 : worker.measuredLagMs();
            List<String> notes = new ArrayList<>();
            r.notes.drainTo(notes);
            carried.put(r, notes);
            reports.add(new FleetProtocol.AssignmentReport(r.spec.id(), r.spec.epoch(), r.phase,
                    s == null ? -1 : s.appliedOffset(), s == null ? -1 : s.lagBytes(), measured >= 0 ? measured : r.lag.lagMs(),
                    s == null ? 0 : s.opsPerSec(), r.error, divergence(s), notes, worker == null ? Resync.NONE : worker.resync(),
                    r.phase == AssignmentPhase.FULL_SYNC && worker != null ? new FleetProtocol.FullSyncProgress(
                            worker.stats().rdbKeysRead(), worker.stats().rdbKeysTotal(), worker.stats().fullSyncElapsedMs()) : null));
        }
        FleetProtocol.Heartbeat heartbeat = new FleetProtocol.Heartbeat(properties.kind(), properties.pinnedNode(), address,
                version(), reports);
        long sentAt = System.nanoTime();
        if (!running0) {
            return; // leaving: a heartbeat after the goodbye would renew the leases it just gave up
        }
        // a heartbeat on its way is answered before the goodbye: stop() waits for this step to end
        FleetProtocol.Orders answer = controlPlaneClient.heartbeat(id, heartbeat);
        if (answer == null) {
            carried.forEach((r, notes) -> { // not delivered: carried by the next heartbeat, in order
                for (int i = notes.size() - 1; i >= 0; i--) {
                    r.notes.offerFirst(notes.get(i));
                }
            });
        }
        if (answer != null) {
            // the control plane renewed the leases at or after sentAt: counting from sentAt errs on the safe side
            leaseUntil = sentAt + Duration.ofMillis(answer.leaseMs()).toNanos();
            apply(answer, "heartbeat");
        }
    }

    /**
     * Stops every assignment once the leases are gone without a heartbeat answered: the control plane
     * may have given them to another worker, which fences this one at the target anyway; stopping
     * first keeps a partitioned worker from even trying. The next answered heartbeat's orders start
     * again whatever is still this worker's.
     */
    synchronized void expireLeases() {
        long until = leaseUntil;
        if (running.isEmpty() || until == 0 || System.nanoTime() - until < 0) {
            return;
        }
        log.warn("No heartbeat answered for a whole lease: stopping {} assignment(s) until the control plane answers again",
                running.size());
        for (Running r : List.copyOf(running.values())) {
            running.remove(r.spec.id());
            lifecycle.execute(() -> stop(r, "lease expired (control plane unreachable)"));
        }
        fingerprint = "";
    }

    private static FleetProtocol.Divergence divergence(SyncStatus status) {
        SyncStats.Divergence d = status == null ? null : status.lastDivergence();
        return d == null ? null : new FleetProtocol.Divergence(d.replid(), d.fromOffset(), d.toOffset(), d.at());
    }

    void longPollOnce() {
        FleetProtocol.Orders answer = controlPlaneClient.awaitOrders(id, fingerprint, properties.longPoll().toMillis());
        lastPollUnanswered = answer == null;
        if (answer != null) {
            apply(answer, "long poll");
        }
    }

    /** The WORKER token this agent presents: configured, or the all-in-one process's own. */
    private String token() {
        String token = properties.token();
        if (token == null) {
            FleetCredentials local = credentials.getIfAvailable();
            token = local == null ? null : local.token();
        }
        return token;
    }

    /** Runs exactly what the orders name: stops what is gone or changed, starts what is new. */
    synchronized void apply(FleetProtocol.Orders orders, String via) {
        if (!running0) {
            return;
        }
        if (!orders.fingerprint().equals(fingerprint)) {
            log.info("New orders by {}: {}", via, orders.fingerprint());
        }
        fingerprint = orders.fingerprint();
        if (leaseUntil == 0) {
            leaseUntil = System.nanoTime() + Duration.ofMillis(orders.leaseMs()).toNanos();
        }
        Map<String, FleetProtocol.AssignmentSpec> wanted = new java.util.HashMap<>();
        orders.assignments().forEach(a -> wanted.put(a.id(), a));
        Map<String, Long> covered = orders.covered() == null ? Map.of() : orders.covered();
        for (Running r : List.copyOf(running.values())) {
            FleetProtocol.AssignmentSpec want = wanted.get(r.spec.id());
            boolean retry = r.phase == AssignmentPhase.FAILED
                    && System.nanoTime() - r.failedAt > properties.retryFailedAfter().toNanos();
            if (want == null || !want.equals(r.spec) || retry) {
                running.remove(r.spec.id());
                lifecycle.execute(() -> stop(r, want == null ? "no longer assigned" : retry ? "retrying" : "epoch " + want.epoch()));
            }
        }
        running.values().forEach(r -> r.covered = covered.getOrDefault(r.spec.id(), 0L));
        for (FleetProtocol.AssignmentSpec want : orders.assignments()) {
            if (!running.containsKey(want.id())) {
                Running r = new Running(want);
                r.covered = covered.getOrDefault(want.id(), 0L);
                running.put(want.id(), r);
                r.startedAt = System.nanoTime();
                lifecycle.execute(() -> begin(r));
            }
        }
    }

    private void begin(Running r) {
        r.starter = Thread.currentThread();
        FleetProtocol.AssignmentSpec a = r.spec;
        SyncWorker worker = new SyncWorker(new SyncWorker.Spec(a.link() + "/" + a.shard(), endpoint(a.source()),
                endpoint(a.target()), new KeyFilter(a.include(), a.exclude()), options(), a.epoch(), a.capture(),
                a.markUnits()),
                event -> {
                    log.warn("Assignment {}: {}", a.id(), event);
                    while (!r.notes.offerLast(event)) {
                        r.notes.pollFirst();
                    }
                });
        worker.inboundCoverage(() -> r.covered);
        r.worker = worker;
        worker.stats().onPhaseChange(samples::wake);
        try {
            worker.start();
            if (running.get(a.id()) != r) { // replaced while starting
                worker.close();
                return;
            }
            r.meters = SyncMeters.register(meters, Tags.of("link", a.link(), "shard", a.shard()), worker);
            phase(r, AssignmentPhase.of(worker.stats().phase()));
            log.info("Assignment {} started at epoch {}", a.id(), a.epoch());
        } catch (RuntimeException e) {
            worker.close();
            r.error = e.getMessage() == null ? e.toString() : e.getMessage();
            r.failedAt = System.nanoTime();
            phase(r, AssignmentPhase.FAILED);
            log.warn("Assignment {} (epoch {}) could not start: {}", a.id(), a.epoch(), r.error);
        }
    }

    private void stop(Running r, String why) {
        SyncWorker worker = r.worker;
        if (worker != null) {
            worker.close();
        }
        SyncMeters.remove(meters, r.meters);
        log.info("Assignment {} epoch {} stopped: {}", r.spec.id(), r.spec.epoch(), why);
    }

    /** Samples every running assignment: status (one INFO to its source) and the lag clock. */
    void sample() {
        for (Running r : running.values()) {
            Thread starter = r.starter;
            if (r.phase == AssignmentPhase.STARTING && !r.slowReported && starter != null
                    && System.nanoTime() - r.startedAt > properties.slowStartAfter().toNanos()) {
                r.slowReported = true;
                StringBuilder stack = new StringBuilder();
                for (StackTraceElement frame : starter.getStackTrace()) {
                    stack.append("\n\tat ").append(frame);
                }
                log.warn("Assignment {} has been starting for more than {} s; its thread is at:{}", r.spec.id(),
                        properties.slowStartAfter().toSeconds(), stack);
            }
            SyncWorker worker = r.worker;
            if (worker == null || r.phase == AssignmentPhase.STARTING || r.phase == AssignmentPhase.FAILED) {
                continue;
            }
            try {
                // the lag clock runs on what was read from the stream (no I/O, every 100 ms); the full
                // status asks the source its offset (one INFO), so only once a second
                r.lag.sample(worker.readOffset(), worker.stats().appliedOffset(), System.nanoTime());
                if (r.last == null || ++r.samples % STATUS_EVERY_SAMPLES == 0) {
                    r.last = worker.status();
                }
                SyncStats.Phase phase = worker.stats().phase();
                if (phase == SyncStats.Phase.STOPPED && r.error == null) {
                    r.error = "the sync worker stopped";
                    r.failedAt = System.nanoTime();
                }
                phase(r, AssignmentPhase.of(phase));
            } catch (RuntimeException e) {
                r.error = e.toString();
            }
        }
    }

    private SyncOptions options() {
        return ConfiguredLinks.options(workerProperties, tls);
    }

    /** Where to connect, the password opened with this worker's token (orders carry it sealed). */
    private RedisEndpoint endpoint(FleetProtocol.Endpoint e) {
        return new RedisEndpoint(e.seeds(), e.cluster(), e.username(),
                OrderSeal.open(controlPlaneClient.token(), id, e.sealedPassword()), e.tls());
    }

    private static String version() {
        String v = FleetAgent.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String defaultId() {
        String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
        String id = (host() + "-" + pid).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-")
                .replaceAll("^[^a-z0-9]+", "w");
        return id.substring(0, Math.min(id.length(), 120));
    }

    @Override
    public void stop() {
        boolean joined;
        synchronized (this) {
            joined = running0 && loopsStarted;
            loopsStarted = false;
        }
        running0 = false;
        // a heartbeat on its way is answered before anything else — it must not reach the control
        // plane after the goodbye, which it would undo by renewing the leases — so it is waited for
        heartbeats.stop(STOP_PATIENCE);
        orders.stop(STOP_PATIENCE);
        samples.stop(STOP_PATIENCE);
        running.values().forEach(r -> stop(r, "shutting down"));
        running.clear();
        lifecycle.shutdownNow();
        if (joined) {
            leave();
        }
    }

    /**
     * Says goodbye once every assignment is stopped, so that they move at the leader's next tick
     * rather than when their leases run out, and this worker is not shown as silent afterwards.
     * Best effort: unanswered, the leases run out as after a crash.
     */
    private void leave() {
        if (controlPlaneClient.leave(id)) {
            log.info("Worker {} left the fleet", id);
        } else {
            log.info("Worker {} could not say goodbye; its leases run out instead", id);
        }
    }

    @Override
    public boolean isRunning() {
        return running0;
    }
}
