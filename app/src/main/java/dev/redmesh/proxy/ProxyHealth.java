package dev.redmesh.proxy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code proxies} health component: DOWN while a live proxy rejects the configuration it was sent
 * (it keeps running an older one); each proxy's region, liveness and versions in the details.
 */
@Component("proxies")
class ProxyHealth implements HealthIndicator {

    private final ProxyRegistry registry;
    private final XdsConfigs configs;

    ProxyHealth(ProxyRegistry registry, XdsConfigs configs) {
        this.registry = registry;
        this.configs = configs;
    }

    @Override
    public Health health() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean rejecting = false;
        for (ProxyRegistry.ProxyRow p : registry.all()) {
            boolean live = registry.live(p);
            String current = p.region() == null ? null
                    : configs.current(p.region()).map(EnvoyResources.RegionConfig::version).orElse(null);
            rejecting |= live && p.nackVersion() != null;
            Map<String, Object> proxy = new LinkedHashMap<>();
            proxy.put("region", p.region());
            proxy.put("live", live);
            proxy.put("versionAcked", p.versionAcked());
            proxy.put("upToDate", current != null && current.equals(p.versionAcked()));
            if (p.nackVersion() != null) {
                proxy.put("rejected", p.nackVersion() + ": " + p.nackError());
            }
            details.put(p.id(), proxy);
        }
        return (rejecting ? Health.down() : Health.up()).withDetails(details).build();
    }
}
