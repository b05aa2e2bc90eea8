package dev.redmesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.redis_proxy.v3.RedisProxy;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.StatusRuntimeException;
import tools.jackson.databind.JsonNode;

import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Cleanup;
import dev.redmesh.testing.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 9, must-show 2: a gRPC client acting as Envoy streams its region's configuration over ADS —
 * the redis_proxy listener and the clusters — gets a new version when another region joins with a
 * PROXY_MIRROR link, and a NACK it sends is recorded and shown (fleet list, health) until it accepts
 * a configuration again; then the mirror link streams.
 */
@AppIT
class XdsIT {

    @Autowired
    Api api;
    @Autowired
    XdsServer xds;

    @RegisterExtension
    Cleanup cleanup = new Cleanup();

    private static List<String> clusterNames(DiscoveryResponse response) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        for (var resource : response.getResourcesList()) {
            names.add(resource.unpack(Cluster.class).getName());
        }
        return names;
    }

    private static RedisProxy redisProxy(DiscoveryResponse listeners) throws Exception {
        Listener listener = listeners.getResources(0).unpack(Listener.class);
        return listener.getFilterChains(0).getFilters(0).getTypedConfig().unpack(RedisProxy.class);
    }

    private JsonNode proxy(String id) {
        for (JsonNode p : api.get("/api/v1/fleet/proxies").json()) {
            if (p.path("id").asString().equals(id)) {
                return p;
            }
        }
        return null;
    }

    @Test
    void aProxyStreamsItsRegionsConfigurationGetsNewVersionsAndItsNackIsShown() throws Exception {
        RedisNode first = cleanup.add(RedisNode.start());
        RedisNode second = cleanup.add(RedisNode.start());
        api.put("/api/v1/regions/r1", "{}");
        api.put("/api/v1/regions/r2", "{}");
        api.put("/api/v1/clusters/c1", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\"" + first.address() + "\"]}");
        String token = api.post("/api/v1/tokens", "{\"name\":\"envoy-fleet\",\"role\":\"PROXY\",\"proxy\":{\"region\":\"r1\"}}").json().path("value").asString();

        EnvoyClient envoy = cleanup.add(new EnvoyClient(xds.port(), token, "envoy-r1-a", "r1"));
        envoy.subscribe(EnvoyClient.CLUSTERS);
        envoy.subscribe(EnvoyClient.LISTENERS);
        DiscoveryResponse clusters = envoy.next(EnvoyClient.CLUSTERS, r -> r.getResourcesCount() == 1, 15);
        DiscoveryResponse listeners = envoy.next(EnvoyClient.LISTENERS, r -> r.getResourcesCount() == 1, 15);
        assertThat(clusterNames(clusters)).containsExactly("redmesh_c1");
        assertThat(redisProxy(listeners).getPrefixRoutes().getCatchAllRoute().getCluster()).isEqualTo("redmesh_c1");
        assertThat(redisProxy(listeners).getPrefixRoutes().getCatchAllRoute().getRequestMirrorPolicyCount()).isZero();
        String firstVersion = clusters.getVersionInfo();
        envoy.ack(clusters);
        envoy.ack(listeners);
        Eventually.await("the proxy listed, up to date", Duration.ofSeconds(10), () -> {
            JsonNode p = proxy("envoy-r1-a");
            return p != null && p.path("region").asString().equals("r1") && p.path("connected").asBoolean()
                    && p.path("upToDate").asBoolean() && p.path("versionAcked").asString().equals(firstVersion);
        });

        // region r2 joins, and r1's writes are mirrored to it through the proxies
        api.put("/api/v1/clusters/c2", "{\"region\":\"r2\",\"mode\":\"STANDALONE\",\"seeds\":[\"" + second.address() + "\"]}");
        assertThat(api.post("/api/v1/links", "{\"source\":\"c1\",\"target\":\"c2\",\"mode\":\"PROXY_MIRROR\"}").status()).isEqualTo(201);
        DiscoveryResponse newClusters = envoy.next(EnvoyClient.CLUSTERS, r -> r.getResourcesCount() == 2, 15);
        DiscoveryResponse newListeners = envoy.next(EnvoyClient.LISTENERS,
                r -> r.getVersionInfo().equals(newClusters.getVersionInfo()), 15);
        assertThat(newClusters.getVersionInfo()).as("a new version").isNotEqualTo(firstVersion);
        assertThat(clusterNames(newClusters)).containsExactly("redmesh_c1", "redmesh_c2");
        var mirror = redisProxy(newListeners).getPrefixRoutes().getCatchAllRoute().getRequestMirrorPolicyList();
        assertThat(mirror).hasSize(1);
        assertThat(mirror.get(0).getCluster()).isEqualTo("redmesh_c2");
        assertThat(api.get("/api/v1/links/c1.c2").json().path("state").asString()).isEqualTo("PENDING");

        // the proxy rejects the new clusters: recorded with Envoy's error, shown, health DOWN
        envoy.nack(newClusters, firstVersion, "simulated: cluster redmesh_c2 refused");
        JsonNode rejected = Eventually.await("the NACK recorded", Duration.ofSeconds(10), () -> {
            JsonNode p = proxy("envoy-r1-a");
            return p != null && !p.path("nack").isNull() && !p.path("nack").isMissingNode() ? p : null;
        });
        assertThat(rejected.path("nack").path("version").asString()).isEqualTo(newClusters.getVersionInfo());
        assertThat(rejected.path("nack").path("error").asString()).contains("simulated");
        assertThat(rejected.path("upToDate").asBoolean()).isFalse();
        JsonNode health = api.get("/actuator/health").json().path("components").path("proxies");
        assertThat(health.path("status").asString()).isEqualTo("DOWN");
        assertThat(health.path("details").path("envoy-r1-a").path("rejected").asString()).contains("simulated");

        // it accepts the configuration after all: the rejection clears, the mirror link streams
        envoy.ack(newClusters);
        envoy.ack(newListeners);
        Eventually.await("the rejection cleared", Duration.ofSeconds(10), () -> {
            JsonNode p = proxy("envoy-r1-a");
            return p.path("nack").isNull() && p.path("upToDate").asBoolean();
        });
        JsonNode link = Eventually.await("the mirror link streams", Duration.ofSeconds(10), () -> {
            JsonNode l = api.get("/api/v1/links/c1.c2").json();
            return "STREAMING".equals(l.path("state").asString()) ? l : null;
        });
        assertThat(link.path("stateReason").asString()).contains("mirrored by 1 proxy of r1");
        assertThat(link.path("lagMs").isNull()).as("a mirror's lag is unknown").isTrue();
        assertThat(api.get("/actuator/health").json().path("components").path("proxies").path("status").asString())
                .isEqualTo("UP");

        envoy.close();
        Eventually.await("the proxy shown disconnected", Duration.ofSeconds(10),
                () -> !proxy("envoy-r1-a").path("connected").asBoolean());
    }

    @Test
    void aStreamWithoutAProxyTokenGetsNothing() throws Exception {
        api.put("/api/v1/regions/r1", "{}");
        EnvoyClient anonymous = cleanup.add(new EnvoyClient(xds.port(), null, "intruder", "r1"));
        anonymous.subscribe(EnvoyClient.CLUSTERS);
        Eventually.await("the stream refused", Duration.ofSeconds(10), () -> anonymous.error() != null);
        assertThat(((StatusRuntimeException) anonymous.error()).getStatus().getCode())
                .isEqualTo(io.grpc.Status.Code.UNAUTHENTICATED);
        String viewer = api.post("/api/v1/tokens", "{\"name\":\"a-viewer\",\"role\":\"VIEWER\"}").json().path("value").asString();
        EnvoyClient wrongRole = cleanup.add(new EnvoyClient(xds.port(), viewer, "viewer-envoy", "r1"));
        wrongRole.subscribe(EnvoyClient.CLUSTERS);
        Eventually.await("the stream refused", Duration.ofSeconds(10), () -> wrongRole.error() != null);
        assertThat(((StatusRuntimeException) wrongRole.error()).getStatus().getCode())
                .isEqualTo(io.grpc.Status.Code.PERMISSION_DENIED);
        assertThat(proxy("intruder")).isNull();
    }

    @Test
    void theRenderedBootstrapsParseIntoEnvoysProtoAndNeedAProxyOrAdminToken() throws Exception {
        RedisNode node = cleanup.add(RedisNode.start());
        api.put("/api/v1/regions/r1", "{\"proxy\":{\"listenPort\":6390,\"opTimeout\":\"300ms\"}}");
        api.put("/api/v1/clusters/c1", "{\"region\":\"r1\",\"mode\":\"STANDALONE\",\"seeds\":[\"" + node.address()
                + "\"],\"password\":\"pw-in-bootstrap\"}");
        Api.Response rendered = api.get("/api/v1/regions/r1/envoy.yaml");
        assertThat(rendered.status()).isEqualTo(200);
        assertThat(rendered.body()).doesNotContain("pw-in-bootstrap").contains("REDMESH_REDIS_PASSWORD_C1");
        assertThat(rendered.contentType()).startsWith("application/yaml");
        var bootstrap = ProtoYaml.bootstrap(rendered.body());
        assertThat(bootstrap.getStaticResources().getListeners(0).getAddress().getSocketAddress().getPortValue()).isEqualTo(6390);
        assertThat(bootstrap.getNode().getMetadata().getFieldsOrThrow("region").getStringValue()).isEqualTo("r1");

        String proxyToken = api.post("/api/v1/tokens", "{\"name\":\"envoy-r1\",\"role\":\"PROXY\",\"proxy\":{\"region\":\"r1\",\"node\":\"envoy-*\"}}").json().path("value").asString();
        var ads = ProtoYaml.bootstrap(api.withToken(proxyToken).get("/api/v1/regions/r1/envoy.yaml?bootstrap=ads&node=envoy-7").body());
        assertThat(ads.getNode().getId()).isEqualTo("envoy-7");
        assertThat(ads.getDynamicResources().getAdsConfig().getGrpcServices(0).getInitialMetadata(0).getValue())
                .as("a proxy's own token goes in").isEqualTo("Bearer " + proxyToken);
        assertThat(ads.getStaticResources().getClusters(0).getLoadAssignment().getEndpoints(0).getLbEndpoints(0)
                .getEndpoint().getAddress().getSocketAddress().getPortValue()).isEqualTo(xds.port());

        String viewer = api.post("/api/v1/tokens", "{\"name\":\"v\",\"role\":\"VIEWER\"}").json().path("value").asString();
        assertThat(api.withToken(viewer).get("/api/v1/regions/r1/envoy.yaml").status()).as("it names Redis users and hosts")
                .isEqualTo(403);
        assertThat(api.get("/api/v1/regions/nowhere/envoy.yaml").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/regions/r1/envoy.yaml?bootstrap=dynamic").status()).isEqualTo(400);
    }
}
