package dev.redmesh.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import tools.jackson.databind.JsonNode;

import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Cleanup;
import dev.redmesh.testing.DatasetComparison;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.Mesh;
import dev.redmesh.testing.MeshWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Managed regions joined the way a CI pipeline joins them (two PUTs each, no capture named): the
 * topology poller finds that their masters refuse PSYNC, their links turn to keyspace capture, and
 * the mesh converges both ways — alone and mixed with a region read by PSYNC.
 */
@AppIT
class KeyspaceMeshIT {

    @Autowired
    Api api;
    @Autowired
    org.springframework.core.env.Environment environment;

    @RegisterExtension
    Cleanup cleanup = new Cleanup();

    /** What ElastiCache refuses, renamed away; notifications as an operator sets them in the parameter group. */
    private RedisNode managed(String... more) {
        List<String> config = new ArrayList<>(List.of("rename-command SYNC \"\"", "rename-command PSYNC \"\""));
        config.addAll(List.of(more));
        return cleanup.add(RedisNode.start(RedisBinary.forVersion("7"), config));
    }

    private RedisCommands<String, String> commands(RedisNode node) {
        return cleanup.add(RedisClient.create(node.uri())).connect().sync();
    }

    private void join(String region, String cluster, RedisNode node, String mesh, String capture) {
        assertThat(api.put("/api/v1/regions/" + region, "{}").status()).isIn(200, 201);
        assertThat(api.put("/api/v1/clusters/" + cluster, "{\"region\":\"" + region + "\",\"mode\":\"STANDALONE\","
                + "\"seeds\":[\"" + node.address() + "\"],\"mesh\":\"" + mesh + "\""
                + (capture == null ? "" : ",\"capture\":\"" + capture + "\"") + "}").status()).isIn(200, 201);
    }

    private JsonNode link(String id) {
        return api.get("/api/v1/links/" + id).json();
    }

    private void awaitStreaming(String... links) {
        Eventually.await("links " + List.of(links) + " streaming", Duration.ofSeconds(60), () -> {
            for (String id : links) {
                JsonNode link = link(id);
                if (!"STREAMING".equals(link.path("state").asString())) {
                    throw new AssertionError(id + ": " + link.path("state").asString() + " " + link.path("stateReason").asString());
                }
            }
            return true;
        });
    }

    @Test
    void twoManagedRegionsJoinedByPutCallsTurnToKeyspaceCaptureAndConvergeWithoutEcho() throws Exception {
        RedisNode a = managed("rename-command CONFIG \"\"", "notify-keyspace-events KA");
        RedisNode b = managed("rename-command CONFIG \"\"", "notify-keyspace-events KA");
        RedisCommands<String, String> ra = commands(a);
        RedisCommands<String, String> rb = commands(b);
        ra.set("ks-a:before", "preloaded");
        join("ks-ra", "ks-a", a, "ks", null);
        join("ks-rb", "ks-b", b, "ks", null);

        Eventually.await("both links run keyspace capture", Duration.ofSeconds(30),
                () -> "KEYSPACE".equals(link("ks-a.ks-b").path("mode").asString())
                        && "KEYSPACE".equals(link("ks-b.ks-a").path("mode").asString()));
        JsonNode cluster = api.get("/api/v1/clusters/ks-a").json();
        assertThat(cluster.path("capture").asString()).isEqualTo("AUTO");
        assertThat(cluster.path("captureInEffect").asString()).isEqualTo("KEYSPACE");
        awaitStreaming("ks-a.ks-b", "ks-b.ks-a");
        Eventually.await("the initial copy arrived", Duration.ofSeconds(20), () -> "preloaded".equals(rb.get("ks-a:before")));

        MeshWorkload wa = new MeshWorkload("ks-a:", () -> commands(a));
        MeshWorkload wb = new MeshWorkload("ks-b:", () -> commands(b));
        Thread.sleep(5_000);
        wa.close();
        wb.close();
        Eventually.await("both regions hold the same data", Duration.ofSeconds(30),
                () -> DatasetComparison.differences(List.of(ra), List.of(rb)).isEmpty());
        wa.assertExactIn("ks-b", rb);
        wb.assertExactIn("ks-a", ra);
        for (int c = 0; c < MeshWorkload.COMMANDS.length; c++) {
            assertThat(Mesh.calls(List.of(a), MeshWorkload.COMMANDS[c])).as("%s on a: its clients' only", MeshWorkload.COMMANDS[c])
                    .isEqualTo(wa.acked(c));
            assertThat(Mesh.calls(List.of(b), MeshWorkload.COMMANDS[c])).as("%s on b: its clients' only", MeshWorkload.COMMANDS[c])
                    .isEqualTo(wb.acked(c));
        }
        String overview = api.get("/api/v1/overview").body();
        assertThat(overview).contains("\"mode\":\"KEYSPACE\"");
        Eventually.await("a keyspace link's lag in ms is known, its bytes are not", Duration.ofSeconds(10), () -> {
            JsonNode link = link("ks-a.ks-b");
            return link.path("lagMs").isNumber() && link.path("lagMs").asLong() < 1_000 && link.path("lagBytes").isNull();
        });
    }

    /**
     * A source master of a keyspace link fails over: the link follows the promoted replica and starts
     * there with a resync, which finds what was written on it before the new capture subscribed (no
     * notification of those writes ever reached redmesh). No final state is lost, and the resync is
     * on the link's timeline with its counts. Capture is forced here: a server with PSYNC renamed
     * away cannot have replicas of its own, so this region runs plain servers read by keyspace capture.
     */
    @Test
    void aSourceFailoverLosesNoFinalStateAndItsResyncIsOnTheTimeline() throws Exception {
        dev.redmesh.localredis.LocalReplicationGroup group = cleanup.add(dev.redmesh.localredis.LocalReplicationGroup.start(
                RedisBinary.forVersion("7"), 1, "notify-keyspace-events KA"));
        RedisNode oldMaster = group.master();
        RedisNode promoted = group.replicas().get(0);
        RedisNode b = managed("notify-keyspace-events KA");
        RedisCommands<String, String> rb = commands(b);
        join("fo-ra", "fo-a", oldMaster, "fo", "KEYSPACE");
        join("fo-rb", "fo-b", b, "fo", null);
        awaitStreaming("fo-a.fo-b", "fo-b.fo-a");
        assertThat(link("fo-a.fo-b").path("mode").asString()).isEqualTo("KEYSPACE");

        MeshWorkload before = new MeshWorkload("fo-a:", () -> commands(oldMaster), 200);
        MeshWorkload wb = new MeshWorkload("fo-b:", () -> commands(b), 200);
        Thread.sleep(3_000);
        before.close();
        assertThat(commands(oldMaster).waitForReplication(1, 5_000)).as("the replica has every write").isEqualTo(1);
        promoted.promote();
        oldMaster.replicaOf(promoted);
        // written once, at once on the new master: no notification of it reaches anyone, only the new
        // capture's resync finds it — while the opposite link, restarted on the same failover, resyncs
        // too and sees the key on its target only (the case that once deleted it: docs/sync.md)
        commands(promoted).set("fo-cold", "once");
        MeshWorkload after = new MeshWorkload("fo-a2:", () -> commands(promoted), 200);
        Eventually.await("the link reads the promoted master", Duration.ofSeconds(30),
                () -> link("fo-a.fo-b").path("shards").path(0).path("sourceNode").asString().equals(promoted.address()));
        Thread.sleep(2_000);
        after.close();
        wb.close();

        RedisCommands<String, String> ra = commands(promoted);
        Eventually.await("both regions hold the same data", Duration.ofSeconds(40),
                () -> DatasetComparison.differences(List.of(ra), List.of(rb)).isEmpty());
        before.assertExactIn("fo-b", rb);
        after.assertExactIn("fo-b", rb);
        wb.assertExactIn("fo-a", ra);
        assertThat(ra.get("fo-cold")).as("the cold key stays on the new master").isEqualTo("once");
        assertThat(rb.get("fo-cold")).as("the cold key reached the other region").isEqualTo("once");
        // hot keys written again later travel by their notifications (so may the cold key: the old
        // master, a replica now, notifies what it replicates until the link moves)
        Eventually.await("the resync on the new master is on the timeline, with its counts", Duration.ofSeconds(20),
                () -> api.get("/api/v1/events?type=SYNC&subject=fo-a.fo-b").body().matches(
                        "(?s).*resync after the link restarted: \\d+ keys compared, \\d+ differed, \\d+ applied.*"));
    }

    /**
     * A worker process holding a keyspace link is killed with SIGKILL under load in both regions:
     * its assignment moves to a live worker, which finds the link's resume point on the target and
     * starts with a resync — the notifications of the gap were never read. No final state is lost,
     * nothing is applied twice or echoed (every INCRBY a region executed is its own clients').
     */
    @Test
    void aKilledWorkersKeyspaceLinkResumesWithAResyncAndLosesNoFinalState() throws Exception {
        dev.redmesh.testing.Fleet fleet = cleanup.add(new dev.redmesh.testing.Fleet(api,
                environment.getRequiredProperty("local.server.port", Integer.class)));
        fleet.startWorker("kw1");
        Eventually.await("the worker process is live", Duration.ofSeconds(90), () -> fleet.liveWorkers().contains("kw1"));
        RedisNode a = managed("notify-keyspace-events KA");
        RedisNode b = managed("notify-keyspace-events KA");
        join("kill-ra", "kill-a", a, "kill", null);
        join("kill-rb", "kill-b", b, "kill", null);
        awaitStreaming("kill-a.kill-b", "kill-b.kill-a");
        Eventually.await("the worker process holds a link", Duration.ofSeconds(30),
                () -> !fleet.holdings().getOrDefault("kw1", java.util.Set.of()).isEmpty());
        String moved = fleet.holdings().get("kw1").iterator().next();
        String link = moved.substring(0, moved.indexOf('/'));

        MeshWorkload wa = new MeshWorkload("kill-a:", () -> commands(a), 200);
        MeshWorkload wb = new MeshWorkload("kill-b:", () -> commands(b), 200);
        Thread.sleep(2_000);
        fleet.kill("kw1");
        Eventually.await("the killed worker's link moved", Duration.ofSeconds(30),
                () -> !"kw1".equals(fleet.assignments().get(moved).path("worker").asString()));
        awaitStreaming("kill-a.kill-b", "kill-b.kill-a");
        Thread.sleep(2_000);
        wa.close();
        wb.close();

        RedisCommands<String, String> ra = commands(a);
        RedisCommands<String, String> rb = commands(b);
        Eventually.await("both regions hold the same data", Duration.ofSeconds(40),
                () -> DatasetComparison.differences(List.of(ra), List.of(rb)).isEmpty());
        for (MeshWorkload w : List.of(wa, wb)) {
            w.assertExactIn("kill-a", ra);
            w.assertExactIn("kill-b", rb);
        }
        for (int i = 0; i < MeshWorkload.COMMANDS.length; i++) {
            String command = MeshWorkload.COMMANDS[i];
            assertThat(Mesh.calls(List.of(a), command)).as("%s on a: its clients' only", command).isEqualTo(wa.acked(i));
            assertThat(Mesh.calls(List.of(b), command)).as("%s on b: its clients' only", command).isEqualTo(wb.acked(i));
        }
        Eventually.await("the resync of the moved link is on its timeline", Duration.ofSeconds(10),
                () -> api.get("/api/v1/events?type=SYNC&subject=" + link).body().contains("resync after the link restarted"));
    }

    /**
     * A resync decides against the target only once the links into its source have carried what the
     * target's clients wrote. Here the opposite link is paused while region b's clients change a key
     * and create one, and then region a's notifications are cut: a's link resyncs and finds both keys
     * differing on b. Applied blindly (the way it once was) a's older state would revert the one and
     * delete the other — b's clients' writes lost in both regions. Instead both stay as b wrote them,
     * the timeline says they were left for verification, and once the opposite link streams again
     * its own resync carries them to a.
     */
    @Test
    void aResyncLeavesWhatTheTargetsClientsWroteWhileTheOppositeLinkIsDown() throws Exception {
        RedisNode a = managed("notify-keyspace-events KA");
        RedisNode b = managed("notify-keyspace-events KA");
        RedisCommands<String, String> ra = commands(a);
        RedisCommands<String, String> rb = commands(b);
        join("gate-ra", "gate-a", a, "gate", null);
        join("gate-rb", "gate-b", b, "gate", null);
        awaitStreaming("gate-a.gate-b", "gate-b.gate-a");
        ra.set("gate:changed", "a-old");
        ra.set("gate:quiet", "a");
        Eventually.await("a's keys reached b", Duration.ofSeconds(10),
                () -> "a-old".equals(rb.get("gate:changed")) && "a".equals(rb.get("gate:quiet")));

        assertThat(api.post("/api/v1/links/gate-b.gate-a/pause", "").status()).isEqualTo(200);
        Eventually.await("the opposite link is paused", Duration.ofSeconds(20),
                () -> "PAUSED".equals(link("gate-b.gate-a").path("state").asString()));
        Thread.sleep(3_000); // its worker has stopped: nothing b writes now travels
        rb.set("gate:changed", "b-new");
        rb.set("gate:created", "b");
        ra.set("gate:from-a", "travels"); // the paused direction is b → a only
        ra.clientKill(io.lettuce.core.KillArgs.Builder.typePubsub()); // a gap in a's notifications: a resync

        Eventually.await("the resync left b's two keys for verification", Duration.ofSeconds(60),
                () -> api.get("/api/v1/events?type=SYNC&subject=gate-a.gate-b").body().matches(
                        "(?s).*resync after keyspace notifications were interrupted: .*2 left as they are, for verification.*"));
        assertThat(rb.get("gate:changed")).as("b's client's write is not reverted").isEqualTo("b-new");
        assertThat(rb.get("gate:created")).as("b's client's new key is not deleted").isEqualTo("b");
        assertThat(rb.get("gate:from-a")).as("a's own write still travels").isEqualTo("travels");

        assertThat(api.post("/api/v1/links/gate-b.gate-a/resume", "").status()).isEqualTo(200);
        Eventually.await("both regions hold b's writes", Duration.ofSeconds(60),
                () -> "b-new".equals(ra.get("gate:changed")) && "b".equals(ra.get("gate:created")));
        Eventually.await("both regions hold the same data", Duration.ofSeconds(20),
                () -> DatasetComparison.differences(List.of(ra), List.of(rb)).isEmpty());
        assertThat(rb.get("gate:changed")).isEqualTo("b-new");
    }

    /**
     * Three managed regions — two standalone, one a Redis Cluster — joined by PUTs only: six
     * keyspace links (one assignment per shard master of the cluster), converged, no echo or relay.
     */
    @Test
    void threeManagedRegionsOneOfThemARedisClusterConvergeWithoutEcho() throws Exception {
        RedisNode a = managed("rename-command CONFIG \"\"", "notify-keyspace-events KA");
        RedisNode b = managed("rename-command CONFIG \"\"", "notify-keyspace-events KA");
        dev.redmesh.localredis.LocalRedisCluster c = cleanup.add(dev.redmesh.localredis.LocalRedisCluster.builder()
                .binary(RedisBinary.forVersion("7")).masters(3).replicasPerMaster(0)
                .extraConfig("rename-command SYNC \"\"", "rename-command PSYNC \"\"", "notify-keyspace-events KA").start());
        join("k3-ra", "k3-a", a, "k3", null);
        join("k3-rb", "k3-b", b, "k3", null);
        assertThat(api.put("/api/v1/regions/k3-rc", "{}").status()).isIn(200, 201);
        assertThat(api.put("/api/v1/clusters/k3-c", "{\"region\":\"k3-rc\",\"mode\":\"CLUSTER\",\"seeds\":[\""
                + c.seeds().get(0) + "\"],\"mesh\":\"k3\"}").status()).isIn(200, 201);
        List<String> ids = List.of("k3-a.k3-b", "k3-b.k3-a", "k3-a.k3-c", "k3-c.k3-a", "k3-b.k3-c", "k3-c.k3-b");
        Eventually.await("every link runs keyspace capture", Duration.ofSeconds(40),
                () -> ids.stream().allMatch(id -> "KEYSPACE".equals(link(id).path("mode").asString())));
        awaitStreaming(ids.toArray(String[]::new));
        assertThat(link("k3-c.k3-a").path("shards").size()).as("one assignment per shard master").isEqualTo(3);

        io.lettuce.core.cluster.RedisClusterClient clusterClient = io.lettuce.core.cluster.RedisClusterClient.create(c.uris());
        cleanup.add(clusterClient::shutdown);
        MeshWorkload wa = new MeshWorkload("k3-a:", () -> commands(a), 100);
        MeshWorkload wb = new MeshWorkload("k3-b:", () -> commands(b), 100);
        MeshWorkload wc = new MeshWorkload("k3-c:", () -> clusterClient.connect().sync(), 100);
        Thread.sleep(5_000);
        wa.close();
        wb.close();
        wc.close();
        RedisCommands<String, String> ra = commands(a);
        RedisCommands<String, String> rb = commands(b);
        List<RedisCommands<String, String>> rc = c.masters().stream().map(this::commands).toList();
        Eventually.await("the three regions hold the same data", Duration.ofSeconds(40),
                () -> DatasetComparison.differences(List.of(ra), List.of(rb)).isEmpty()
                        && DatasetComparison.differences(List.of(ra), rc).isEmpty());
        var clusterCommands = clusterClient.connect().sync();
        for (MeshWorkload w : List.of(wa, wb, wc)) {
            w.assertExactIn("k3-a", ra);
            w.assertExactIn("k3-b", rb);
            w.assertExactIn("k3-c", clusterCommands);
        }
        for (int i = 0; i < MeshWorkload.COMMANDS.length; i++) {
            String command = MeshWorkload.COMMANDS[i];
            assertThat(Mesh.calls(List.of(a), command)).as("%s on a: its clients' only", command).isEqualTo(wa.acked(i));
            assertThat(Mesh.calls(List.of(b), command)).as("%s on b: its clients' only", command).isEqualTo(wb.acked(i));
            assertThat(Mesh.calls(c.masters(), command)).as("%s on c: its clients' only", command).isEqualTo(wc.acked(i));
        }
    }

    @Test
    void aMeshOfOnePsyncAndOneKeyspaceRegionConvergesBothWays() throws Exception {
        RedisNode p = cleanup.add(RedisNode.start(RedisBinary.forVersion("7"), "repl-backlog-size 64mb"));
        RedisNode k = managed("rename-command CONFIG \"\"", "notify-keyspace-events KA");
        RedisCommands<String, String> rp = commands(p);
        RedisCommands<String, String> rk = commands(k);
        join("mx-rp", "mx-p", p, "mx", null);
        join("mx-rk", "mx-k", k, "mx", null);
        Eventually.await("the managed region's link runs keyspace capture", Duration.ofSeconds(30),
                () -> "KEYSPACE".equals(link("mx-k.mx-p").path("mode").asString()));
        assertThat(link("mx-p.mx-k").path("mode").asString()).isEqualTo("PSYNC");
        awaitStreaming("mx-p.mx-k", "mx-k.mx-p");

        MeshWorkload wp = new MeshWorkload("mx-p:", () -> commands(p));
        MeshWorkload wk = new MeshWorkload("mx-k:", () -> commands(k));
        Thread.sleep(5_000);
        wp.close();
        wk.close();
        Eventually.await("both regions hold the same data", Duration.ofSeconds(30),
                () -> DatasetComparison.differences(List.of(rp), List.of(rk)).isEmpty());
        wp.assertExactIn("mx-k", rk);
        wk.assertExactIn("mx-p", rp);
        for (int c = 0; c < MeshWorkload.COMMANDS.length; c++) {
            assertThat(Mesh.calls(List.of(k), MeshWorkload.COMMANDS[c])).as("%s on the keyspace region", MeshWorkload.COMMANDS[c])
                    .isEqualTo(wk.acked(c) + wp.acked(c));
            assertThat(Mesh.calls(List.of(p), MeshWorkload.COMMANDS[c])).as("%s on the PSYNC region: its clients' only",
                    MeshWorkload.COMMANDS[c]).isEqualTo(wp.acked(c));
        }
    }

    @Test
    void withNotificationsOffTheLinkIsBrokenWithTheRemedyAndStreamsOnceTheyAreOn() {
        RedisNode a = managed(); // CONFIG kept here, so that the test can turn notifications on
        RedisNode b = managed("notify-keyspace-events KA");
        RedisCommands<String, String> ra = commands(a);
        join("off-ra", "off-a", a, "off", "KEYSPACE");
        join("off-rb", "off-b", b, "off", "KEYSPACE");
        Eventually.await("the link says what to set", Duration.ofSeconds(30), () -> {
            JsonNode link = link("off-a.off-b");
            String reason = link.path("stateReason").asString();
            if (!"BROKEN".equals(link.path("state").asString()) || !reason.contains("notify-keyspace-events")) {
                throw new AssertionError(link.path("state").asString() + ": " + reason);
            }
            return reason.contains("KA") && reason.contains("parameter group");
        });
        ra.configSet("notify-keyspace-events", "KA");
        awaitStreaming("off-a.off-b", "off-b.off-a");
    }
}
