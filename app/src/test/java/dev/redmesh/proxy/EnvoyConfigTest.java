package dev.redmesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.filters.network.redis_proxy.v3.RedisProtocolOptions;
import io.envoyproxy.envoy.extensions.filters.network.redis_proxy.v3.RedisProxy;

import dev.redmesh.cluster.ClusterMode;
import dev.redmesh.region.ProxySettings;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, must-show 1: the rendered YAML parses back into Envoy's {@code Bootstrap} proto with no
 * unknown field, and its mirror policies are exactly the region's PROXY_MIRROR links.
 */
class EnvoyConfigTest {

    private static final ProxyProperties DEFAULTS = new ProxyProperties(18000, "127.0.0.1", null, Duration.ofSeconds(1), 6379,
            Duration.ofSeconds(1), "MASTER", true, Duration.ofSeconds(1), 9901, Duration.ofSeconds(60));

    private static RegionModel.Upstream standalone(String name, String master, String password) {
        return new RegionModel.Upstream(name, ClusterMode.STANDALONE, List.of("10.0.0.1:6379"), List.of(master), "sync",
                password, false);
    }

    private static RegionModel.Upstream redisCluster(String name) {
        return new RegionModel.Upstream(name, ClusterMode.CLUSTER, List.of("redis-a.internal:7000"),
                List.of("10.1.0.1:7000", "10.1.0.2:7000", "10.1.0.3:7000"), null, null, true);
    }

    private static RegionModel model(List<RegionModel.Mirror> mirrors, ProxySettings settings) {
        return new RegionModel("eu-west", settings,
                List.of(standalone("orders-eu", "10.0.0.2:6379", "s3cret"), standalone("sessions-eu", "10.0.0.7:6379", null)),
                mirrors, List.of(redisCluster("orders-ap"), standalone("orders-us", "10.2.0.1:6379", null)));
    }

    private static final ProxySettings ROUTED = new ProxySettings(6380, "250ms", null, null, "REDIS_PROXY_PASSWORD",
            "orders-eu", List.of(new ProxySettings.PrefixRoute("session:", "sessions-eu", false)));

    @Test
    void theYamlParsesBackIntoEnvoysBootstrapWithNoUnknownField() throws Exception {
        var config = EnvoyResources.build(model(List.of(new RegionModel.Mirror("orders-eu.orders-ap", "orders-eu", "orders-ap")),
                ROUTED), DEFAULTS);
        Bootstrap original = EnvoyBootstrap.staticBootstrap(config, "proxy-1", DEFAULTS);
        String yaml = ProtoYaml.toYaml(original);
        assertThat(yaml).contains("envoy.filters.network.redis_proxy").contains("envoy.clusters.redis");
        assertThat(ProtoYaml.bootstrap(yaml)).isEqualTo(original);

        Bootstrap ads = EnvoyBootstrap.adsBootstrap("eu-west", "proxy-1", "redmesh.internal", 18000, "Bearer t", DEFAULTS);
        assertThat(ProtoYaml.bootstrap(ProtoYaml.toYaml(ads))).isEqualTo(ads);
        assertThatThrownBy(() -> ProtoYaml.bootstrap(yaml + "\nnot_an_envoy_field: 1\n"))
                .as("an unknown field is refused, not dropped").isInstanceOf(InvalidProtocolBufferException.class);
    }

    @Test
    void mirrorPoliciesAreExactlyTheMirrorLinksOfEachRoutedCluster() throws Exception {
        List<RegionModel.Mirror> mirrors = List.of(
                new RegionModel.Mirror("orders-eu.orders-ap", "orders-eu", "orders-ap"),
                new RegionModel.Mirror("orders-eu.orders-us", "orders-eu", "orders-us"));
        var config = EnvoyResources.build(model(mirrors, ROUTED), DEFAULTS);
        RedisProxy proxy = config.listeners().get(0).getFilterChains(0).getFilters(0).getTypedConfig().unpack(RedisProxy.class);

        List<String> mirrored = new ArrayList<>();
        proxy.getPrefixRoutes().getCatchAllRoute().getRequestMirrorPolicyList().forEach(m -> {
            assertThat(m.getExcludeReadCommands()).as("reads are not mirrored").isTrue();
            mirrored.add("orders-eu>" + m.getCluster());
        });
        proxy.getPrefixRoutes().getRoutesList().forEach(r -> r.getRequestMirrorPolicyList()
                .forEach(m -> mirrored.add(r.getCluster() + ">" + m.getCluster())));
        assertThat(mirrored).containsExactlyInAnyOrder("orders-eu>redmesh_orders-ap", "orders-eu>redmesh_orders-us");
        assertThat(proxy.getPrefixRoutes().getCatchAllRoute().getCluster()).isEqualTo("redmesh_orders-eu");
        assertThat(proxy.getPrefixRoutes().getRoutes(0).getPrefix()).isEqualTo("session:");
        assertThat(proxy.getPrefixRoutes().getRoutes(0).getCluster()).isEqualTo("redmesh_sessions-eu");
        assertThat(proxy.getPrefixRoutes().getRoutes(0).getRequestMirrorPolicyCount()).isZero();
        assertThat(proxy.getSettings().getOpTimeout().getNanos()).isEqualTo(250_000_000);
        assertThat(proxy.getDownstreamAuthPasswords(0).getEnvironmentVariable()).isEqualTo("REDIS_PROXY_PASSWORD");
        assertThat(config.listeners().get(0).getAddress().getSocketAddress().getPortValue()).isEqualTo(6380);
        assertThat(config.mirrors()).containsExactlyElementsOf(mirrors);

        assertThat(config.clusters()).extracting(Cluster::getName).containsExactly(
                "redmesh_orders-eu", "redmesh_sessions-eu", "redmesh_orders-ap", "redmesh_orders-us");
        Cluster local = config.clusters().get(0);
        assertThat(local.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
        assertThat(local.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
                .getSocketAddress().getAddress()).as("the current master").isEqualTo("10.0.0.2");
        RedisProtocolOptions auth = local.getTypedExtensionProtocolOptionsOrThrow(EnvoyResources.FILTER)
                .unpack(RedisProtocolOptions.class);
        assertThat(auth.getAuthPassword().getEnvironmentVariable()).as("the proxy host holds the password, not the config")
                .isEqualTo("REDMESH_REDIS_PASSWORD_ORDERS_EU");
        assertThat(auth.toString()).doesNotContain("s3cret");
        assertThat(auth.getAuthUsername().getInlineString()).isEqualTo("sync");
        Cluster ap = config.clusters().get(2);
        assertThat(ap.getClusterType().getName()).isEqualTo("envoy.clusters.redis");
        assertThat(ap.getLbPolicy()).isEqualTo(Cluster.LbPolicy.CLUSTER_PROVIDED);
        assertThat(ap.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
        assertThat(ap.getLoadAssignment().getEndpoints(0).getLbEndpointsCount()).isEqualTo(3);
    }

    @Test
    void aClusterNoRouteNamesIsLeftOutAndTheVersionFollowsTheContent() {
        var plain = EnvoyResources.build(model(List.of(), null), DEFAULTS);
        assertThat(plain.clusters()).extracting(Cluster::getName).containsExactly("redmesh_orders-eu");
        assertThat(plain.mirrors()).isEmpty();
        assertThat(EnvoyResources.build(model(List.of(), null), DEFAULTS).version()).as("same content, same version")
                .isEqualTo(plain.version());
        var failedOver = EnvoyResources.build(new RegionModel("eu-west", null,
                List.of(standalone("orders-eu", "10.0.0.3:6379", "s3cret")), List.of(), List.of()), DEFAULTS);
        assertThat(failedOver.version()).as("a new master is a new version").isNotEqualTo(plain.version());
        var empty = EnvoyResources.build(new RegionModel("empty", null, List.of(), List.of(), List.of()), DEFAULTS);
        assertThat(empty.listeners()).isEmpty();
    }
}
