package dev.redmesh.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** I1: what a reader of a source's stream lets travel, and what it drops as another link's unit. */
class EchoFilterTest {

    private long skipped;
    private long echoes;
    private long offset;
    private EchoFilter filter;

    @BeforeEach
    void filter() {
        filter = new EchoFilter(command -> command.args().length > 0
                && KeyFilter.isInternal(command.args()[0]), new EchoFilter.Tally() {
            @Override
            public void skipped(long commands) {
                skipped += commands;
            }

            @Override
            public void echoesDropped(long commands) {
                echoes += commands;
            }
        });
    }

    private ReplicationEvent.Command command(String name, String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        offset += 10;
        return ReplicationEvent.Command.of(0, name.getBytes(StandardCharsets.US_ASCII), bytes, offset);
    }

    private static List<String> names(EchoFilter.Verdict verdict) {
        return verdict.travel().stream().map(c -> c.name() + " " + new String(c.args()[0], StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aLoneWriteTravelsAtOnceAtABoundary() {
        EchoFilter.Verdict verdict = filter.accept(command("SET", "k", "v"));
        assertThat(names(verdict)).containsExactly("SET k");
        assertThat(verdict.boundary()).isTrue();
        assertThat(filter.state()).isEqualTo(EchoFilter.State.OUTSIDE);
    }

    @Test
    void aClientTransactionIsHeldUntilExecThenTravelsWhole() {
        assertThat(filter.accept(command("MULTI")).travel()).isEmpty();
        assertThat(filter.state()).isEqualTo(EchoFilter.State.OPENED);
        EchoFilter.Verdict first = filter.accept(command("INCR", "a"));
        assertThat(first.travel()).isEmpty();
        assertThat(first.boundary()).as("inside a transaction nothing is translated yet").isFalse();
        assertThat(filter.state()).isEqualTo(EchoFilter.State.HOLDING);
        filter.accept(command("INCR", "b"));
        EchoFilter.Verdict exec = filter.accept(command("EXEC"));
        assertThat(names(exec)).containsExactly("INCR a", "INCR b");
        assertThat(exec.boundary()).isTrue();
        assertThat(skipped).as("MULTI and EXEC themselves").isEqualTo(2);
        assertThat(echoes).isZero();
        assertThat(filter.state()).isEqualTo(EchoFilter.State.OUTSIDE);
    }

    @Test
    void aUnitAnotherLinkAppliedIsDroppedWhole() {
        // a unit's script effects: MULTI, the checkpoint first, then the commands, EXEC
        filter.accept(command("MULTI"));
        filter.accept(command("SET", "__redmesh:ckpt:{06S}:b.a", "2:x:100"));
        assertThat(filter.state()).isEqualTo(EchoFilter.State.DROPPING);
        assertThat(filter.accept(command("INCR", "counter")).travel()).isEmpty();
        EchoFilter.Verdict exec = filter.accept(command("EXEC"));
        assertThat(exec.travel()).isEmpty();
        assertThat(exec.boundary()).isTrue();
        assertThat(echoes).isEqualTo(1);
        assertThat(skipped).as("its MULTI").isEqualTo(1);
    }

    @Test
    void aScriptsEffectsThatWriteAClientKeyFirstTravel() {
        // a client's Lua script is replicated as MULTI … EXEC too: its first write decides
        filter.accept(command("MULTI"));
        filter.accept(command("SET", "user:1", "x"));
        filter.accept(command("SET", "__redmesh:ckpt:{06S}:looks-like-ours", "x"));
        assertThat(names(filter.accept(command("EXEC")))).containsExactly("SET user:1", "SET __redmesh:ckpt:{06S}:looks-like-ours");
        assertThat(echoes).isZero();
    }

    @Test
    void anEmptyTransactionTravelsNothing() {
        filter.accept(command("MULTI"));
        EchoFilter.Verdict exec = filter.accept(command("EXEC"));
        assertThat(exec.travel()).isEmpty();
        assertThat(exec.boundary()).isTrue();
        assertThat(skipped).isEqualTo(2);
    }

    @Test
    void anExecWithoutMultiIsSkipped() {
        EchoFilter.Verdict exec = filter.accept(command("EXEC"));
        assertThat(exec.travel()).isEmpty();
        assertThat(exec.boundary()).isTrue();
        assertThat(skipped).isEqualTo(1);
    }

    @Test
    void aMultiInsideATransactionStartsOverAndDropsWhatWasHeld() {
        filter.accept(command("MULTI"));
        filter.accept(command("SET", "lost", "1"));
        filter.accept(command("MULTI"));
        filter.accept(command("SET", "kept", "1"));
        assertThat(names(filter.accept(command("EXEC")))).containsExactly("SET kept");
    }

    @Test
    void aDroppedUnitFollowedByAClientWriteLetsTheWriteTravel() {
        filter.accept(command("MULTI"));
        filter.accept(command("SET", "__redmesh:ckpt:{06S}:b.a", "2:x:100"));
        filter.accept(command("EXEC"));
        assertThat(names(filter.accept(command("SET", "k", "v")))).containsExactly("SET k");
    }

    @Test
    void aFullSyncEndsATransactionTheOldStreamLeftOpen() {
        filter.accept(command("MULTI"));
        filter.accept(command("SET", "half", "1"));
        filter.reset();
        assertThat(filter.state()).isEqualTo(EchoFilter.State.OUTSIDE);
        assertThat(names(filter.accept(command("SET", "k", "v")))).containsExactly("SET k");
        assertThat(names(filter.accept(command("EXEC")))).as("the old transaction's commands are gone").isEmpty();
    }

    @Test
    void aKeylessFirstCommandMakesAClientTransaction() {
        filter.accept(command("MULTI"));
        filter.accept(command("FLUSHDB"));
        assertThat(filter.state()).isEqualTo(EchoFilter.State.HOLDING);
    }

    @Test
    void aClientTransactionReleasesOnlyItsOwnCommands() {
        filter.accept(command("MULTI"));
        filter.accept(command("INCR", "a"));
        filter.accept(command("INCR", "b"));
        assertThat(names(filter.accept(command("EXEC")))).containsExactly("INCR a", "INCR b");
        filter.accept(command("MULTI"));
        filter.accept(command("INCR", "c"));
        assertThat(names(filter.accept(command("EXEC")))).as("nothing of the first one again").containsExactly("INCR c");
    }

    @Test
    void aResetForgetsWhatAnOpenTransactionHeld() {
        filter.accept(command("MULTI"));
        filter.accept(command("INCR", "cut"));
        filter.reset(); // a full sync starts: the old stream's open transaction is over
        filter.accept(command("MULTI"));
        filter.accept(command("INCR", "d"));
        assertThat(names(filter.accept(command("EXEC")))).containsExactly("INCR d");
    }
}
