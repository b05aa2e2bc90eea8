package dev.redmesh.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class LinkStateTest {

    @Test
    void aPausedLinkOnlyResumesToPending() {
        assertThat(LinkState.PAUSED.next()).containsExactly(LinkState.PENDING);
    }

    @Test
    void everyStateCanBePausedOrIsPaused() {
        for (LinkState state : LinkState.values()) {
            assertThat(state == LinkState.PAUSED || state.canMoveTo(LinkState.PAUSED)).as(state.name()).isTrue();
        }
    }

    @Test
    void noStateMovesToItself() {
        for (LinkState state : LinkState.values()) {
            assertThat(state.canMoveTo(state)).as(state.name()).isFalse();
        }
    }

    @Test
    void aLinkRefusesATransitionTheMachineForbids() {
        ReplicationLink link = new ReplicationLink("a", "b", LinkMode.PSYNC, LinkOrigin.EXPLICIT, null,
                List.of(), List.of(), Instant.EPOCH);
        link.moveTo(LinkState.PAUSED, "test", Instant.EPOCH);
        Assertions.assertThatIllegalStateException()
                .isThrownBy(() -> link.moveTo(LinkState.STREAMING, "test", Instant.EPOCH))
                .withMessageContaining("PAUSED").withMessageContaining("STREAMING");
        assertThat(link.getState()).isEqualTo(LinkState.PAUSED);
    }
}
