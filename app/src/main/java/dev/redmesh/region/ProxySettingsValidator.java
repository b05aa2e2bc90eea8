package dev.redmesh.region;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.boot.convert.DurationStyle;

import dev.redmesh.web.FieldProblems;
import dev.redmesh.web.ResourceNames;

/** Checks a region's proxy settings against the clusters the region holds; every problem at once. */
final class ProxySettingsValidator {

    private static final Pattern ENV = Pattern.compile("[A-Z_][A-Z0-9_]{0,127}");
    static final int MAX_ROUTES = 64;
    static final int MAX_PREFIX = 256;

    private ProxySettingsValidator() {
    }

    static void check(ProxySettings p, List<String> clustersInRegion, FieldProblems problems) {
        if (p == null) {
            return;
        }
        if (p.listenPort() != null && (p.listenPort() < 1 || p.listenPort() > 65535)) {
            problems.add("proxy.listenPort", "must be between 1 and 65535");
        }
        if (p.opTimeout() != null) {
            try {
                var timeout = DurationStyle.detectAndParse(p.opTimeout());
                if (timeout.isNegative() || timeout.isZero() || timeout.toHours() > 1) {
                    problems.add("proxy.opTimeout", "must be more than 0 and at most 1h");
                }
            } catch (IllegalArgumentException e) {
                problems.add("proxy.opTimeout", "is not a duration such as 250ms, 1s or PT1S");
            }
        }
        if (p.readPolicy() != null && !ProxySettings.READ_POLICIES.contains(p.readPolicy())) {
            problems.add("proxy.readPolicy", "must be one of " + ProxySettings.READ_POLICIES);
        }
        if (p.downstreamAuthPasswordEnv() != null && !ENV.matcher(p.downstreamAuthPasswordEnv()).matches()) {
            problems.add("proxy.downstreamAuthPasswordEnv", "must be an environment variable name, e.g. REDIS_PROXY_PASSWORD");
        }
        if (p.catchAll() != null) {
            checkCluster("proxy.catchAll", p.catchAll(), clustersInRegion, problems);
        }
        List<ProxySettings.PrefixRoute> routes = p.routesOrEmpty();
        if (routes.size() > MAX_ROUTES) {
            problems.add("proxy.routes", "at most " + MAX_ROUTES + " routes");
            return;
        }
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            ProxySettings.PrefixRoute route = routes.get(i);
            String field = "proxy.routes[" + i + "]";
            if (route == null) {
                problems.add(field, "must be an object with prefix and cluster");
                continue;
            }
            if (route.prefix() == null || route.prefix().isEmpty() || route.prefix().length() > MAX_PREFIX
                    || !route.prefix().chars().allMatch(c -> c > 32 && c < 127)) {
                problems.add(field + ".prefix", "must be 1 to " + MAX_PREFIX + " printable ASCII characters");
            } else if (!prefixes.add(route.prefix())) {
                problems.add(field + ".prefix", "'" + route.prefix() + "' is routed twice");
            }
            checkCluster(field + ".cluster", route.cluster(), clustersInRegion, problems);
        }
    }

    private static void checkCluster(String field, String cluster, List<String> clustersInRegion, FieldProblems problems) {
        ResourceNames.check(field, cluster, problems);
        if (ResourceNames.isValid(cluster) && !clustersInRegion.contains(cluster)) {
            problems.add(field, "cluster '" + cluster + "' is not in this region (add it first)");
        }
    }
}
