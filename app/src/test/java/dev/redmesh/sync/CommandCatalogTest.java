package dev.redmesh.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class CommandCatalogTest {

    /** A COMMAND reply as RESP2 arrays: name, arity, flags, first key, last key, step. */
    private static final CommandCatalog CATALOG = CommandCatalog.fromCommandReply(List.of(
            List.of("set", -3L, List.of("write"), 1L, 1L, 1L),
            List.of("mset", -3L, List.of("write"), 1L, -1L, 2L),
            List.of("ping", -1L, List.of("fast"), 0L, 0L, 0L),
            List.of("eval", -3L, List.of("noscript", "movablekeys"), 0L, 0L, 0L)));

    private static ReplicationEvent.Command command(String name, String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.US_ASCII);
        }
        return ReplicationEvent.Command.of(0, name.getBytes(StandardCharsets.US_ASCII), bytes, 10);
    }

    @Test
    void theFirstKeyIsFoundBySpecWhateverTheCaseOfTheName() {
        assertThat(CATALOG.firstKeyIndex(command("SET", "k", "v"))).isZero();
        assertThat(CATALOG.firstKeyIndex(command("mset", "a", "1", "b", "2"))).isZero();
        assertThat(CATALOG.names()).contains("SET", "MSET", "PING", "EVAL");
    }

    @Test
    void commandsWithoutKeysOrUnknownToTheSourceHaveNone() {
        assertThat(CATALOG.firstKeyIndex(command("PING"))).isEqualTo(-1);
        assertThat(CATALOG.firstKeyIndex(command("EVAL", "return 1", "0"))).isEqualTo(-1);
        assertThat(CATALOG.firstKeyIndex(command("NOSUCH", "x"))).isEqualTo(-1);
        assertThat(CATALOG.firstKeyIndex(command("SET"))).as("no arguments, no key").isEqualTo(-1);
    }
}
