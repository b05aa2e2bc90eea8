package dev.redmesh.localredis;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Polls until a condition holds. The condition reports what is still missing rather than a bare
 * false, so a timeout says why ("127.0.0.1:10023 knows 4 of 6 nodes") instead of only that it
 * took too long.
 */
final class Await {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

    private Await() {
    }

    /**
     * @param goal    what is awaited, for the error message
     * @param problem empty when the goal is reached, else what is still wrong; exceptions it
     *                throws count as problems, since servers refuse connections while starting
     */
    static void until(String goal, Duration timeout, Supplier<Optional<String>> problem) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem = "never checked";
        while (true) {
            try {
                Optional<String> current = problem.get();
                if (current.isEmpty()) {
                    return;
                }
                lastProblem = current.get();
            } catch (RuntimeException e) {
                lastProblem = e.toString();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toMillis() + " ms waiting for "
                        + goal + "; last seen: " + lastProblem);
            }
            sleep(POLL_INTERVAL);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
