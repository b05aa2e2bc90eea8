package dev.redmesh.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Units: one per (database, slot), in first-use order, each sealed with the history's header (I2, I3). */
class UnitBatchTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String s(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void commandsGroupByDatabaseAndSlotInFirstUseOrder() {
        UnitBatch batch = new UnitBatch();
        batch.add(0, 7, 100, b("SET"), new byte[][] {b("a"), b("1")}, 10, 0);
        batch.add(1, 7, 110, b("SET"), new byte[][] {b("b"), b("1")}, 10, 0);
        batch.add(0, 9, 120, b("SET"), new byte[][] {b("c"), b("1")}, 10, 0);
        batch.add(0, 7, 130, b("INCR"), new byte[][] {b("a")}, 10, 0);
        List<UnitBatch.Unit> units = batch.take();
        assertThat(units).extracting(u -> u.db + "/" + u.slot).containsExactly("0/7", "1/7", "0/9");
        assertThat(units.get(0).commands).isEqualTo(2);
        assertThat(units.get(0).lastOffset).isEqualTo(130);
        assertThat(batch.isEmpty()).as("take starts an empty batch").isTrue();
    }

    @Test
    void aUnitsBodyIsOffsetArgumentCountNameArgumentsPerCommand() {
        UnitBatch batch = new UnitBatch();
        batch.add(0, 0, 100, b("SET"), new byte[][] {b("a"), b("1")}, 10, 0);
        batch.add(0, 0, -1, b("RESTORE"), new byte[][] {b("k"), b("0"), b("payload")}, 30, 1);
        UnitBatch.Unit unit = batch.take().get(0);
        assertThat(unit.body.stream().map(UnitBatchTest::s).toList())
                .containsExactly("100", "3", "SET", "a", "1", "-1", "4", "RESTORE", "k", "0", "payload");
        assertThat(unit.restored).isEqualTo(1);
        assertThat(unit.bytes).isEqualTo(40);
        assertThat(unit.lastOffset).as("a restore has no offset of its own").isEqualTo(100);
    }

    @Test
    void sealingPutsTheHeaderFirstAndTheMarkFromTheHistory() {
        History history = new History();
        history.replid = "A";
        history.previousReplid = "P";
        history.forkOffset = 77;
        history.fullSyncOffset = 4200;
        UnitBatch batch = new UnitBatch();
        batch.add(0, 3, 500, b("SET"), new byte[][] {b("x"), b("1")}, 10, 0);
        batch.add(0, 4, -1, b("RESTORE"), new byte[][] {b("y"), b("0"), b("p")}, 10, 1);
        List<TargetWriter.Unit> sealed = UnitBatch.seal(batch.take(), b("9"), history, "a.b");
        assertThat(sealed.get(0).argv().subList(0, UnitScripts.HEADER_ARGS).stream().map(UnitBatchTest::s).toList())
                .containsExactly("9", "A", "P", "77", "500");
        assertThat(s(sealed.get(1).argv().get(4))).as("a unit of restores is marked at the RDB's offset").isEqualTo("4200");
        assertThat(sealed.get(0).checkpointKey()).isEqualTo(SlotTags.checkpointKey(3, "a.b"));
        assertThat(sealed.get(1).checkpointKey()).isEqualTo(SlotTags.checkpointKey(4, "a.b"));
    }

    @Test
    void beforeTheStreamNamesAHistoryTheHeaderSaysNone() {
        UnitBatch batch = new UnitBatch();
        batch.add(0, 0, -1, b("RESTORE"), new byte[][] {b("y"), b("0"), b("p")}, 10, 1);
        List<TargetWriter.Unit> sealed = UnitBatch.seal(batch.take(), b("1"), new History(), "a.b");
        assertThat(sealed.get(0).argv().subList(1, 4).stream().map(UnitBatchTest::s).toList()).containsExactly("", "", "-1");
    }

    /** A target read by keyspace capture gets each unit bracketed by its slot's marker; others do not. */
    @Test
    void aMarkedUnitCarriesItsSlotsMarkerAsItsSecondKey() {
        UnitBatch batch = new UnitBatch();
        batch.add(0, 7, 500, b("SET"), new byte[][] {b("x"), b("1")}, 10, 0);
        List<UnitBatch.Unit> units = batch.take();
        TargetWriter.Unit marked = UnitBatch.seal(units, b("9"), new History(), "a.b", true).get(0);
        assertThat(marked.markerKey()).isEqualTo(SlotTags.unitMarkerKey(7, "a.b"));
        assertThat(marked.keys()).containsExactly(SlotTags.checkpointKey(7, "a.b"), SlotTags.unitMarkerKey(7, "a.b"));
        TargetWriter.Unit plain = UnitBatch.seal(units, b("9"), new History(), "a.b", false).get(0);
        assertThat(plain.markerKey()).isNull();
        assertThat(plain.keys()).containsExactly(SlotTags.checkpointKey(7, "a.b"));
    }
}
