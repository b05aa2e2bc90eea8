package dev.redmesh.fleet;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.event.EventService;
import dev.redmesh.event.EventType;
import dev.redmesh.link.LinkService;
import dev.redmesh.link.LinkState;
import dev.redmesh.link.MirrorProgress;
import dev.redmesh.link.ReplicationLink;
import dev.redmesh.topology.RoleChangeEvent;
import dev.redmesh.worker.FleetProtocol;
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
class FleetCoordinator implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(FleetCoordinator.class);
    private static final Duration HOUSEKEEPING_EVERY = Duration.ofSeconds(10);

    private final FleetStore store;
    private final LeaderLock lock;
    private final FleetSignal signal;
    private final LinkService links;
    private final MirrorProgress mirrors;
    private final EventService events;
    private final TransactionTemplate transactions;
    private final FleetProperties properties;
    private final Clock clock;
    private final String self = ManagementFactory.getRuntimeMXBean().getName();
    private final Semaphore wake = new Semaphore(0);
    private volatile Thread thread;
    private volatile boolean leader;
    private volatile boolean stopping;
    private static final long SLOW_TICK_MS = 1000;
    private Instant housekeptAt = Instant.EPOCH;
    private volatile Instant nextExpiry = Instant.MAX;
    private Instant rebalancedAt = Instant.EPOCH;

    FleetCoordinator(FleetStore store, LeaderLock lock, FleetSignal signal, LinkService links, MirrorProgress mirrors,
                     EventService events, TransactionTemplate transactions, FleetProperties properties, Clock clock) {
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

    boolean isLeader() {
        return leader;
    }

    /** A shard has a new master: reconcile now rather than at the next tick. */
    @EventListener
    void onRoleChange(RoleChangeEvent event) {
        wake.release();
    }

    /** Links or clusters changed through the API: same. */
    void nudge() {
        wake.release();
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
                store.downsample(now);
                store.forgetWorkersSilentSince(now.minus(Duration.ofHours(1)));
            });
        }
    }

    /** @return whether any assignment was created, moved or removed */
    boolean ensureAssignments(Instant now, FleetStore.Snapshot snapshot) {
        Map<String, FleetStore.ClusterRow> clusters = snapshot.clusters();
        Map<String, List<FleetStore.ShardMaster>> masters = snapshot.masters();
        Map<String, FleetStore.AssignmentRow> existing = new HashMap<>();
        snapshot.assignments().forEach(a -> existing.put(a.id(), a));
        Instant liveSince = now.minus(properties.lease());
        List<FleetStore.WorkerRow> live = snapshot.workers().stream().filter(w -> w.lastHeartbeat().isAfter(liveSince)).toList();
        nextExpiry = earliestExpiry(now, live, existing.values());
        Map<String, Integer> load = new HashMap<>();
        live.forEach(w -> load.put(w.id(), 0));
        existing.values().forEach(a -> {
            if (a.workerId() != null) {
                load.computeIfPresent(a.workerId(), (w, n) -> n + 1);
            }
        });

        boolean changed = false;
        Set<String> desired = new HashSet<>();
        for (FleetStore.LinkRow link : snapshot.psyncLinks()) {
            if (LinkState.PAUSED.name().equals(link.state())) {
                continue;
            }
            FleetStore.ClusterRow target = clusters.get(link.target());
            List<FleetStore.ShardMaster> targetShards = masters.getOrDefault(link.target(), List.of());
            boolean clusterTarget = target != null && "CLUSTER".equals(target.mode());
            if (target == null || (!clusterTarget && targetShards.isEmpty())) {
                continue; // nowhere to write yet
            }
            String targetNode = clusterTarget ? null : targetShards.get(0).master();
            for (FleetStore.ShardMaster shard : masters.getOrDefault(link.source(), List.of())) {
                String id = link.id() + "/" + shard.shard();
                desired.add(id);
                FleetStore.AssignmentRow current = existing.get(id);
                String holder = chooseHolder(shard.master(), current, live, load, now);
                if (current == null) {
                    long epoch = store.nextEpoch();
                    store.insertAssignment(id, link.id(), shard.shard(), shard.master(), targetNode, epoch, holder,
                            now.plus(properties.lease()), now);
                    recordMove(id, null, holder, epoch, "new assignment: " + shard.master() + " → " + link.target());
                    changed = true;
                    continue;
                }
                List<String> why = new ArrayList<>();
                if (!current.sourceNode().equals(shard.master())) {
                    why.add("source master " + current.sourceNode() + " → " + shard.master());
                }
                if (!Objects.equals(current.targetNode(), targetNode)) {
                    why.add("target master " + current.targetNode() + " → " + targetNode);
                }
                if (!Objects.equals(current.workerId(), holder)) {
                    why.add(current.workerId() == null ? "a worker is available"
                            : holder == null ? "worker " + current.workerId() + " lost its lease and no worker is live"
                            : "worker " + current.workerId() + " → " + holder);
                }
                if (!why.isEmpty()) {
                    long epoch = store.nextEpoch();
                    store.reassign(id, shard.master(), targetNode, epoch, holder, now.plus(properties.lease()), now);
                    if (current.workerId() != null) {
                        load.computeIfPresent(current.workerId(), (w, n) -> n - 1);
                    }
                    recordMove(id, current.workerId(), holder, epoch, String.join("; ", why));
                    changed = true;
                }
            }
        }
        for (FleetStore.AssignmentRow stale : existing.values()) {
            if (!desired.contains(stale.id())) {
                store.deleteAssignment(stale.id());
                events.record(EventType.ASSIGNMENT, stale.id(), "removed: its link is paused or gone, or its shard has no master",
                        Map.of("epoch", stale.epoch()));
                changed = true;
            }
        }
        if (!changed && Duration.between(rebalancedAt, now).compareTo(properties.rebalanceEvery()) >= 0) {
            changed = rebalance(now, live, snapshot.assignments());
        }
        return changed;
    }

    /**
     * Moves one streaming assignment from the busiest live pooled worker to the idlest when they
     * differ by two or more, so that workers started later (a restart, a scale-out) take their share
     * instead of idling while one worker carries everything. One move per
     * {@code redmesh.fleet.rebalance-every}: each costs that link a handover (a fence and a partial
     * resync), and only a worker that has heartbeated for a whole lease is given work.
     */
    private boolean rebalance(Instant now, List<FleetStore.WorkerRow> live, List<FleetStore.AssignmentRow> assignments) {
        Map<String, List<FleetStore.AssignmentRow>> byWorker = new HashMap<>();
        live.stream().filter(w -> w.kind() == FleetProtocol.Kind.POOLED)
                .forEach(w -> byWorker.put(w.id(), new ArrayList<>()));
        for (FleetStore.AssignmentRow a : assignments) {
            if (a.workerId() != null && byWorker.containsKey(a.workerId())) {
                byWorker.get(a.workerId()).add(a);
            }
        }
        Instant settledSince = now.minus(properties.lease());
        Optional<String> idlest = live.stream()
                .filter(w -> byWorker.containsKey(w.id()) && w.startedAt() != null && w.startedAt().isBefore(settledSince))
                .map(FleetStore.WorkerRow::id)
                .min(Comparator.comparingInt((String w) -> byWorker.get(w).size()).thenComparing(w -> w));
        Optional<String> busiest = byWorker.keySet().stream()
                .max(Comparator.comparingInt((String w) -> byWorker.get(w).size()).thenComparing(w -> w));
        if (idlest.isEmpty() || busiest.isEmpty()
                || byWorker.get(busiest.get()).size() - byWorker.get(idlest.get()).size() < 2) {
            return false;
        }
        Optional<FleetStore.AssignmentRow> move = byWorker.get(busiest.get()).stream()
                .filter(a -> "STREAMING".equals(a.phase())).findFirst();
        if (move.isEmpty()) {
            return false; // never interrupt a full sync to balance load
        }
        rebalancedAt = now;
        FleetStore.AssignmentRow a = move.get();
        long epoch = store.nextEpoch();
        store.reassign(a.id(), a.sourceNode(), a.targetNode(), epoch, idlest.get(), now.plus(properties.lease()), now);
        recordMove(a.id(), busiest.get(), idlest.get(), epoch, "rebalance: " + busiest.get() + " held "
                + byWorker.get(busiest.get()).size() + ", " + idlest.get() + " " + byWorker.get(idlest.get()).size());
        return true;
    }

    /**
     * When the next worker or lease runs out, so that the loop wakes right then rather than up to a
     * tick later: a dead worker's assignments move as soon as its lease allows.
     */
    private Instant earliestExpiry(Instant now, List<FleetStore.WorkerRow> live,
                                   java.util.Collection<FleetStore.AssignmentRow> assignments) {
        Instant earliest = Instant.MAX;
        for (FleetStore.WorkerRow w : live) {
            Instant expires = w.lastHeartbeat().plus(properties.lease());
            if (expires.isBefore(earliest)) {
                earliest = expires;
            }
        }
        for (FleetStore.AssignmentRow a : assignments) {
            Instant expires = a.leaseExpiresAt();
            if (a.workerId() != null && expires != null && expires.isAfter(now) && expires.isBefore(earliest)) {
                earliest = expires;
            }
        }
        return earliest;
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

    /**
     * Sidecars pinned to the source master come first (only the master's sidecar runs); otherwise the
     * current pooled holder keeps it while its lease holds; otherwise the least-loaded live pooled worker.
     */
    private String chooseHolder(String sourceNode, FleetStore.AssignmentRow current, List<FleetStore.WorkerRow> live,
                                Map<String, Integer> load, Instant now) {
        String currentId = current == null ? null : current.workerId();
        List<FleetStore.WorkerRow> sidecars = live.stream()
                .filter(w -> w.kind() == FleetProtocol.Kind.SIDECAR && sourceNode.equals(w.pinnedNode())).toList();
        if (!sidecars.isEmpty()) {
            if (sidecars.stream().anyMatch(w -> w.id().equals(currentId))) {
                return currentId;
            }
            return take(sidecars.get(0).id(), load);
        }
        boolean leaseHolds = current != null && current.leaseExpiresAt() != null && current.leaseExpiresAt().isAfter(now);
        Optional<FleetStore.WorkerRow> holder = live.stream().filter(w -> w.id().equals(currentId)).findFirst();
        if (leaseHolds && holder.isPresent() && holder.get().kind() == FleetProtocol.Kind.POOLED) {
            return currentId;
        }
        if (leaseHolds && holder.isEmpty() && currentId != null) {
            // not heartbeating, yet its lease holds: one a new leader extended (tick()); the holder has
            // until then to come back before anything moves
            return currentId;
        }
        return live.stream().filter(w -> w.kind() == FleetProtocol.Kind.POOLED)
                .min(Comparator.comparingInt((FleetStore.WorkerRow w) -> load.getOrDefault(w.id(), 0))
                        .thenComparing(FleetStore.WorkerRow::id))
                .map(w -> take(w.id(), load)).orElse(null);
    }

    private static String take(String worker, Map<String, Integer> load) {
        load.merge(worker, 1, Integer::sum);
        return worker;
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
        for (FleetStore.LinkRow row : snapshot.mirrorLinks()) {
            LinkState state = LinkState.valueOf(row.state());
            if (state == LinkState.PAUSED) {
                continue;
            }
            Optional<String> by = mirrors.mirroredBy(row.id());
            LinkState next = by.isPresent() ? LinkState.STREAMING : LinkState.PENDING;
            if (next != state) {
                ReplicationLink link = links.get(row.id());
                if (!state.canMoveTo(next)) {
                    links.transition(link, LinkState.PENDING, "recovering");
                }
                links.transition(link, next, by.map(b -> "mirrored by " + b)
                        .orElse("no proxy of " + row.source() + "'s region runs its mirror yet"));
            }
        }
    }

    /** Each link's state follows its assignments' reports of their current epoch. */
    void updateLinkStates(FleetStore.Snapshot snapshot) {
        updateMirrorStates(snapshot);
        Map<String, List<FleetStore.AssignmentRow>> byLink = snapshot.assignmentsByLink();
        for (FleetStore.LinkRow row : snapshot.psyncLinks()) {
            LinkState state = LinkState.valueOf(row.state());
            if (state == LinkState.PAUSED) {
                continue;
            }
            List<FleetStore.AssignmentRow> shards = byLink.getOrDefault(row.id(), List.of());
            LinkState next;
            String reason;
            Optional<FleetStore.AssignmentRow> failed = shards.stream().filter(a -> "FAILED".equals(a.phase())).findFirst();
            if (shards.isEmpty()) {
                next = LinkState.PENDING;
                reason = "waiting for the masters of " + row.source() + " and " + row.target();
            } else if (failed.isPresent()) {
                next = LinkState.BROKEN;
                reason = "shard " + failed.get().shardId() + ": " + failed.get().lastError();
            } else if (shards.stream().allMatch(a -> "STREAMING".equals(a.phase()))) {
                next = LinkState.STREAMING;
                reason = shards.size() + " shard(s) streaming";
            } else if (shards.stream().anyMatch(a -> "FULL_SYNC".equals(a.phase()))) {
                next = LinkState.FULL_SYNC;
                reason = "full sync of shard " + shards.stream().filter(a -> "FULL_SYNC".equals(a.phase()))
                        .findFirst().orElseThrow().shardId();
            } else {
                next = LinkState.PENDING;
                List<String> disconnected = shards.stream().filter(a -> "DISCONNECTED".equals(a.phase()))
                        .map(FleetStore.AssignmentRow::shardId).toList();
                reason = shards.stream().anyMatch(a -> a.workerId() == null) ? "no live worker"
                        : !disconnected.isEmpty() ? "source not reachable, reconnecting: shard(s) " + disconnected
                        : "starting: " + shards.stream().map(a -> a.shardId() + " " + (a.phase() == null ? "assigned" : a.phase()))
                        .toList();
            }
            if (next == state) {
                continue;
            }
            ReplicationLink link = links.get(row.id());
            if (!state.canMoveTo(next)) {
                links.transition(link, LinkState.PENDING, "recovering");
            }
            links.transition(link, next, reason);
        }
    }

    @Override
    public void start() {
        stopping = false;
        Thread t = new Thread(() -> {
            while (!stopping) {
                long began = System.nanoTime();
                try {
                    tick();
                } catch (RuntimeException e) {
                    log.warn("Fleet reconcile failed: {}", e.toString());
                }
                long tookMs = (System.nanoTime() - began) / 1_000_000;
                if (tookMs > SLOW_TICK_MS) {
                    log.warn("A fleet reconcile tick took {} ms (workers learn of changes only after it commits): {}", tookMs, stepMs);
                }
                try {
                    wake.tryAcquire(millisToNextTick(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "fleet-coordinator");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) {
            // not interrupted: a tick stopped halfway through its transaction could leave a
            // connection behind; it ends its tick and sees the flag
            stopping = true;
            wake.release();
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.release();
        leader = false;
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
