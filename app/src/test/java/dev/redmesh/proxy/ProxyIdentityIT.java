package dev.redmesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.concurrent.TimeUnit;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Problems;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 19, must-show 2, for proxies: a PROXY token serves the proxies of one region (node ids by
 * pattern) — its bootstraps and its xDS streams — and revoking it ends its open stream at once.
 */
@AppIT
class ProxyIdentityIT {

    @Autowired
    Api api;
    @Autowired
    XdsServer xds;

    @Test
    void aProxyTokenServesItsRegionAndItsRevocationEndsItsStream() throws Exception {
        api.put("/api/v1/regions/r1", "{}");
        api.put("/api/v1/regions/r2", "{}");
        api.put("/api/v1/clusters/c1", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\"127.0.0.1:1\"]}");
        api.put("/api/v1/clusters/c2", "{\"region\":\"r2\",\"mode\":\"STANDALONE\",\"seeds\":[\"127.0.0.1:2\"]}");
        Api.Response created = api.post("/api/v1/tokens", "{\"name\":\"envoys-r1\",\"role\":\"PROXY\",\"proxy\":{\"region\":\"r1\","
                + "\"node\":\"envoy-r1-*\"}}");
        String token = created.json().path("value").asString();
        String id = created.json().path("id").asString();

        // its own region's bootstrap, not another's
        assertThat(api.withToken(token).get("/api/v1/regions/r1/envoy.yaml?node=envoy-r1-a").status()).isEqualTo(200);
        Problems.assertProblem(api.withToken(token).get("/api/v1/regions/r2/envoy.yaml?node=envoy-r1-a"), 403, "forbidden");
        Problems.assertProblem(api.withToken(token).get("/api/v1/regions/r1/envoy.yaml?node=someone-else"), 403, "forbidden");

        try (var posing = new EnvoyClient(xds.port(), token, "envoy-r1-b", "r2")) {
            posing.subscribe(EnvoyClient.CLUSTERS);
            await("a stream posing as another region refused").atMost(10, TimeUnit.SECONDS)
                    .until(() -> posing.error() != null);
            assertThat(Status.fromThrowable(posing.error()).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        }
        try (var envoy = new EnvoyClient(xds.port(), token, "envoy-r1-a", "r1")) {
            envoy.subscribe(EnvoyClient.CLUSTERS);
            DiscoveryResponse first = envoy.next(EnvoyClient.CLUSTERS, r -> r.getResourcesCount() == 1, 15);
            envoy.ack(first);
            assertThat(api.delete("/api/v1/tokens/" + id).status()).isEqualTo(204);
            await("the revoked token's stream ended").atMost(5, TimeUnit.SECONDS).until(() -> envoy.error() != null);
            assertThat(envoy.error()).isInstanceOf(StatusRuntimeException.class);
            assertThat(Status.fromThrowable(envoy.error()).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(Status.fromThrowable(envoy.error()).getDescription()).contains("revoked");
        }
        await("the proxy shown as gone").atMost(5, TimeUnit.SECONDS).until(() -> api.get("/api/v1/fleet/proxies").json()
                .valueStream().filter(p -> p.path("id").asString().equals("envoy-r1-a")).allMatch(p -> !p.path("connected").asBoolean()));
    }
}
