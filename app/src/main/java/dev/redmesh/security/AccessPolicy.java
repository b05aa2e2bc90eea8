package dev.redmesh.security;

import dev.redmesh.identity.Role;

import java.util.List;
import java.util.Optional;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Who may call what: one rule per API operation, in one table that the security filter chain is built
 * from and that tests check against the OpenAPI document. An API path no rule names is refused to
 * everyone, so an endpoint added without a rule is closed, not open.
 */
public final class AccessPolicy {

    /** The least a caller needs (any one of the roles); {@link #PUBLIC} needs nothing. */
    public enum Access {
        PUBLIC(), VIEWER(Role.VIEWER), OPERATOR(Role.OPERATOR), ADMIN(Role.ADMIN), WORKER(Role.WORKER), PROXY(Role.PROXY),
        /** Envoy bootstraps hold Redis credentials: the proxies that run them, and admins. */
        ADMIN_OR_PROXY(Role.ADMIN, Role.PROXY);

        private final List<Role> roles;

        Access(Role... roles) {
            this.roles = List.of(roles);
        }

        /** The roles of which a caller needs one; empty for public. */
        public List<Role> roles() {
            return roles;
        }

        public boolean allows(Role caller) {
            return roles.isEmpty() || (caller != null && roles.stream().anyMatch(caller::allows));
        }
    }

    public record Rule(HttpMethod method, String pattern, Access access) {

        PathPattern parsed() {
            return PathPatternParser.defaultInstance.parse(pattern);
        }

        boolean matches(HttpMethod requestMethod, String path) {
            return (method == null || method.equals(requestMethod)) && parsed().matches(PathContainer.parsePath(path));
        }
    }

    private static Rule rule(HttpMethod method, String pattern, Access access) {
        return new Rule(method, pattern, access);
    }

    private static final HttpMethod GET = HttpMethod.GET;
    private static final HttpMethod PUT = HttpMethod.PUT;
    private static final HttpMethod POST = HttpMethod.POST;
    private static final HttpMethod DELETE = HttpMethod.DELETE;
    private static final HttpMethod PATCH = HttpMethod.PATCH;

    /** The API, operation by operation. */
    public static final List<Rule> API = List.of(
            rule(GET, "/api/v1/regions", Access.VIEWER),
            rule(GET, "/api/v1/regions/{name}", Access.VIEWER),
            rule(PUT, "/api/v1/regions/{name}", Access.ADMIN),
            rule(PATCH, "/api/v1/regions/{name}", Access.ADMIN),
            rule(DELETE, "/api/v1/regions/{name}", Access.ADMIN),
            rule(GET, "/api/v1/clusters", Access.VIEWER),
            rule(GET, "/api/v1/clusters/{name}", Access.VIEWER),
            rule(PUT, "/api/v1/clusters/{name}", Access.ADMIN),
            rule(PATCH, "/api/v1/clusters/{name}", Access.ADMIN),
            rule(DELETE, "/api/v1/clusters/{name}", Access.ADMIN),
            rule(GET, "/api/v1/meshes", Access.VIEWER),
            rule(GET, "/api/v1/meshes/{name}", Access.VIEWER),
            rule(PUT, "/api/v1/meshes/{name}", Access.ADMIN),
            rule(GET, "/api/v1/meshes/{mesh}/verifications", Access.VIEWER),
            rule(POST, "/api/v1/meshes/{mesh}/verifications", Access.OPERATOR),
            rule(GET, "/api/v1/verifications/{id}", Access.VIEWER),
            rule(DELETE, "/api/v1/verifications/{id}", Access.OPERATOR),
            rule(POST, "/api/v1/verifications/{id}/repair", Access.OPERATOR),
            rule(GET, "/api/v1/links", Access.VIEWER),
            rule(POST, "/api/v1/links", Access.ADMIN),
            rule(GET, "/api/v1/links/{id}", Access.VIEWER),
            rule(DELETE, "/api/v1/links/{id}", Access.ADMIN),
            rule(POST, "/api/v1/links/{id}/pause", Access.OPERATOR),
            rule(POST, "/api/v1/links/{id}/resume", Access.OPERATOR),
            rule(GET, "/api/v1/links/{id}/lag", Access.VIEWER),
            rule(GET, "/api/v1/events", Access.VIEWER),
            rule(GET, "/api/v1/overview", Access.VIEWER),
            rule(GET, "/api/v1/fleet/workers", Access.VIEWER),
            rule(GET, "/api/v1/fleet/leader", Access.VIEWER),
            rule(GET, "/api/v1/fleet/proxies", Access.VIEWER),
            rule(GET, "/api/v1/regions/{name}/envoy.yaml", Access.ADMIN_OR_PROXY),
            rule(PUT, "/api/v1/fleet/workers/{id}", Access.WORKER),
            rule(DELETE, "/api/v1/fleet/workers/{id}", Access.WORKER),
            // orders carry the Redis credentials a worker needs: workers only
            rule(GET, "/api/v1/fleet/workers/{id}/orders", Access.WORKER),
            rule(GET, "/api/v1/worker/links", Access.VIEWER),
            rule(GET, "/api/v1/tokens", Access.ADMIN),
            rule(POST, "/api/v1/tokens", Access.ADMIN),
            rule(DELETE, "/api/v1/tokens/{id}", Access.ADMIN),
            rule(GET, "/api/v1/audit", Access.ADMIN),
            // signing in proves a token itself; reading or ending a session needs one to exist
            rule(POST, "/api/v1/session", Access.PUBLIC),
            rule(GET, "/api/v1/session", Access.PUBLIC),
            rule(DELETE, "/api/v1/session", Access.PUBLIC));

    /** Outside the API: the dashboard's files, the API's documentation, probes and operational endpoints. */
    public static final List<Rule> OTHER = List.of(
            rule(GET, "/", Access.PUBLIC),
            rule(GET, "/index.html", Access.PUBLIC),
            rule(GET, "/assets/**", Access.PUBLIC),
            rule(GET, "/favicon.svg", Access.PUBLIC),
            rule(GET, "/v3/api-docs", Access.PUBLIC),
            rule(GET, "/v3/api-docs/**", Access.PUBLIC),
            rule(GET, "/swagger-ui.html", Access.PUBLIC),
            rule(GET, "/swagger-ui/**", Access.PUBLIC),
            // probes see UP/DOWN only; details need a VIEWER (management.endpoint.health.show-details)
            rule(GET, "/actuator/health", Access.PUBLIC),
            rule(GET, "/actuator/health/liveness", Access.PUBLIC),
            rule(GET, "/actuator/health/readiness", Access.PUBLIC),
            rule(null, "/actuator/**", Access.VIEWER));

    private AccessPolicy() {
    }

    /** The API rule for a request, if any names it. */
    public static Optional<Rule> apiRuleFor(HttpMethod method, String path) {
        return API.stream().filter(r -> r.matches(method, path)).findFirst();
    }
}
