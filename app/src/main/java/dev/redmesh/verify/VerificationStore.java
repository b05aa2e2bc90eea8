package dev.redmesh.verify;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The {@code verification} and {@code verification_key} tables. */
@Repository
class VerificationStore {

    /** Findings kept per verification, with what each region holds; beyond it they are only counted. */
    static final int MAX_STORED_KEYS = 10_000;

    enum State { RUNNING, DONE, FAILED, CANCELLED }

    record Request(int passes, String match, int keysPerSecond, int intervalMs, long ttlToleranceMs) {
    }

    record PassCount(int pass, long candidates) {
    }

    record Row(String id, String mesh, State state, Request request, long keysChecked, long keysEstimated,
               List<PassCount> passes, @Nullable Long divergentKeys, Map<String, Long> kinds, @Nullable String reason,
               String owner, String requestedBy, @Nullable Map<String, Object> repair, Instant createdAt, Instant updatedAt,
               @Nullable Instant finishedAt) {
    }

    /** One stored finding: what each region holds under the key. */
    record StoredKey(int seq, int db, byte[] key, Comparison.Kind kind, Map<String, Map<String, Object>> regions) {
    }

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    VerificationStore(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    void insert(String id, String mesh, Request r, String owner, String requestedBy, Instant now) {
        jdbc.update("""
                insert into verification (id, mesh, state, passes, match_pattern, keys_per_second, interval_ms,
                    ttl_tolerance_ms, owner, requested_by, created_at, updated_at)
                values (?, ?, 'RUNNING', ?, ?, ?, ?, ?, ?, ?, ?, ?)""", id, mesh, r.passes(), r.match(), r.keysPerSecond(),
                r.intervalMs(), r.ttlToleranceMs(), owner, requestedBy, ts(now), ts(now));
    }

    /** Progress of a running verification; false once it is no longer RUNNING (cancelled, or failed by the sweeper). */
    boolean progress(String id, long keysChecked, long keysEstimated, List<PassCount> passes, Instant now) {
        return jdbc.update("""
                update verification set keys_checked = ?, keys_estimated = ?, pass_candidates = ?::jsonb, updated_at = ?
                where id = ? and state = 'RUNNING'""", keysChecked, keysEstimated, json.writeValueAsString(passes), ts(now),
                id) == 1;
    }

    /** Ends a verification that is still RUNNING; false if something else ended it first. */
    boolean finish(String id, State state, @Nullable Long divergent, Map<String, Long> kinds, @Nullable String reason,
                   Instant now) {
        return jdbc.update("""
                update verification set state = ?, divergent_keys = ?, kinds = ?::jsonb, reason = ?, updated_at = ?,
                    finished_at = ?
                where id = ? and state = 'RUNNING'""", state.name(), divergent, json.writeValueAsString(kinds), reason,
                ts(now), ts(now), id) == 1;
    }

    void storeKeys(String id, List<StoredKey> keys) {
        jdbc.batchUpdate("""
                insert into verification_key (verification_id, seq, db, key, kind, regions) values (?, ?, ?, ?, ?, ?::jsonb)""",
                keys, 500, (ps, k) -> {
                    ps.setString(1, id);
                    ps.setInt(2, k.seq());
                    ps.setInt(3, k.db());
                    ps.setBytes(4, k.key());
                    ps.setString(5, k.kind().name());
                    ps.setString(6, json.writeValueAsString(k.regions()));
                });
    }

    void repair(String id, Map<String, Object> repair, Instant now) {
        jdbc.update("update verification set repair = ?::jsonb, updated_at = ? where id = ?", json.writeValueAsString(repair),
                ts(now), id);
    }

    /** RUNNING verifications whose runner has not written for {@code staleAfter}: their control plane is gone. */
    List<String> failStale(Instant olderThan, Instant now) {
        return jdbc.queryForList("""
                update verification set state = 'FAILED', finished_at = ?, updated_at = ?,
                    reason = 'its control plane stopped while it ran (no progress since ' || to_char(updated_at at time zone 'UTC',
                        'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ')'
                where state = 'RUNNING' and updated_at < ? returning id""", String.class, ts(now), ts(now), ts(olderThan));
    }

    @Nullable Row get(String id) {
        List<Row> rows = jdbc.query("select * from verification where id = ?", this::row, id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    List<Row> ofMesh(String mesh, int limit) {
        return jdbc.query("select * from verification where mesh = ? order by created_at desc limit ?", this::row, mesh, limit);
    }

    boolean runningIn(String mesh) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists (select 1 from verification where mesh = ? and state = 'RUNNING')", Boolean.class, mesh));
    }

    /** The latest finished (DONE) verification of every mesh: for the divergent-keys gauge. */
    Map<String, Long> latestDivergence() {
        Map<String, Long> latest = new LinkedHashMap<>();
        jdbc.query("""
                select distinct on (mesh) mesh, divergent_keys from verification where state = 'DONE'
                order by mesh, finished_at desc""", rs -> {
            latest.put(rs.getString("mesh"), rs.getLong("divergent_keys"));
        });
        return latest;
    }

    List<StoredKey> keys(String id, int limit) {
        return jdbc.query("select * from verification_key where verification_id = ? order by seq limit ?", (rs, i) ->
                new StoredKey(rs.getInt("seq"), rs.getInt("db"), rs.getBytes("key"),
                        Comparison.Kind.valueOf(rs.getString("kind")),
                        json.readValue(rs.getString("regions"), new TypeReference<Map<String, Map<String, Object>>>() {
                        })), id, limit);
    }

    void putSchedule(VerificationService.Schedule s, Instant now) {
        jdbc.update("""
                insert into mesh_verify_schedule (mesh, every_seconds, passes, keys_per_second, repair, policy, updated_at)
                values (?, ?, ?, ?, ?, ?::jsonb, ?)
                on conflict (mesh) do update set every_seconds = excluded.every_seconds, passes = excluded.passes,
                    keys_per_second = excluded.keys_per_second, repair = excluded.repair, policy = excluded.policy,
                    updated_at = excluded.updated_at""", s.mesh(), s.everySeconds(), s.passes(), s.keysPerSecond(),
                s.repair(), s.policy() == null ? null : json.writeValueAsString(s.policy()), ts(now));
    }

    void deleteSchedule(String mesh) {
        jdbc.update("delete from mesh_verify_schedule where mesh = ?", mesh);
    }

    List<VerificationService.Schedule> schedules() {
        return jdbc.query("select * from mesh_verify_schedule order by mesh", (rs, i) -> {
            String policy = rs.getString("policy");
            return new VerificationService.Schedule(rs.getString("mesh"), rs.getLong("every_seconds"), rs.getInt("passes"),
                    rs.getInt("keys_per_second"), rs.getBoolean("repair"),
                    policy == null ? null : json.readValue(policy, new TypeReference<Map<String, Object>>() {
                    }));
        });
    }

    /** When the mesh's latest verification was started, or null. */
    @Nullable Instant lastStarted(String mesh) {
        List<Instant> at = jdbc.query("select max(created_at) at from verification where mesh = ?",
                (rs, i) -> instant(rs, "at"), mesh);
        return at.isEmpty() ? null : at.get(0);
    }

    private Row row(ResultSet rs, int i) throws SQLException {
        String repair = rs.getString("repair");
        return new Row(rs.getString("id"), rs.getString("mesh"), State.valueOf(rs.getString("state")),
                new Request(rs.getInt("passes"), rs.getString("match_pattern"), rs.getInt("keys_per_second"),
                        rs.getInt("interval_ms"), rs.getLong("ttl_tolerance_ms")),
                rs.getLong("keys_checked"), rs.getLong("keys_estimated"),
                new ArrayList<>(json.readValue(rs.getString("pass_candidates"), new TypeReference<List<PassCount>>() {
                })),
                (Long) rs.getObject("divergent_keys"),
                json.readValue(rs.getString("kinds"), new TypeReference<Map<String, Long>>() {
                }),
                rs.getString("reason"), rs.getString("owner"), rs.getString("requested_by"),
                repair == null ? null : json.readValue(repair, new TypeReference<Map<String, Object>>() {
                }),
                instant(rs, "created_at"), instant(rs, "updated_at"), instant(rs, "finished_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}
