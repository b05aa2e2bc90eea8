package dev.redmesh.sync;

import java.util.ArrayDeque;

/**
 * Lag in time for a capture whose stream has no offsets of the source's own (keyspace capture):
 * beats the capture publishes on the source, timed from the moment each was sent to the moment the
 * target had applied everything notified before it.
 *
 * <p>A beat is {@linkplain #sent sent}, then {@linkplain #notified notified} at a place in the
 * capture's stream (the offset of the last change read before it), then done once that offset is
 * {@linkplain #applied applied}. The lag is the longer of the last done beat's time and the age of
 * the oldest beat not done yet, so a stall anywhere between the source and the target (the source
 * not answering, notifications held in its output buffer, the target not applying) shows as a lag
 * that grows. Beats are notified in the order they were sent; a beat lost in a gap of the
 * notifications is dropped when a later one arrives.
 */
final class Beats {

    private static final class Beat {
        final long id;
        final long sentNanos;
        long offset = -1;

        Beat(long id, long sentNanos) {
            this.id = id;
            this.sentNanos = sentNanos;
        }
    }

    private final ArrayDeque<Beat> pending = new ArrayDeque<>();
    private long nextId;
    private long applied = -1;
    private long lastNanos = -1;

    /** A beat is about to be published; returns its id, the message to publish. */
    synchronized long sent(long nowNanos) {
        long id = ++nextId;
        pending.addLast(new Beat(id, nowNanos));
        while (pending.size() > 10_000) {
            pending.pollFirst(); // the source has not notified for a long time; the oldest kept still bounds the lag
        }
        return id;
    }

    /** Beat {@code id} arrived in the stream after every change up to {@code offset}. */
    synchronized void notified(long id, long offset, long nowNanos) {
        for (Beat beat : pending) {
            if (beat.id == id) {
                beat.offset = offset;
                break;
            }
        }
        while (!pending.isEmpty() && pending.peekFirst().id < id && pending.peekFirst().offset < 0) {
            pending.pollFirst(); // sent before it and never notified: lost in a gap, or never published
        }
        complete(nowNanos);
    }

    /** Every change up to {@code offset} is applied on the target. */
    synchronized void applied(long offset, long nowNanos) {
        if (offset > applied) {
            applied = offset;
            complete(nowNanos);
        }
    }

    private void complete(long nowNanos) {
        while (!pending.isEmpty() && pending.peekFirst().offset >= 0 && pending.peekFirst().offset <= applied) {
            lastNanos = nowNanos - pending.pollFirst().sentNanos;
        }
    }

    /** The lag in ms; -1 before the first beat is sent. */
    synchronized long lagMs(long nowNanos) {
        long oldest = pending.isEmpty() ? -1 : nowNanos - pending.peekFirst().sentNanos;
        long lag = Math.max(lastNanos, oldest);
        return lag < 0 ? -1 : lag / 1_000_000;
    }
}
