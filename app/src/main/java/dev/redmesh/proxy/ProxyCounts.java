package dev.redmesh.proxy;

import org.springframework.stereotype.Component;

/** How many proxies there are, how many are live, and how many reject their configuration, for summaries. */
@Component
public class ProxyCounts {

    public record Proxies(int live, int total, int rejecting) {
    }

    private final ProxyRegistry registry;

    ProxyCounts(ProxyRegistry registry) {
        this.registry = registry;
    }

    public Proxies proxies() {
        var all = registry.all();
        int live = (int) all.stream().filter(registry::live).count();
        int rejecting = (int) all.stream().filter(p -> registry.live(p) && p.nackVersion() != null).count();
        return new Proxies(live, all.size(), rejecting);
    }
}
