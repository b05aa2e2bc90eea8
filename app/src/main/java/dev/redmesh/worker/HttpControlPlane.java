package dev.redmesh.worker;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The control plane's REST API ({@code /api/v1/fleet/workers}), called with the worker's WORKER token. */
final class HttpControlPlane implements ControlPlane {

    private static final Logger log = LoggerFactory.getLogger(HttpControlPlane.class);
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ANSWER_GRACE = Duration.ofSeconds(5);

    private final URI base;
    private final Supplier<String> token;
    private final JsonMapper json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** The last failure logged, so that an outage is one warning, not one a second. */
    private volatile String lastFailure;

    HttpControlPlane(URI base, Supplier<String> token) {
        this.base = base;
        this.token = token;
    }

    @Override
    public FleetProtocol.Orders heartbeat(String workerId, FleetProtocol.Heartbeat heartbeat) {
        return call(authorized(HttpRequest.newBuilder(base.resolve("/api/v1/fleet/workers/" + workerId)))
                .timeout(HEARTBEAT_TIMEOUT).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(heartbeat))).build());
    }

    @Override
    public FleetProtocol.Orders awaitOrders(String workerId, String after, long waitMs) {
        return call(authorized(HttpRequest.newBuilder(base.resolve("/api/v1/fleet/workers/" + workerId
                        + "/orders?waitMs=" + waitMs + "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8))))
                .timeout(Duration.ofMillis(waitMs).plus(ANSWER_GRACE)).GET().build());
    }

    @Override
    public boolean leave(String workerId) {
        try {
            HttpResponse<Void> response = http.send(authorized(HttpRequest.newBuilder(
                    base.resolve("/api/v1/fleet/workers/" + workerId))).timeout(LEAVE_TIMEOUT).DELETE().build(),
                    HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 204;
        } catch (IOException e) {
            log.info("Worker {} could not say goodbye to {} ({})", workerId, base, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String token() {
        return token.get();
    }

    @Override
    public String describe() {
        return base.toString();
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        String value = token.get();
        return value == null ? request : request.header("Authorization", "Bearer " + value);
    }

    private FleetProtocol.Orders call(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                failed("answered " + response.statusCode() + " to " + request.uri().getPath() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
                return null;
            }
            lastFailure = null;
            return json.readValue(response.body(), FleetProtocol.Orders.class);
        } catch (IOException e) {
            failed("unreachable: " + e);
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void failed(String what) {
        if (!what.equals(lastFailure)) {
            log.warn("Control plane {} {}", base, what);
        }
        lastFailure = what;
    }
}
