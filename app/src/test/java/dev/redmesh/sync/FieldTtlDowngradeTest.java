package dev.redmesh.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The stated rule for hash field TTLs on a target without them, command by command. */
class FieldTtlDowngradeTest {

    private final SyncStats stats = new SyncStats();
    private final List<String> events = new ArrayList<>();
    private final FieldTtlDowngrade downgrade = new FieldTtlDowngrade("a.b", stats, events::add);

    private static ReplicationEvent.Command command(String... words) {
        byte[][] args = Arrays.stream(words).skip(1).map(w -> w.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
        return ReplicationEvent.Command.of(0, words[0].getBytes(StandardCharsets.US_ASCII), args, 42);
    }

    private static List<String> words(ReplicationEvent.Command command) {
        List<String> words = new ArrayList<>(List.of(command.name()));
        Arrays.stream(command.args()).map(a -> new String(a, StandardCharsets.UTF_8)).forEach(words::add);
        return words;
    }

    @Test
    void hsetexBecomesHsetOfItsFieldsAndCountsWhenItSetATtl() {
        ReplicationEvent.Command kept = downgrade.rewrite(command("HSETEX", "h", "FNX", "PXAT", "1790000000000", "FIELDS", "2",
                "f1", "v1", "f2", "v2"));
        assertThat(words(kept)).containsExactly("HSET", "h", "f1", "v1", "f2", "v2");
        assertThat(kept.endOffset()).as("the same place in the stream").isEqualTo(42);
        assertThat(stats.valuesApproximated()).isEqualTo(1);
        assertThat(events).singleElement().asString().contains("'h'").contains("HSETEX").contains("not kept");

        assertThat(words(downgrade.rewrite(command("hsetex", "h", "KEEPTTL", "FIELDS", "1", "f", "v"))))
                .containsExactly("HSET", "h", "f", "v");
        assertThat(stats.valuesApproximated()).as("KEEPTTL keeps what the target already has: no TTL").isEqualTo(1);
    }

    @Test
    void commandsThatOnlySetTtlsAreNotAppliedButCounted() {
        for (String name : List.of("HEXPIRE", "HPEXPIRE", "HEXPIREAT", "HPEXPIREAT")) {
            assertThat(downgrade.rewrite(command(name, "h", "100", "FIELDS", "1", "f"))).as(name).isNull();
        }
        assertThat(downgrade.rewrite(command("HGETEX", "h", "PX", "500", "FIELDS", "1", "f"))).isNull();
        assertThat(stats.valuesApproximated()).isEqualTo(5);
        assertThat(events).as("one event a minute, not one per key").hasSize(1);
    }

    @Test
    void hgetdelIsAnHdelOfItsFields() {
        assertThat(words(downgrade.rewrite(command("HGETDEL", "h", "FIELDS", "2", "a", "b")))).containsExactly("HDEL", "h", "a", "b");
        assertThat(stats.valuesApproximated()).isZero();
    }

    @Test
    void persistingApproximatesNothing() {
        assertThat(downgrade.rewrite(command("HPERSIST", "h", "FIELDS", "1", "f"))).isNull();
        assertThat(downgrade.rewrite(command("HGETEX", "h", "PERSIST", "FIELDS", "1", "f"))).isNull();
        assertThat(stats.valuesApproximated()).isZero();
        assertThat(events).isEmpty();
    }

    @Test
    void theRuleAppliesToTargetsBeforeRedis74() {
        assertThat(FieldTtlDowngrade.targetKeepsFieldTtls(TargetWriter.rdbVersionOf(dev.redmesh.redis.RedisVersion.parse("7.4.0")))).isTrue();
        assertThat(FieldTtlDowngrade.targetKeepsFieldTtls(TargetWriter.rdbVersionOf(dev.redmesh.redis.RedisVersion.parse("7.2.4"))))
                .as("Valkey 8 says redis_version 7.2.4").isFalse();
        assertThat(FieldTtlDowngrade.concerns("HSETEX")).isTrue();
        assertThat(FieldTtlDowngrade.concerns("HSET")).isFalse();
    }
}
