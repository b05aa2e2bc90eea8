package dev.redmesh.region;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * How the region's Envoy proxies serve Redis clients (docs/proxies.md); every field is optional and
 * falls back to {@code redmesh.proxy.*}.
 *
 * @param catchAll the cluster that gets every key no route names; default: the region's only cluster,
 *                 or the first one in a mesh
 */
public record ProxySettings(
        @Schema(description = "port the proxies listen on for Redis clients", example = "6379") Integer listenPort,
        @Schema(description = "per-command timeout, e.g. 250ms or 1s", example = "1s") String opTimeout,
        @Schema(description = "MASTER, PREFER_MASTER, REPLICA, PREFER_REPLICA or ANY (Redis Cluster upstreams)",
                example = "MASTER") String readPolicy,
        @Schema(description = "follow MOVED/ASK redirections of Redis Cluster upstreams") Boolean enableRedirection,
        @Schema(description = "environment variable on the proxy host holding the password clients must AUTH with",
                example = "REDIS_PROXY_PASSWORD") String downstreamAuthPasswordEnv,
        @Schema(description = "cluster of this region for keys no route names") String catchAll,
        @Schema(description = "key prefixes routed to a cluster of this region") List<PrefixRoute> routes) {

    public record PrefixRoute(@Schema(example = "session:") String prefix, @Schema(example = "sessions-eu") String cluster,
                              @Schema(description = "strip the prefix before forwarding") Boolean removePrefix) {
    }

    public static final List<String> READ_POLICIES = List.of("MASTER", "PREFER_MASTER", "REPLICA", "PREFER_REPLICA", "ANY");

    public List<PrefixRoute> routesOrEmpty() {
        return routes == null ? List.of() : routes;
    }
}
