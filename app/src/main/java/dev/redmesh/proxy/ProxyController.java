package dev.redmesh.proxy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import dev.redmesh.identity.Caller;
import dev.redmesh.identity.Role;
import dev.redmesh.region.RegionService;
import dev.redmesh.web.ApiException;
import dev.redmesh.web.ResourceNames;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "proxies", description = "Envoy Redis proxies: their configuration and the fleet of them")
class ProxyController {

    private static final MediaType YAML = MediaType.parseMediaType("application/yaml");
    private static final java.util.regex.Pattern NODE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,126}");

    private final XdsConfigs configs;
    private final XdsServer xds;
    private final ProxyRegistry registry;
    private final RegionService regions;
    private final ProxyProperties properties;
    private final Clock clock;

    ProxyController(XdsConfigs configs, XdsServer xds, ProxyRegistry registry, RegionService regions,
                    ProxyProperties properties, Clock clock) {
        this.configs = configs;
        this.xds = xds;
        this.registry = registry;
        this.regions = regions;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * @param currentVersion the version of its region's configuration now; {@code upToDate} when acked
     * @param nack           the last configuration it rejected, while no newer one was accepted
     */
    record ProxyResponse(String id, @Nullable String region, @Nullable String envoyVersion,
                         @Nullable String controlPlane, boolean connected, boolean live, Instant firstSeen,
                         Instant lastSeen, long lastSeenAgeMs, @Nullable String versionSent,
                         @Nullable String versionAcked, @Nullable String currentVersion, boolean upToDate,
                         @Nullable Nack nack) {
    }

    record Nack(String version, String error, Instant at) {
    }

    @GetMapping("/api/v1/fleet/proxies")
    @Operation(summary = "Envoy proxies known from their xDS streams: region, last seen, version sent, acked or rejected")
    List<ProxyResponse> proxies() {
        Instant now = clock.instant();
        return registry.all().stream().map(p -> {
            String current = p.region() == null ? null
                    : configs.current(p.region()).map(EnvoyResources.RegionConfig::version).orElse(null);
            return new ProxyResponse(p.id(), p.region(), p.envoyVersion(), p.controlPlane(), p.connected(), registry.live(p),
                    p.firstSeen(), p.lastSeen(), Duration.between(p.lastSeen(), now).toMillis(), p.versionSent(),
                    p.versionAcked(), current, current != null && current.equals(p.versionAcked()),
                    p.nackVersion() == null ? null : new Nack(p.nackVersion(), p.nackError(), p.nackedAt()));
        }).toList();
    }

    @GetMapping(value = "/api/v1/regions/{name}/envoy.yaml", produces = "application/yaml")
    @Operation(summary = "A complete Envoy bootstrap for the region's proxies: static (the configuration written in) "
            + "or ads (streams it from redmesh)")
    ResponseEntity<String> bootstrap(
            @PathVariable String name,
            @Parameter(description = "static or ads") @RequestParam(defaultValue = "static") String bootstrap,
            @Parameter(description = "the proxy's node id") @RequestParam(required = false) String node,
            HttpServletRequest request) {
        ResourceNames.requireValidPath(name);
        regions.get(name); // 404 for an unknown region
        String nodeId = node == null ? "redmesh-proxy-" + name : node;
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw ApiException.invalid("node", "must match " + NODE_ID.pattern());
        }
        Caller caller = Caller.of(request).orElseThrow();
        if (!caller.mayServeProxy(name, nodeId)) {
            throw ApiException.forbidden("token '" + caller.name() + "' serves " + caller.scope() + ", not node " + nodeId
                    + " of region " + name);
        }
        String yaml = switch (bootstrap) {
            case "static" -> {
                configs.refresh();
                var config = configs.current(name).orElseThrow(() -> ApiException.notFound("region", name));
                yield ProtoYaml.toYaml(EnvoyBootstrap.staticBootstrap(config, nodeId, properties));
            }
            case "ads" -> {
                if (xds.port() < 0) {
                    throw ApiException.conflict("no xDS server runs here (redmesh.proxy.xds-port is -1, or its port was taken"
                            + " at start: see the log)");
                }
                String host = properties.xdsAddress() != null ? EnvoyResources.host(properties.xdsAddress()) : xdsHost(request);
                int port = properties.xdsAddress() != null ? EnvoyResources.port(properties.xdsAddress()) : xds.port();
                yield ProtoYaml.toYaml(EnvoyBootstrap.adsBootstrap(name, nodeId, host, port, authorization(request),
                        properties));
            }
            default -> throw ApiException.invalid("bootstrap", "must be static or ads");
        };
        return ResponseEntity.ok().contentType(YAML).body(yaml);
    }

    /**
     * Where proxies dial the xDS server when {@code redmesh.proxy.xds-address} is not set: the address it
     * listens on, or (listening on every interface) the one this request came in on — never the
     * request's Host header, which the caller chooses.
     */
    private String xdsHost(HttpServletRequest request) {
        String bind = properties.xdsBindAddress();
        boolean everyInterface = bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]");
        return everyInterface ? request.getLocalAddr() : bind;
    }

    /** A PROXY caller's own token goes into the ADS bootstrap; anyone else gets a placeholder to replace. */
    private static String authorization(HttpServletRequest request) {
        boolean proxy = Caller.of(request).map(c -> c.role() == Role.PROXY && c.via() == Caller.Via.BEARER).orElse(false);
        String header = request.getHeader("Authorization");
        return proxy && header != null ? header : "Bearer REPLACE-WITH-A-PROXY-TOKEN";
    }
}
