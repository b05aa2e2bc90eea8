package dev.redmesh.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The only buffer between reading the source and writing the target, bounded in bytes (invariant
 * I5). When the target is slow the reader blocks in {@link #put}, stops reading the socket, and
 * the source master holds the backlog — not this process's heap.
 */
final class BoundedEventQueue {

    private final long budgetBytes;
    private final ArrayDeque<ReplicationEvent> events = new ArrayDeque<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition notEmpty = lock.newCondition();
    private long bytes;
    private long highWaterBytes;

    BoundedEventQueue(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /** Blocks while the queue holds its budget; an event larger than the budget waits for an empty queue. */
    void put(ReplicationEvent event) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!events.isEmpty() && bytes + event.weight() > budgetBytes) {
                notFull.await();
            }
            boolean wasEmpty = events.isEmpty();
            events.addLast(event);
            bytes += event.weight();
            highWaterBytes = Math.max(highWaterBytes, bytes);
            if (wasEmpty) {
                notEmpty.signal(); // the taker only ever waits on an empty queue
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes up to {@code max} events, waiting at most {@code waitMillis} for the first. */
    List<ReplicationEvent> take(int max, long waitMillis) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
            while (events.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return List.of();
                }
                notEmpty.awaitNanos(left);
            }
            List<ReplicationEvent> batch = new ArrayList<>(Math.min(max, events.size()));
            while (!events.isEmpty() && batch.size() < max) {
                ReplicationEvent event = events.pollFirst();
                bytes -= event.weight();
                batch.add(event);
            }
            notFull.signalAll();
            return batch;
        } finally {
            lock.unlock();
        }
    }

    long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    long highWaterBytes() {
        lock.lock();
        try {
            return highWaterBytes;
        } finally {
            lock.unlock();
        }
    }
}
