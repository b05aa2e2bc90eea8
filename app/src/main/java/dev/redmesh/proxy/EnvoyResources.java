package dev.redmesh.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.protobuf.Any;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.clusters.redis.v3.RedisClusterConfig;
import io.envoyproxy.envoy.extensions.filters.network.redis_proxy.v3.RedisProtocolOptions;
import io.envoyproxy.envoy.extensions.filters.network.redis_proxy.v3.RedisProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;

import org.springframework.boot.convert.DurationStyle;

import dev.redmesh.cluster.ClusterMode;
import dev.redmesh.region.ProxySettings;

/**
 * A region's Envoy configuration, built with Envoy's own protos from the model: one listener with the
 * {@code envoy.filters.network.redis_proxy} filter — prefix routes and a catch-all to the region's
 * clusters, each with a request mirror policy (reads excluded) to the target of every PROXY_MIRROR link
 * from that cluster — and one Envoy cluster per Redis deployment it reaches: Redis Cluster through
 * {@code envoy.clusters.redis}, a standalone deployment through its current master.
 */
final class EnvoyResources {

    static final String FILTER = "envoy.filters.network.redis_proxy";
    static final String LISTENER = "redmesh_redis";

    /** The configuration of one region, with a version that changes exactly when its content does. */
    record RegionConfig(String region, List<Listener> listeners, List<Cluster> clusters, List<RegionModel.Mirror> mirrors,
                        String version) {
    }

    private EnvoyResources() {
    }

    static String clusterName(String redmeshCluster) {
        return "redmesh_" + redmeshCluster;
    }

    static RegionConfig build(RegionModel model, ProxyProperties defaults) {
        ProxySettings settings = model.settings() == null
                ? new ProxySettings(null, null, null, null, null, null, null) : model.settings();
        Map<String, RegionModel.Upstream> local = new LinkedHashMap<>();
        model.clusters().forEach(c -> local.put(c.name(), c));
        Optional<String> catchAll = Optional.ofNullable(settings.catchAll()).filter(local::containsKey)
                .or(() -> model.clusters().stream().map(RegionModel.Upstream::name).findFirst());
        if (catchAll.isEmpty()) {
            return new RegionConfig(model.region(), List.of(), List.of(), List.of(), version(List.of()));
        }
        Map<String, List<RegionModel.Mirror>> mirrorsBySource = new LinkedHashMap<>();
        model.mirrors().forEach(m -> mirrorsBySource.computeIfAbsent(m.source(), s -> new ArrayList<>()).add(m));

        RedisProxy.PrefixRoutes.Builder routes = RedisProxy.PrefixRoutes.newBuilder()
                .setCatchAllRoute(route(catchAll.get(), mirrorsBySource));
        List<String> used = new ArrayList<>(List.of(catchAll.get()));
        for (ProxySettings.PrefixRoute r : settings.routesOrEmpty()) {
            if (!local.containsKey(r.cluster())) {
                continue; // the cluster left the region since the settings were saved
            }
            routes.addRoutes(route(r.cluster(), mirrorsBySource).toBuilder().setPrefix(r.prefix())
                    .setRemovePrefix(Boolean.TRUE.equals(r.removePrefix())));
            if (!used.contains(r.cluster())) {
                used.add(r.cluster());
            }
        }
        RedisProxy.ConnPoolSettings.Builder pool = RedisProxy.ConnPoolSettings.newBuilder()
                .setOpTimeout(Durations.fromMillis(settings.opTimeout() == null ? defaults.opTimeout().toMillis()
                        : DurationStyle.detectAndParse(settings.opTimeout()).toMillis()))
                .setEnableRedirection(settings.enableRedirection() == null ? defaults.enableRedirection()
                        : settings.enableRedirection())
                .setReadPolicy(RedisProxy.ConnPoolSettings.ReadPolicy.valueOf(
                        settings.readPolicy() == null ? defaults.readPolicy() : settings.readPolicy()));
        RedisProxy.Builder proxy = RedisProxy.newBuilder().setStatPrefix("redmesh_" + model.region())
                .setSettings(pool).setPrefixRoutes(routes);
        if (settings.downstreamAuthPasswordEnv() != null) {
            // the proxy host holds the password; redmesh never sees it
            proxy.addDownstreamAuthPasswords(DataSource.newBuilder().setEnvironmentVariable(settings.downstreamAuthPasswordEnv()));
        }
        int port = settings.listenPort() == null ? defaults.listenPort() : settings.listenPort();
        Listener listener = Listener.newBuilder().setName(LISTENER)
                .setAddress(address("0.0.0.0", port))
                .addFilterChains(FilterChain.newBuilder().addFilters(Filter.newBuilder().setName(FILTER)
                        .setTypedConfig(Any.pack(proxy.build()))))
                .build();

        List<Cluster> clusters = new ArrayList<>();
        for (String name : used) {
            clusters.add(cluster(local.get(name), defaults));
        }
        List<RegionModel.Mirror> mirrors = new ArrayList<>();
        for (String name : used) {
            mirrors.addAll(mirrorsBySource.getOrDefault(name, List.of()));
        }
        for (RegionModel.Upstream remote : model.remotes()) {
            if (mirrors.stream().anyMatch(m -> m.target().equals(remote.name())) && !used.contains(remote.name())) {
                clusters.add(cluster(remote, defaults));
                used.add(remote.name());
            }
        }
        List<Message> all = new ArrayList<>(List.of(listener));
        all.addAll(clusters);
        return new RegionConfig(model.region(), List.of(listener), clusters, mirrors, version(all));
    }

    private static RedisProxy.PrefixRoutes.Route route(String cluster, Map<String, List<RegionModel.Mirror>> mirrors) {
        RedisProxy.PrefixRoutes.Route.Builder route = RedisProxy.PrefixRoutes.Route.newBuilder().setCluster(clusterName(cluster));
        for (RegionModel.Mirror mirror : mirrors.getOrDefault(cluster, List.of())) {
            route.addRequestMirrorPolicy(RedisProxy.PrefixRoutes.Route.RequestMirrorPolicy.newBuilder()
                    .setCluster(clusterName(mirror.target())).setExcludeReadCommands(true));
        }
        return route.build();
    }

    private static Cluster cluster(RegionModel.Upstream upstream, ProxyProperties defaults) {
        Cluster.Builder cluster = Cluster.newBuilder().setName(clusterName(upstream.name()))
                .setConnectTimeout(Durations.fromMillis(defaults.connectTimeout().toMillis()));
        List<String> endpoints;
        boolean redisCluster = upstream.mode() == ClusterMode.CLUSTER
                || (upstream.mode() == ClusterMode.ELASTICACHE && upstream.masters().size() > 1);
        if (redisCluster) {
            // Envoy discovers the slots itself (CLUSTER SLOTS) from any of these and follows redirections
            cluster.setClusterType(Cluster.CustomClusterType.newBuilder().setName("envoy.clusters.redis")
                    .setTypedConfig(Any.pack(RedisClusterConfig.newBuilder()
                            .setClusterRefreshRate(Durations.fromSeconds(5))
                            .setClusterRefreshTimeout(Durations.fromSeconds(3)).build())));
            cluster.setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED);
            endpoints = upstream.masters().isEmpty() ? upstream.seeds() : upstream.masters();
        } else {
            // a standalone deployment takes writes on its master only; a failover changes this endpoint
            endpoints = List.of(upstream.masters().isEmpty() ? upstream.seeds().get(0) : upstream.masters().get(0));
            boolean allIps = endpoints.stream().allMatch(e -> host(e).matches("[0-9.]+|.*:.*"));
            cluster.setType(allIps ? Cluster.DiscoveryType.STATIC : Cluster.DiscoveryType.STRICT_DNS);
        }
        LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
        for (String endpoint : endpoints) {
            locality.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
                    .setAddress(address(host(endpoint), port(endpoint)))));
        }
        cluster.setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(clusterName(upstream.name()))
                .addEndpoints(locality));
        if (upstream.password() != null) {
            // the proxy reads the password from its own environment: no configuration redmesh serves holds it
            RedisProtocolOptions.Builder auth = RedisProtocolOptions.newBuilder()
                    .setAuthPassword(DataSource.newBuilder().setEnvironmentVariable(passwordVariable(upstream.name())));
            if (upstream.username() != null) {
                auth.setAuthUsername(DataSource.newBuilder().setInlineString(upstream.username()));
            }
            cluster.putTypedExtensionProtocolOptions(FILTER, Any.pack(auth.build()));
        }
        if (upstream.tls()) {
            cluster.setTransportSocket(TransportSocket.newBuilder().setName("envoy.transport_sockets.tls")
                    .setTypedConfig(Any.pack(UpstreamTlsContext.newBuilder().setSni(host(endpoints.get(0))).build())));
        }
        return cluster.build();
    }

    static Address address(String host, int port) {
        return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port)).build();
    }

    static String host(String hostAndPort) {
        return hostAndPort.substring(0, hostAndPort.lastIndexOf(':')).replace("[", "").replace("]", "");
    }

    static int port(String hostAndPort) {
        return Integer.parseInt(hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1));
    }

    /** A digest of the resources' deterministic serialization: equal content, equal version. */
    private static String version(List<Message> resources) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Message resource : resources) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                CodedOutputStream out = CodedOutputStream.newInstance(bytes);
                out.useDeterministicSerialization();
                resource.writeTo(out);
                out.flush();
                digest.update(bytes.toByteArray());
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The environment variable of the proxy host that holds a Redis cluster's password:
     * {@code REDMESH_REDIS_PASSWORD_} and the cluster's name in capitals, '-' and '.' as '_'.
     */
    static String passwordVariable(String cluster) {
        return "REDMESH_REDIS_PASSWORD_" + cluster.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
