package dev.redmesh.testing;

import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A digest of every application table's full contents, to prove that a rejected request
 * stored nothing at all (not only that a row count stayed the same).
 *
 * <p>The {@code node} and {@code shard} tables are left out: they hold what the topology poller
 * observes, and it writes them on its own schedule, so a poll that lands between two snapshots
 * (an unreachable fake seed is recorded as a down node) would fail a test that changed nothing.
 */
public record DatabaseSnapshot(Map<String, String> digests) {

    public static DatabaseSnapshot take(DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Map<String, String> digests = new TreeMap<>();
        for (String table : jdbc.queryForList("""
                select tablename from pg_tables
                where schemaname = current_schema()
                  and tablename not in ('flyway_schema_history', 'node', 'shard')""", String.class)) {
            digests.put(table, jdbc.queryForObject(
                    "select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from "
                            + table + " t", String.class));
        }
        return new DatabaseSnapshot(digests);
    }
}
