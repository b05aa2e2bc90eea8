package dev.redmesh.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Cleanup;
import dev.redmesh.testing.Eventually;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/** The script docs/ci.md gives pipelines, run as a pipeline would: sh, curl, the live API. */
@AppIT
class CiScriptIT {

    private static final Path SCRIPT = Path.of("..", "deploy", "ci", "join-mesh.sh");

    @Autowired
    Api api;
    @Autowired
    Environment environment;

    @RegisterExtension
    Cleanup cleanup = new Cleanup();


    private record Run(int exit, String output) {
    }

    /** The pipeline's own token, made the way docs/ci.md says: an ADMIN token named after the pipeline. */
    private String pipelineToken;

    private Run run(String... args) throws Exception {
        if (pipelineToken == null) {
            pipelineToken = api.post("/api/v1/tokens", "{\"name\":\"ci-pipeline\",\"role\":\"ADMIN\"}").json()
                    .path("value").asString();
        }
        return runWithToken(pipelineToken, args);
    }

    private Run runWithToken(String token, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("REDMESH_URL", "http://127.0.0.1:" + environment.getRequiredProperty("local.server.port"));
        if (token != null) {
            builder.environment().put("REDMESH_TOKEN", token);
        }
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the script ends").isTrue();
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void theScriptAddsRegionsToAMeshAndReturnsOnceEveryLinkStreams() throws Exception {
        RedisNode first = RedisNode.start();
        RedisNode second = RedisNode.start();
        cleanup.add(first);
        cleanup.add(second);

        Run alone = run("eu-west-1", "orders-eu", "orders", first.address(), "60");
        assertThat(alone.exit()).as(alone.output()).isZero();

        Run joined = run("us-east-1", "orders-us", "orders", second.address(), "60");
        assertThat(joined.exit()).as(joined.output()).isZero();
        assertThat(joined.output()).contains("orders-us is ready");
        for (String link : List.of("orders-eu.orders-us", "orders-us.orders-eu")) {
            assertThat(api.get("/api/v1/links/" + link).json().path("state").asString()).isEqualTo("STREAMING");
        }
    }

    @Test
    void theScriptStopsWithTheProblemWhenItsTokenMayNotChangeRegions() throws Exception {
        Run anonymous = runWithToken(null, "eu-west-1", "orders-eu", "orders", "127.0.0.1:1", "5");
        assertThat(anonymous.exit()).isEqualTo(2);
        assertThat(anonymous.output()).contains("refused (401)").contains("urn:redmesh:problem:unauthorized");
        String viewer = api.post("/api/v1/tokens", "{\"name\":\"ci-viewer\",\"role\":\"VIEWER\"}").json()
                .path("value").asString();
        Run readOnly = runWithToken(viewer, "eu-west-1", "orders-eu", "orders", "127.0.0.1:1", "5");
        assertThat(readOnly.exit()).isEqualTo(2);
        assertThat(readOnly.output()).contains("refused (403)");
        assertThat(api.get("/api/v1/regions/eu-west-1").status()).as("nothing stored").isEqualTo(404);
    }

    @Test
    void theScriptFailsWithTheReasonWhenAClusterCannotBecomeReady() throws Exception {
        RedisNode first = RedisNode.start();
        cleanup.add(first);
        assertThat(run("eu-west-1", "orders-eu", "orders", first.address(), "30").exit()).isZero();

        Run unreachable = run("us-east-1", "orders-us", "orders", "127.0.0.1:1", "6");
        assertThat(unreachable.exit()).isEqualTo(1);
        assertThat(unreachable.output()).contains("orders-us not ready after 6s").contains("links streaming")
                .as("each waiting link says why: the connection error").contains("not reachable")
                .contains("--leave orders-us");

        Run refused = run("us-east-1", "orders-us", "orders", "not an address", "6");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.output()).contains("refused (400)").contains("seeds");
    }

    /**
     * A failed join held up the mesh: every other member not ready, and the links health component
     * DOWN once a link has been pending for {@code pending-critical}. With {@code --rollback} the
     * script takes the cluster out of the mesh again: the rest is ready, the component UP.
     */
    @Test
    void aFailedJoinMakesLinksHealthDownAndRollbackTakesTheClusterOutAgain() throws Exception {
        RedisNode first = RedisNode.start();
        cleanup.add(first);
        assertThat(run("eu-west-1", "orders-eu", "orders", first.address(), "30").exit()).isZero();
        assertThat(run("us-east-1", "orders-us", "orders", "127.0.0.1:1", "3").exit()).isEqualTo(1);
        assertThat(api.get("/api/v1/clusters/orders-eu").json().path("status").path("ready").asBoolean())
                .as("the member that was ready waits for the new one").isFalse();
        Eventually.await("links health DOWN: a link pending past pending-critical", Duration.ofSeconds(40), () ->
                "DOWN".equals(api.get("/actuator/health").json().path("components").path("links").path("status").asString()));
        JsonNode detail = api.get("/actuator/health").json().path("components").path("links").path("details")
                .path("orders-us.orders-eu");
        assertThat(detail.path("level").asString()).isEqualTo("critical");
        assertThat(detail.path("reason").asString()).contains("orders-us not reachable");

        Run rolledBack = run("--rollback", "us-east-1", "orders-us", "orders", "127.0.0.1:1", "3");
        assertThat(rolledBack.exit()).isEqualTo(1);
        assertThat(rolledBack.output()).contains("orders-us left its mesh");
        assertThat(api.get("/api/v1/clusters/orders-us").json().path("mesh").isNull()).isTrue();
        assertThat(api.get("/api/v1/links/orders-us.orders-eu").status()).isEqualTo(404);
        Eventually.await("the remaining member ready, links health UP", Duration.ofSeconds(20), () ->
                api.get("/api/v1/clusters/orders-eu").json().path("status").path("ready").asBoolean()
                        && "UP".equals(api.get("/actuator/health").json().path("components").path("links").path("status").asString()));
    }

    /** Run again, the script changes only what it owns: the region's display name and cloud, the cluster's capture stay. */
    @Test
    void runningTheScriptAgainKeepsWhatAnOperatorSet() throws Exception {
        RedisNode node = RedisNode.start();
        cleanup.add(node);
        assertThat(api.put("/api/v1/regions/eu-west-1", "{\"displayName\":\"Ireland\",\"cloud\":\"aws\"}").status())
                .isEqualTo(201);
        assertThat(run("eu-west-1", "orders-eu", "orders", node.address(), "30").exit()).isZero();
        assertThat(api.patch("/api/v1/clusters/orders-eu", "{\"capture\":\"PSYNC\"}").status()).isEqualTo(200);

        Run again = run("eu-west-1", "orders-eu", "orders", node.address(), "30");
        assertThat(again.exit()).as(again.output()).isZero();
        JsonNode region = api.get("/api/v1/regions/eu-west-1").json();
        assertThat(region.path("displayName").asString()).isEqualTo("Ireland");
        assertThat(region.path("cloud").asString()).isEqualTo("aws");
        JsonNode cluster = api.get("/api/v1/clusters/orders-eu").json();
        assertThat(cluster.path("capture").asString()).as("an operator's capture survives the re-run").isEqualTo("PSYNC");
        assertThat(cluster.path("mesh").asString()).isEqualTo("orders");

        Run usage = runWithToken(null);
        assertThat(usage.exit()).isEqualTo(64);
        assertThat(usage.output()).startsWith("usage: ").doesNotContain("parameter not set");
    }

    @Test
    void docsCiMdShowsTheTestedScript() throws Exception {
        String script = Files.readString(SCRIPT);
        String doc = Files.readString(Path.of("..", "docs", "ci.md"));
        assertThat(doc).as("docs/ci.md embeds deploy/ci/join-mesh.sh verbatim").contains(script.strip());
    }
}
