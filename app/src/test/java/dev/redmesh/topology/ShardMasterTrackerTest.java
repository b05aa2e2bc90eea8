package dev.redmesh.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import dev.redmesh.redis.HostAndPort;
import org.junit.jupiter.api.Test;

class ShardMasterTrackerTest {

    static final HostAndPort A = new HostAndPort("10.0.0.1", 6379);
    static final HostAndPort B = new HostAndPort("10.0.0.2", 6379);

    @Test
    void theFirstMasterSeenIsRecordedWithoutAChange() {
        ShardMasterTracker tracker = new ShardMasterTracker(null, 3);
        assertThat(tracker.observe(null, Set.of(A))).containsExactly(new ShardMasterTracker.FirstSeen(A));
        assertThat(tracker.observe(null, Set.of(A))).isEmpty();
    }

    @Test
    void aPollWithoutAnyMasterChangesNothing() {
        ShardMasterTracker tracker = new ShardMasterTracker(A, 3);
        assertThat(tracker.observe(null, Set.of())).isEmpty();
        assertThat(tracker.observe(null, Set.of(A))).isEmpty();
        assertThat(tracker.master()).isEqualTo(A);
    }

    @Test
    void anotherNodeTakingOverIsOneChange() {
        ShardMasterTracker tracker = new ShardMasterTracker(A, 3);
        assertThat(tracker.observe(null, Set.of(B))).containsExactly(new ShardMasterTracker.Changed(A, B));
        assertThat(tracker.observe(null, Set.of(B))).isEmpty();
    }

    @Test
    void theClustersAuthorityWinsOverClaims() {
        ShardMasterTracker tracker = new ShardMasterTracker(A, 3);
        assertThat(tracker.observe(B, Set.of(A))).containsExactly(new ShardMasterTracker.Changed(A, B));
    }

    @Test
    void twoClaimantsAreReportedOnceAfterEnoughPollsAndNeitherIsPicked() {
        ShardMasterTracker tracker = new ShardMasterTracker(A, 3);
        assertThat(tracker.observe(null, Set.of(A, B))).isEmpty();
        assertThat(tracker.observe(null, Set.of(A, B))).isEmpty();
        assertThat(tracker.observe(null, Set.of(A, B))).containsExactly(new ShardMasterTracker.SplitBrain(Set.of(A, B)));
        assertThat(tracker.observe(null, Set.of(A, B))).isEmpty();
        assertThat(tracker.master()).isEqualTo(A);
        assertThat(tracker.observe(null, Set.of(B)))
                .containsExactly(new ShardMasterTracker.SplitBrainOver(Set.of(A, B)), new ShardMasterTracker.Changed(A, B));
    }

    @Test
    void aBriefOverlapDuringAPromotionIsNotSplitBrain() {
        ShardMasterTracker tracker = new ShardMasterTracker(A, 3);
        assertThat(tracker.observe(null, Set.of(A, B))).isEmpty();
        assertThat(tracker.observe(null, Set.of(B))).containsExactly(new ShardMasterTracker.Changed(A, B));
    }
}
