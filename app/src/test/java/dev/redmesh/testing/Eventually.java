package dev.redmesh.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for a condition that the system reaches by itself (a poll, a failover), with a deadline: a thin
 * adapter over Awaitility that keeps the tests' one-line form, {@code await(what, within, check)}, where
 * the check returns the value it waited for (or null/false while not there yet).
 */
public final class Eventually {

    private static final Duration POLL = Duration.ofMillis(100);

    private Eventually() {
    }

    /** Polls {@code check} every 100 ms until it returns a non-null value; fails with {@code what} after {@code within}. */
    public static <T> T await(String what, Duration within, Supplier<T> check) {
        AtomicReference<T> found = new AtomicReference<>();
        try {
            Awaitility.await(what)
                    .atMost(within)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(POLL)
                    // in the caller's thread: a check is never interrupted, and one started before the
                    // deadline finishes and counts (a comparison of a large dataset takes seconds)
                    .pollInSameThread()
                    .ignoreExceptionsMatching(e -> e instanceof RuntimeException || e instanceof AssertionError)
                    .until(() -> {
                        T value = check.get();
                        if (value == null || Boolean.FALSE.equals(value)) {
                            return false;
                        }
                        found.set(value);
                        return true;
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not within " + within + ": " + what, e.getCause());
        }
        return found.get();
    }

    /** Returns how long {@code check} took to hold. */
    public static Duration time(String what, Duration within, Supplier<Boolean> check) {
        long start = System.nanoTime();
        await(what, within, check);
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
