package dev.redmesh.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;

import tools.jackson.databind.JsonNode;

import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Problems;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Dashboard sign-in: a token is exchanged for an HttpOnly, SameSite=Strict session cookie; reads
 * work with the cookie alone, changes need the session's CSRF token too; signing out or revoking
 * the token ends the session.
 */
@AppIT
class SessionIT {

    @Autowired
    Api api;


    private Api.Response raw(String method, String path, String cookie, String csrf, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path)).header("Cookie", "redmesh_session=" + cookie)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return api.anonymous().send(request);
    }

    @Test
    void aSignedInOperatorReadsAndActsWithTheCookieAndItsCsrfToken() throws Exception {
        String token = api.post("/api/v1/tokens", "{\"name\":\"alice\",\"role\":\"OPERATOR\"}").json().path("value").asString();
        var http = java.net.http.HttpClient.newHttpClient();
        var response = http.send(HttpRequest.newBuilder(api.uri("/api/v1/session")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        String cookie = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        JsonNode body = tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
        assertThat(body.path("name").asString()).isEqualTo("alice");
        assertThat(body.path("role").asString()).isEqualTo("OPERATOR");
        String csrf = body.path("csrfToken").asString();
        assertThat(csrf).isNotBlank();

        JsonNode me = raw("GET", "/api/v1/session", cookie, null, null).json();
        assertThat(me.path("authenticated").asBoolean()).isTrue();
        assertThat(me.path("via").asString()).isEqualTo("SESSION");
        assertThat(me.path("csrfToken").asString()).isEqualTo(csrf);
        assertThat(raw("GET", "/api/v1/regions", cookie, null, null).status()).isEqualTo(200);

        api.put("/api/v1/regions/r1", "{}");
        api.put("/api/v1/clusters/a", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\"127.0.0.1:1\"]}");
        api.put("/api/v1/clusters/b", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\"127.0.0.1:2\"]}");
        api.post("/api/v1/links", "{\"source\":\"a\",\"target\":\"b\"}");
        Problems.assertProblem(raw("POST", "/api/v1/links/a.b/pause", cookie, null, null), 403, "forbidden");
        Problems.assertProblem(raw("POST", "/api/v1/links/a.b/pause", cookie, "forged", null), 403, "forbidden");
        assertThat(raw("POST", "/api/v1/links/a.b/pause", cookie, csrf, null).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/links/a.b").json().path("state").asString()).isEqualTo("PAUSED");
        Problems.assertProblem(raw("PUT", "/api/v1/regions/r2", cookie, csrf, "{}"), 403, "forbidden"); // an operator, not an admin

        JsonNode audit = api.get("/api/v1/audit?actor=alice").json();
        assertThat(audit.get(0).path("path").asString()).isEqualTo("/api/v1/regions/r2");
        assertThat(audit.get(0).path("status").asInt()).isEqualTo(403);
        assertThat(audit.valueStream().anyMatch(e -> e.path("path").asString().equals("/api/v1/links/a.b/pause")
                && e.path("status").asInt() == 200 && e.path("before").path("state").asString().equals("PENDING")
                && e.path("after").path("state").asString().equals("PAUSED"))).as("pause audited with before and after").isTrue();

        // revoking the token ends its sessions
        String id = api.get("/api/v1/tokens").json().valueStream().filter(t -> t.path("name").asString().equals("alice"))
                .findFirst().orElseThrow().path("id").asString();
        api.delete("/api/v1/tokens/" + id);
        assertThat(raw("GET", "/api/v1/session", cookie, null, null).json().path("authenticated").asBoolean()).isFalse();
        Problems.assertProblem(raw("GET", "/api/v1/regions", cookie, null, null), 401, "unauthorized");
    }

    @Test
    void aForgedOrExpiredCookieIsNobody() {
        assertThat(raw("GET", "/api/v1/session", "bm90.cmVhbA", null, null).json().path("authenticated").asBoolean()).isFalse();
        Problems.assertProblem(raw("GET", "/api/v1/regions", "bm90.cmVhbA", null, null), 401, "unauthorized");
        Problems.assertProblem(raw("GET", "/api/v1/regions", "rms_" + "A".repeat(43), null, null), 401, "unauthorized");
        Problems.assertProblem(api.anonymous().post("/api/v1/session", "{\"token\":\"rm_nope_nope\"}"), 401, "unauthorized");
    }

    @Test
    void signingOutClearsTheCookie() {
        Api.Response out = api.anonymous().send(HttpRequest.newBuilder(api.uri("/api/v1/session")).DELETE());
        assertThat(out.status()).isEqualTo(204);
    }

    /** Issue 19, must-show 4: signing out ends the session on the server; the cookie, replayed, is nobody. */
    @Test
    void aSignedOutCookieIsRefused() {
        String token = api.post("/api/v1/tokens", "{\"name\":\"bob\",\"role\":\"VIEWER\"}").json().path("value").asString();
        String cookie = sessionCookieOf(token);
        String csrf = raw("GET", "/api/v1/session", cookie, null, null).json().path("csrfToken").asString();
        assertThat(raw("GET", "/api/v1/regions", cookie, null, null).status()).isEqualTo(200);

        assertThat(raw("DELETE", "/api/v1/session", cookie, csrf, null).status()).isEqualTo(204);
        Problems.assertProblem(raw("GET", "/api/v1/regions", cookie, null, null), 401, "unauthorized");
        assertThat(raw("GET", "/api/v1/session", cookie, null, null).json().path("authenticated").asBoolean()).isFalse();
    }

    @Test
    void machineTokensCannotSignIn() {
        for (String body : java.util.List.of("{\"name\":\"m-w\",\"role\":\"WORKER\",\"worker\":\"m-w\"}",
                "{\"name\":\"m-p\",\"role\":\"PROXY\",\"proxy\":{\"region\":\"r1\"}}")) {
            String token = api.post("/api/v1/tokens", body).json().path("value").asString();
            Api.Response refused = api.anonymous().post("/api/v1/session", "{\"token\":\"" + token + "\"}");
            Problems.assertProblem(refused, 403, "forbidden");
            assertThat(refused.json().path("detail").asString()).contains("cannot sign in to the dashboard");
        }
    }

    @Test
    void theDashboardIsServedWithAContentSecurityPolicy() {
        Api.Response page = api.anonymous().send(HttpRequest.newBuilder(api.uri("/")).GET());
        assertThat(page.status()).isEqualTo(200);
        java.net.http.HttpResponse<String> raw;
        try {
            raw = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.uri("/")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(raw.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("default-src 'self'").contains("script-src 'self'").contains("frame-ancestors 'none'");
    }

    /** Signs in with {@code token} and returns the session cookie's value. */
    private String sessionCookieOf(String token) {
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.uri("/api/v1/session"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            String setCookie = response.headers().firstValue("Set-Cookie").orElseThrow();
            return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theConfiguredAdminTokenCanSignIn() {
        Api.Response response = api.anonymous().post("/api/v1/session",
                "{\"token\":\"" + dev.redmesh.testing.TestSecurity.ADMIN_TOKEN + "\"}");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("role").asString()).isEqualTo("ADMIN");
    }
}
