package dev.redmesh.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.lettuce.core.RedisClient;
import tools.jackson.databind.JsonNode;

import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.MeshWorkload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * The whole loop, the way an operator and a CI pipeline drive it: the all-in-one process (control
 * plane plus its own worker) and two worker-only processes of the real jar; three regions joined
 * only through PUT calls; then one worker process killed with SIGKILL under load.
 */
@AppIT
class FleetIT {

    private static final Duration LEASE = Duration.ofSeconds(5);

    @Autowired
    Api api;
    @Autowired
    Environment environment;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<String, Process> workers = new HashMap<>();

    @AfterEach
    void tearDown() throws Exception {
        workers.values().forEach(Process::destroyForcibly);
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    @Test
    void threeRegionsJoinedByPutCallsStreamExactlyAndAKilledWorkersAssignmentsMoveWithinLeasePlusOneSecond()
            throws Exception {
        int port = environment.getRequiredProperty("local.server.port", Integer.class);
        startWorker("w1", port);
        startWorker("w2", port);
        Eventually.await("three live workers", Duration.ofSeconds(90), () -> liveWorkers().size() >= 3);

        List<String> regions = List.of("r1", "r2", "r3");
        Map<String, RedisNode> nodes = new HashMap<>();
        for (String region : regions) {
            RedisNode node = RedisNode.start();
            closeables.add(node);
            nodes.put(region, node);
            assertThat(api.put("/api/v1/regions/" + region, "{}").status()).isEqualTo(201);
            assertThat(api.put("/api/v1/clusters/c-" + region, "{\"region\":\"" + region
                    + "\",\"mode\":\"STANDALONE\",\"seeds\":[\"" + node.address() + "\"],\"mesh\":\"m\"}").status()).isEqualTo(201);
        }
        Eventually.await("six links streaming", Duration.ofSeconds(60), () -> allStreaming(6));
        for (String region : regions) {
            assertThat(api.get("/api/v1/clusters/c-" + region).json().path("status").path("ready").asBoolean())
                    .as("cluster of %s ready", region).isTrue();
        }
        Map<String, Set<String>> held = holdings();
        assertThat(held.keySet()).as("assignments spread over the workers, least-loaded first")
                .contains("w1", "w2");

        List<MeshWorkload> workloads = new ArrayList<>();
        for (String region : regions) {
            RedisClient client = RedisClient.create(nodes.get(region).uri());
            closeables.add(client::shutdown);
            MeshWorkload workload = new MeshWorkload(region + ":", () -> client.connect().sync());
            closeables.add(workload);
            workloads.add(workload);
        }
        Thread.sleep(1500);

        // SIGKILL a worker under load: its assignments must run elsewhere, with new epochs
        Set<String> victims = held.get("w1");
        Map<String, Long> epochsBefore = epochs();
        long killedAt = System.nanoTime();
        workers.remove("w1").destroyForcibly().waitFor();
        Duration moved = Eventually.time("w1's assignments streaming on other workers", Duration.ofSeconds(30), () -> {
            Map<String, JsonNode> now = assignments();
            return victims.stream().allMatch(id -> {
                JsonNode a = now.get(id);
                return a != null && !"w1".equals(a.path("worker").asString())
                        && "STREAMING".equals(a.path("state").asString());
            });
        });
        double seconds = (System.nanoTime() - killedAt) / 1e9;
        System.out.printf("FLEET-IT reassignment after SIGKILL: %.2f s (lease %s)%n", seconds, LEASE);
        assertThat(moved).isLessThanOrEqualTo(LEASE.plusSeconds(1));
        Map<String, Long> epochsAfter = epochs();
        for (String id : victims) {
            assertThat(epochsAfter.get(id)).as("a new holder gets a new epoch").isGreaterThan(epochsBefore.get(id));
        }

        Thread.sleep(1500);
        for (MeshWorkload workload : workloads) {
            workload.close();
            assertThat(workload.rounds()).isPositive();
        }
        for (String region : regions) {
            RedisClient client = RedisClient.create(nodes.get(region).uri());
            closeables.add(client::shutdown);
            var redis = client.connect().sync();
            for (MeshWorkload workload : workloads) {
                Eventually.await(workload.prefix() + " exact in " + region, Duration.ofSeconds(30), () -> {
                    workload.assertExactIn(region, redis);
                    return true;
                });
            }
        }

        JsonNode lag = api.get("/api/v1/links/c-r1.c-r2/lag?window=15m").json();
        assertThat(lag.path("resolutionSeconds").asInt()).isEqualTo(1);
        assertThat(lag.path("points").size()).as("1 s lag samples stored").isGreaterThan(3);
        JsonNode link = api.get("/api/v1/links/c-r1.c-r2").json();
        assertThat(link.path("lagBytes").isNumber()).isTrue();
        assertThat(link.path("shards").get(0).path("epoch").asLong()).isPositive();
    }

    private void startWorker(String id, int controlPlanePort) throws Exception {
        Path jar = Path.of("target", "redmesh.jar");
        assertThat(jar).as("the packaged jar (integration tests run after package)").exists();
        Path log = Path.of("target", "fleet-it-" + id + ".log");
        Files.deleteIfExists(log);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dio.lettuce.core.jfr=false", "-jar", jar.toString(),
                "--redmesh.roles=worker", "--server.port=0",
                "--redmesh.worker.fleet.control-plane=http://127.0.0.1:" + controlPlanePort,
                "--redmesh.worker.fleet.id=" + id)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        workers.put(id, process);
    }

    private Set<String> liveWorkers() {
        Set<String> live = new HashSet<>();
        for (JsonNode w : api.get("/api/v1/fleet/workers").json()) {
            if (w.path("live").asBoolean()) {
                live.add(w.path("id").asString());
            }
        }
        return live;
    }

    private boolean allStreaming(int expected) {
        JsonNode links = api.get("/api/v1/links").json();
        if (links.size() != expected) {
            return false;
        }
        for (JsonNode link : links) {
            if (!"STREAMING".equals(link.path("state").asString())) {
                return false;
            }
        }
        return true;
    }

    /** Assignment id (link/shard) → its row in the link API. */
    private Map<String, JsonNode> assignments() {
        Map<String, JsonNode> all = new HashMap<>();
        for (JsonNode link : api.get("/api/v1/links").json()) {
            for (JsonNode shard : link.path("shards")) {
                all.put(link.path("id").asString() + "/" + shard.path("shard").asString(), shard);
            }
        }
        return all;
    }

    private Map<String, Set<String>> holdings() {
        Map<String, Set<String>> held = new HashMap<>();
        assignments().forEach((id, a) -> held.computeIfAbsent(a.path("worker").asString(), w -> new HashSet<>()).add(id));
        return held;
    }

    private Map<String, Long> epochs() {
        Map<String, Long> epochs = new HashMap<>();
        assignments().forEach((id, a) -> epochs.put(id, a.path("epoch").asLong()));
        return epochs;
    }
}
