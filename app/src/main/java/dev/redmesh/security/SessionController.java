package dev.redmesh.security;

import dev.redmesh.identity.Role;

import dev.redmesh.identity.Caller;

import java.time.Instant;
import java.util.Optional;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import dev.redmesh.audit.AuditTrail;
import dev.redmesh.web.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/session")
@Tag(name = "session", description = "Dashboard sign-in: exchange an API token for a session cookie")
class SessionController {

    private final TokenService tokens;
    private final SessionService sessions;
    private final AuditTrail audit;
    private final AuthFailureLimiter failures;

    SessionController(TokenService tokens, SessionService sessions, AuditTrail audit, AuthFailureLimiter failures) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.audit = audit;
        this.failures = failures;
    }

    record SignIn(String token) {
    }

    /**
     * @param authenticated false (and nothing else set) when the request carried no valid token or session
     * @param csrfToken     send it as {@code X-CSRF-Token} with every request that changes something
     * @param expiresAt     when the session ends; null for a bearer token (it lasts until revoked or expired)
     */
    record SessionResponse(boolean authenticated, @Nullable String name, @Nullable Role role, Caller.@Nullable Via via,
                           @Nullable String csrfToken, @Nullable Instant expiresAt) {

        static final SessionResponse NONE = new SessionResponse(false, null, null, null, null, null);
    }

    @PostMapping
    @Operation(summary = "Sign in: a valid token gives an HttpOnly session cookie and the CSRF token to send with changes")
    ResponseEntity<SessionResponse> signIn(@RequestBody SignIn request, HttpServletRequest http) {
        if (request.token() == null || request.token().isBlank()) {
            throw ApiException.invalid("token", "is required");
        }
        Optional<Caller> proved = tokens.authenticate(request.token().strip());
        if (proved.isEmpty()) {
            failures.failed(http.getRemoteAddr(), true);
            throw ApiException.unauthorized("the token is not valid: unknown, revoked or expired");
        }
        Caller caller = proved.get();
        SessionService.Session session;
        try {
            session = sessions.open(caller);
        } catch (SessionService.RefusedException refused) {
            throw ApiException.forbidden(refused.reason() == SessionService.Refusal.MACHINE_TOKEN
                    ? "a " + caller.role() + " token is for machines and cannot sign in to the dashboard; use a VIEWER, OPERATOR or ADMIN token"
                    : "this credential cannot open a dashboard session");
        }
        audit.signedIn(caller);
        ResponseCookie cookie = ResponseCookie.from(SessionService.COOKIE, session.cookie()).httpOnly(true)
                .secure(http.isSecure()).sameSite("Strict").path("/").maxAge(java.time.Duration.between(Instant.now(),
                        session.expiresAt())).build();
        return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE, cookie.toString())
                .body(new SessionResponse(true, caller.name(), caller.role(), Caller.Via.SESSION, session.csrfToken(),
                        session.expiresAt()));
    }

    @GetMapping
    @Operation(summary = "Who am I: the caller's name and role, and for a dashboard session its CSRF token")
    SessionResponse whoAmI(HttpServletRequest http) {
        Optional<Caller> current = Caller.current();
        if (current.isEmpty()) {
            return SessionResponse.NONE;
        }
        Caller caller = current.get();
        String cookie = CallerFilter.sessionCookie(http);
        String csrf = caller.via() == Caller.Via.SESSION && cookie != null ? sessions.csrf(cookie) : null;
        return new SessionResponse(true, caller.name(), caller.role(), caller.via(), csrf, null);
    }

    @DeleteMapping
    @Operation(summary = "Sign out: ends the session on every control plane and clears its cookie")
    ResponseEntity<Void> signOut(HttpServletRequest request) {
        String current = CallerFilter.sessionCookie(request);
        if (current != null) {
            sessions.close(current);
        }
        ResponseCookie cookie = ResponseCookie.from(SessionService.COOKIE, "").httpOnly(true).sameSite("Strict")
                .path("/").maxAge(0).build();
        return ResponseEntity.status(HttpStatus.NO_CONTENT).header(HttpHeaders.SET_COOKIE, cookie.toString()).build();
    }

}
