package dev.redmesh.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redmesh.cluster.ClusterCapture;
import dev.redmesh.cluster.ClusterMode;
import dev.redmesh.cluster.ClusterReadModel;
import dev.redmesh.link.LinkMode;
import dev.redmesh.link.LinkReadModel;
import dev.redmesh.link.LinkState;
import dev.redmesh.topology.ShardReadModel;
import dev.redmesh.worker.AssignmentPhase;
import dev.redmesh.worker.FleetProtocol;
import org.junit.jupiter.api.Test;

/** The leader's decisions: who holds what, what moves and why — from a snapshot, in milliseconds. */
class AssignmentPlannerTest {

    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

    private final Map<String, ClusterReadModel.Row> clusters = new LinkedHashMap<>();
    private final Map<String, List<ShardReadModel.Row>> masters = new LinkedHashMap<>();
    private final List<FleetStore.AssignmentRow> assignments = new ArrayList<>();
    private final List<FleetStore.WorkerRow> workers = new ArrayList<>();
    private final List<LinkReadModel.Row> links = new ArrayList<>();

    private void cluster(String name, ClusterMode mode, String... shardMasters) {
        clusters.put(name, new ClusterReadModel.Row(name, mode, List.of(shardMasters), null, null, false,
                ClusterCapture.AUTO, false));
        for (int i = 0; i < shardMasters.length; i++) {
            masters.computeIfAbsent(name, c -> new ArrayList<>()).add(new ShardReadModel.Row(name, String.valueOf(i), shardMasters[i]));
        }
    }

    private void link(String source, String target, LinkState state) {
        links.add(new LinkReadModel.Row(source + "." + target, source, target, LinkMode.PSYNC, state, List.of(), List.of()));
    }

    private void pooled(String id, Duration heartbeatAgo, Duration startedAgo) {
        workers.add(new FleetStore.WorkerRow(id, FleetProtocol.Kind.POOLED, null, "h:1", "t", NOW.minus(startedAgo),
                NOW.minus(heartbeatAgo)));
    }

    private void sidecar(String id, String pinned) {
        workers.add(new FleetStore.WorkerRow(id, FleetProtocol.Kind.SIDECAR, pinned, "h:1", "t", NOW.minusSeconds(60), NOW));
    }

    private void held(String id, String source, String target, String worker, Instant leaseUntil, AssignmentPhase phase) {
        int slash = id.lastIndexOf('/');
        assignments.add(new FleetStore.AssignmentRow(id, id.substring(0, slash), id.substring(slash + 1), source, target, 7,
                worker, leaseUntil, phase, null, null, null, null, null, null));
    }

    private AssignmentPlanner.Plan plan(boolean mayRebalance) {
        return AssignmentPlanner.plan(new FleetStore.Snapshot(clusters, masters, assignments, workers, links), NOW, LEASE,
                mayRebalance);
    }

    @Test
    void aNewLinkGetsOneAssignmentPerSourceShardOnTheLeastLoadedWorker() {
        cluster("a", ClusterMode.CLUSTER, "10.0.0.1:6379", "10.0.0.2:6379");
        cluster("b", ClusterMode.STANDALONE, "10.0.1.1:6379");
        link("a", "b", LinkState.PENDING);
        pooled("w1", Duration.ZERO, Duration.ofMinutes(1));
        pooled("w2", Duration.ZERO, Duration.ofMinutes(1));
        AssignmentPlanner.Plan plan = plan(true);
        assertThat(plan.moves()).hasSize(2).allMatch(m -> m instanceof AssignmentPlanner.Create);
        AssignmentPlanner.Create first = (AssignmentPlanner.Create) plan.moves().get(0);
        AssignmentPlanner.Create second = (AssignmentPlanner.Create) plan.moves().get(1);
        assertThat(first.assignment()).isEqualTo("a.b/0");
        assertThat(first.sourceNode()).isEqualTo("10.0.0.1:6379");
        assertThat(first.targetNode()).as("a standalone target: its master").isEqualTo("10.0.1.1:6379");
        assertThat(List.of(first.holder(), second.holder())).as("spread over both").containsExactlyInAnyOrder("w1", "w2");
    }

    @Test
    void aClusterTargetIsWrittenThroughSlotRoutingNotOneNode() {
        cluster("a", ClusterMode.STANDALONE, "10.0.0.1:6379");
        cluster("b", ClusterMode.CLUSTER, "10.0.1.1:6379", "10.0.1.2:6379");
        link("a", "b", LinkState.PENDING);
        pooled("w1", Duration.ZERO, Duration.ofMinutes(1));
        AssignmentPlanner.Create create = (AssignmentPlanner.Create) plan(false).moves().get(0);
        assertThat(create.targetNode()).isNull();
    }

    @Test
    void aClusterModeElastiCacheTargetIsWrittenSlotBySlotAndAClusterModeOffOneToItsPrimary() {
        cluster("a", ClusterMode.STANDALONE, "10.0.0.1:6379");
        clusters.put("on", new ClusterReadModel.Row("on", ClusterMode.ELASTICACHE, List.of(), null, null, false,
                ClusterCapture.AUTO, false));
        masters.put("on", List.of(new ShardReadModel.Row("on", "0001", "10.0.3.1:6379", "0-8191"),
                new ShardReadModel.Row("on", "0002", "10.0.3.2:6379", "8192-16383")));
        clusters.put("off", new ClusterReadModel.Row("off", ClusterMode.ELASTICACHE, List.of(), null, null, false,
                ClusterCapture.AUTO, false));
        masters.put("off", List.of(new ShardReadModel.Row("off", "0001", "10.0.4.1:6379", "")));
        link("a", "on", LinkState.PENDING);
        link("a", "off", LinkState.PENDING);
        pooled("w1", Duration.ZERO, Duration.ofMinutes(1));
        Map<String, String> targets = new java.util.HashMap<>();
        for (AssignmentPlanner.Move move : plan(false).moves()) {
            AssignmentPlanner.Create create = (AssignmentPlanner.Create) move;
            targets.put(create.link(), String.valueOf(create.targetNode()));
        }
        assertThat(targets).isEqualTo(Map.of("a.on", "null", "a.off", "10.0.4.1:6379"));
    }

    @Test
    void aTargetWithoutAKnownMasterWaitsAndAPausedLinkHasNoAssignment() {
        cluster("a", ClusterMode.STANDALONE, "10.0.0.1:6379");
        clusters.put("b", new ClusterReadModel.Row("b", ClusterMode.STANDALONE, List.of("10.0.1.1:6379"), null, null, false,
                ClusterCapture.AUTO, false));
        cluster("c", ClusterMode.STANDALONE, "10.0.2.1:6379");
        link("a", "b", LinkState.PENDING);
        link("a", "c", LinkState.PAUSED);
        pooled("w1", Duration.ZERO, Duration.ofMinutes(1));
        assertThat(plan(false).moves()).isEmpty();
    }

    @Test
    void aHolderWhoseLeaseHoldsKeepsItAndOneWhoseLeaseRanOutLosesIt() {
        cluster("a", ClusterMode.STANDALONE, "10.0.0.1:6379", "10.0.0.2:6379");
        cluster("b", ClusterMode.STANDALONE, "10.0.1.1:6379");
        link("a", "b", LinkState.STREAMING);
        pooled("w1", Duration.ZERO, Duration.ofMinutes(1));
        pooled("dead", Duration.ofSeconds(30), Duration.ofMinutes(5));
        held("a.b/0", "10.0.0.1:6379", "10.0.1.1:6379", "w1", NOW.plusSeconds(3), AssignmentPhase.STREAMING);
        held("a.b/1", "10.0.0.2:6379", "10.0.1.1:6379", "dead", NOW.minusSeconds(1), AssignmentPhase.STREAMING);
        AssignmentPlanner.Plan plan = plan(false);
        assertThat(plan.moves()).hasSize(1);
        AssignmentPlanner.Reassign move = (AssignmentPlanner.Reassign) plan.moves().get(0);
        assertThat(move.assignment()).isEqualTo("a.b/1");
        assertThat(move.from()).isEqualTo("dead");
        assertThat(move.holder()).isEqualTo("w1");
        assertThat(move.reason()).isEqualTo("worker dead → w1");
    }

    @Test
    void aLeaseANewLeaderExtendedHoldsThoughItsHolderHasNotHeartbeatedYet() {
        cluster("a", ClusterMode.STANDALONE, "10.0.0.1:6379");
        cluster("b", ClusterMode.STANDALONE, "10.0.1.1:6379");
        link("a", "b", LinkState.STREAMING);
        pooled("w2", Duration.ZERO, Duration.ofMinutes(1));
        held("a.b/0", "10.0.0.1:6379", "10.0.1.1:6379", "w1", NOW.plusSeconds(4), AssignmentPhase.STREAMING);
        assertThat(plan(false).moves()).isEmpty();
    }

    @Test
    void noLiveWorkerLeavesAnAssignmentWithoutHolderAndSaysSo() {
        cluster("a", ClusterMode.STANDALONE, "10.0.0.1:6379");
        cluster("b", ClusterMode.STANDALONE, "10.0.1.1:6379");
        link("a", "b", LinkState.STREAMING);
        held("a.b/0", "10.0.0.1:6379", "10.0.1.1:6379", "w1", NOW.minusSeconds(1), AssignmentPhase.STREAMING);
        AssignmentPlanner.Reassign move = (AssignmentPlanner.Reassign) plan(false).moves().get(0);
        assertThat(move.holder()).isNull();
        assertThat(move.reason()).isEqualTo("worker w1 lost its lease and no worker is live");
    }

    @Test
    void aNewSourceMasterIsAMoveOnTheSameHolder() {
        cluster("a", ClusterMode.STANDALONE, "10.0.0.9:6379"); // promoted
        cluster("b", ClusterMode.STANDALONE, "10.0.1.1:6379");
        link("a", "b", LinkState.STREAMING);
        pooled("w1", Duration.ZERO, Duration.ofMinutes(1));
        held("a.b/0", "10.0.0.1:6379", "10.0.1.1:6379", "w1", NOW.plusSeconds(3), AssignmentPhase.STREAMING);
        AssignmentPlanner.Reassign move = (AssignmentPlanner.Reassign) plan(false).moves().get(0);
        assertThat(move.holder()).isEqualTo("w1");
        assertThat(move.sourceNode()).isEqualTo("10.0.0.9:6379");
        assertThat(move.reason()).isEqualTo("source master 10.0.0.1:6379 → 10.0.0.9:6379");
    }

    @Test
    void theSidecarOfTheSourceMasterTakesItsAssignmentsAfterAPromotion() {
        cluster("a", ClusterMode.STANDALONE, "10.0.0.2:6379"); // the replica was promoted
        cluster("b", ClusterMode.STANDALONE, "10.0.1.1:6379");
        link("a", "b", LinkState.STREAMING);
        sidecar("side-1", "10.0.0.1:6379");
        sidecar("side-2", "10.0.0.2:6379");
        pooled("pool", Duration.ZERO, Duration.ofMinutes(1));
        held("a.b/0", "10.0.0.1:6379", "10.0.1.1:6379", "side-1", NOW.plusSeconds(3), AssignmentPhase.STREAMING);
        AssignmentPlanner.Reassign move = (AssignmentPlanner.Reassign) plan(false).moves().get(0);
        assertThat(move.holder()).as("only the master's sidecar runs").isEqualTo("side-2");
        assertThat(move.reason()).contains("source master").contains("worker side-1 → side-2");
    }

    @Test
    void aPooledHolderGivesWayToTheSourceMastersSidecar() {
        cluster("a", ClusterMode.STANDALONE, "10.0.0.1:6379");
        cluster("b", ClusterMode.STANDALONE, "10.0.1.1:6379");
        link("a", "b", LinkState.STREAMING);
        pooled("pool", Duration.ZERO, Duration.ofMinutes(1));
        sidecar("side-1", "10.0.0.1:6379");
        held("a.b/0", "10.0.0.1:6379", "10.0.1.1:6379", "pool", NOW.plusSeconds(3), AssignmentPhase.STREAMING);
        assertThat(((AssignmentPlanner.Reassign) plan(false).moves().get(0)).holder()).isEqualTo("side-1");
    }

    @Test
    void anAssignmentWhoseLinkIsGoneIsRemoved() {
        cluster("a", ClusterMode.STANDALONE, "10.0.0.1:6379");
        held("a.gone/0", "10.0.0.1:6379", "x", "w1", NOW.plusSeconds(3), AssignmentPhase.STREAMING);
        assertThat(plan(false).moves()).containsExactly(new AssignmentPlanner.Remove("a.gone/0", "a.gone", 7));
    }

    @Test
    void rebalancingMovesOneStreamingAssignmentToASettledIdleWorkerWhenLoadsDifferByTwo() {
        cluster("a", ClusterMode.STANDALONE, "10.0.0.1:6379", "10.0.0.2:6379", "10.0.0.3:6379");
        cluster("b", ClusterMode.STANDALONE, "10.0.1.1:6379");
        link("a", "b", LinkState.STREAMING);
        pooled("busy", Duration.ZERO, Duration.ofMinutes(10));
        pooled("idle", Duration.ZERO, Duration.ofMinutes(10));
        for (int i = 0; i < 3; i++) {
            held("a.b/" + i, "10.0.0." + (i + 1) + ":6379", "10.0.1.1:6379", "busy", NOW.plusSeconds(3),
                    i == 0 ? AssignmentPhase.FULL_SYNC : AssignmentPhase.STREAMING);
        }
        assertThat(plan(false).moves()).as("not due").isEmpty();
        AssignmentPlanner.Plan plan = plan(true);
        assertThat(plan.rebalanced()).isTrue();
        AssignmentPlanner.Reassign move = (AssignmentPlanner.Reassign) plan.moves().get(0);
        assertThat(move.assignment()).as("never a full sync in progress").isEqualTo("a.b/1");
        assertThat(move.holder()).isEqualTo("idle");
        assertThat(move.reason()).isEqualTo("rebalance: busy held 3, idle 0");
    }

    @Test
    void aWorkerThatStartedWithinALeaseIsNotGivenRebalancedWork() {
        cluster("a", ClusterMode.STANDALONE, "10.0.0.1:6379", "10.0.0.2:6379");
        cluster("b", ClusterMode.STANDALONE, "10.0.1.1:6379");
        link("a", "b", LinkState.STREAMING);
        pooled("busy", Duration.ZERO, Duration.ofMinutes(10));
        pooled("new", Duration.ZERO, Duration.ofSeconds(2));
        held("a.b/0", "10.0.0.1:6379", "10.0.1.1:6379", "busy", NOW.plusSeconds(3), AssignmentPhase.STREAMING);
        held("a.b/1", "10.0.0.2:6379", "10.0.1.1:6379", "busy", NOW.plusSeconds(3), AssignmentPhase.STREAMING);
        assertThat(plan(true).moves()).isEmpty();
    }

    @Test
    void theLeaderWakesWhenTheNextLeaseRunsOut() {
        cluster("a", ClusterMode.STANDALONE, "10.0.0.1:6379");
        cluster("b", ClusterMode.STANDALONE, "10.0.1.1:6379");
        link("a", "b", LinkState.STREAMING);
        pooled("w1", Duration.ofSeconds(1), Duration.ofMinutes(1));
        held("a.b/0", "10.0.0.1:6379", "10.0.1.1:6379", "w1", NOW.plusSeconds(2), AssignmentPhase.STREAMING);
        assertThat(plan(false).nextExpiry()).as("the lease, before the worker's own silence (4 s)").isEqualTo(NOW.plusSeconds(2));
    }
}
