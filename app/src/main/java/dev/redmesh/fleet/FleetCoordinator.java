package dev.redmesh.fleet;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.event.EventService;
import dev.redmesh.event.EventType;
import dev.redmesh.lifecycle.PeriodicLoop;
import dev.redmesh.link.LinkReadModel;
import dev.redmesh.link.LinkService;
import dev.redmesh.link.LinkState;
import dev.redmesh.link.MirrorProgress;
import dev.redmesh.topology.RoleChangeEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The leader's runbook, every {@code redmesh.fleet.reconcile-every} and at once after a role change:
 * <ol>
 *   <li>{@link #ensureAssignments}: one assignment per (link, source shard with a known master);
 *   a new holder, a new source master or a new target master gets a new epoch (I3), so whoever held
 *   it before can no longer write;</li>
 *   <li>{@link #updateLinkStates}: each link's state follows what its workers report, every
 *   transition recorded with its reason;</li>
 *   <li>housekeeping: lag samples downsampled and expired, long-silent workers forgotten.</li>
 * </ol>
 * Only the control plane holding the {@link LeaderLock} runs it.
 */
@Component
public class FleetCoordinator implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FleetCoordinator.class);
    private static final Duration HOUSEKEEPING_EVERY = Duration.ofSeconds(10);

    private final FleetStore store;
    private final LeaderLock lock;
    private final FleetSignal signal;
    private final LinkService links;
    private final MirrorProgress mirrors;
    private final dev.redmesh.cluster.TopologyView topology;
    private final EventService events;
    private final TransactionTemplate transactions;
    private final FleetProperties properties;
    private final Clock clock;
    private final String self = ManagementFactory.getRuntimeMXBean().getName();
    /** Wakes at once after a role change or an API change, and right when the next lease runs out. */
    private final PeriodicLoop loop = PeriodicLoop.waiting(this::millisToNextTick, "fleet-coordinator", this::tickWarningIfSlow);
    private volatile boolean leader;
    private static final long SLOW_TICK_MS = 1000;
    private Instant housekeptAt = Instant.EPOCH;
    private volatile Instant nextExpiry = Instant.MAX;
    private Instant rebalancedAt = Instant.EPOCH;

    FleetCoordinator(FleetStore store, LeaderLock lock, FleetSignal signal, LinkService links, MirrorProgress mirrors,
                     EventService events, TransactionTemplate transactions, FleetProperties properties, Clock clock,
                     dev.redmesh.cluster.TopologyView topology) {
        this.topology = topology;
        this.mirrors = mirrors;
        this.store = store;
        this.lock = lock;
        this.signal = signal;
        this.links = links;
        this.events = events;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    public boolean isLeader() {
        return leader;
    }

    /** A shard has a new master: reconcile now rather than at the next tick. */
    @EventListener
    void onRoleChange(RoleChangeEvent event) {
        loop.wake();
    }

    /** Links or clusters changed through the API: same. */
    void nudge() {
        loop.wake();
    }

    /** A tick, and a warning with where its time went when it was slow: workers learn of changes only after it commits. */
    private void tickWarningIfSlow() {
        long began = System.nanoTime();
        tick();
        long tookMs = (System.nanoTime() - began) / 1_000_000;
        if (tookMs > SLOW_TICK_MS) {
            log.warn("A fleet reconcile tick took {} ms (workers learn of changes only after it commits): {}", tookMs, stepMs);
        }
    }

    /** Milliseconds per step of the last tick, for the slow-tick warning. */
    private final Map<String, Long> stepMs = new java.util.LinkedHashMap<>();
    private long stepStart;

    private void step(String name) {
        long now = System.nanoTime();
        stepMs.put(name, (now - stepStart) / 1_000_000);
        stepStart = now;
    }

    void tick() {
        stepMs.clear();
        stepStart = System.nanoTime();
        boolean holds = lock.holds();
        step("lock");
        if (!holds) {
            if (leader) {
                log.warn("No longer the fleet leader");
            }
            leader = false;
            return;
        }
        if (!leader) {
            leader = true;
            log.info("Leading the fleet ({})", self);
            // a new leader cannot know which leases its predecessor (or its own past, before a
            // Postgres restart) saw renewed: every holder gets one lease from now to heartbeat before
            // anything moves, so that a control-plane outage does not turn into a handover of every
            // assignment. A worker that really died is replaced one lease later than otherwise.
            Instant until = clock.instant().plus(properties.lease());
            int honoured = transactions.execute(tx -> {
                events.record(EventType.LEADER, "fleet", "control plane " + self + " leads the fleet",
                        Map.of("controlPlane", self));
                return store.extendLapsedLeases(until);
            });
            if (honoured > 0) {
                log.info("{} lapsed lease(s) extended to {}: their holders may heartbeat before anything moves", honoured, until);
            }
        }
        Instant now = clock.instant();
        // assignments commit on their own and workers hear of them before link states are brought up
        // to date: a dead worker's replacement waits for nothing but its own transaction
        FleetStore.Snapshot snapshot = store.snapshot();
        step("read");
        Boolean changed = transactions.execute(tx -> ensureAssignments(now, snapshot));
        step("assignments");
        if (Boolean.TRUE.equals(changed)) {
            signal.changed();
        }
        // from what the tick read: an assignment moved just now shows in its link's state at the next tick
        transactions.executeWithoutResult(tx -> updateLinkStates(snapshot));
        step("linkStates");
        if (Duration.between(housekeptAt, now).compareTo(HOUSEKEEPING_EVERY) >= 0) {
            housekeptAt = now;
            transactions.executeWithoutResult(tx -> {
                store.downsample(now, properties.lagFineFor(), properties.lagCoarseFor());
                store.forgetWorkersSilentSince(now.minus(properties.forgetWorkersAfter()));
            });
        }
    }

    /**
     * Plans the tick's moves ({@link AssignmentPlanner}) and applies them, each with a new epoch (I3).
     *
     * @return whether any assignment was created, moved or removed
     */
    boolean ensureAssignments(Instant now, FleetStore.Snapshot snapshot) {
        boolean mayRebalance = Duration.between(rebalancedAt, now).compareTo(properties.rebalanceEvery()) >= 0;
        AssignmentPlanner.Plan plan = AssignmentPlanner.plan(snapshot, now, properties.lease(), mayRebalance);
        nextExpiry = plan.nextExpiry();
        if (plan.rebalanced()) {
            rebalancedAt = now;
        }
        Instant leaseUntil = now.plus(properties.lease());
        for (AssignmentPlanner.Move move : plan.moves()) {
            if (move instanceof AssignmentPlanner.Create c) {
                long epoch = store.nextEpoch();
                store.insertAssignment(c.assignment(), c.link(), c.shard(), c.sourceNode(), c.targetNode(), epoch, c.holder(),
                        leaseUntil, now);
                recordMove(c.assignment(), null, c.holder(), epoch, c.reason());
            } else if (move instanceof AssignmentPlanner.Reassign r) {
                long epoch = store.nextEpoch();
                store.reassign(r.assignment(), r.sourceNode(), r.targetNode(), epoch, r.holder(), leaseUntil, now);
                recordMove(r.assignment(), r.from(), r.holder(), epoch, r.reason());
            } else if (move instanceof AssignmentPlanner.Remove r) {
                boolean paused = snapshot.links().stream().anyMatch(l -> l.id().equals(r.link()) && l.state() == LinkState.PAUSED);
                if (paused) {
                    store.pauseAssignment(r.assignment(), now); // its backlog is shown growing while it is paused
                } else {
                    store.deleteAssignment(r.assignment());
                }
                events.record(EventType.ASSIGNMENT, r.assignment(),
                        "removed: its link is paused or gone, or its shard has no master", Map.of("epoch", r.epoch()));
            }
        }
        return !plan.moves().isEmpty();
    }

    /** How long the loop may sleep before its next tick. */
    long millisToNextTick() {
        long tick = properties.reconcileEvery().toMillis();
        Instant expiry = nextExpiry;
        if (expiry == Instant.MAX) {
            return tick;
        }
        long untilExpiry = Duration.between(clock.instant(), expiry).toMillis() + 1;
        return Math.max(1, Math.min(tick, untilExpiry));
    }

    private void recordMove(String id, String from, String to, long epoch, String reason) {
        log.info("Assignment {}: epoch {}, worker {} → {} ({})", id, epoch, from, to, reason);
        Map<String, Object> details = new HashMap<>();
        details.put("epoch", epoch);
        details.put("from", from);
        details.put("to", to);
        details.put("reason", reason);
        events.record(EventType.ASSIGNMENT, id, "epoch " + epoch + " to " + (to == null ? "no worker" : to) + ": " + reason,
                details);
    }

    /**
     * A PROXY_MIRROR link has no worker: it streams while a live proxy of its source's region runs the
     * configuration that mirrors it, and waits (PENDING) otherwise. Its lag is unknown by nature.
     */
    private void updateMirrorStates(FleetStore.Snapshot snapshot) {
        for (LinkReadModel.Row row : snapshot.mirrorLinks()) {
            LinkState state = row.state();
            if (state == LinkState.PAUSED) {
                continue;
            }
            Optional<String> by = mirrors.mirroredBy(row.id());
            move(row, state, by.isPresent() ? LinkState.STREAMING : LinkState.PENDING, by.map(b -> "mirrored by " + b)
                    .orElse("no proxy of " + row.source() + "'s region runs its mirror yet"));
        }
    }

    /** Each link's state follows its assignments' reports of their current epoch ({@link LinkStateRule}). */
    void updateLinkStates(FleetStore.Snapshot snapshot) {
        updateMirrorStates(snapshot);
        Map<String, List<FleetStore.AssignmentRow>> byLink = snapshot.assignmentsByLink();
        for (LinkReadModel.Row row : snapshot.workerLinks()) {
            LinkState state = row.state();
            if (state == LinkState.PAUSED) {
                continue;
            }
            LinkStateRule.Decision next = LinkStateRule.decide(row.source(), row.target(),
                    byLink.getOrDefault(row.id(), List.of()), topology::problem);
            move(row, state, next.state(), next.reason());
        }
    }

    /** Moves a link to {@code next} if it is not there; a move the state machine forbids is refused and logged. */
    private void move(LinkReadModel.Row row, LinkState state, LinkState next, String reason) {
        if (next == state) {
            return;
        }
        if (!state.canMoveTo(next)) {
            log.warn("Link {}: {} → {} ({}) is not a transition links make; left {}", row.id(), state, next, reason, state);
            return;
        }
        links.transition(links.get(row.id()), next, reason);
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        // a tick is not interrupted: stopped halfway through its transaction it could leave a
        // connection behind; it ends its tick and sees the flag
        loop.stop(Duration.ofSeconds(15));
        lock.release();
        leader = false;
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
