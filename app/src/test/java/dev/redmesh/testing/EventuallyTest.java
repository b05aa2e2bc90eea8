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
    void aCheckStartedBeforeTheDeadlineIsNotCutShort() {
        // a dataset comparison can take seconds: the one that began in time finishes and counts
        AtomicInteger calls = new AtomicInteger();
        assertThat(Eventually.await("slow but there", Duration.ofMillis(300), () -> {
            calls.incrementAndGet();
            sleep(700);
            return "there";
        })).isEqualTo("there");
        assertThat(calls).hasValue(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new AssertionError("interrupted", e);
        }
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
