package dev.redmesh.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.redmesh.redis.NodeRole;
import dev.redmesh.redis.ReplicationInfo;
import org.junit.jupiter.api.Test;

/** Where a link resumes (I2, I4), from the source's replication ids and the target's checkpoints. */
class ResumePlannerTest {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);

    /** A master in history {@code replid}, continuing {@code replid2} up to {@code secondReplOffset - 1}. */
    private static ReplicationInfo source(String replid, String replid2, long secondReplOffset) {
        return new ReplicationInfo(NodeRole.MASTER, null, false, 5000, replid, replid2, secondReplOffset, List.of());
    }

    private static ReplicationInfo fresh(String replid) {
        return source(replid, "0".repeat(40), -1);
    }

    @Test
    void noResumePointIsAFullSync() {
        History history = new History();
        ResumePlanner.Plan plan = ResumePlanner.plan(fresh(A), null, List.of(), history);
        assertThat(plan.fullSync()).isTrue();
        assertThat(plan.divergence()).isNull();
        assertThat(plan.lostHistory()).isNull();
        assertThat(history.resumable).isFalse();
        assertThat(history.translatedUpTo).isEqualTo(-1);
    }

    @Test
    void aResumePointInTheSourcesHistoryResumesFromIt() {
        History history = new History();
        Checkpoint resume = new Checkpoint(3, A, 1200);
        ResumePlanner.Plan plan = ResumePlanner.plan(fresh(A), resume, List.of(resume), history);
        assertThat(plan.from()).isEqualTo(resume);
        assertThat(history.replid).isEqualTo(A);
        assertThat(history.resumable).isTrue();
        assertThat(history.translatedUpTo).isEqualTo(1200);
        assertThat(history.resumeStored).isEqualTo(1200);
        assertThat(plan.divergence()).isNull();
    }

    @Test
    void afterAPromotionTheFormerHistoryResumesFromNoLaterThanTheFork() {
        // the new master (history B) continues A up to offset 999
        History history = new History();
        Checkpoint resume = new Checkpoint(3, A, 900);
        ResumePlanner.Plan plan = ResumePlanner.plan(source(B, A, 1000), resume, List.of(resume), history);
        assertThat(plan.from()).isEqualTo(new Checkpoint(3, A, 900));
        assertThat(history.replid).as("the former history is applied until the stream says otherwise").isEqualTo(A);
        assertThat(history.knownForks).containsEntry(A, 999L);
        assertThat(plan.divergence()).as("nothing past the fork was applied").isNull();
    }

    @Test
    void aCheckpointPastTheForkIsADivergenceAndTheResumeStartsAtTheFork() {
        // the target applied A up to 1500, but the promoted replica had A only up to 999
        History history = new History();
        Checkpoint resume = new Checkpoint(3, A, 1500);
        ResumePlanner.Plan plan = ResumePlanner.plan(source(B, A, 1000), resume, List.of(new Checkpoint(3, A, 1400)), history);
        assertThat(plan.divergence()).isEqualTo(new ResumePlanner.Divergence(A, 1000, 1500));
        assertThat(plan.from()).isEqualTo(new Checkpoint(3, A, 999));
        assertThat(history.translatedUpTo).isEqualTo(999);
    }

    @Test
    void aSlotCheckpointAheadOfTheResumePointCountsForTheDivergence() {
        History history = new History();
        Checkpoint resume = new Checkpoint(3, A, 800);
        ResumePlanner.Plan plan = ResumePlanner.plan(source(B, A, 1000), resume,
                List.of(new Checkpoint(3, A, 1700), new Checkpoint(3, A, 600)), history);
        assertThat(plan.divergence()).isEqualTo(new ResumePlanner.Divergence(A, 1000, 1700));
        assertThat(plan.from()).as("the resume point is before the fork: kept").isEqualTo(new Checkpoint(3, A, 800));
    }

    @Test
    void aCheckpointOfAnotherHistoryIsNoDivergence() {
        History history = new History();
        ResumePlanner.Plan plan = ResumePlanner.plan(source(B, A, 1000), new Checkpoint(3, B, 2000),
                List.of(new Checkpoint(3, C, 99999)), history);
        assertThat(plan.divergence()).isNull();
        assertThat(plan.from()).isEqualTo(new Checkpoint(3, B, 2000));
        assertThat(history.replid).isEqualTo(B);
        assertThat(history.previousReplid).isEqualTo(A);
        assertThat(history.forkOffset).isEqualTo(999);
    }

    @Test
    void aDivergenceIsFoundWithoutAResumePointToo() {
        History history = new History();
        ResumePlanner.Plan plan = ResumePlanner.plan(source(B, A, 1000), null, List.of(new Checkpoint(2, A, 1010)), history);
        assertThat(plan.fullSync()).isTrue();
        assertThat(plan.divergence()).isEqualTo(new ResumePlanner.Divergence(A, 1000, 1010));
    }

    @Test
    void aHistoryTheSourceNoLongerHasIsAFullSyncWithTheReason() {
        History history = new History();
        ResumePlanner.Plan plan = ResumePlanner.plan(fresh(C), new Checkpoint(3, A, 1200), List.of(), history);
        assertThat(plan.fullSync()).isTrue();
        assertThat(plan.lostHistory()).contains(A).contains(C);
        assertThat(history.resumable).isFalse();
        assertThat(history.translatedUpTo).isEqualTo(-1);
    }

    @Test
    void aResumePointAtTheForkItselfIsNoDivergence() {
        History history = new History();
        Checkpoint resume = new Checkpoint(3, A, 999);
        ResumePlanner.Plan plan = ResumePlanner.plan(source(B, A, 1000), resume, List.of(resume), history);
        assertThat(plan.divergence()).isNull();
        assertThat(plan.from()).isEqualTo(resume);
    }

    /** A fork at offset 0 is a fork: the former history's first byte is already not shared. */
    @Test
    void aForkAtTheVeryStartOfTheFormerHistoryStillCounts() {
        History history = new History();
        ResumePlanner.Plan diverged = ResumePlanner.plan(source(B, A, 1), null, List.of(new Checkpoint(2, A, 5)), history);
        assertThat(diverged.divergence()).isEqualTo(new ResumePlanner.Divergence(A, 1, 5));

        Checkpoint atFork = new Checkpoint(3, A, 0);
        ResumePlanner.Plan resumed = ResumePlanner.plan(source(B, A, 1), atFork, List.of(atFork), new History());
        assertThat(resumed.from()).as("continue the former history from the fork").isEqualTo(new Checkpoint(3, A, 0));
        assertThat(resumed.lostHistory()).isNull();
    }
}
