package dev.redmesh.testing;

import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A digest of every application table's full contents, to prove that a rejected request
 * stored nothing at all (not only that a row count stayed the same).
 *
 * <p>Tables written on their own schedule by background loops are left out: {@code node} and
 * {@code shard} (the topology poller's observations: an unreachable fake seed is recorded as a down
 * node), {@code worker}, {@code assignment} and {@code lag_sample} (heartbeats of the in-process
 * worker, the fleet leader's reconciling). A snapshot that included them would fail a test that
 * changed nothing. {@code audit_entry} is left out too: a refused call is recorded there by design
 * (tests check those entries on their own), and of {@code api_token} the time a token was last used.
 */
public record DatabaseSnapshot(Map<String, String> digests) {

    public static DatabaseSnapshot take(DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Map<String, String> digests = new TreeMap<>();
        for (String table : jdbc.queryForList("""
                select tablename from pg_tables
                where schemaname = current_schema()
                  and tablename not in ('flyway_schema_history', 'node', 'shard', 'worker', 'assignment', 'lag_sample',
                                        'audit_entry')""", String.class)) {
            String row = table.equals("api_token")
                    ? "(t.id, t.name, t.role, t.secret_hash, t.created_at, t.created_by, t.expires_at, t.revoked_at)::text"
                    : "t::text";
            digests.put(table, jdbc.queryForObject(
                    "select count(*) || ':' || coalesce(md5(string_agg(" + row + ", '|' order by " + row + ")), '') from "
                            + table + " t", String.class));
        }
        return new DatabaseSnapshot(digests);
    }
}
