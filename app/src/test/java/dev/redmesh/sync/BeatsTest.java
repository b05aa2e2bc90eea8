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

    @Test
    void aBeatStartsHalfWayThroughItsRoundTripWhicheverArrivesFirst() {
        Beats replyFirst = new Beats();
        long id = replyFirst.sent(0);
        replyFirst.answered(id, 80 * MS); // the source executed it at about 40 ms
        replyFirst.notified(id, 0, 81 * MS);
        replyFirst.applied(0, 81 * MS);
        assertThat(replyFirst.lagMs(500 * MS)).isEqualTo(41);

        Beats streamFirst = new Beats();
        long other = streamFirst.sent(0);
        streamFirst.notified(other, 0, 79 * MS);
        streamFirst.applied(0, 79 * MS);
        assertThat(streamFirst.lagMs(79 * MS)).as("before the reply: from sending").isEqualTo(79);
        streamFirst.answered(other, 82 * MS);
        assertThat(streamFirst.lagMs(500 * MS)).isEqualTo(38);
        streamFirst.answered(other, 200 * MS);
        assertThat(streamFirst.lagMs(500 * MS)).as("moved once only").isEqualTo(38);
    }

    @Test
    void aRefusedBeatIsNoLagAndNothingIsHeardBeforeTheFirstArrives() {
        Beats beats = new Beats();
        long refused = beats.sent(0);
        assertThat(beats.heard()).isFalse();
        beats.failed(refused);
        assertThat(beats.lagMs(10_000 * MS)).isEqualTo(-1);
        long id = beats.sent(10_000 * MS);
        beats.notified(id, 0, 10_002 * MS);
        assertThat(beats.heard()).isTrue();
    }

    @Test
    void aClusterMastersBeatGoesToTheFirstSlotItServes() {
        String nodes = """
                07c3 127.0.0.1:7001@17001 master - 0 1 1 connected 0-5460
                e7d1 127.0.0.1:7002@17002 myself,master - 0 0 2 connected [5461->-07c3] 5461-10922 12000
                67ed 127.0.0.1:7003@17003 master - 0 1 3 connected 10923-16383
                """;
        assertThat(PsyncBeats.ownSlot(nodes)).isEqualTo(5461);
        assertThat(PsyncBeats.ownSlot("e7d1 127.0.0.1:7002@17002 myself,master - 0 0 2 connected\n")).isNegative();
    }
}
