package dev.redmesh.worker;

import java.util.ArrayDeque;

/**
 * Lag in time from offsets alone, with one clock: the offset read from the source's stream is
 * sampled every {@code sample()} call; the lag is how long ago the worker had read up to the oldest
 * sampled offset that is not applied yet (0 when everything sampled is applied). Its resolution is
 * the sampling interval. Time a write spends in the source's output buffer before the worker reads it
 * (only when the worker holds back, its queue full) is not in it: lag in bytes shows that case.
 */
final class LagClock {

    private record Sample(long offset, long nanos) {
    }

    private final ArrayDeque<Sample> pending = new ArrayDeque<>();
    private long lastOffset = -1;
    private long lagMs = -1;

    /** @param sourceOffset the offset read from the source so far (-1 unknown); @param applied offset applied on the target */
    synchronized void sample(long sourceOffset, long applied, long nanoTime) {
        if (sourceOffset > lastOffset) {
            pending.addLast(new Sample(sourceOffset, nanoTime));
            lastOffset = sourceOffset;
        }
        while (!pending.isEmpty() && pending.peekFirst().offset() <= applied) {
            pending.pollFirst();
        }
        if (applied < 0) {
            lagMs = -1;
        } else {
            lagMs = pending.isEmpty() ? 0 : (nanoTime - pending.peekFirst().nanos()) / 1_000_000;
        }
        while (pending.size() > 10_000) {
            pending.pollFirst(); // far behind: the oldest sample bounds the lag from below, which is enough
        }
    }

    synchronized long lagMs() {
        return lagMs;
    }
}
