package dev.redmesh.worker;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.ObjectMapper;

import dev.redmesh.identity.Caller;
import dev.redmesh.security.ProblemResponses;
import dev.redmesh.security.StatelessApi;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A worker-only process has no token store: its own API (status, actuator) accepts the token it
 * presents to the control plane ({@code redmesh.worker.fleet.token}) or the configured admin token
 * ({@code redmesh.security.admin-token}). Health stays open for probes. Imported by
 * {@link WorkerApplication} only; the control plane has its own chain.
 */
@org.springframework.boot.context.properties.EnableConfigurationProperties(dev.redmesh.security.RequestLimits.class)
class WorkerSecurity {

    @Bean
    org.springframework.boot.web.servlet.FilterRegistrationBean<dev.redmesh.security.RequestLimitFilter> requestLimits(
            dev.redmesh.security.RequestLimits limits, ObjectMapper json, io.micrometer.core.instrument.MeterRegistry meters) {
        return dev.redmesh.security.RequestLimitFilter.registration(limits, json, meters);
    }

    @Bean
    SecurityFilterChain workerSecurity(HttpSecurity http, FleetAgentProperties fleet, Environment environment,
                                       ObjectMapper json) throws Exception {
        List<byte[]> accepted = new ArrayList<>();
        if (fleet.token() != null) {
            accepted.add(StatelessApi.sha256(fleet.token()));
        }
        String admin = environment.getProperty("redmesh.security.admin-token");
        if (admin != null && !admin.isBlank()) {
            accepted.add(StatelessApi.sha256(admin.strip()));
        }
        ProblemResponses problems = new ProblemResponses(json);
        StatelessApi.configure(http, problems, "this needs the worker's fleet token or the admin token")
                .addFilterBefore(new TokenFilter(accepted, problems), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness").permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().hasRole("VIEWER"));
        return http.build();
    }

    private static final class TokenFilter extends OncePerRequestFilter {
        private final List<byte[]> accepted;
        private final ProblemResponses problems;

        TokenFilter(List<byte[]> accepted, ProblemResponses problems) {
            this.accepted = accepted;
            this.problems = problems;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, java.io.IOException {
            String authorization = request.getHeader("Authorization");
            if (authorization != null) {
                String bearer = Caller.bearerToken(authorization);
                byte[] presented = bearer != null ? StatelessApi.sha256(bearer) : new byte[0];
                boolean ok = false;
                for (byte[] token : accepted) {
                    ok |= MessageDigest.isEqual(presented, token);
                }
                if (!ok) {
                    problems.unauthorized(response, "the token is not valid for this worker");
                    return;
                }
                SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                        "token", "", AuthorityUtils.createAuthorityList("ROLE_VIEWER")));
            }
            chain.doFilter(request, response); // the chain's SecurityContextHolderFilter clears the context
        }
    }
}
