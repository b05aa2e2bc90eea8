package dev.redmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class EventuallyTest {

    @Test
    void returnsTheFirstValueThatIsThere() {
        AtomicInteger calls = new AtomicInteger();
        String value = Eventually.await("the third call", Duration.ofSeconds(5),
                () -> calls.incrementAndGet() < 3 ? null : "third");
        assertThat(value).isEqualTo("third");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aFalseIsNotThereYet() {
        AtomicInteger calls = new AtomicInteger();
        assertThat(Eventually.await("true at last", Duration.ofSeconds(5), () -> calls.incrementAndGet() >= 2)).isTrue();
    }

    @Test
    void failsWithWhatItWaitedForAndTheLastReason() {
        assertThatThrownBy(() -> Eventually.await("the moon", Duration.ofMillis(300), () -> {
            throw new AssertionError("still new moon");
        }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("the moon")
                .rootCause().hasMessageContaining("still new moon");
    }
}
