package dev.redmesh.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.SharedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Two control planes on one Postgres: this test's app and a second process of the real jar. One
 * leads; when it goes, the other takes over; epochs handed out by either are never reused.
 */
@AppIT
class LeaderElectionIT {

    @Autowired
    Api api;
    @Autowired
    FleetCoordinator coordinator;
    @Autowired
    LeaderLock lock;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Process other;

    @AfterEach
    void tearDown() throws Exception {
        if (other != null) {
            other.destroyForcibly().waitFor();
        }
        if (!coordinator.isRunning()) {
            coordinator.start();
        }
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String leader() {
        return api.get("/api/v1/fleet/leader").json().path("leader").asString(null);
    }

    /** Pause and resume a link: its assignment is removed and created again, with an epoch from the leader. */
    private long reassign(String link) {
        long before = epoch(link);
        api.post("/api/v1/links/" + link + "/pause", "");
        // a paused link's shards stay listed (no worker, PAUSED, their backlog growing): the assignment is gone
        Eventually.await("assignment removed", Duration.ofSeconds(10), () -> {
            JsonNode shards = api.get("/api/v1/links/" + link).json().path("shards");
            for (JsonNode shard : shards) {
                if (!"PAUSED".equals(shard.path("state").asString()) || !shard.path("worker").isNull()) {
                    return false;
                }
            }
            return true;
        });
        api.post("/api/v1/links/" + link + "/resume", "");
        return Eventually.await("assignment back with a new epoch", Duration.ofSeconds(10), () -> {
            long now = epoch(link);
            return now > 0 && now != before ? now : null;
        });
    }

    private long epoch(String link) {
        JsonNode shards = api.get("/api/v1/links/" + link).json().path("shards");
        return shards.isEmpty() ? -1 : shards.get(0).path("epoch").asLong();
    }

    @Test
    void oneLeaderAtATimeTheOtherTakesOverWhenItGoesAndEpochsAreNeverReused() throws Exception {
        RedisNode a = RedisNode.start();
        RedisNode b = RedisNode.start();
        closeables.add(a);
        closeables.add(b);
        api.put("/api/v1/regions/r1", "{}");
        api.put("/api/v1/clusters/c1", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\"" + a.address() + "\"],\"mesh\":\"m\"}");
        api.put("/api/v1/clusters/c2", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\"" + b.address() + "\"],\"mesh\":\"m\"}");
        Eventually.await("this control plane leads", Duration.ofSeconds(10), () -> lock.self().equals(leader()));
        List<Long> epochs = new ArrayList<>();
        epochs.add(Eventually.await("an assignment", Duration.ofSeconds(30), () -> epoch("c1.c2") > 0 ? epoch("c1.c2") : null));

        // a second control plane (no worker of its own) on the same Postgres
        Path log = Path.of("target", "leader-election-other.log");
        Files.deleteIfExists(log);
        other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
                "-XX:TieredStopAtLevel=1", "-jar", Path.of("target", "redmesh.jar").toString(),
                "--redmesh.roles=control-plane", "--redmesh.worker.fleet.enabled=false", "--server.port=0",
                "--spring.datasource.url=" + SharedPostgres.jdbcUrl(), "--spring.datasource.username=postgres",
                "--spring.datasource.password=", "--redmesh.security.admin-token=" + dev.redmesh.testing.TestSecurity.ADMIN_TOKEN,
                "--redmesh.security.secret-key=" + dev.redmesh.testing.TestSecurity.SECRET_KEY, "--redmesh.proxy.xds-port=0")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        String otherId = other.pid() + "@";
        Eventually.await("the second control plane is up", Duration.ofSeconds(90),
                () -> read(log).contains("redmesh is ready"));
        Thread.sleep(1000); // several of its reconcile ticks: it must not take over
        assertThat(leader()).as("still one leader, the first").isEqualTo(lock.self());

        // the leader goes: the other takes over and hands out epochs
        coordinator.stop();
        Eventually.await("the other control plane leads", Duration.ofSeconds(10),
                () -> leader() != null && leader().startsWith(otherId));
        epochs.add(reassign("c1.c2"));

        // this one comes back: it waits; the other is SIGKILLed: this one leads again
        coordinator.start();
        Thread.sleep(1000);
        assertThat(leader()).startsWith(otherId);
        other.destroyForcibly().waitFor();
        Eventually.await("this control plane leads again", Duration.ofSeconds(10), () -> lock.self().equals(leader()));
        epochs.add(reassign("c1.c2"));

        assertThat(epochs).as("epochs over three leaderships").isSorted().doesNotHaveDuplicates();
        Set<Long> all = new HashSet<>();
        for (JsonNode event : api.get("/api/v1/events?type=ASSIGNMENT&limit=500").json()) {
            if (event.path("details").has("reason")) { // an epoch handed out (removals repeat theirs)
                assertThat(all.add(event.path("details").path("epoch").asLong()))
                        .as("epoch %s handed out once", event.path("details").path("epoch")).isTrue();
            }
        }
        JsonNode leaders = api.get("/api/v1/events?type=LEADER").json();
        assertThat(leaders.size()).as("leadership changes recorded").isGreaterThanOrEqualTo(2);
    }
}
