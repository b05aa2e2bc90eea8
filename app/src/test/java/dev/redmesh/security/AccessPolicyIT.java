package dev.redmesh.security;

import dev.redmesh.identity.Role;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.Problems;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;

/**
 * Issue 7, must-show 1: every operation of the OpenAPI document, called by every role and by nobody,
 * is allowed or refused (401 without a token, 403 with one that may not) exactly as {@link AccessPolicy}
 * says. An operation the policy has no rule for fails here, so an endpoint added later must come
 * with its rule.
 */
@AppIT
class AccessPolicyIT {

    @Autowired
    Api api;

    /** A caller per role; null key = no credentials. */
    private final Map<Role, Api> callers = new LinkedHashMap<>();

    @BeforeEach
    void tokens() {
        for (Role role : Role.values()) {
            // machine tokens act as the one worker, or serve the one region, the probe paths name
            String scope = role == Role.WORKER ? ",\"worker\":\"policy-probe\""
                    : role == Role.PROXY ? ",\"proxy\":{\"region\":\"policy-probe\"}" : "";
            Api.Response created = api.post("/api/v1/tokens", "{\"name\":\"policy-" + role.name().toLowerCase()
                    + "\",\"role\":\"" + role + "\"" + scope + "}");
            assertThat(created.status()).as("%s token: %s", role, created).isEqualTo(201);
            callers.put(role, api.withToken(created.json().path("value").asString()));
        }
    }

    private record Operation(HttpMethod method, String template) {
        /** A concrete path: every {param} filled with a value that is well-formed but names nothing. */
        String path() {
            return template.replaceAll("\\{[^}]+}", "policy-probe");
        }
    }

    private List<Operation> operations() {
        JsonNode paths = api.anonymous().get("/v3/api-docs").json().path("paths");
        List<Operation> operations = new ArrayList<>();
        paths.propertyNames().forEach(path -> paths.path(path).propertyNames().forEach(method ->
                operations.add(new Operation(HttpMethod.valueOf(method.toUpperCase()), path))));
        return operations;
    }

    @Test
    void everyOperationOfTheApiDocumentHasARule() {
        List<Operation> operations = operations();
        assertThat(operations).as("the document lists the API").hasSizeGreaterThan(20);
        List<String> missing = new ArrayList<>();
        for (Operation op : operations) {
            Optional<AccessPolicy.Rule> rule = AccessPolicy.apiRuleFor(op.method(), op.path());
            if (rule.isEmpty() || !rule.get().pattern().equals(op.template())) {
                missing.add(op.method() + " " + op.template());
            }
        }
        assertThat(missing).as("operations without their own rule in AccessPolicy.API").isEmpty();
        assertThat(AccessPolicy.API).as("every rule names a documented operation").allMatch(rule ->
                operations.stream().anyMatch(op -> op.method().equals(rule.method()) && op.template().equals(rule.pattern())));
    }

    @Test
    void everyRoleIsAllowedOrRefusedEveryOperationAsThePolicySays() {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Operation op : operations()) {
            AccessPolicy.Access access = AccessPolicy.apiRuleFor(op.method(), op.path()).orElseThrow().access();
            Map<Role, Api> all = new LinkedHashMap<>(callers);
            all.put(null, api.anonymous());
            for (Map.Entry<Role, Api> caller : all.entrySet()) {
                Api.Response response = call(caller.getValue(), op);
                boolean allowed = access.allows(caller.getKey());
                int expectedRefusal = caller.getKey() == null ? 401 : 403;
                boolean ok = allowed ? response.status() != 401 && response.status() != 403
                        : response.status() == expectedRefusal;
                if (!ok) {
                    wrong.add(op.method() + " " + op.template() + " as " + (caller.getKey() == null ? "nobody" : caller.getKey())
                            + ": " + response.status() + " (policy " + access + ")");
                } else if (!allowed) {
                    Problems.assertProblem(response, expectedRefusal, expectedRefusal == 401 ? "unauthorized" : "forbidden");
                }
                checked++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).isGreaterThan(150);
    }

    /** A request the operation accepts the shape of; a body, where there is one, that cannot be valid. */
    private static Api.Response call(Api caller, Operation op) {
        String path = op.path();
        if (path.endsWith("/orders")) {
            path += "?waitMs=0"; // a long poll answered at once
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString("{\"policyProbe\":true}");
        HttpRequest.Builder request = HttpRequest.newBuilder(caller.uri(path)).header("Content-Type", "application/json");
        return switch (op.method().name()) {
            case "GET" -> caller.send(request.GET());
            case "DELETE" -> caller.send(request.DELETE());
            default -> caller.send(request.method(op.method().name(), body));
        };
    }

    @Test
    void aPathThatServesNothingIsNotFoundForCallersAndUnauthorizedForNobody() {
        assertThat(AccessPolicy.apiRuleFor(HttpMethod.GET, "/api/v1/not-a-thing")).isEmpty();
        Problems.assertProblem(api.get("/api/v1/not-a-thing"), 404, "not-found");
        Problems.assertProblem(api.anonymous().get("/api/v1/not-a-thing"), 401, "unauthorized");
    }

    @Test
    void probesSeeHealthWithoutDetailsAndMetricsNeedAViewer() {
        // the previous test's clusters leave the regions component at the poller's next tick
        Api.Response anonymous = Eventually.await("health UP once earlier tests' clusters are forgotten",
                Duration.ofSeconds(5), () -> {
                    Api.Response r = api.anonymous().get("/actuator/health");
                    return r.status() == 200 ? r : null;
                });
        assertThat(anonymous.json().path("status").asString()).isEqualTo("UP");
        assertThat(anonymous.json().has("components")).as("no details for probes").isFalse();
        assertThat(api.anonymous().get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(callers.get(Role.VIEWER).get("/actuator/health").json().path("components").has("db")).isTrue();

        Problems.assertProblem(api.anonymous().get("/actuator/prometheus"), 401, "unauthorized");
        Problems.assertProblem(callers.get(Role.WORKER).get("/actuator/prometheus"), 403, "forbidden");
        assertThat(callers.get(Role.VIEWER).get("/actuator/prometheus").body()).contains("redmesh_");
        assertThat(api.anonymous().get("/v3/api-docs").status()).isEqualTo(200);
        assertThat(api.anonymous().get("/").status()).isEqualTo(200);
    }

    @Test
    void aBadTokenIsRefusedEvenWhereNoneIsNeeded() {
        Problems.assertProblem(api.withToken("rm_0000_nope").get("/actuator/health"), 401, "unauthorized");
        Problems.assertProblem(api.send(HttpRequest.newBuilder(api.uri("/api/v1/regions"))
                .header("Authorization", "Basic dXNlcjpwYXNz").GET()), 401, "unauthorized");
    }

    @Test
    void aRevokedTokenStopsWorkingAtOnce() {
        Api.Response created = api.post("/api/v1/tokens", "{\"name\":\"short-lived\",\"role\":\"VIEWER\"}");
        Api viewer = api.withToken(created.json().path("value").asString());
        assertThat(viewer.get("/api/v1/regions").status()).isEqualTo(200);
        assertThat(api.delete("/api/v1/tokens/" + created.json().path("id").asString()).status()).isEqualTo(204);
        Problems.assertProblem(viewer.get("/api/v1/regions"), 401, "unauthorized");
        JsonNode listed = api.get("/api/v1/tokens").json();
        assertThat(listed.toString()).doesNotContain(created.json().path("value").asString());
    }
}
