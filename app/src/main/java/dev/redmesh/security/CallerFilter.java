package dev.redmesh.security;

import dev.redmesh.identity.Caller;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Establishes who calls: a bearer token ({@code Authorization: Bearer …}) or a dashboard session
 * cookie. A bearer token that is not valid is refused at once (401), never treated as anonymous;
 * an invalid session cookie is ignored (the request is anonymous). A request with a session cookie
 * that changes something must carry the session's CSRF token.
 */
final class CallerFilter extends OncePerRequestFilter {

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    private final TokenService tokens;
    private final SessionService sessions;
    private final ProblemResponses problems;
    private final AuthFailureLimiter failures;

    CallerFilter(TokenService tokens, SessionService sessions, ProblemResponses problems, AuthFailureLimiter failures) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.problems = problems;
        this.failures = failures;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        boolean signIn = "POST".equals(request.getMethod()) && "/api/v1/session".equals(request.getRequestURI());
        if ((authorization != null || signIn) && failures.limited(request.getRemoteAddr())) {
            response.setHeader("Retry-After", Long.toString(failures.retryAfterSeconds(request.getRemoteAddr())));
            problems.write(response, org.springframework.http.HttpStatus.TOO_MANY_REQUESTS, dev.redmesh.web.ProblemType.TOO_MANY_REQUESTS,
                    "too many tokens or sign-ins from this address were refused in the last minute; try again later");
            return;
        }
        if (authorization != null) {
            String token = Caller.bearerToken(authorization);
            if (token == null) {
                failures.failed(request.getRemoteAddr(), false);
                problems.unauthorized(response, "use 'Authorization: Bearer <token>'");
                return;
            }
            Optional<Caller> caller = tokens.authenticate(token);
            if (caller.isEmpty()) {
                failures.failed(request.getRemoteAddr(), false);
                problems.unauthorized(response, "the token is not valid: unknown, revoked or expired");
                return;
            }
            authenticate(request, caller.get());
        } else {
            String cookie = sessionCookie(request);
            Optional<Caller> caller = cookie == null ? Optional.empty() : sessions.verify(cookie);
            if (caller.isPresent()) {
                if (!SAFE.contains(request.getMethod())
                        && !sessions.csrfMatches(cookie, request.getHeader(SessionService.CSRF_HEADER))) {
                    problems.forbidden(response, "a change made with a dashboard session needs the session's "
                            + SessionService.CSRF_HEADER + " header");
                    return;
                }
                authenticate(request, caller.get());
            }
        }
        // not cleared here: the exception translation further out needs it to tell 401 from 403,
        // and the chain's SecurityContextHolderFilter clears it when the request is done
        chain.doFilter(request, response);
    }

    private static void authenticate(HttpServletRequest request, Caller caller) {
        request.setAttribute(Caller.ATTRIBUTE, caller);
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new CallerAuthentication(caller));
        SecurityContextHolder.setContext(context);
    }

    static String sessionCookie(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie cookie : cookies) {
            if (SessionService.COOKIE.equals(cookie.getName())) {
                return cookie.getValue();
            }
        }
        return null;
    }
}
