package dev.redmesh.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

import dev.redmesh.lifecycle.PeriodicLoop;
import dev.redmesh.security.RequestLimits;
import dev.redmesh.web.ApiException;
import dev.redmesh.worker.FleetProtocol;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Workers' long polls for their orders, held without a thread each: a waiting poll is an entry here
 * and an open HTTP request parked by the servlet container (async), so however many polls are open
 * the server's request threads stay free for everyone else. One loop looks at each waiting worker's
 * assignments (once per worker, not per poll) every {@value #POLL_STEP_MS} ms — a change made on
 * another control plane is seen within that — and at once when this process changed them; a poll
 * whose orders moved, or whose wait is over, is answered from a small pool.
 *
 * <p>Bounded: a worker id holds at most {@link RequestLimits#longPollsPerWorker()} open polls and a
 * token at most {@link RequestLimits#longPollsPerToken()}; one more is refused with 429.
 */
@Component
class LongPolls implements SmartLifecycle {

    static final long POLL_STEP_MS = 200;

    private record Waiter(String workerId, String tokenKey, String after, long deadlineNanos, UnaryOperator<String> seal,
                          CompletableFuture<FleetProtocol.Orders> result) {
    }

    private final FleetService fleet;
    private final RequestLimits limits;
    private final List<Waiter> waiting = new ArrayList<>();
    private final PeriodicLoop loop = PeriodicLoop.every(Duration.ofMillis(POLL_STEP_MS), "fleet-long-polls", this::answerDue);
    private volatile ExecutorService answering;
    private volatile boolean closing = true;

    LongPolls(FleetService fleet, FleetSignal signal, RequestLimits limits) {
        this.fleet = fleet;
        this.limits = limits;
        signal.onChange(loop::wake);
    }

    /**
     * The worker's orders once they differ from {@code after} or {@code waitMs} has passed.
     *
     * @param tokenKey who asks (the token's id, or its hash), for the per-token bound
     */
    CompletableFuture<FleetProtocol.Orders> await(String workerId, String tokenKey, String after, long waitMs,
                                                  UnaryOperator<String> seal) {
        if (closing) {
            throw ApiException.unavailable("this control plane is shutting down; ask another one");
        }
        if (!fleet.fingerprint(workerId).equals(after) || waitMs == 0) {
            return CompletableFuture.completedFuture(fleet.orders(workerId, seal));
        }
        Waiter waiter = new Waiter(workerId, tokenKey, after, System.nanoTime() + waitMs * 1_000_000, seal,
                new CompletableFuture<>());
        synchronized (waiting) {
            long ofWorker = waiting.stream().filter(w -> w.workerId.equals(workerId)).count();
            if (ofWorker >= limits.longPollsPerWorker()) {
                throw ApiException.tooManyRequests("worker " + workerId + " has " + ofWorker
                        + " long polls open already (redmesh.security.limits.long-polls-per-worker)");
            }
            long ofToken = waiting.stream().filter(w -> w.tokenKey.equals(tokenKey)).count();
            if (ofToken >= limits.longPollsPerToken()) {
                throw ApiException.tooManyRequests("this token has " + ofToken
                        + " long polls open already (redmesh.security.limits.long-polls-per-token)");
            }
            waiting.add(waiter);
        }
        return waiter.result;
    }

    /** A poll whose client went away (timeout, disconnect) leaves at once. */
    void forget(CompletableFuture<FleetProtocol.Orders> result) {
        synchronized (waiting) {
            waiting.removeIf(w -> w.result == result);
        }
    }

    int open() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    private void answerDue() {
        List<Waiter> due = new ArrayList<>();
        List<Waiter> snapshot;
        synchronized (waiting) {
            snapshot = List.copyOf(waiting);
        }
        if (snapshot.isEmpty()) {
            return;
        }
        Map<String, String> fingerprints = new HashMap<>();
        long now = System.nanoTime();
        for (Waiter w : snapshot) {
            if (closing) {
                due.add(w);
                continue;
            }
            String current = fingerprints.computeIfAbsent(w.workerId, fleet::fingerprint);
            if (!current.equals(w.after) || now - w.deadlineNanos >= 0) {
                due.add(w);
            }
        }
        synchronized (waiting) {
            waiting.removeAll(due);
        }
        for (Waiter w : due) {
            if (closing) {
                w.result.completeExceptionally(ApiException.unavailable("this control plane is shutting down; ask another one"));
            } else {
                answering.execute(() -> {
                    try {
                        w.result.complete(fleet.orders(w.workerId, w.seal));
                    } catch (RuntimeException e) {
                        w.result.completeExceptionally(e);
                    }
                });
            }
        }
    }

    @Override
    public void start() {
        answering = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "fleet-orders-answer");
            t.setDaemon(true);
            return t;
        });
        closing = false;
        loop.start();
    }

    /** With the fleet signal, before the web server's graceful shutdown: open polls are told to go elsewhere. */
    @Override
    public void stop() {
        closing = true;
        loop.wake();
        loop.stop(Duration.ofSeconds(5));
        answerDue();
        answering.shutdown();
    }

    @Override
    public boolean isRunning() {
        return !closing;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }
}
