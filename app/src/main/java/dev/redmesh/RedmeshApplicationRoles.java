package dev.redmesh;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which roles this process plays ({@code control-plane}, {@code worker}). Read before Spring starts,
 * since they choose what starts: from {@code --redmesh.roles=}, then the environment variable
 * {@code REDMESH_ROLES}, then the system property; default both.
 */
public final class RedmeshApplicationRoles {

    public static final List<String> ALL = List.of("control-plane", "worker");

    private RedmeshApplicationRoles() {
    }

    public static Set<String> of(String[] args, String environment, String systemProperty) {
        String value = Arrays.stream(args).filter(a -> a.startsWith("--redmesh.roles="))
                .map(a -> a.substring("--redmesh.roles=".length())).reduce((a, b) -> b)
                .orElse(environment != null ? environment : systemProperty != null ? systemProperty : String.join(",", ALL));
        Set<String> roles = new LinkedHashSet<>();
        for (String role : value.split(",")) {
            String trimmed = role.trim();
            if (!ALL.contains(trimmed)) {
                throw new IllegalArgumentException("redmesh.roles: unknown role '" + trimmed + "'; use " + ALL);
            }
            roles.add(trimmed);
        }
        return roles;
    }
}
