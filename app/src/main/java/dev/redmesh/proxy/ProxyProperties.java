package dev.redmesh.proxy;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Envoy proxies ({@code redmesh.proxy.*}): the xDS server, and the defaults a region's proxy settings
 * override (docs/proxies.md).
 *
 * @param xdsPort           port of the ADS gRPC server (0: any free port; -1: no xDS server). Left at its
 *                          default and taken by another process, the server is skipped with a warning;
 *                          set explicitly, a port in use stops the start
 * @param xdsBindAddress    address the ADS server listens on; loopback by default, {@code 0.0.0.0} for
 *                          proxies on other hosts (the Kubernetes and compose files set it)
 * @param xdsAddress        host:port the rendered ADS bootstrap points proxies at; default: the host the
 *                          bootstrap was fetched from, with {@code xdsPort}
 * @param refreshEvery      how often each region's configuration is recomputed (a new version is pushed only
 *                          when it changed)
 * @param listenPort        port proxies listen on for Redis clients
 * @param opTimeout         per-command timeout
 * @param readPolicy        where reads go on Redis Cluster upstreams
 * @param enableRedirection follow MOVED/ASK of Redis Cluster upstreams
 * @param connectTimeout    timeout of a proxy's connection to a Redis node
 * @param adminPort         Envoy's admin listener (127.0.0.1) in rendered bootstraps
 * @param staleAfter        a proxy not heard from for this long is shown as not connected
 */
@Validated
@ConfigurationProperties("redmesh.proxy")
public record ProxyProperties(
        @Min(-1) @Max(65535) @DefaultValue("18000") int xdsPort,
        @NotNull @DefaultValue("127.0.0.1") String xdsBindAddress,
        String xdsAddress,
        @NotNull @DefaultValue("1s") Duration refreshEvery,
        @Min(1) @Max(65535) @DefaultValue("6379") int listenPort,
        @NotNull @DefaultValue("1s") Duration opTimeout,
        @NotNull @DefaultValue("MASTER") String readPolicy,
        @DefaultValue("true") boolean enableRedirection,
        @NotNull @DefaultValue("1s") Duration connectTimeout,
        @Min(1) @Max(65535) @DefaultValue("9901") int adminPort,
        @NotNull @DefaultValue("60s") Duration staleAfter) {
}
