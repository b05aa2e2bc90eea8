package dev.redmesh.identity;



import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling: the token's name (what the audit trail shows), its role, and how it proved itself.
 *
 * @param tokenId the stored token's id; null for the configured bootstrap token and in-process callers
 * @param scope   whom a machine token (WORKER, PROXY) may act as; {@link TokenScope#NONE} otherwise
 */
public record Caller(String name, Role role, String tokenId, Via via, TokenScope scope) {

    public enum Via { BEARER, SESSION, INTERNAL }

    public Caller(String name, Role role, String tokenId, Via via) {
        this(name, role, tokenId, via, TokenScope.NONE);
    }

    /** A WORKER token whose scope includes this worker id. */
    public boolean mayActAsWorker(String workerId) {
        return role == Role.WORKER && scope.allowsWorker(workerId);
    }

    /** An ADMIN, or a PROXY token whose scope includes this region and node id. */
    public boolean mayServeProxy(String region, String nodeId) {
        return role == Role.ADMIN || role == Role.PROXY && scope.allowsProxy(region, nodeId);
    }

    /** What limits and rate counters key this caller by: its token, else its name. */
    public String key() {
        return tokenId != null ? "token:" + tokenId : "name:" + name;
    }

    /** The request attribute under which the caller of a request stays known after the security filters return. */
    public static final String ATTRIBUTE = Caller.class.getName();

    /**
     * The token of an {@code Authorization: Bearer <token>} header's value; null when the value is
     * absent or not a bearer token.
     */
    public static String bearerToken(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
    }

    /** The caller a request authenticated as, if any (also after the security filters are done with it). */
    public static Optional<Caller> of(jakarta.servlet.ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Caller caller ? Optional.of(caller) : Optional.empty();
    }

    /** The caller of the request being served on this thread, if it authenticated. */
    public static Optional<Caller> current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getPrincipal() instanceof Caller caller
                ? Optional.of(caller) : Optional.empty();
    }
}
