package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.cluster.SlotHash;

import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.redis.TlsTrust;

/**
 * Writes a verification's repairs into one region the way a link writes: as units of
 * {@link UnitScripts#APPLY}, each starting with a checkpoint write (and bracketed by the unit
 * marker where the region is read by keyspace capture), so no link reading that region carries a
 * repair on (I1). The units belong to a link of their own, {@code repair-<id>}, whose checkpoint
 * keys are removed again when the writer closes.
 */
public final class RepairWriter implements AutoCloseable {

    /** One key's winning state: its {@code DUMP} payload and absolute expiry, or null for a deletion. */
    public record Write(int db, byte[] key, byte[] payload, long expireAtMillis) {
    }

    /** What a batch did: keys written, keys deleted, and the commands the target refused with the first error. */
    public record Outcome(long restored, long deleted, long failed, String firstError) {
    }

    private static final byte[] RESTORE = ascii("RESTORE");
    private static final byte[] DEL = ascii("DEL");
    private static final byte[] EPOCH = ascii("1");

    private final RedisEndpoint target;
    private final boolean marked;
    private final String link;
    private final TargetWriter writer;
    /** Rebuilds a payload of a newer RDB version than the target reads, command by command. */
    private final LargeValueSplitter rebuild = new LargeValueSplitter(0);
    private final java.util.Set<Long> slotsUsed = new java.util.TreeSet<>();

    private RepairWriter(RedisEndpoint target, boolean marked, String id, Duration timeout, TlsTrust trust) {
        this.target = target;
        this.marked = marked;
        this.link = "repair-" + id;
        this.writer = TargetWriter.open(target, timeout, trust);
    }

    /**
     * @param marked the region is read by keyspace capture: units carry the unit marker
     * @param id     the repair's id, which names its link
     */
    public static RepairWriter open(RedisEndpoint target, boolean marked, String id, Duration timeout, TlsTrust trust) {
        return new RepairWriter(target, marked, id, timeout, trust);
    }

    /** Writes every state, one unit per (database, slot), and waits for the answers. */
    public Outcome write(List<Write> writes) {
        UnitBatch batch = new UnitBatch();
        long restores = 0;
        long deletes = 0;
        for (Write w : writes) {
            int slot = target.cluster() ? SlotHash.getSlot(w.key()) : 0;
            slotsUsed.add(((long) w.db() << 16) | slot);
            if (w.payload() == null) {
                batch.add(w.db(), slot, -1, DEL, new byte[][] {w.key()}, 64, 0);
                deletes++;
                continue;
            }
            List<ReplicationEvent.Command> pieces = rdbVersionOf(w.payload()) > writer.rdbVersion()
                    ? rebuild.split(w.db(), w.key(), w.payload(), w.expireAtMillis()) : List.of();
            if (pieces.isEmpty()) {
                byte[][] args = w.expireAtMillis() > 0
                        ? new byte[][] {w.key(), ascii(Long.toString(w.expireAtMillis())), w.payload(), ascii("REPLACE"),
                                ascii("ABSTTL")}
                        : new byte[][] {w.key(), ascii("0"), w.payload(), ascii("REPLACE")};
                batch.add(w.db(), slot, -1, RESTORE, args, w.payload().length, 1);
            } else {
                for (ReplicationEvent.Command piece : pieces) {
                    batch.add(w.db(), slot, -1, piece.rawName(), piece.args(), piece.weight(), 0);
                }
            }
            restores++;
        }
        List<UnitBatch.Unit> units = batch.take();
        List<UnitScripts.Result> results;
        try {
            results = writer.send(UnitBatch.seal(units, EPOCH, new History(), link, marked)).await();
        } catch (TimeoutException e) {
            throw new IllegalStateException("region " + target + " did not answer the repair within its timeout", e);
        }
        long failed = 0;
        String first = "";
        for (UnitScripts.Result result : results) {
            if (result.hasError()) {
                failed++;
                first = first.isEmpty() ? result.getError() : first;
            } else {
                failed += result.errors();
                first = first.isEmpty() ? result.firstError() : first;
            }
        }
        return new Outcome(restores, deletes, failed, first);
    }

    /** The RDB version a {@code DUMP} payload was made with: the two bytes before its checksum. */
    static int rdbVersionOf(byte[] payload) {
        int n = payload.length;
        return n < 10 ? 0 : (payload[n - 10] & 0xff) | (payload[n - 9] & 0xff) << 8;
    }

    /** Removes the repair link's checkpoint keys, then disconnects. Never throws. */
    @Override
    public void close() {
        try {
            List<TargetWriter.Unit> cleanup = new ArrayList<>();
            for (long dbSlot : slotsUsed) {
                int db = (int) (dbSlot >> 16);
                int slot = (int) (dbSlot & 0xffff);
                byte[] checkpoint = SlotTags.checkpointKey(slot, link);
                // a unit of its own that deletes its checkpoint: the same recognisable shape as every unit
                List<byte[]> argv = new ArrayList<>(List.of(EPOCH, ascii(""), ascii(""), ascii("-1"), ascii("0"),
                        ascii("-1"), ascii("2"), DEL, checkpoint));
                cleanup.add(new TargetWriter.Unit(db, checkpoint, marked ? SlotTags.unitMarkerKey(slot, link) : null, argv));
            }
            if (!cleanup.isEmpty()) {
                writer.send(cleanup).await();
            }
        } catch (RuntimeException | TimeoutException e) {
            // a checkpoint key left behind is internal: never synced, never verified
        } finally {
            writer.close();
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
