package dev.redmesh.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.redmesh.cluster.ClusterReadModel;
import dev.redmesh.link.LinkReadModel;
import dev.redmesh.link.LinkState;
import dev.redmesh.topology.ShardReadModel;
import dev.redmesh.worker.AssignmentPhase;
import dev.redmesh.worker.FleetProtocol;

/**
 * The leader's decisions for one tick, from a snapshot and the time: a pure function, so sidecar
 * preference, leases, rebalancing and every other rule are unit tests. {@link FleetCoordinator}
 * applies what it returns — each move with a new epoch (I3) — in one transaction.
 * <ul>
 *   <li>one assignment per (worker-carried link, source shard with a known master), written to the
 *       target's master (standalone) or to the cluster (routed by slot);</li>
 *   <li>its holder: the sidecar pinned to the source master if one is live; otherwise the current
 *       pooled holder while its lease holds (a lease a new leader extended counts, even if its holder
 *       has not heartbeated yet); otherwise the least-loaded live pooled worker;</li>
 *   <li>a new source master, target master or holder is a move; an assignment whose link is paused or
 *       gone, or whose shard has no master, is removed;</li>
 *   <li>when nothing else moves and rebalancing is due: one streaming assignment from the busiest live
 *       pooled worker to the idlest settled one, when they differ by two or more.</li>
 * </ul>
 */
final class AssignmentPlanner {

    private AssignmentPlanner() {
    }

    /** A change to make; the epoch is drawn when it is applied. */
    sealed interface Move permits Create, Reassign, Remove {
        String assignment();
    }

    record Create(String assignment, String link, String shard, String sourceNode, String targetNode, String holder,
                  String reason) implements Move {
    }

    /** @param from the holder before the move (null: none) */
    record Reassign(String assignment, String sourceNode, String targetNode, String holder, String from, String reason,
                    boolean rebalance) implements Move {
    }

    record Remove(String assignment, String link, long epoch) implements Move {
    }

    /**
     * @param nextExpiry when the next worker or lease runs out, so that the leader wakes right then
     */
    record Plan(List<Move> moves, Instant nextExpiry) {

        boolean rebalanced() {
            return moves.stream().anyMatch(m -> m instanceof Reassign r && r.rebalance());
        }
    }

    /**
     * @param mayRebalance whether a rebalancing move is due (one per {@code redmesh.fleet.rebalance-every})
     */
    static Plan plan(FleetStore.Snapshot snapshot, Instant now, Duration lease, boolean mayRebalance) {
        Map<String, ClusterReadModel.Row> clusters = snapshot.clusters();
        Map<String, List<ShardReadModel.Row>> masters = snapshot.masters();
        Map<String, FleetStore.AssignmentRow> existing = new HashMap<>();
        snapshot.assignments().forEach(a -> existing.put(a.id(), a));
        Instant liveSince = now.minus(lease);
        List<FleetStore.WorkerRow> live = snapshot.workers().stream().filter(w -> w.lastHeartbeat().isAfter(liveSince)).toList();
        Instant nextExpiry = earliestExpiry(now, lease, live, existing.values());
        Map<String, Integer> load = new HashMap<>();
        live.forEach(w -> load.put(w.id(), 0));
        existing.values().forEach(a -> {
            if (a.workerId() != null) {
                load.computeIfPresent(a.workerId(), (w, n) -> n + 1);
            }
        });

        List<Move> moves = new ArrayList<>();
        Set<String> desired = new HashSet<>();
        for (LinkReadModel.Row link : snapshot.workerLinks()) {
            if (link.state() == LinkState.PAUSED) {
                continue;
            }
            ClusterReadModel.Row target = clusters.get(link.target());
            List<ShardReadModel.Row> targetShards = masters.getOrDefault(link.target(), List.of());
            // cluster-mode ElastiCache is written as the Redis Cluster it is: its shards own slots
            boolean slotted = target != null && (target.clustered() || targetShards.stream().anyMatch(ShardReadModel.Row::slotted));
            if (target == null || (!slotted && targetShards.isEmpty())) {
                continue; // nowhere to write yet
            }
            String targetNode = slotted ? null : targetShards.get(0).master();
            for (ShardReadModel.Row shard : masters.getOrDefault(link.source(), List.of())) {
                String id = link.id() + "/" + shard.shard();
                desired.add(id);
                FleetStore.AssignmentRow current = existing.get(id);
                String holder = chooseHolder(shard.master(), current, live, load, now);
                if (current == null) {
                    moves.add(new Create(id, link.id(), shard.shard(), shard.master(), targetNode, holder,
                            "new assignment: " + shard.master() + " → " + link.target()));
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
                    if (current.workerId() != null) {
                        load.computeIfPresent(current.workerId(), (w, n) -> n - 1);
                    }
                    moves.add(new Reassign(id, shard.master(), targetNode, holder, current.workerId(), String.join("; ", why),
                            false));
                }
            }
        }
        for (FleetStore.AssignmentRow stale : existing.values()) {
            if (!desired.contains(stale.id())) {
                moves.add(new Remove(stale.id(), stale.linkId(), stale.epoch()));
            }
        }
        if (moves.isEmpty() && mayRebalance) {
            rebalance(now, lease, live, snapshot.assignments()).ifPresent(moves::add);
        }
        return new Plan(moves, nextExpiry);
    }

    /**
     * One streaming assignment from the busiest live pooled worker to the idlest when they differ by
     * two or more, so that workers started later (a restart, a scale-out) take their share instead of
     * idling while one worker carries everything. Only a worker that has heartbeated for a whole lease
     * is given work, and a full sync is never interrupted to balance load.
     */
    private static Optional<Move> rebalance(Instant now, Duration lease, List<FleetStore.WorkerRow> live,
                                            List<FleetStore.AssignmentRow> assignments) {
        Map<String, List<FleetStore.AssignmentRow>> byWorker = new HashMap<>();
        live.stream().filter(w -> w.kind() == FleetProtocol.Kind.POOLED).forEach(w -> byWorker.put(w.id(), new ArrayList<>()));
        for (FleetStore.AssignmentRow a : assignments) {
            if (a.workerId() != null && byWorker.containsKey(a.workerId())) {
                byWorker.get(a.workerId()).add(a);
            }
        }
        Instant settledSince = now.minus(lease);
        Optional<String> idlest = live.stream()
                .filter(w -> byWorker.containsKey(w.id()) && w.startedAt() != null && w.startedAt().isBefore(settledSince))
                .map(FleetStore.WorkerRow::id)
                .min(Comparator.comparingInt((String w) -> byWorker.get(w).size()).thenComparing(w -> w));
        Optional<String> busiest = byWorker.keySet().stream()
                .max(Comparator.comparingInt((String w) -> byWorker.get(w).size()).thenComparing(w -> w));
        if (idlest.isEmpty() || busiest.isEmpty()
                || byWorker.get(busiest.get()).size() - byWorker.get(idlest.get()).size() < 2) {
            return Optional.empty();
        }
        return byWorker.get(busiest.get()).stream().filter(a -> a.phase() == AssignmentPhase.STREAMING).findFirst()
                .map(a -> new Reassign(a.id(), a.sourceNode(), a.targetNode(), idlest.get(), busiest.get(),
                        "rebalance: " + busiest.get() + " held " + byWorker.get(busiest.get()).size() + ", " + idlest.get()
                                + " " + byWorker.get(idlest.get()).size(), true));
    }

    private static Instant earliestExpiry(Instant now, Duration lease, List<FleetStore.WorkerRow> live,
                                          Collection<FleetStore.AssignmentRow> assignments) {
        Instant earliest = Instant.MAX;
        for (FleetStore.WorkerRow w : live) {
            Instant expires = w.lastHeartbeat().plus(lease);
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

    private static String chooseHolder(String sourceNode, FleetStore.AssignmentRow current, List<FleetStore.WorkerRow> live,
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
            // not heartbeating, yet its lease holds: one a new leader extended; the holder has until then
            // to come back before anything moves
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
}
