package dev.redmesh.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.IntSupplier;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for the running app, as CI pipelines would call it. */
public final class Api {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final IntSupplier port;
    private final String token;

    /** As the test installation's admin ({@link TestSecurity#ADMIN_TOKEN}). */
    public Api(int port) {
        this(() -> port);
    }

    /** For a server whose port is known only once it has started. */
    public Api(IntSupplier port) {
        this(port, TestSecurity.ADMIN_TOKEN);
    }

    private Api(IntSupplier port, String token) {
        this.port = port;
        this.token = token;
    }

    /** The same server, called with another bearer token. */
    public Api withToken(String other) {
        return new Api(port, other);
    }

    /** The same server, called without any credentials. */
    public Api anonymous() {
        return new Api(port, null);
    }

    public record Response(int status, String contentType, String body) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + body;
        }
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    public Response put(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"));
    }

    public Response post(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"));
    }

    /** A JSON merge patch (RFC 7386). */
    public Response patch(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/merge-patch+json"));
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    /** For requests of unusual shape: other content types, methods, raw bytes. */
    public Response send(HttpRequest.Builder request) {
        try {
            if (token != null && request.build().headers().firstValue("Authorization").isEmpty()) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpRequest sent = request.timeout(Duration.ofSeconds(30)).build();
            HttpResponse<String> response = HTTP.send(sent, HttpResponse.BodyHandlers.ofString());
            Response answer = new Response(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""), response.body());
            String path = sent.uri().getRawPath();
            if (answer.status / 100 == 2 && answer.contentType.startsWith("application/json") && path.startsWith("/api/")) {
                ResponseContract.get().check(sent.method(), path, answer.body);
            }
            return answer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create("http://localhost:" + port.getAsInt() + path);
    }

    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }
}
