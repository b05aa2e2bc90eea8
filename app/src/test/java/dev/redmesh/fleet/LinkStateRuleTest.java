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

    @Test
    void aFullSyncSaysHowFarItHasComeAndHowLongIsLeft() {
        assertThat(dev.redmesh.link.FullSyncReason.of("0", new dev.redmesh.link.LinkResponse.FullSync(400_000, 1_000_000, 10_000)))
                .isEqualTo("full sync of shard 0: 40 % (400 000 of 1 000 000 keys) in 10 s, about 15 s left");
        assertThat(dev.redmesh.link.FullSyncReason.of("0", new dev.redmesh.link.LinkResponse.FullSync(1_000, 10_000_000, 60_000)))
                .as("slow: hours").endsWith("about 166.7 h left");
        assertThat(dev.redmesh.link.FullSyncReason.of("0", new dev.redmesh.link.LinkResponse.FullSync(100_000, 1_000_000, 60_000))).endsWith("about 9 min left");
        assertThat(dev.redmesh.link.FullSyncReason.of("0", new dev.redmesh.link.LinkResponse.FullSync(0, 0, 3_400)))
                .isEqualTo("full sync of shard 0: waiting for the source's RDB (3 s so far; the source forks and writes it first)");
        assertThat(dev.redmesh.link.FullSyncReason.of("0", new dev.redmesh.link.LinkResponse.FullSync(5_000, 0, 2_000)))
                .isEqualTo("full sync of shard 0: 5 000 keys in 2 s (the RDB does not say how many it holds)");
        assertThat(dev.redmesh.link.FullSyncReason.of("0", null)).isEqualTo("full sync of shard 0");
        FleetStore.AssignmentRow copying = new FleetStore.AssignmentRow("a.b/1", "a.b", "1", "n:1", "t:1", 1, "w", null,
                AssignmentPhase.FULL_SYNC, null, null, null, null, null, null, new dev.redmesh.link.LinkResponse.FullSync(10, 20, 1_000));
        assertThat(decide(shard("0", AssignmentPhase.STREAMING, "w", null), copying))
                .isEqualTo(new LinkStateRule.Decision(LinkState.FULL_SYNC, "full sync of shard 1: 50 % (10 of 20 keys) in 1 s, about 1 s left"));
    }
}
