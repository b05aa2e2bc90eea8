package dev.redmesh.sync;

import java.util.ArrayList;
import java.util.List;

/**
 * I1, no echo: a source transaction is held until its {@code EXEC}; if its first command writes a
 * {@code __redmesh:} key it is a unit another link applied here, and none of it travels, otherwise
 * its commands travel like any others. Redis replicates a {@code MULTI} and a script's effects alike
 * as {@code MULTI … EXEC}, and the applier writes a unit's checkpoint first, so this one rule tells
 * every unit a link applied from every write of a client.
 */
final class EchoFilter {

    /** Where the filter is in the stream. */
    enum State {
        /** Not inside a transaction: commands travel one by one. */
        OUTSIDE,
        /** A {@code MULTI} was read; its first command decides. */
        OPENED,
        /** A client's transaction: its commands are held until {@code EXEC}. */
        HOLDING,
        /** A unit another link applied: its commands are dropped until {@code EXEC}. */
        DROPPING
    }

    /** Where the counts go (the link's stats). */
    interface Tally {
        void skipped(long commands);

        void echoesDropped(long commands);
    }

    /** Tells whether a command's first key is one of redmesh's own. */
    interface Keys {
        boolean writesInternalKey(ReplicationEvent.Command command);
    }

    /**
     * @param travel   the commands to apply now, in order
     * @param boundary whether the stream is now between transactions at the command's end offset
     *                 (the point up to which everything read has been translated)
     */
    record Verdict(List<ReplicationEvent.Command> travel, boolean boundary) {

        static final Verdict HELD = new Verdict(List.of(), false);
        static final Verdict NOTHING_AT_BOUNDARY = new Verdict(List.of(), true);
    }

    private final Keys keys;
    private final Tally tally;
    private final List<ReplicationEvent.Command> held = new ArrayList<>();
    private State state = State.OUTSIDE;

    EchoFilter(Keys keys, Tally tally) {
        this.keys = keys;
        this.tally = tally;
    }

    State state() {
        return state;
    }

    Verdict accept(ReplicationEvent.Command command) {
        String name = command.name();
        if (name.equals("MULTI")) {
            // a MULTI inside a transaction cannot come from Redis; what was held of it is dropped
            held.clear();
            state = State.OPENED;
            tally.skipped(1);
            return Verdict.HELD;
        }
        if (name.equals("EXEC")) {
            return exec();
        }
        return switch (state) {
            case OUTSIDE -> new Verdict(List.of(command), true);
            case OPENED -> {
                if (keys.writesInternalKey(command)) {
                    state = State.DROPPING;
                } else {
                    state = State.HOLDING;
                    held.add(command);
                }
                yield Verdict.HELD;
            }
            case HOLDING -> {
                held.add(command);
                yield Verdict.HELD;
            }
            case DROPPING -> Verdict.HELD; // counted at EXEC
        };
    }

    private Verdict exec() {
        State was = state;
        state = State.OUTSIDE;
        switch (was) {
            case DROPPING -> {
                // one echo per unit dropped, at its EXEC (its MULTI was counted as skipped)
                tally.echoesDropped(1);
                return Verdict.NOTHING_AT_BOUNDARY;
            }
            case OPENED, HOLDING -> {
                List<ReplicationEvent.Command> release = List.copyOf(held);
                held.clear();
                tally.skipped(1);
                return new Verdict(release, true);
            }
            default -> {
                tally.skipped(1);
                return Verdict.NOTHING_AT_BOUNDARY;
            }
        }
    }

    /** A full sync starts: a transaction the old stream left open is over. */
    void reset() {
        state = State.OUTSIDE;
        held.clear();
    }
}
