package dev.redmesh.sync;

import java.util.ArrayDeque;
import java.util.function.Predicate;

/**
 * Batches on their way to the target, oldest first: replies come back in order on each connection,
 * so up to {@code capacity} batches ride the pipe at once, and only past that is the oldest waited
 * for. Completing a batch (counting its replies, storing a resume point) is the caller's; this only
 * says which batch is due, in order, never skipping one.
 */
final class InFlightWindow<B> {

    /** What completes a batch; may block until its replies are in. */
    interface Completion<B> {
        void complete(B batch, boolean last) throws InterruptedException;
    }

    private final int capacity;
    private final ArrayDeque<B> batches = new ArrayDeque<>();

    InFlightWindow(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("at least one batch in flight, not " + capacity);
        }
        this.capacity = capacity;
    }

    /**
     * Adds {@code batch}; then completes the oldest while more than {@code capacity} are in flight,
     * and every batch at the head that is done already.
     */
    void add(B batch, Predicate<B> done, Completion<B> completion) throws InterruptedException {
        batches.addLast(batch);
        while (batches.size() > capacity) {
            completion.complete(batches.pollFirst(), false);
        }
        while (!batches.isEmpty() && done.test(batches.peekFirst())) {
            completion.complete(batches.pollFirst(), false);
        }
    }

    /** Completes every batch in flight, oldest first; the last one is told it is the last. */
    void drain(Completion<B> completion) throws InterruptedException {
        while (!batches.isEmpty()) {
            B batch = batches.pollFirst();
            completion.complete(batch, batches.isEmpty());
        }
    }

    int size() {
        return batches.size();
    }
}
