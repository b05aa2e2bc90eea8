package dev.redmesh.audit;

import java.io.IOException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.ObjectMapper;

import dev.redmesh.identity.Caller;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Writes one audit entry per mutating API call — who, what, when, the outcome, and for a change that
 * took effect the resource before and after. It runs before the security filters, so calls an
 * authenticated caller was refused (403) are recorded too. Not recorded: worker heartbeats
 * (telemetry, once a second per worker, changing nothing an operator configured), and anonymous
 * calls refused before they were read — no or a wrong token (401), too large (413), rate-limited
 * (429) — which anyone can send without end; those are counted in {@code redmesh_auth_failures_total}
 * and {@code redmesh_http_refused_total} instead.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 100)
class AuditFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(AuditFilter.class);
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Pattern HEARTBEAT = Pattern.compile("/api/v1/fleet/workers/[^/]+");
    private static final int MAX_PATH = 512;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;

    AuditFilter(JdbcTemplate jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !MUTATING.contains(request.getMethod()) || !path.startsWith("/api/")
                || ("PUT".equals(request.getMethod()) && HEARTBEAT.matcher(path).matches());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            Caller caller = request.getAttribute(AuditTrail.CALLER) instanceof Caller signedIn ? signedIn
                    : Caller.of(request).orElse(null);
            int status = response.getStatus();
            if (caller != null || !(status == 401 || status == 413 || status == 429)) {
                record(request, status, caller);
            }
        }
    }

    private void record(HttpServletRequest request, int status, Caller caller) {
        AuditTrail.Change change = request.getAttribute(AuditTrail.CHANGE) instanceof AuditTrail.Change c ? c : null;
        boolean tookEffect = status < 400 && change != null;
        String path = request.getRequestURI();
        try {
            jdbc.update("""
                    insert into audit_entry (at, actor, role, method, path, status, resource_type, resource_id, before, after)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    Timestamp.from(clock.instant()), caller == null ? "anonymous" : caller.name(),
                    caller == null ? null : caller.role().name(), request.getMethod(),
                    path.length() > MAX_PATH ? path.substring(0, MAX_PATH) : path, status,
                    change == null ? null : change.resourceType(), change == null ? null : truncate(change.resourceId()),
                    tookEffect && change.before() != null ? json.writeValueAsString(change.before()) : null,
                    tookEffect && change.after() != null ? json.writeValueAsString(change.after()) : null);
        } catch (RuntimeException e) {
            log.error("Could not write the audit entry of {} {} ({}): {}", request.getMethod(), path, status, e.toString());
        }
    }

    private static String truncate(String id) {
        return id == null || id.length() <= 255 ? id : id.substring(0, 255);
    }
}
