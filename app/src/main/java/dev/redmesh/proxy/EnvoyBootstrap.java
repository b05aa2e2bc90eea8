package dev.redmesh.proxy;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/**
 * A complete Envoy bootstrap for one region's proxies: either {@code static} (the listener and clusters
 * written in; re-fetch it when the model changes) or {@code ads} (only how to reach redmesh's ADS server,
 * which then pushes every change).
 */
final class EnvoyBootstrap {

    static final String XDS_CLUSTER = "redmesh_xds";

    private EnvoyBootstrap() {
    }

    static Node node(String region, String nodeId) {
        return Node.newBuilder().setId(nodeId).setCluster(region)
                .setMetadata(Struct.newBuilder().putFields("region", Value.newBuilder().setStringValue(region).build()))
                .build();
    }

    static Bootstrap staticBootstrap(EnvoyResources.RegionConfig config, String nodeId, ProxyProperties properties) {
        Bootstrap.StaticResources.Builder resources = Bootstrap.StaticResources.newBuilder()
                .addAllListeners(config.listeners()).addAllClusters(config.clusters());
        return Bootstrap.newBuilder().setNode(node(config.region(), nodeId)).setAdmin(admin(properties))
                .setStaticResources(resources).build();
    }

    /**
     * @param xdsHost        where proxies reach the ADS server
     * @param authorization  the {@code authorization} metadata the proxy sends (a PROXY token)
     */
    static Bootstrap adsBootstrap(String region, String nodeId, String xdsHost, int xdsPort, String authorization,
                                  ProxyProperties properties) {
        ConfigSource ads = ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance())
                .setResourceApiVersion(ApiVersion.V3).build();
        GrpcService grpc = GrpcService.newBuilder()
                .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(XDS_CLUSTER))
                .addInitialMetadata(HeaderValue.newBuilder().setKey("authorization").setValue(authorization))
                .build();
        Bootstrap.DynamicResources dynamic = Bootstrap.DynamicResources.newBuilder()
                // the node (and with it the region) on every request: the snapshot cache groups requests by it
                .setAdsConfig(ApiConfigSource.newBuilder().setApiType(ApiConfigSource.ApiType.GRPC)
                        .setTransportApiVersion(ApiVersion.V3).addGrpcServices(grpc).setSetNodeOnFirstMessageOnly(false))
                .setLdsConfig(ads).setCdsConfig(ads).build();
        Cluster xds = Cluster.newBuilder().setName(XDS_CLUSTER)
                .setType(Cluster.DiscoveryType.STRICT_DNS)
                .setConnectTimeout(Durations.fromSeconds(2))
                .putTypedExtensionProtocolOptions("envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                        Any.pack(HttpProtocolOptions.newBuilder().setExplicitHttpConfig(
                                HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                                        .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance())).build()))
                .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(XDS_CLUSTER)
                        .addEndpoints(LocalityLbEndpoints.newBuilder().addLbEndpoints(LbEndpoint.newBuilder()
                                .setEndpoint(Endpoint.newBuilder().setAddress(EnvoyResources.address(xdsHost, xdsPort))))))
                .build();
        return Bootstrap.newBuilder().setNode(node(region, nodeId)).setAdmin(admin(properties))
                .setDynamicResources(dynamic)
                .setStaticResources(Bootstrap.StaticResources.newBuilder().addClusters(xds))
                .build();
    }

    private static Admin admin(ProxyProperties properties) {
        return Admin.newBuilder().setAddress(EnvoyResources.address("127.0.0.1", properties.adminPort())).build();
    }
}
