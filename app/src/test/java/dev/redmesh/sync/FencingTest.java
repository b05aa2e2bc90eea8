package dev.redmesh.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** I3: what a fence pass reads back, and how a refusal by a newer epoch is told from other errors. */
class FencingTest {

    private static byte[] b(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void theStandingHoldsEveryAppliedCheckpointAndTheResumePoint() {
        List<byte[]> keys = List.of(SlotTags.checkpointKey(0, "a.b"), SlotTags.checkpointKey(1, "a.b"),
                SlotTags.checkpointKey(2, "a.b"), SlotTags.resumeKey("a.b"));
        List<byte[]> values = new ArrayList<>(List.of(b("5:A:100"), b("5::-1"), b("4:A:90"), b("5:A:95")));
        TargetWriter.Fenced fenced = TargetWriter.standing("a.b", keys, values);
        assertThat(fenced.resume()).isEqualTo(new Checkpoint(5, "A", 95));
        assertThat(fenced.checkpoints()).as("a slot the fence only created (offset -1) has applied nothing")
                .containsExactly(new Checkpoint(5, "A", 100), new Checkpoint(4, "A", 90), new Checkpoint(5, "A", 95));
    }

    @Test
    void withoutAResumeKeyThereIsNoResumePoint() {
        List<byte[]> keys = List.of(SlotTags.checkpointKey(0, "a.b"));
        List<byte[]> values = new ArrayList<>();
        values.add(null);
        TargetWriter.Fenced fenced = TargetWriter.standing("a.b", keys, values);
        assertThat(fenced.resume()).isNull();
        assertThat(fenced.checkpoints()).isEmpty();
    }

    @Test
    void checkpointsParseAsEpochHistoryOffset() {
        assertThat(Checkpoint.parse(b("12:abc:-1"))).isEqualTo(new Checkpoint(12, "abc", -1));
        assertThat(Checkpoint.parse(b("3::77"))).isEqualTo(new Checkpoint(3, "", 77));
        assertThat(Checkpoint.parse(null)).isNull();
        assertThatThrownBy(() -> Checkpoint.parse(b("garbage"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Checkpoint.parse(b("5:77"))).as("one colon is not epoch:history:offset")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a checkpoint");
    }

    @Test
    void onlyARefusalByANewerEpochIsAFence() {
        assertThat(UnitScripts.isFenced("FENCED checkpoint epoch 7 is newer than 6")).isTrue();
        assertThat(UnitScripts.isFenced("ERR Error running script")).isFalse();
        assertThat(UnitScripts.isFenced(null)).isFalse();
    }
}
