package dev.redmesh.security;

import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is calling: the token's name (what the audit trail shows), its role, and how it proved itself.
 *
 * @param tokenId the stored token's id; null for the configured bootstrap token and in-process callers
 */
public record Caller(String name, Role role, String tokenId, Via via) {

    public enum Via { BEARER, SESSION, INTERNAL }

    /** The request attribute under which the caller of a request stays known after the security filters return. */
    static final String ATTRIBUTE = Caller.class.getName();

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
