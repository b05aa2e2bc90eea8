package dev.redmesh.sync;

import java.util.ArrayDeque;

/**
 * Lag in time from the source's write to the target's apply, on the worker's one clock: beats the
 * worker writes on the source (a {@code PUBLISH}, or on a Redis Cluster master in PSYNC capture a
 * {@code SET} of a key of its own), each timed from the moment the source executed it to the moment
 * the target had applied everything the stream carried before it.
 *
 * <p>A beat is {@linkplain #sent sent}, {@linkplain #answered answered} by the source, then
 * {@linkplain #notified notified} at a place in the capture's stream (the offset of the last change
 * read before it), then done once that offset is {@linkplain #applied applied}. Its start is the
 * middle of its round trip: the source executed it about half-way between the worker sending it and
 * the reply arriving, so a worker far from its source does not count the way there as lag. The lag
 * is the longer of the last done beat's time and the age of the oldest beat not done yet, so a stall anywhere between the source and the target (the source
 * not answering, notifications held in its output buffer, the target not applying) shows as a lag
 * that grows. Beats are notified in the order they were sent; a beat lost in a gap of the
 * notifications is dropped when a later one arrives.
 */
final class Beats {

    private static final class Beat {
        final long id;
        long sentNanos;
        long offset = -1;
        boolean answered;

        Beat(long id, long sentNanos) {
            this.id = id;
            this.sentNanos = sentNanos;
        }
    }

    private final ArrayDeque<Beat> pending = new ArrayDeque<>();
    private long nextId;
    private long applied = -1;
    private long lastNanos = -1;
    /** The last beat done, and when: its reply may still arrive and move its start. */
    private Beat lastDone;
    private long lastDoneNanos;

    /** A beat is about to be published; returns its id, the message to publish. */
    synchronized long sent(long nowNanos) {
        long id = ++nextId;
        pending.addLast(new Beat(id, nowNanos));
        while (pending.size() > 10_000) {
            pending.pollFirst(); // the source has not notified for a long time; the oldest kept still bounds the lag
        }
        return id;
    }

    /**
     * The source answered beat {@code id}: it executed it about half-way through the round trip,
     * which becomes the beat's start (also when the stream brought it before the reply).
     */
    synchronized void answered(long id, long nowNanos) {
        Beat beat = lastDone != null && lastDone.id == id ? lastDone : find(id);
        if (beat == null || beat.answered) {
            return;
        }
        beat.answered = true;
        beat.sentNanos += Math.max(0, nowNanos - beat.sentNanos) / 2;
        if (beat == lastDone) {
            lastNanos = Math.max(0, lastDoneNanos - beat.sentNanos);
        }
    }

    /** The source refused beat {@code id} (an error reply): it will never be in the stream. */
    synchronized void failed(long id) {
        pending.removeIf(beat -> beat.id == id);
    }

    /**
     * Follows the reply to beat {@code id}: an answer moves its start ({@link #answered}), an error
     * reply drops it ({@link #failed}); no answer (the source down) leaves it outstanding, its age the lag.
     */
    void track(long id, java.util.concurrent.CompletionStage<?> reply) {
        reply.whenComplete((ok, error) -> {
            long now = System.nanoTime();
            if (error == null) {
                answered(id, now);
            } else if (error instanceof io.lettuce.core.RedisCommandExecutionException
                    || error.getCause() instanceof io.lettuce.core.RedisCommandExecutionException) {
                failed(id);
            }
        });
    }

    private Beat find(long id) {
        for (Beat beat : pending) {
            if (beat.id == id) {
                return beat;
            }
        }
        return null;
    }

    /** Whether a beat has ever reached the stream: until then this clock knows nothing. */
    synchronized boolean heard() {
        return heard;
    }

    private boolean heard;

    /** Beat {@code id} arrived in the stream after every change up to {@code offset}. */
    synchronized void notified(long id, long offset, long nowNanos) {
        Beat found = find(id);
        if (found != null) {
            found.offset = offset;
            heard = true;
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
            lastDone = pending.pollFirst();
            lastDoneNanos = nowNanos;
            lastNanos = Math.max(0, nowNanos - lastDone.sentNanos);
        }
    }

    /** The lag in ms; -1 before the first beat is sent. */
    synchronized long lagMs(long nowNanos) {
        long oldest = pending.isEmpty() ? -1 : nowNanos - pending.peekFirst().sentNanos;
        long lag = Math.max(lastNanos, oldest);
        return lag < 0 ? -1 : lag / 1_000_000;
    }
}
