package dev.redmesh.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits for a condition that the system reaches by itself (a poll, a failover), with a deadline. */
public final class Eventually {

    private Eventually() {
    }

    /** Polls {@code check} every 100 ms until it returns a non-null value; fails with {@code what} after {@code within}. */
    public static <T> T await(String what, Duration within, Supplier<T> check) {
        long deadline = System.nanoTime() + within.toNanos();
        Throwable last = null;
        while (System.nanoTime() < deadline) {
            try {
                T value = check.get();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("not within " + within + ": " + what, last);
    }

    /** Returns how long {@code check} took to hold. */
    public static Duration time(String what, Duration within, Supplier<Boolean> check) {
        long start = System.nanoTime();
        await(what, within, check);
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
