package dev.redmesh.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BeatsTest {

    private static final long MS = 1_000_000;

    @Test
    void noBeatNoLag() {
        assertThat(new Beats().lagMs(0)).isEqualTo(-1);
    }

    @Test
    void aBeatIsDoneWhenEverythingNotifiedBeforeItIsApplied() {
        Beats beats = new Beats();
        long id = beats.sent(0);
        beats.notified(id, 10, 3 * MS); // after changes up to offset 10
        assertThat(beats.lagMs(4 * MS)).as("not applied yet: its age").isEqualTo(4);
        beats.applied(9, 5 * MS);
        assertThat(beats.lagMs(6 * MS)).isEqualTo(6);
        beats.applied(10, 7 * MS);
        assertThat(beats.lagMs(100 * MS)).as("done: the time it took, however long ago").isEqualTo(7);
    }

    @Test
    void aBeatAfterNothingNewIsDoneOnArrival() {
        Beats beats = new Beats();
        beats.applied(5, 0);
        long id = beats.sent(10 * MS);
        beats.notified(id, 5, 12 * MS);
        assertThat(beats.lagMs(50 * MS)).isEqualTo(2);
    }

    @Test
    void aStalledSourceShowsAGrowingLag() {
        Beats beats = new Beats();
        long first = beats.sent(0);
        beats.notified(first, 0, MS);
        beats.applied(0, MS);
        beats.sent(250 * MS); // never notified: the source or its notifications are stuck
        beats.sent(500 * MS);
        assertThat(beats.lagMs(400 * MS)).isEqualTo(150);
        assertThat(beats.lagMs(5_000 * MS)).isEqualTo(4_750);
    }

    @Test
    void aBeatLostInAGapIsDroppedWhenALaterOneArrives() {
        Beats beats = new Beats();
        beats.sent(0); // lost
        long second = beats.sent(250 * MS);
        beats.notified(second, 3, 252 * MS);
        beats.applied(3, 254 * MS);
        assertThat(beats.lagMs(10_000 * MS)).isEqualTo(4);
    }

    @Test
    void theLongerOfTheLastDoneAndTheOldestPendingCounts() {
        Beats beats = new Beats();
        long slow = beats.sent(0);
        beats.notified(slow, 1, 10 * MS);
        beats.applied(1, 900 * MS);
        long next = beats.sent(1_000 * MS);
        assertThat(beats.lagMs(1_005 * MS)).as("the last done beat took 900 ms").isEqualTo(900);
        beats.notified(next, 1, 1_006 * MS);
        assertThat(beats.lagMs(1_010 * MS)).isEqualTo(6);
    }
}
