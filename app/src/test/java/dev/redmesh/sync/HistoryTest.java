package dev.redmesh.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HistoryTest {

    @Test
    void streamingAfterAFullSyncMarksTheRdbsOffset() {
        History history = new History();
        history.fullSyncStarted();
        history.streaming("A", null, 4200);
        assertThat(history.replid).isEqualTo("A");
        assertThat(history.fullSyncOffset).isEqualTo(4200);
        assertThat(history.translatedUpTo).isEqualTo(4200);
        assertThat(history.resumable).isTrue();
        assertThat(history.markOf(-1)).as("a unit of restores").isEqualTo(4200);
        assertThat(history.markOf(4300)).isEqualTo(4300);
    }

    @Test
    void aNewHistoryContinuesTheOldOneUpToItsKnownFork() {
        History history = new History();
        history.streaming("A", null, 100);
        history.knownForks.put("A", 900L);
        history.translatedUpTo = 950;
        history.streaming("B", "A", 1000);
        assertThat(history.replid).isEqualTo("B");
        assertThat(history.previousReplid).isEqualTo("A");
        assertThat(history.forkOffset).as("the fork INFO told, not where the stream switched").isEqualTo(900);
        assertThat(history.translatedUpTo).as("unchanged by a switch").isEqualTo(950);
    }

    @Test
    void withoutAKnownForkTheSwitchOffsetIsTheFork() {
        History history = new History();
        history.streaming("A", null, 100);
        history.streaming("B", "A", 1000);
        assertThat(history.forkOffset).isEqualTo(1000);
    }

    @Test
    void aFullSyncForgetsTheHistory() {
        History history = new History();
        history.streaming("A", null, 100);
        history.streaming("B", "A", 1000);
        history.fullSyncStarted();
        assertThat(history.replid).isNull();
        assertThat(history.previousReplid).isEmpty();
        assertThat(history.forkOffset).isEqualTo(-1);
        assertThat(history.fullSyncOffset).isEqualTo(-1);
        assertThat(history.resumable).isFalse();
    }

    @Test
    void aUnitEndingAtOffsetZeroIsMarkedThereNotAtTheRdbs() {
        History history = new History();
        history.fullSyncOffset = 4200;
        assertThat(history.markOf(0)).isZero();
        assertThat(history.markOf(-1)).isEqualTo(4200);
    }
}
