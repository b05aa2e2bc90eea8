package dev.redmesh.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import dev.redmesh.link.LinkState;
import dev.redmesh.worker.AssignmentPhase;
import org.junit.jupiter.api.Test;

/** A link's state from its shards' phases: every phase lands where it belongs, none in a default. */
class LinkStateRuleTest {

    private static FleetStore.AssignmentRow shard(String id, AssignmentPhase phase, String worker, String error) {
        return new FleetStore.AssignmentRow("a.b/" + id, "a.b", id, "n:1", "t:1", 1, worker, null, phase, null, null, null,
                null, error, null);
    }

    private static LinkStateRule.Decision decide(FleetStore.AssignmentRow... shards) {
        return LinkStateRule.decide("a", "b", List.of(shards));
    }

    @Test
    void withoutShardsALinkWaitsForTheMasters() {
        assertThat(LinkStateRule.decide("a", "b", List.of()))
                .isEqualTo(new LinkStateRule.Decision(LinkState.PENDING, "waiting for the masters of a and b"));
    }

    @Test
    void withoutShardsAnUnreachableClusterIsTheReasonWithItsError() {
        assertThat(LinkStateRule.decide("a", "b", List.of(), c -> c.equals("a") ? "topology: Connection refused" : null))
                .isEqualTo(new LinkStateRule.Decision(LinkState.PENDING, "source cluster a not reachable: topology: Connection refused"));
        assertThat(LinkStateRule.decide("a", "b", List.of(), c -> c.equals("b") ? "0: 10.0.0.2:6379 timed out" : null).reason())
                .isEqualTo("target cluster b not reachable: 0: 10.0.0.2:6379 timed out");
    }

    @Test
    void aDisconnectedShardCarriesItsError() {
        assertThat(decide(shard("0", AssignmentPhase.DISCONNECTED, "w", "Connection reset")).reason())
                .isEqualTo("source not reachable, reconnecting: shard(s) [0] (Connection reset)");
    }

    @Test
    void aFailedShardBreaksTheLinkWithItsErrorWhateverTheOthersDo() {
        assertThat(decide(shard("0", AssignmentPhase.STREAMING, "w", null), shard("1", AssignmentPhase.FAILED, "w", "NOAUTH")))
                .isEqualTo(new LinkStateRule.Decision(LinkState.BROKEN, "shard 1: NOAUTH"));
    }

    @Test
    void everyShardStreamingIsStreaming() {
        assertThat(decide(shard("0", AssignmentPhase.STREAMING, "w", null), shard("1", AssignmentPhase.STREAMING, "w", null)))
                .isEqualTo(new LinkStateRule.Decision(LinkState.STREAMING, "2 shard(s) streaming"));
    }

    @Test
    void aShardInFullSyncMakesTheLinkFullSync() {
        assertThat(decide(shard("0", AssignmentPhase.STREAMING, "w", null), shard("1", AssignmentPhase.FULL_SYNC, "w", null)))
                .isEqualTo(new LinkStateRule.Decision(LinkState.FULL_SYNC, "full sync of shard 1"));
    }

    @Test
    void theOtherPhasesWaitAndSayWhy() {
        assertThat(decide(shard("0", AssignmentPhase.CONNECTING, null, null)).reason()).isEqualTo("no live worker");
        assertThat(decide(shard("0", AssignmentPhase.DISCONNECTED, "w", null)).reason())
                .isEqualTo("source not reachable, reconnecting: shard(s) [0]");
        assertThat(decide(shard("0", AssignmentPhase.FENCED, "w", null)).reason())
                .isEqualTo("fenced off by a newer holder, handing over: shard(s) [0]");
        assertThat(decide(shard("0", AssignmentPhase.CONNECTING, "w", null), shard("1", null, "w", null)).reason())
                .isEqualTo("starting: [0 CONNECTING, 1 assigned]");
        assertThat(decide(shard("0", AssignmentPhase.STARTING, "w", null)).state()).isEqualTo(LinkState.PENDING);
    }

    @Test
    void everyPhaseDecidesSomething() {
        for (AssignmentPhase phase : AssignmentPhase.values()) {
            List<FleetStore.AssignmentRow> shards = new ArrayList<>(List.of(shard("0", phase, "w", "e")));
            LinkStateRule.Decision decision = LinkStateRule.decide("a", "b", shards);
            assertThat(decision.state()).as(phase.name()).isNotNull();
            assertThat(decision.reason()).as(phase.name()).isNotBlank();
        }
    }
}
