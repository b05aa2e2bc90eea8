package dev.redmesh.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;

import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.RedmeshProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README command 1 as an operator lives with it: the real jar with its embedded Postgres, stopped
 * gracefully, SIGKILLed, and started again by nobody but a supervisor — on the same data, with
 * nothing cleaned up by hand.
 */
class DefaultInstallIT {

    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final Duration STOP_WITHIN = Duration.ofSeconds(5);
    private static final List<String> DEMO_LINKS = List.of("shop-ap-south.shop-eu-west", "shop-ap-south.shop-us-east",
            "shop-eu-west.shop-ap-south", "shop-eu-west.shop-us-east", "shop-us-east.shop-ap-south", "shop-us-east.shop-eu-west");

    @TempDir
    Path dir;

    /**
     * Three SIGKILLs in a row, the first two with the JVM alone (its watchdog stops Postgres), the
     * third with the watchdog too (Postgres is left running and the next start stops it): each time
     * the next start is ready within 60 s with the region and cluster it had, and the cluster's
     * password still decrypts — the topology poller logs in to a requirepass redis-server with it.
     */
    @Test
    void startsAgainOnItsDataAfterEverySigkill() throws Exception {
        try (RedisNode redis = RedisNode.start("requirepass s3cret-pass");
             RedmeshProcess redmesh = RedmeshProcess.in(dir.resolve("install"), "--redmesh.topology.poll-interval=500ms")) {
            redmesh.startAndAwaitReady(READY_WITHIN);
            Api api = redmesh.api();
            assertThat(api.put("/api/v1/regions/eu-west-1", "{\"displayName\":\"Ireland\",\"cloud\":\"aws\"}").status()).isEqualTo(201);
            assertThat(api.put("/api/v1/clusters/orders-eu", "{\"region\":\"eu-west-1\",\"mode\":\"STANDALONE\",\"seeds\":[\""
                    + redis.address() + "\"],\"password\":\"s3cret-pass\"}").status()).isEqualTo(201);
            awaitPolledWithPassword(api, Instant.now());

            for (int round = 1; round <= 3; round++) {
                boolean withWatchdog = round == 3;
                if (withWatchdog) {
                    redmesh.killWithWatchdog();
                    assertThat(RedmeshProcess.processesWorkingUnder(redmesh.workDir(), "postgres"))
                            .as("the Postgres a SIGKILL of JVM and watchdog leaves behind").isNotEmpty();
                } else {
                    redmesh.kill();
                    long killed = System.nanoTime();
                    await("the watchdog stops the Postgres of a SIGKILLed JVM").atMost(15, TimeUnit.SECONDS)
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> RedmeshProcess.processesWorkingUnder(redmesh.workDir(), "postgres").isEmpty());
                    System.out.printf("DefaultInstallIT round %d: Postgres gone %d ms after the JVM's SIGKILL%n", round,
                            (System.nanoTime() - killed) / 1_000_000);
                }
                Instant restarted = Instant.now();
                Duration ready = redmesh.startAndAwaitReady(READY_WITHIN);
                System.out.printf("DefaultInstallIT round %d (%s): ready %d ms after the SIGKILL%n", round,
                        withWatchdog ? "JVM and watchdog killed" : "JVM killed", ready.toMillis());
                if (withWatchdog) {
                    assertThat(redmesh.logLines("found Postgres PID")).as("the leftover Postgres found and stopped").hasSize(1);
                }
                api = redmesh.api();
                JsonNode region = api.get("/api/v1/regions/eu-west-1").json();
                assertThat(region.path("displayName").asString()).isEqualTo("Ireland");
                JsonNode cluster = api.get("/api/v1/clusters/orders-eu").json();
                assertThat(cluster.path("passwordSet").asBoolean()).isTrue();
                awaitPolledWithPassword(api, restarted);
                assertThat(RedmeshProcess.processesWorkingUnder(redmesh.workDir(), "postgres").stream()
                        .filter(p -> p.parent().map(ProcessHandle::pid).orElse(-1L) == redmesh.process().pid()).count())
                        .as("one postmaster, this run's").isEqualTo(1);
            }
        }
    }

    /** The demo after a SIGKILL of everything redmesh runs itself: one set of demo servers again, every link streaming. */
    @Test
    void demoComesBackWithOneSetOfServersAfterSigkill() throws Exception {
        try (RedmeshProcess redmesh = RedmeshProcess.in(dir.resolve("demo"), "--redmesh.demo.enabled=true")) {
            redmesh.startAndAwaitReady(READY_WITHIN);
            awaitDemoStreaming(redmesh.api());
            List<Long> before = demoServers(redmesh);
            assertThat(before).hasSize(3);

            redmesh.killWithWatchdog();
            assertThat(demoServers(redmesh)).as("left running by the kill").containsExactlyInAnyOrderElementsOf(before);

            redmesh.startAndAwaitReady(READY_WITHIN);
            assertThat(redmesh.logLines("left by an earlier run on")).as("Postgres and three redis-servers found and stopped").hasSize(4);
            awaitDemoStreaming(redmesh.api());
            List<Long> after = demoServers(redmesh);
            assertThat(after).as("exactly one set of demo servers").hasSize(3).doesNotContainAnyElementsOf(before);
        }
    }

    /** SIGTERM with the demo running: gone within 5 s, not one ERROR line, Postgres stopped last and cleanly. */
    @Test
    void stopsWithinFiveSecondsWithoutAnErrorLine() throws Exception {
        try (RedmeshProcess redmesh = RedmeshProcess.in(dir.resolve("stop"), "--redmesh.demo.enabled=true")) {
            redmesh.startAndAwaitReady(READY_WITHIN);
            awaitDemoStreaming(redmesh.api());
            Duration took = redmesh.terminate(Duration.ofSeconds(60));
            System.out.printf("DefaultInstallIT: SIGTERM to exit %d ms%n", took.toMillis());
            assertThat(took).as("SIGTERM to exit").isLessThanOrEqualTo(STOP_WITHIN);
            assertThat(redmesh.logLines(" ERROR ")).as("ERROR lines in the log").isEmpty();
            assertThat(redmesh.logLines("Embedded Postgres stopped")).hasSize(1);
            assertThat(RedmeshProcess.processesWorkingUnder(redmesh.workDir(), "postgres")).isEmpty();
            // a background save that redis-server's shutdown cancels ends a moment after its parent
            await("no demo redis-server left").atMost(2, TimeUnit.SECONDS)
                    .until(() -> RedmeshProcess.processesWorkingUnder(redmesh.workDir(), "redis-server").isEmpty());
        }
    }

    /**
     * Two instances side by side with only server.port changed (each in its own directory, as
     * README command 1 runs); a third in the first one's directory is refused in one clear sentence
     * and changes nothing for the first.
     */
    @Test
    void twoInstancesRunSideBySideAndAThirdOnTheSameDataIsRefused() throws Exception {
        try (RedmeshProcess first = RedmeshProcess.in(dir.resolve("first"));
             RedmeshProcess second = RedmeshProcess.in(dir.resolve("second"));
             RedmeshProcess sameData = RedmeshProcess.in(dir.resolve("first"))) {
            first.startAndAwaitReady(READY_WITHIN);
            second.startAndAwaitReady(READY_WITHIN);
            assertThat(first.api().put("/api/v1/regions/a", "{}").status()).isEqualTo(201);
            assertThat(second.api().put("/api/v1/regions/b", "{}").status()).isEqualTo(201);

            sameData.start();
            assertThat(sameData.process().waitFor(60, TimeUnit.SECONDS)).as("the third exits").isTrue();
            assertThat(sameData.process().exitValue()).isNotZero();
            assertThat(sameData.logSinceStart()).contains("is in use by another running redmesh (PID " + first.process().pid() + ")")
                    .contains("redmesh.postgres.data-dir").doesNotContain("\tat ");
            assertThat(first.isAlive()).isTrue();
            assertThat(first.api().get("/api/v1/regions/a").status()).isEqualTo(200);
        }
    }

    /** A port set explicitly and taken: one sentence naming the property, no stack trace. */
    @Test
    void aTakenPortIsOneSentenceNamingItsProperty() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             RedmeshProcess redmesh = RedmeshProcess.in(dir.resolve("port"), "--redmesh.proxy.xds-port=" + taken.getLocalPort())) {
            redmesh.start();
            assertThat(redmesh.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(redmesh.logSinceStart())
                    .contains("Port " + taken.getLocalPort() + " on 127.0.0.1 (redmesh.proxy.xds-port) for the Envoy xDS server is already in use")
                    .contains("Set redmesh.proxy.xds-port to a free port").doesNotContain("\tat ");
        }
    }

    private static void awaitPolledWithPassword(Api api, Instant after) {
        await("orders-eu polled with its password after " + after).atMost(30, TimeUnit.SECONDS).untilAsserted(() -> {
            JsonNode node = api.get("/api/v1/clusters/orders-eu").json().path("shards").path(0).path("nodes").path(0);
            assertThat(node.path("healthy").asBoolean()).as("healthy: %s", node).isTrue();
            assertThat(node.path("error").isNull() || node.path("error").isMissingNode()).as("no error: %s", node).isTrue();
            assertThat(Instant.parse(node.path("lastSeen").asString())).isAfter(after);
        });
    }

    private static void awaitDemoStreaming(Api api) {
        await("every demo link streaming").atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode links = api.get("/api/v1/links").json();
            List<String> streaming = new java.util.ArrayList<>();
            links.forEach(l -> {
                if ("STREAMING".equals(l.path("state").asString())) {
                    streaming.add(l.path("id").asString());
                }
            });
            assertThat(streaming).as("links: %s", links).containsExactlyInAnyOrderElementsOf(DEMO_LINKS);
        });
    }

    private static List<Long> demoServers(RedmeshProcess redmesh) {
        return RedmeshProcess.processesWorkingUnder(redmesh.workDir().resolve(".redmesh").resolve("demo"), "redis-server")
                .stream().map(ProcessHandle::pid).toList();
    }
}
