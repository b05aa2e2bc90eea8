package dev.redmesh.fleet;

import java.util.List;
import java.util.Optional;

import dev.redmesh.link.FullSyncReason;
import dev.redmesh.link.LinkState;
import dev.redmesh.worker.AssignmentPhase;

/**
 * What a link's state is, from what its shards' workers report: a pure rule, switched exhaustively
 * over every {@link AssignmentPhase}, so a phase added later cannot fall into the wrong branch.
 * <ol>
 *   <li>no assignment yet: {@code PENDING}, waiting for the masters — with the error of the
 *       source's or target's last topology poll where one failed;</li>
 *   <li>a shard failed: {@code BROKEN}, with its error;</li>
 *   <li>every shard streams: {@code STREAMING};</li>
 *   <li>a shard full-syncs: {@code FULL_SYNC}, with how far it has come and the time left;</li>
 *   <li>otherwise {@code PENDING}, saying which shards wait and why (no live worker, source not
 *       reachable, fenced by a newer holder, starting).</li>
 * </ol>
 */
final class LinkStateRule {

    private LinkStateRule() {
    }

    record Decision(LinkState state, String reason) {
    }

    static Decision decide(String source, String target, List<FleetStore.AssignmentRow> shards) {
        return decide(source, target, shards, cluster -> null);
    }

    /**
     * @param problems why a cluster's masters are not all known (its last topology poll), null when
     *                 they are ({@link dev.redmesh.cluster.TopologyView#problem})
     */
    static Decision decide(String source, String target, List<FleetStore.AssignmentRow> shards,
                           java.util.function.Function<String, String> problems) {
        if (shards.isEmpty()) {
            String unreachable = dev.redmesh.link.WaitingReason.unreachable(source, target, problems);
            return new Decision(LinkState.PENDING, unreachable != null ? unreachable
                    : "waiting for the masters of " + source + " and " + target);
        }
        Optional<FleetStore.AssignmentRow> failed = shards.stream().filter(a -> a.phase() == AssignmentPhase.FAILED).findFirst();
        if (failed.isPresent()) {
            return new Decision(LinkState.BROKEN, "shard " + failed.get().shardId() + ": " + failed.get().lastError());
        }
        if (shards.stream().allMatch(a -> a.phase() == AssignmentPhase.STREAMING)) {
            return new Decision(LinkState.STREAMING, shards.size() + " shard(s) streaming");
        }
        Optional<FleetStore.AssignmentRow> copying = shards.stream().filter(a -> a.phase() == AssignmentPhase.FULL_SYNC).findFirst();
        if (copying.isPresent()) {
            return new Decision(LinkState.FULL_SYNC, FullSyncReason.of(copying.get().shardId(), copying.get().fullSync()));
        }
        if (shards.stream().anyMatch(a -> a.workerId() == null)) {
            return new Decision(LinkState.PENDING, "no live worker");
        }
        List<String> disconnected = ofPhase(shards, AssignmentPhase.DISCONNECTED);
        if (!disconnected.isEmpty()) {
            String error = shards.stream().filter(a -> a.phase() == AssignmentPhase.DISCONNECTED && a.lastError() != null)
                    .map(FleetStore.AssignmentRow::lastError).findFirst().map(e -> " (" + e + ")").orElse("");
            return new Decision(LinkState.PENDING, "source not reachable, reconnecting: shard(s) " + disconnected + error);
        }
        List<String> fenced = ofPhase(shards, AssignmentPhase.FENCED);
        if (!fenced.isEmpty()) {
            return new Decision(LinkState.PENDING, "fenced off by a newer holder, handing over: shard(s) " + fenced);
        }
        return new Decision(LinkState.PENDING, "starting: " + shards.stream().map(a -> a.shardId() + " " + waiting(a.phase())).toList());
    }

    private static List<String> ofPhase(List<FleetStore.AssignmentRow> shards, AssignmentPhase phase) {
        return shards.stream().filter(a -> a.phase() == phase).map(FleetStore.AssignmentRow::shardId).toList();
    }

    /** A shard's phase while its link waits; every phase has its word, none is left to a default. */
    private static String waiting(AssignmentPhase phase) {
        if (phase == null) {
            return "assigned";
        }
        return switch (phase) {
            case STARTING -> "STARTING";
            case CONNECTING -> "CONNECTING";
            case STREAMING -> "STREAMING";
            case FULL_SYNC -> "FULL_SYNC";
            case DISCONNECTED -> "DISCONNECTED";
            case FENCED -> "FENCED";
            case FAILED -> "FAILED";
        };
    }
}
