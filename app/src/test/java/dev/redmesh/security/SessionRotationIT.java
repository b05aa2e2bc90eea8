package dev.redmesh.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import dev.redmesh.RedmeshApplication;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.Problems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 19, must-show 4: a dashboard session opened with the configured admin token dies when that
 * token is replaced — across a restart, since sessions are stored — while one opened with a stored
 * token that is still valid survives the restart.
 */
class SessionRotationIT {

    private static final String FIRST_ADMIN = "rotation-admin-token-one-0123456789";
    private static final String SECOND_ADMIN = "rotation-admin-token-two-0123456789";

    @TempDir
    Path dir;

    @Test
    void replacingTheAdminTokenEndsItsSessionsAndStoredTokensSessionsSurviveARestart() throws Exception {
        String adminCookie;
        String viewerCookie;
        try (ConfigurableApplicationContext first = start(FIRST_ADMIN)) {
            Api api = new Api(port(first)).withToken(FIRST_ADMIN);
            adminCookie = signIn(api, FIRST_ADMIN);
            String viewer = api.post("/api/v1/tokens", "{\"name\":\"rotation-viewer\",\"role\":\"VIEWER\"}").json().path("value").asString();
            viewerCookie = signIn(api, viewer);
            assertThat(withCookie(api, adminCookie).status()).isEqualTo(200);
        }
        try (ConfigurableApplicationContext second = start(FIRST_ADMIN)) {
            Api api = new Api(port(second));
            assertThat(withCookie(api, adminCookie).status()).as("same admin token: the session goes on").isEqualTo(200);
        }
        try (ConfigurableApplicationContext third = start(SECOND_ADMIN)) {
            Api api = new Api(port(third));
            Problems.assertProblem(withCookie(api, adminCookie), 401, "unauthorized");
            assertThat(withCookie(api, viewerCookie).status()).as("a stored token's session survives").isEqualTo(200);
            Problems.assertProblem(api.anonymous().post("/api/v1/session", "{\"token\":\"" + FIRST_ADMIN + "\"}"), 401, "unauthorized");

            // this context allows 5 refused tokens a minute per address: the old admin token counted once
            for (int i = 0; i < 4; i++) {
                Problems.assertProblem(api.withToken("rm_0000_guess" + i).get("/api/v1/regions"), 401, "unauthorized");
            }
            Api.Response limited = api.withToken(SECOND_ADMIN).get("/api/v1/regions");
            Problems.assertProblem(limited, 429, "too-many-requests");
            assertThat(api.anonymous().get("/actuator/health").status()).as("no token, no limit").isEqualTo(200);
            Problems.assertProblem(api.anonymous().post("/api/v1/session", "{\"token\":\"" + SECOND_ADMIN + "\"}"), 429,
                    "too-many-requests");
        }
    }

    private static String signIn(Api api, String token) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.uri("/api/v1/session"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    private static Api.Response withCookie(Api api, String cookie) {
        return api.anonymous().send(HttpRequest.newBuilder(api.uri("/api/v1/regions")).header("Cookie", "redmesh_session=" + cookie).GET());
    }

    private ConfigurableApplicationContext start(String adminToken) {
        return new SpringApplicationBuilder(RedmeshApplication.class).run(
                "--server.port=0",
                "--redmesh.postgres.data-dir=" + dir.resolve("postgres"),
                "--redmesh.postgres.binaries-dir=" + Path.of("target", "postgres-binaries").toAbsolutePath(),
                "--redmesh.security.admin-token=" + adminToken,
                "--redmesh.security.limits.auth-failures-per-minute=5",
                "--redmesh.security.secret-key-file=" + dir.resolve("secret.key"),
                "--redmesh.proxy.xds-port=-1",
                "--redmesh.worker.fleet.enabled=false",
                "--spring.jmx.enabled=false");
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
