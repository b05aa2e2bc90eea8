package dev.redmesh.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import dev.redmesh.web.ApiException;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/audit")
@Tag(name = "audit", description = "Every mutating API call: who, what, when, outcome, before → after")
class AuditController {

    static final int MAX_LIMIT = 1000;

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    AuditController(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** {@code before}/{@code after}: the resource as it was and became, for a change that took effect. */
    record AuditEntryResponse(long id, Instant at, String actor, @Nullable String role, String method, String path,
                              int status, @Nullable String resourceType, @Nullable String resourceId,
                              @Nullable JsonNode before, @Nullable JsonNode after) {
    }

    @GetMapping
    @Operation(summary = "Audit entries, newest first")
    List<AuditEntryResponse> list(
            @Parameter(description = "token name") @RequestParam(required = false) String actor,
            @Parameter(description = "region, cluster, link, token or session") @RequestParam(required = false) String resourceType,
            @RequestParam(required = false) String resourceId,
            @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        StringBuilder sql = new StringBuilder("select * from audit_entry where true");
        List<Object> args = new ArrayList<>();
        if (actor != null) {
            sql.append(" and actor = ?");
            args.add(actor);
        }
        if (resourceType != null) {
            sql.append(" and resource_type = ?");
            args.add(resourceType);
        }
        if (resourceId != null) {
            sql.append(" and resource_id = ?");
            args.add(resourceId);
        }
        sql.append(" order by id desc limit ?");
        args.add(limit);
        return jdbc.query(sql.toString(), (rs, i) -> new AuditEntryResponse(rs.getLong("id"),
                rs.getTimestamp("at").toInstant(), rs.getString("actor"), rs.getString("role"), rs.getString("method"),
                rs.getString("path"), rs.getInt("status"), rs.getString("resource_type"), rs.getString("resource_id"),
                tree(rs.getString("before")), tree(rs.getString("after"))), args.toArray());
    }

    private JsonNode tree(String text) {
        return text == null ? null : json.readTree(text);
    }

}
