package dev.redmesh.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;

/** What every redmesh filter chain shares (the control plane's and a worker-only process's). */
public final class StatelessApi {

    private StatelessApi() {
    }

    /**
     * Bearer tokens only: no form login, no basic auth, no HTTP session, no saved requests. Spring
     * Security's CSRF protection is off: a browser never adds a bearer header by itself, and the
     * dashboard's cookie requests carry their own CSRF token (see {@link CallerFilter}).
     */
    public static HttpSecurity configure(HttpSecurity http, ProblemResponses problems, String unauthorizedDetail)
            throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) -> problems.unauthorized(response, unauthorizedDetail))
                        .accessDeniedHandler((request, response, ex) -> problems.forbidden(response,
                                "your token's role may not do this; see docs/security.md for what each role may do")));
    }

    /** SHA-256 of a token's text, for comparing tokens in constant time without keeping them. */
    public static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
