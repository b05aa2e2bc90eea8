package dev.redmesh.api;

import static dev.redmesh.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Health, info, metrics, OpenAPI and the error shape outside controllers. */
@AppIT
class PlatformIT {

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;
    @Autowired
    Api api;

    @Test
    void healthProbesAnswerAndReadinessChecksTheDatabase() {
        assertThat(api.get("/actuator/health").json().path("status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/health/liveness").json().path("status").asString()).isEqualTo("UP");
        JsonNode readiness = api.get("/actuator/health/readiness").json();
        assertThat(readiness.path("status").asString()).isEqualTo("UP");
        assertThat(readiness.path("components").has("db")).isTrue();
    }

    @Test
    void infoShowsBuildAndPrometheusScrapes() {
        JsonNode info = api.get("/actuator/info").json();
        assertThat(info.path("build").path("artifact").asString()).isEqualTo("redmesh-app");
        Api.Response prometheus = api.get("/actuator/prometheus");
        assertThat(prometheus.status()).isEqualTo(200);
        assertThat(prometheus.body()).contains("jvm_memory_used_bytes").contains("http_server_requests");
    }

    @Test
    void openApiDocumentListsEveryApiEndpoint() {
        JsonNode paths = api.get("/v3/api-docs").json().path("paths");
        Set<String> documented = new HashSet<>();
        paths.properties().forEach(path -> path.getValue().properties()
                .forEach(op -> documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey())));

        Set<String> served = new HashSet<>();
        mappings.getHandlerMethods().forEach((info, method) -> info.getPatternValues().stream()
                .filter(p -> p.startsWith("/api/"))
                .forEach(p -> info.getMethodsCondition().getMethods()
                        .forEach(m -> served.add(m.name() + " " + p))));

        assertThat(served).as("endpoints served").hasSizeGreaterThan(15);
        assertThat(documented).containsAll(served);
        assertThat(api.get("/swagger-ui.html").status()).isIn(200, 302);
    }

    @Test
    void errorsOutsideControllersAreProblemsToo() {
        assertProblem(api.get("/api/v1/nothing-here"), 404, "not-found");
        assertProblem(api.send(HttpRequest.newBuilder(api.uri("/api/v1/regions"))
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json")), 405, "method-not-allowed");
        assertProblem(api.send(HttpRequest.newBuilder(api.uri("/api/v1/regions/r1"))
                .PUT(HttpRequest.BodyPublishers.ofString("cloud=aws"))
                .header("Content-Type", "text/plain")), 415, "unsupported-media-type");
    }

    @Test
    void dashboardIsServed() {
        Api.Response page = api.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<title>redmesh</title>");
    }
}
