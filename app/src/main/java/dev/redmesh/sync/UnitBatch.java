package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The units of the batch being translated: one per (database, target slot), in first-use order,
 * each a list of commands with their source offsets. Sealed with the history's header it becomes
 * what the target writer sends ({@link TargetWriter.Unit}): one atomic, checkpointed script call
 * per unit (I2, I3).
 */
final class UnitBatch {

    /** Arguments a Lua call takes at most (the interpreter's C stack is 8,000 slots). */
    static final int MAX_CALL_ARGS = 7900;

    private final Map<Long, Unit> byShard = new LinkedHashMap<>();

    /** One unit being built, and what to count once the target has answered it. */
    static final class Unit {
        final int db;
        final int slot;
        final List<byte[]> body = new ArrayList<>();
        long lastOffset = -1;
        long commands;
        long restored;
        long bytes;

        Unit(int db, int slot) {
            this.db = db;
            this.slot = slot;
        }

        void add(long offset, byte[] name, byte[][] args, long weight, int restoredKeys) {
            body.add(bytes(offset));
            body.add(bytes(args.length + 1));
            body.add(name);
            for (byte[] arg : args) {
                body.add(arg);
            }
            lastOffset = Math.max(lastOffset, offset);
            commands++;
            restored += restoredKeys;
            bytes += weight;
        }
    }

    /**
     * @param offset       the command's end offset in the source stream; -1 for a piece of a full sync
     * @param restoredKeys 1 for a full sync's RESTORE (counted as a key restored), else 0
     */
    void add(int db, int slot, long offset, byte[] name, byte[][] args, long weight, int restoredKeys) {
        byShard.computeIfAbsent(((long) db << 16) | slot, k -> new Unit(db, slot)).add(offset, name, args, weight, restoredKeys);
    }

    boolean isEmpty() {
        return byShard.isEmpty();
    }

    /** Hands over the units built so far and starts an empty batch. */
    List<Unit> take() {
        List<Unit> all = new ArrayList<>(byShard.values());
        byShard.clear();
        return all;
    }

    /**
     * The script calls for {@code units}: ARGV is the header (epoch, history, previous history, fork,
     * the unit's mark) followed by its commands; KEYS[1] the checkpoint key of its slot.
     */
    static List<TargetWriter.Unit> seal(List<Unit> units, byte[] epoch, History history, String link) {
        return seal(units, epoch, history, link, false);
    }

    /** @param marked the target is read by keyspace capture: each unit also sets and deletes its marker */
    static List<TargetWriter.Unit> seal(List<Unit> units, byte[] epoch, History history, String link, boolean marked) {
        List<TargetWriter.Unit> sealed = new ArrayList<>(units.size());
        // the header is the same for every unit of the batch but its mark
        byte[] replid = bytes(history.replid == null ? "" : history.replid);
        byte[] previous = bytes(history.previousReplid);
        byte[] fork = bytes(history.forkOffset);
        for (Unit unit : units) {
            List<byte[]> argv = new ArrayList<>(unit.body.size() + UnitScripts.HEADER_ARGS);
            argv.add(epoch);
            argv.add(replid);
            argv.add(previous);
            argv.add(fork);
            argv.add(bytes(history.markOf(unit.lastOffset)));
            argv.addAll(unit.body);
            sealed.add(new TargetWriter.Unit(unit.db, SlotTags.checkpointKey(unit.slot, link),
                    marked ? SlotTags.unitMarkerKey(unit.slot, link) : null, argv));
        }
        return sealed;
    }

    static byte[] bytes(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.US_ASCII);
    }
}
