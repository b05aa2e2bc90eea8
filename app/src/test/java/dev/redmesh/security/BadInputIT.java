package dev.redmesh.security;

import dev.redmesh.identity.Role;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.DatabaseSnapshot;
import dev.redmesh.testing.Problems;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 7, must-show 2: every operation of the OpenAPI document, sent malformed and boundary input
 * — path parameters no resource can have, query parameters of the wrong type or out of range,
 * bodies that are not JSON, not an object, carry unknown fields, fields of the wrong type or huge
 * values — by a caller allowed to call it. Never a 5xx, every refusal a problem document, and
 * nothing stored: every table as it was, and the audit trail holding only refusals.
 */
@AppIT
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class BadInputIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> BAD_PATH_VALUES = List.of("UPPER_CASE", "a".repeat(300), "-leading-dash",
            "with space", "ünïcode", "..", "%00", "a%2Fb", "semi;colon", "%25");
    private static final List<String> BAD_BODIES = List.of("", "{", "[]", "null", "42", "\"text\"", "{\"unknownField\":1}",
            "{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}");

    @Autowired
    Api api;
    @Autowired
    DataSource dataSource;

    private record Operation(HttpMethod method, String template, JsonNode spec) {
    }

    @Test
    void malformedAndBoundaryInputToEveryOperationIsRefusedWithAProblemAndStoresNothing() {
        Map<Role, Api> callers = tokens();
        JsonNode document = api.anonymous().get("/v3/api-docs").json();
        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        long auditBefore = new JdbcTemplate(dataSource).queryForObject("select coalesce(max(id), 0) from audit_entry", Long.class);

        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (Operation op : operations(document)) {
            AccessPolicy.Access access = AccessPolicy.apiRuleFor(op.method(), op.template().replaceAll("\\{[^}]+}", "x"))
                    .orElseThrow().access();
            Api caller = access == AccessPolicy.Access.PUBLIC ? api.anonymous()
                    : access == AccessPolicy.Access.WORKER ? callers.get(Role.WORKER)
                    : access == AccessPolicy.Access.PROXY ? callers.get(Role.PROXY) : api;
            for (Request request : requests(op, document)) {
                Api.Response response = send(caller, op.method(), request);
                sent++;
                String where = op.method() + " " + request.path() + " body=" + abbreviate(request.body());
                if (response.status() >= 500) {
                    failures.add(where + " → " + response.status() + " " + abbreviate(response.body()));
                } else if (response.status() >= 400 && !response.contentType().startsWith("application/problem+json")) {
                    failures.add(where + " → " + response.status() + " not a problem document: " + response.contentType());
                } else if (response.status() < 400 && op.method() != HttpMethod.GET && request.malformed()) {
                    failures.add(where + " → " + response.status() + ": a malformed change was accepted");
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(sent).as("requests sent").isGreaterThan(300);
        assertThat(DatabaseSnapshot.take(dataSource)).as("nothing stored").isEqualTo(before);
        // signing out needs no input, so its plain call succeeds; every other audited call was refused
        List<Map<String, Object>> audited = new JdbcTemplate(dataSource).queryForList(
                "select status, before, after from audit_entry where id > ? and path <> '/api/v1/session'", auditBefore);
        assertThat(audited).as("refusals are audited").isNotEmpty()
                .allSatisfy(entry -> {
                    assertThat((Integer) entry.get("status")).isGreaterThanOrEqualTo(400);
                    assertThat(entry.get("before")).isNull();
                    assertThat(entry.get("after")).isNull();
                });
    }

    /**
     * Issue 19, must-show 5: the lesser findings of the security probe, each a client error now — and a
     * request for a path that serves nothing costs one log line at most, not a stack trace.
     */
    @Test
    void theProbesLesserFindingsAreClientErrors(org.springframework.boot.test.system.CapturedOutput output) {
        api.put("/api/v1/regions/r1", "{}");
        api.put("/api/v1/clusters/a", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\"127.0.0.1:1\"]}");
        api.put("/api/v1/clusters/b", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\"127.0.0.1:2\"]}");
        DatabaseSnapshot before = DatabaseSnapshot.take(dataSource);
        long auditBefore = new JdbcTemplate(dataSource).queryForObject("select coalesce(max(id), 0) from audit_entry", Long.class);

        Problems.assertFieldError(api.post("/api/v1/links", "{\"source\":\"a\",\"target\":\"b\",\"filters\":{\"include\":[null]}}"),
                "filters.include[0]");
        Problems.assertProblem(api.get("/api/v1/events?subject=%00"), 400, "validation");
        Problems.assertProblem(api.get("/api/v1/audit?actor=a%00b"), 400, "validation");
        Problems.assertProblem(api.put("/api/v1/regions/r2", "{\"proxy\":{\"listenPort\":1.5}}"), 400, "malformed-request");
        Problems.assertProblem(api.put("/api/v1/regions/r2", "{\"cloud\":\"aws\",\"cloud\":\"gcp\"}"), 400, "malformed-request");
        Problems.assertProblem(api.put("/api/v1/regions/r2", "{\"displayName\":\"half \\ud800 a pair\"}"), 400, "malformed-request");
        Problems.assertProblem(api.put("/api/v1/regions/r2", "{\"displayName\":\"nul \\u0000 inside\"}"), 400, "malformed-request");
        Problems.assertProblem(api.put("/api/v1/regions/r2", "{\"displayName\":\"" + "x".repeat(10_000) + "\"}"), 400, "validation");
        assertThat(api.anonymous().put("/api/v1/regions/r3", "{}").status()).isEqualTo(401);
        assertThat(api.withToken("rm_0000_wrong").put("/api/v1/regions/r3", "{}").status()).isEqualTo(401);

        int linesBefore = output.getAll().split("\n").length;
        for (int i = 0; i < 5; i++) {
            Problems.assertProblem(api.get("/no/such/page-" + i), 404, "not-found");
        }
        String logged = String.join("\n", java.util.Arrays.asList(output.getAll().split("\n"))
                .subList(linesBefore, output.getAll().split("\n").length));
        // other threads (a Redis client of an earlier test shutting down) may log meanwhile: only what
        // serving these requests logged counts
        assertThat(logged).as("five 404s log no error, no stack trace").doesNotContain("no/such/page")
                .doesNotContain("ApiExceptionHandler").doesNotContain("ProblemErrorController").doesNotContain("dispatcherServlet");
        assertThat(logged.lines().filter(l -> l.contains("/no/such/page")).count()).as("at most a line each").isLessThanOrEqualTo(5);

        assertThat(DatabaseSnapshot.take(dataSource)).as("nothing stored").isEqualTo(before);
        List<Map<String, Object>> audited = new JdbcTemplate(dataSource).queryForList(
                "select actor, status from audit_entry where id > ?", auditBefore);
        assertThat(audited).as("anonymous 401s are counted, not audited")
                .noneMatch(entry -> "anonymous".equals(entry.get("actor")) && Integer.valueOf(401).equals(entry.get("status")));
    }

    /** The ADS bootstrap names where the xDS server listens, whatever Host header the request carried. */
    @Test
    void theAdsBootstrapIgnoresTheHostHeader() throws Exception {
        api.put("/api/v1/regions/r1", "{}");
        // Java's HTTP client will not send a Host header of one's choosing: a plain socket will
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", api.uri("/").getPort())) {
            socket.getOutputStream().write(("GET /api/v1/regions/r1/envoy.yaml?bootstrap=ads HTTP/1.1\r\nHost: evil.example\r\n"
                    + "Authorization: Bearer " + dev.redmesh.testing.TestSecurity.ADMIN_TOKEN + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200").doesNotContain("evil.example").contains("127.0.0.1");
        }
    }

    /** @param malformed false only for the plain call of an operation that takes no input at all */
    private record Request(String path, String body, String contentType, boolean malformed) {
        Request(String path, String body, String contentType) {
            this(path, body, contentType, true);
        }
    }

    private List<Request> requests(Operation op, JsonNode document) {
        List<Request> requests = new ArrayList<>();
        List<JsonNode> pathParams = new ArrayList<>();
        List<JsonNode> queryParams = new ArrayList<>();
        for (JsonNode p : op.spec().path("parameters")) {
            (p.path("in").asString().equals("path") ? pathParams : queryParams).add(p);
        }
        String validPath = op.template().replaceAll("\\{[^}]+}", "bad-input-probe");
        boolean hasBody = op.spec().has("requestBody");
        String plausibleBody = hasBody ? "{}" : null;
        if (!pathParams.isEmpty()) {
            for (String bad : BAD_PATH_VALUES) {
                String encoded = bad.startsWith("%") || bad.contains("%") ? bad : URLEncoder.encode(bad, StandardCharsets.UTF_8)
                        .replace("+", "%20");
                requests.add(new Request(op.template().replaceAll("\\{[^}]+}", encoded), plausibleBody, "application/json"));
            }
        }
        for (JsonNode q : queryParams) {
            String type = schemaOf(q.path("schema"), document).path("type").asString();
            List<String> values = type.equals("integer") || type.equals("number")
                    ? List.of("abc", "-1", "0", "99999999999999999999", "1.5", "")
                    : List.of("x".repeat(5000), "NOT_A_VALUE", "%00");
            for (String value : values) {
                String encoded = value.startsWith("%") ? value : URLEncoder.encode(value, StandardCharsets.UTF_8);
                requests.add(new Request(validPath + "?" + q.path("name").asString() + "=" + encoded, plausibleBody,
                        "application/json"));
            }
        }
        if (hasBody) {
            BAD_BODIES.forEach(body -> requests.add(new Request(validPath, body, "application/json")));
            requests.add(new Request(validPath, "{}", "text/plain"));
            JsonNode schema = schemaOf(op.spec().path("requestBody").path("content").path("application/json").path("schema"),
                    document);
            schema.path("properties").propertyNames().forEach(field -> {
                JsonNode fieldSchema = schemaOf(schema.path("properties").path(field), document);
                for (Object wrong : wrongValues(fieldSchema)) {
                    ObjectNode body = JSON.createObjectNode();
                    body.set(field, JSON.valueToTree(wrong));
                    requests.add(new Request(validPath, body.toString(), "application/json"));
                }
            });
        }
        if (requests.isEmpty()) {
            requests.add(new Request(validPath, null, "application/json", false)); // no input to spoil: must simply not fail
        }
        return requests;
    }

    /** Values no field of that schema accepts (or, for strings, one far too long to be stored). */
    private static List<Object> wrongValues(JsonNode schema) {
        JsonNode declared = schema.path("type");
        String type = declared.isArray() // OpenAPI 3.1 spells an optional field ["integer", "null"]
                ? declared.valueStream().map(JsonNode::asString).filter(t -> !t.equals("null")).findFirst().orElse("")
                : declared.asString();
        return switch (type) {
            case "string" -> List.of(123, List.of("x"), Map.of("a", 1), "z".repeat(100_000));
            case "integer", "number" -> List.of("not a number", List.of(1), Map.of("a", 1), 1e300);
            case "boolean" -> List.of("yes", 2, List.of(true));
            case "array" -> List.of("not an array", 7, Map.of("a", 1), List.of(List.of(List.of(1))), List.of(Map.of("x", 1)));
            default -> List.of("not an object", 7, List.of(1, 2));
        };
    }

    private static JsonNode schemaOf(JsonNode schema, JsonNode document) {
        String ref = schema.path("$ref").asString();
        if (ref.startsWith("#/components/schemas/")) {
            return document.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
        }
        return schema;
    }

    private static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        JsonNode paths = document.path("paths");
        paths.propertyNames().forEach(path -> paths.path(path).propertyNames().forEach(method -> operations.add(
                new Operation(HttpMethod.valueOf(method.toUpperCase()), path, paths.path(path).path(method)))));
        return operations;
    }

    private static Api.Response send(Api caller, HttpMethod method, Request request) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(caller.uri(request.path()));
        if (request.body() == null) {
            return caller.send(builder.method(method.name(), HttpRequest.BodyPublishers.noBody()));
        }
        return caller.send(builder.header("Content-Type", request.contentType())
                .method(method.name(), HttpRequest.BodyPublishers.ofString(request.body())));
    }

    private Map<Role, Api> tokens() {
        Map<Role, Api> callers = new LinkedHashMap<>();
        for (Role role : List.of(Role.WORKER, Role.PROXY)) {
            String scope = role == Role.WORKER ? ",\"worker\":\"bad-input-probe\"" : ",\"proxy\":{\"region\":\"bad-input-probe\"}";
            Api.Response created = api.post("/api/v1/tokens", "{\"name\":\"bad-input-" + role.name().toLowerCase()
                    + "\",\"role\":\"" + role + "\"" + scope + "}");
            callers.put(role, api.withToken(created.json().path("value").asString()));
        }
        return callers;
    }

    private static String abbreviate(String text) {
        return text == null ? "none" : text.length() > 120 ? text.substring(0, 120) + "…" : text;
    }
}
