package dev.redmesh.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Cleanup;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What an operator and an SRE read is true: a link says why it waits (the connection error of an
 * unreachable source, who paused it), the fleet has a health component of its own, a deleted
 * link's series leave {@code /actuator/prometheus} (so no shipped alert fires for it), and a merge
 * patch changes only what it names.
 */
@AppIT
class OperatorSignalsIT {

    @Autowired
    Api api;

    @RegisterExtension
    Cleanup cleanup = new Cleanup();

    private void join(String region, String cluster, String seed) {
        assertThat(api.put("/api/v1/regions/" + region, "{}").status()).isIn(200, 201);
        assertThat(api.put("/api/v1/clusters/" + cluster, "{\"region\":\"" + region + "\",\"mode\":\"STANDALONE\","
                + "\"seeds\":[\"" + seed + "\"],\"mesh\":\"ops\"}").status()).isIn(200, 201);
    }

    private JsonNode link(String id) {
        return api.get("/api/v1/links/" + id).json();
    }

    @Test
    void aLinkWhoseSourceIsUnreachableSaysSoWithTheErrorWithinAPoll() {
        RedisNode live = cleanup.add(RedisNode.start());
        join("ops-a", "ops-a", live.address());
        join("ops-b", "ops-b", "127.0.0.1:1");
        Eventually.await("the reason names the unreachable source and its error", Duration.ofSeconds(5), () -> {
            String reason = link("ops-b.ops-a").path("stateReason").asString();
            return reason.contains("source cluster ops-b not reachable") && reason.toLowerCase().contains("refused");
        });
        assertThat(link("ops-a.ops-b").path("stateReason").asString()).contains("target cluster ops-b not reachable");
        assertThat(api.get("/api/v1/clusters/ops-a").json().path("status").path("message").asString())
                .as("the ready-or-not message carries the reasons").contains("ops-a.ops-b PENDING: target cluster ops-b not reachable");
    }

    @Test
    void aPausedLinkSaysWhoPausedItAndWhen() {
        RedisNode a = cleanup.add(RedisNode.start());
        RedisNode b = cleanup.add(RedisNode.start());
        join("ops-a", "ops-a", a.address());
        join("ops-b", "ops-b", b.address());
        String token = api.post("/api/v1/tokens", "{\"name\":\"night-shift\",\"role\":\"OPERATOR\"}").json().path("value").asString();
        assertThat(api.withToken(token).post("/api/v1/links/ops-a.ops-b/pause", "").status()).isEqualTo(200);
        assertThat(link("ops-a.ops-b").path("stateReason").asString()).matches("paused by night-shift at \\d{4}-\\d\\d-\\d\\dT.*Z; .*");
    }

    /**
     * A full sync says how far it has come and how long it has left, refreshed with every heartbeat —
     * not the reason written once when the link entered FULL_SYNC.
     */
    @Test
    void aFullSyncSaysHowFarItHasComeAndTheTimeLeft() {
        RedisNode a = cleanup.add(RedisNode.start());
        RedisNode b = cleanup.add(RedisNode.start());
        a.call(c -> {
            java.util.Map<String, String> batch = new java.util.HashMap<>();
            for (int i = 0; i < 600_000; i++) {
                batch.put("bulk:" + i, "v".repeat(24));
                if (batch.size() == 1000) {
                    c.mset(batch);
                    batch.clear();
                }
            }
            return null;
        });
        join("ops-a", "ops-a", a.address());
        join("ops-b", "ops-b", b.address());
        Pattern progress = Pattern.compile("full sync of shard \\S+: (\\d+) % \\(([\\d ]+) of ([\\d ]+) keys\\) in \\d+ s, about \\d+ (s|min) left");
        Set<Long> seen = new TreeSet<>();
        Eventually.await("two different progress figures of the full sync", Duration.ofSeconds(60), () -> {
            Matcher m = progress.matcher(link("ops-a.ops-b").path("stateReason").asString());
            if (m.matches()) {
                seen.add(Long.parseLong(m.group(2).replace(" ", "")));
                assertThat(Long.parseLong(m.group(3).replace(" ", ""))).as("the keys the RDB holds: the preload and a few of redmesh's own")
                        .isBetween(600_000L, 600_100L);
            }
            return seen.size() >= 2;
        });
        Eventually.await("the link streams after its full sync", Duration.ofSeconds(60),
                () -> "STREAMING".equals(link("ops-a.ops-b").path("state").asString()));
        JsonNode fullSync = link("ops-a.ops-b").path("shards").get(0).path("fullSync");
        assertThat(fullSync.isNull() || fullSync.isMissingNode()).as("no progress once it streams: " + fullSync).isTrue();
    }

    @Test
    void theFleetHasAHealthComponentWithItsLeaderAndWorkers() {
        Eventually.await("the fleet component is UP with a leader and a live worker", Duration.ofSeconds(10), () -> {
            JsonNode fleet = api.get("/actuator/health").json().path("components").path("fleet");
            return "UP".equals(fleet.path("status").asString()) && !"none".equals(fleet.path("details").path("leader").asString())
                    && fleet.path("details").path("workersLive").asInt() >= 1;
        });
        JsonNode details = api.get("/actuator/health").json().path("components").path("fleet").path("details");
        assertThat(details.has("assignmentsUnheld")).isTrue();
        assertThat(details.has("workersSilent")).isTrue();
    }

    /**
     * Every series naming a link goes with the link, within one refresh (1 s; one scrape). Every
     * metric the shipped alert rules read is checked: a rule can only fire for a link that has a series.
     */
    @Test
    void aDeletedLinksSeriesLeavePrometheusAndNoAlertRuleCanSeeIt() throws Exception {
        RedisNode a = cleanup.add(RedisNode.start());
        RedisNode b = cleanup.add(RedisNode.start());
        join("ops-a", "ops-a", a.address());
        join("ops-b", "ops-b", b.address());
        Eventually.await("the link's series are exported", Duration.ofSeconds(30),
                () -> api.get("/actuator/prometheus").body().contains("redmesh_link_streaming{link=\"ops-a.ops-b\"} 1.0"));

        assertThat(api.patch("/api/v1/clusters/ops-b", "{\"mesh\":null}").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/links/ops-a.ops-b").status()).isEqualTo(404);
        Set<String> alerted = alertMetrics();
        assertThat(alerted).contains("redmesh_link_streaming", "redmesh_link_lag_ms");
        Eventually.await("no series of the deleted links", Duration.ofSeconds(3), () -> {
            String scrape = api.get("/actuator/prometheus").body();
            for (String line : scrape.split("\n")) {
                if (line.contains("link=\"ops-a.ops-b\"") || line.contains("link=\"ops-b.ops-a\"")) {
                    throw new AssertionError("still exported: " + line);
                }
            }
            return true;
        });
    }

    /** The metric names the shipped alert rules read. */
    private static Set<String> alertMetrics() throws Exception {
        Set<String> names = new TreeSet<>();
        for (Path rules : List.of(Path.of("..", "deploy", "prometheus", "alerts.yml"), Path.of("..", "deploy", "k8s", "prometheus-rules.yaml"))) {
            for (String line : Files.readAllLines(rules)) {
                if (line.strip().startsWith("expr:")) {
                    Matcher m = Pattern.compile("redmesh_[a-z_]+").matcher(line);
                    while (m.find()) {
                        names.add(m.group());
                    }
                }
            }
        }
        return names;
    }

    @Test
    void aMergePatchChangesOnlyWhatItNamesAndRefusesWhatIsNotAField() {
        assertThat(api.put("/api/v1/regions/ops-a", "{\"displayName\":\"Frankfurt\",\"cloud\":\"aws\"}").status()).isEqualTo(201);
        JsonNode patched = api.patch("/api/v1/regions/ops-a", "{\"displayName\":\"Frankfurt 2\"}").json();
        assertThat(patched.path("displayName").asString()).isEqualTo("Frankfurt 2");
        assertThat(patched.path("cloud").asString()).isEqualTo("aws");
        assertThat(api.patch("/api/v1/regions/ops-a", "{\"cloud\":null}").json().path("cloud").isNull()).isTrue();

        Problems.assertProblem(api.patch("/api/v1/regions/ops-a", "{\"colour\":\"red\"}"), 400, "validation");
        Problems.assertProblem(api.patch("/api/v1/regions/ops-a", "[1]"), 400, "validation");
        Problems.assertProblem(api.patch("/api/v1/regions/ops-a", "{\"cloud\":\"Not A Cloud\"}"), 400, "validation");
        Problems.assertProblem(api.patch("/api/v1/regions/nowhere", "{\"cloud\":\"aws\"}"), 404, "not-found");
        JsonNode after = api.get("/api/v1/regions/ops-a").json();
        assertThat(after.path("displayName").asString()).as("a refused patch changes nothing").isEqualTo("Frankfurt 2");
        assertThat(after.path("cloud").isNull()).isTrue();

        RedisNode node = cleanup.add(RedisNode.start());
        assertThat(api.put("/api/v1/clusters/ops-a", "{\"region\":\"ops-a\",\"mode\":\"STANDALONE\",\"seeds\":[\""
                + node.address() + "\"],\"capture\":\"KEYSPACE\"}").status()).isEqualTo(201);
        JsonNode cluster = api.patch("/api/v1/clusters/ops-a", "{\"mesh\":\"ops\"}").json();
        assertThat(cluster.path("mesh").asString()).isEqualTo("ops");
        assertThat(cluster.path("capture").asString()).isEqualTo("KEYSPACE");
        Problems.assertProblem(api.patch("/api/v1/clusters/ops-a", "{\"seeds\":\"one\"}"), 400, "validation");
        assertThat(api.get("/api/v1/clusters/ops-a").json().path("seeds").get(0).asString()).isEqualTo(node.address());
    }
}
