package dev.redmesh.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.redmesh.redis.HostAndPort;

/**
 * Decides, poll after poll, who the master of one shard is. A master changes only when a node
 * positively takes over — named by the cluster's authority, or the only node claiming the role —
 * so a poll in which the master simply did not answer changes nothing. Two nodes claiming the
 * role for {@code splitBrainPolls} polls in a row are reported as split brain and neither is picked.
 */
final class ShardMasterTracker {

    sealed interface Outcome permits FirstSeen, Changed, SplitBrain, SplitBrainOver {
    }

    record FirstSeen(HostAndPort master) implements Outcome {
    }

    record Changed(HostAndPort previous, HostAndPort current) implements Outcome {
    }

    record SplitBrain(Set<HostAndPort> masters) implements Outcome {
    }

    record SplitBrainOver(Set<HostAndPort> masters) implements Outcome {
    }

    private final int splitBrainPolls;
    private HostAndPort master;
    private int splitBrainStreak;
    private Set<HostAndPort> reportedSplitBrain;

    ShardMasterTracker(HostAndPort recordedMaster, int splitBrainPolls) {
        this.master = recordedMaster;
        this.splitBrainPolls = splitBrainPolls;
    }

    HostAndPort master() {
        return master;
    }

    /**
     * @param authoritative the master the cluster agrees on, or null where only claims count
     * @param claimed       reachable nodes of this shard whose own {@code INFO} says master
     */
    List<Outcome> observe(HostAndPort authoritative, Set<HostAndPort> claimed) {
        List<Outcome> outcomes = new ArrayList<>();
        if (claimed.size() >= 2) {
            splitBrainStreak++;
            if (splitBrainStreak >= splitBrainPolls && reportedSplitBrain == null) {
                reportedSplitBrain = Set.copyOf(claimed);
                outcomes.add(new SplitBrain(reportedSplitBrain));
            }
            if (authoritative == null) {
                return outcomes;
            }
        } else {
            splitBrainStreak = 0;
            if (reportedSplitBrain != null) {
                outcomes.add(new SplitBrainOver(reportedSplitBrain));
                reportedSplitBrain = null;
            }
        }
        HostAndPort candidate = authoritative != null ? authoritative
                : claimed.size() == 1 ? claimed.iterator().next() : null;
        if (candidate == null || candidate.equals(master)) {
            return outcomes;
        }
        HostAndPort previous = master;
        master = candidate;
        outcomes.add(previous == null ? new FirstSeen(candidate) : new Changed(previous, candidate));
        return outcomes;
    }
}
