package dev.redmesh.link;

import org.jspecify.annotations.Nullable;

/**
 * Why a pending link waits when what it waits for is a cluster it cannot reach: read from the last
 * topology poll whenever the link is shown, not stored — it changes with every poll, and a link's
 * row changes only when its state does.
 */
public final class WaitingReason {

    private WaitingReason() {
    }

    /** "source cluster X not reachable: …" (or the target's), or null when both answered their last poll. */
    public static @Nullable String unreachable(String source, String target,
                                               java.util.function.Function<String, String> problems) {
        String sourceProblem = problems.apply(source);
        if (sourceProblem != null) {
            return "source cluster " + source + " not reachable: " + sourceProblem;
        }
        String targetProblem = problems.apply(target);
        return targetProblem == null ? null : "target cluster " + target + " not reachable: " + targetProblem;
    }

    /** The reason to show: the unreachable cluster for a link pending without assignments, else the stored one. */
    public static @Nullable String shown(LinkState state, boolean assigned, String source, String target, @Nullable String stored,
                                         ClusterProblems problems) {
        if (state != LinkState.PENDING || assigned) {
            return stored;
        }
        String unreachable = unreachable(source, target, problems::problem);
        return unreachable != null ? unreachable : stored;
    }
}
