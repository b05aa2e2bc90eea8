package dev.redmesh.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Pipelining: batches complete in order, at most {@code capacity} ride the pipe, none is skipped. */
class InFlightWindowTest {

    private final List<String> completed = new ArrayList<>();
    private final Set<Integer> done = new HashSet<>();

    @Test
    void upToCapacityBatchesRideWithoutWaiting() throws Exception {
        InFlightWindow<Integer> window = new InFlightWindow<>(3);
        for (int b = 1; b <= 3; b++) {
            window.add(b, done::contains, (batch, last) -> completed.add(batch + ""));
        }
        assertThat(completed).isEmpty();
        assertThat(window.size()).isEqualTo(3);
        window.add(4, done::contains, (batch, last) -> completed.add(batch + ""));
        assertThat(completed).as("past capacity the oldest is waited for").containsExactly("1");
    }

    @Test
    void batchesAlreadyAnsweredAtTheHeadCompleteInOrderButNotPastOneThatIsNot() throws Exception {
        InFlightWindow<Integer> window = new InFlightWindow<>(8);
        window.add(1, done::contains, (batch, last) -> completed.add(batch + ""));
        window.add(2, done::contains, (batch, last) -> completed.add(batch + ""));
        done.add(2);
        window.add(3, done::contains, (batch, last) -> completed.add(batch + ""));
        assertThat(completed).as("2 is answered but 1 is not: order holds").isEmpty();
        done.add(1);
        done.add(3);
        window.add(4, done::contains, (batch, last) -> completed.add(batch + ""));
        assertThat(completed).containsExactly("1", "2", "3");
        assertThat(window.size()).isEqualTo(1);
    }

    @Test
    void drainingCompletesEveryBatchAndTellsTheLast() throws Exception {
        InFlightWindow<Integer> window = new InFlightWindow<>(8);
        for (int b = 1; b <= 3; b++) {
            window.add(b, done::contains, (batch, last) -> completed.add(batch + ""));
        }
        window.drain((batch, last) -> completed.add(batch + (last ? " last" : "")));
        assertThat(completed).containsExactly("1", "2", "3 last");
        assertThat(window.size()).isZero();
    }

    @Test
    void aWindowHoldsAtLeastOneBatch() {
        assertThatThrownBy(() -> new InFlightWindow<Integer>(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
