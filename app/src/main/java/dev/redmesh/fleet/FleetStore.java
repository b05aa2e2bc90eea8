package dev.redmesh.fleet;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.redmesh.cluster.ClusterReadModel;
import dev.redmesh.cluster.ClusterSecrets;
import dev.redmesh.link.LinkMode;
import dev.redmesh.sync.Capture;
import dev.redmesh.sync.Resync;
import dev.redmesh.link.LinkReadModel;
import dev.redmesh.topology.ShardReadModel;
import dev.redmesh.worker.AssignmentPhase;
import dev.redmesh.link.LinkResponse;
import dev.redmesh.worker.FleetProtocol;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Workers, assignments and lag samples in Postgres, in plain SQL: leases and epochs are conditional
 * updates that must say exactly what they check.
 */
@Repository
class FleetStore {

    private final JdbcTemplate jdbc;
    private final ClusterSecrets secrets;

    FleetStore(JdbcTemplate jdbc, ClusterSecrets secrets) {
        this.jdbc = jdbc;
        this.secrets = secrets;
    }

    record WorkerRow(String id, FleetProtocol.Kind kind, String pinnedNode, String address, String version,
                     Instant startedAt, Instant lastHeartbeat) {
    }

    record AssignmentRow(String id, String linkId, String shardId, String sourceNode, String targetNode, long epoch,
                         String workerId, Instant leaseExpiresAt, AssignmentPhase phase, Long appliedOffset, Long lagBytes,
                         Long lagMs, Double opsPerSec, String lastError, Instant reportedAt,
                         LinkResponse.@Nullable FullSync fullSync) {

        AssignmentRow(String id, String linkId, String shardId, String sourceNode, String targetNode, long epoch,
                      String workerId, Instant leaseExpiresAt, AssignmentPhase phase, Long appliedOffset, Long lagBytes,
                      Long lagMs, Double opsPerSec, String lastError, Instant reportedAt) {
            this(id, linkId, shardId, sourceNode, targetNode, epoch, workerId, leaseExpiresAt, phase, appliedOffset,
                    lagBytes, lagMs, opsPerSec, lastError, reportedAt, null);
        }

        /** A worker holds it under a lease that has not run out at {@code now}. */
        boolean heldAt(Instant now) {
            return workerId != null && leaseExpiresAt != null && leaseExpiresAt.isAfter(now);
        }
    }

    record LagPoint(Instant at, @Nullable Long lagMs, @Nullable Long lagBytes, @Nullable Double opsPerSec) {
    }

    // ---- workers

    /**
     * Registers or refreshes the worker, renews the leases it still holds and stores what it reports.
     * Returns the reports of the assignments it does still hold at the reported epoch.
     */
    List<FleetProtocol.AssignmentReport> heartbeat(String workerId, FleetProtocol.Heartbeat heartbeat, Instant now, Duration lease) {
        jdbc.update("""
                insert into worker (id, kind, pinned_node, address, version, started_at, last_heartbeat)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (id) do update set kind = excluded.kind, pinned_node = excluded.pinned_node,
                    address = excluded.address, version = excluded.version, last_heartbeat = excluded.last_heartbeat""",
                workerId, heartbeat.kind().name(), heartbeat.pinnedNode(), heartbeat.address(), heartbeat.version(),
                ts(now), ts(now));
        // one round trip for all leases and one for all samples: heartbeats are the control plane's
        // steadiest load, and a slow one delays what the worker reports (a takeover's STREAMING)
        List<FleetProtocol.AssignmentReport> reports = heartbeat.assignments();
        if (reports.isEmpty()) {
            return List.of();
        }
        int[] held = jdbc.batchUpdate("""
                update assignment set lease_expires_at = ?, phase = ?, applied_offset = ?, lag_bytes = ?, lag_ms = ?,
                        ops_per_sec = ?, last_error = ?, reported_at = ?, resync = ?, full_sync_keys_read = ?,
                    full_sync_keys_total = ?, full_sync_elapsed_ms = ?
                where id = ? and worker_id = ? and epoch = ?""", reports.stream().map(report -> new Object[] {
                ts(now.plus(lease)), report.phase().name(), report.appliedOffset(), nonNegative(report.lagBytes()),
                nonNegative(report.lagMs()), report.opsPerSec(), report.error(), ts(now), report.resync() == null ? Resync.NONE.name() : report.resync().name(),
                report.fullSync() == null ? null : report.fullSync().keysRead(),
                report.fullSync() == null ? null : report.fullSync().keysTotal(),
                report.fullSync() == null ? null : report.fullSync().elapsedMs(), report.id(),
                workerId, report.epoch()}).toList());
        Instant second = now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<Object[]> samples = new ArrayList<>();
        List<FleetProtocol.AssignmentReport> holding = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            if (held[i] == 1) {
                FleetProtocol.AssignmentReport report = reports.get(i);
                holding.add(report);
                samples.add(new Object[] {ts(second), nonNegative(report.lagMs()), nonNegative(report.lagBytes()),
                        report.opsPerSec(), report.id()});
            }
        }
        if (!samples.isEmpty()) {
            jdbc.batchUpdate("""
                    insert into lag_sample (link_id, shard_id, resolution_s, at, lag_ms, lag_bytes, ops_per_sec)
                    select link_id, shard_id, 1, ?, ?, ?, ? from assignment where id = ?
                    on conflict (link_id, resolution_s, at, shard_id) do update
                    set lag_ms = excluded.lag_ms, lag_bytes = excluded.lag_bytes, ops_per_sec = excluded.ops_per_sec""",
                    samples);
        }
        return holding;
    }

    /** Every held assignment whose lease ran out gets one until {@code until}; returns how many. */
    int extendLapsedLeases(Instant until) {
        return jdbc.update("update assignment set lease_expires_at = ? where worker_id is not null "
                + "and (lease_expires_at is null or lease_expires_at < ?)", ts(until), ts(until));
    }

    private static final String WORKERS = "select * from worker order by id";
    private static final String ASSIGNMENTS = "select * from assignment order by id";

    /**
     * What the leader reconciles from, read in one round trip (one statement text, five results): the
     * fleet's own tables and what the cluster, topology and link features publish for it.
     */
    record Snapshot(Map<String, ClusterReadModel.Row> clusters, Map<String, List<ShardReadModel.Row>> masters,
                    List<AssignmentRow> assignments, List<WorkerRow> workers, List<LinkReadModel.Row> links) {

        Map<String, List<AssignmentRow>> assignmentsByLink() {
            return byLink(assignments);
        }

        /** Links a worker carries (read from the source's stream). */
        List<LinkReadModel.Row> workerLinks() {
            return links.stream().filter(l -> l.mode() != LinkMode.PROXY_MIRROR).toList();
        }

        /** Links an Envoy proxy carries by mirroring writes. */
        List<LinkReadModel.Row> mirrorLinks() {
            return links.stream().filter(l -> l.mode() == LinkMode.PROXY_MIRROR).toList();
        }
    }

    Snapshot snapshot() {
        return jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<Snapshot>) connection -> {
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute(String.join(";\n", ClusterReadModel.QUERY, ShardReadModel.QUERY, ASSIGNMENTS, WORKERS,
                        LinkReadModel.QUERY));
                Map<String, ClusterReadModel.Row> clusters = new LinkedHashMap<>();
                readAll(statement, rs -> clusters.put(rs.getString("name"), ClusterReadModel.row(rs)));
                Map<String, List<ShardReadModel.Row>> masters = new LinkedHashMap<>();
                nextResult(statement);
                readAll(statement, rs -> addMaster(masters, rs));
                List<AssignmentRow> assignments = new ArrayList<>();
                nextResult(statement);
                readAll(statement, rs -> assignments.add(assignment(rs, 0)));
                List<WorkerRow> workers = new ArrayList<>();
                nextResult(statement);
                readAll(statement, rs -> workers.add(workerRow(rs)));
                List<LinkReadModel.Row> links = new ArrayList<>();
                nextResult(statement);
                readAll(statement, rs -> links.add(LinkReadModel.row(rs)));
                return new Snapshot(clusters, masters, assignments, workers, links);
            }
        });
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private static void readAll(java.sql.Statement statement, RowReader reader) throws SQLException {
        try (ResultSet rs = statement.getResultSet()) {
            while (rs.next()) {
                reader.read(rs);
            }
        }
    }

    private static void nextResult(java.sql.Statement statement) throws SQLException {
        if (!statement.getMoreResults()) {
            throw new SQLException("the fleet snapshot returned fewer results than it asked for");
        }
    }

    List<WorkerRow> workers() {
        return jdbc.query(WORKERS, (rs, i) -> workerRow(rs));
    }

    private static WorkerRow workerRow(ResultSet rs) throws SQLException {
        return new WorkerRow(rs.getString("id"), FleetProtocol.Kind.valueOf(rs.getString("kind")),
                rs.getString("pinned_node"), rs.getString("address"), rs.getString("version"),
                instant(rs, "started_at"), instant(rs, "last_heartbeat"));
    }

    /**
     * A worker that says goodbye: its leases end now, so that the leader moves its assignments at its
     * next tick instead of a lease later, and it is forgotten (no longer shown, or counted as silent).
     *
     * @return whether the worker was known
     */
    boolean leave(String workerId, Instant now) {
        jdbc.update("update assignment set lease_expires_at = ? where worker_id = ? and lease_expires_at > ?",
                ts(now), workerId, ts(now));
        return jdbc.update("delete from worker where id = ?", workerId) > 0;
    }

    void forgetWorkersSilentSince(Instant before) {
        jdbc.update("delete from worker where last_heartbeat < ?", ts(before));
    }

    // ---- assignments

    List<AssignmentRow> assignments() {
        return jdbc.query(ASSIGNMENTS, FleetStore::assignment);
    }

    /** Every assignment, grouped by link. */
    Map<String, List<AssignmentRow>> assignmentsByLink() {
        return byLink(assignments());
    }

    static Map<String, List<AssignmentRow>> byLink(List<AssignmentRow> assignments) {
        Map<String, List<AssignmentRow>> byLink = new LinkedHashMap<>();
        assignments.forEach(a -> byLink.computeIfAbsent(a.linkId(), l -> new ArrayList<>()).add(a));
        return byLink;
    }

    List<AssignmentRow> assignmentsOf(String linkId) {
        return jdbc.query("select * from assignment where link_id = ? order by shard_id", FleetStore::assignment, linkId);
    }

    /**
     * What the worker must run: every assignment it holds, with everything needed to connect.
     *
     * @param seal seals a Redis password for the worker that asks ({@link dev.redmesh.worker.OrderSeal})
     */
    FleetProtocol.Orders orders(String workerId, long leaseMs, java.util.function.UnaryOperator<String> seal) {
        List<AssignmentRow> held = jdbc.query("select * from assignment where worker_id = ? order by id", FleetStore::assignment,
                workerId);
        if (held.isEmpty()) {
            return new FleetProtocol.Orders(leaseMs, fingerprint(List.of()), List.of(), Map.of());
        }
        Map<String, ClusterReadModel.Row> clusters = clusters();
        Map<String, LinkReadModel.Row> links = new HashMap<>();
        jdbc.query(LinkReadModel.QUERY, rs -> {
            LinkReadModel.Row link = LinkReadModel.row(rs);
            links.put(link.id(), link);
        });
        // a slot-routed target without seeds of its own (cluster-mode ElastiCache) is reached through its masters
        Map<String, List<String>> mastersOf = new HashMap<>();
        jdbc.query(ShardReadModel.QUERY, rs -> {
            ShardReadModel.Row shard = ShardReadModel.row(rs);
            mastersOf.computeIfAbsent(shard.cluster(), c -> new ArrayList<>()).add(shard.master());
        });
        // each cluster's password decrypted and sealed once per answer, not once per assignment
        Map<String, java.util.Optional<String>> sealed = new HashMap<>();
        java.util.function.Function<ClusterReadModel.Row, String> password = cluster -> sealed.computeIfAbsent(cluster.name(),
                name -> java.util.Optional.ofNullable(seal.apply(secrets.password(name, cluster.passwordCiphertext())))).orElse(null);
        List<FleetProtocol.AssignmentSpec> specs = new ArrayList<>();
        // only a keyspace capture's resync reads it: no scan of the assignments for a worker without one
        Map<String, Long> inbound = held.stream().anyMatch(a -> links.containsKey(a.linkId())
                && links.get(a.linkId()).mode() == LinkMode.KEYSPACE) ? inboundCoverage(links.values()) : Map.of();
        Map<String, Long> covered = new HashMap<>();
        for (AssignmentRow a : held) {
            LinkReadModel.Row link = links.get(a.linkId());
            ClusterReadModel.Row source = link == null ? null : clusters.get(link.source());
            ClusterReadModel.Row target = link == null ? null : clusters.get(link.target());
            if (source == null || target == null) {
                continue; // its link or a cluster is being deleted: the next tick removes the assignment
            }
            String sourcePassword = password.apply(source);
            String targetPassword = password.apply(target);
            specs.add(new FleetProtocol.AssignmentSpec(a.id(), a.linkId(), a.shardId(), a.epoch(),
                    new FleetProtocol.Endpoint(List.of(a.sourceNode()), false, source.username(), sourcePassword, source.tls()),
                    a.targetNode() != null
                            ? new FleetProtocol.Endpoint(List.of(a.targetNode()), false, target.username(), targetPassword, target.tls())
                            : new FleetProtocol.Endpoint(target.seeds().isEmpty()
                                    ? mastersOf.getOrDefault(target.name(), List.of()) : target.seeds(),
                                    true, target.username(), targetPassword, target.tls()),
                    link.include(), link.exclude(), link.mode() == LinkMode.KEYSPACE ? Capture.KEYSPACE : Capture.PSYNC,
                    target.readsKeyspace()));
            if (link.mode() == LinkMode.KEYSPACE) {
                covered.put(a.id(), inbound.getOrDefault(source.name(), Long.MAX_VALUE));
            }
        }
        return new FleetProtocol.Orders(leaseMs, fingerprint(specs), specs, covered);
    }

    /**
     * Per cluster that some link leads into: the time up to which every such link has applied what its
     * source was written ({@link FleetProtocol.Orders#covered}). A link covers up to its assignments'
     * oldest {@code reported_at − lag_ms}, and nothing (0) while any of them is not streaming, is
     * reconciling or has no report; a link without assignments (paused, not planned yet) covers
     * nothing. A link whose resync waits ({@link Resync#WAITING}) will not cover the keys it waits on
     * before the waiting side decides: where such links are all that does not cover, the answer is
     * {@link FleetProtocol.Orders#UNDECIDABLE}. Envoy's write mirroring is no worker's: it mirrors as
     * clients write and holds nothing back.
     */
    private Map<String, Long> inboundCoverage(java.util.Collection<LinkReadModel.Row> links) {
        Map<String, Long> byLink = new HashMap<>();
        java.util.Set<String> waiting = new java.util.HashSet<>();
        jdbc.query("select link_id, phase, lag_ms, reported_at, resync from assignment", rs -> {
            Timestamp reported = rs.getTimestamp("reported_at");
            long lag = rs.getLong("lag_ms");
            boolean known = !rs.wasNull() && reported != null
                    && AssignmentPhase.STREAMING.name().equals(rs.getString("phase"));
            String resync = rs.getString("resync");
            String link = rs.getString("link_id");
            if (known && Resync.WAITING.name().equals(resync)) {
                waiting.add(link);
                byLink.merge(link, Long.MAX_VALUE, Math::min);
            } else {
                byLink.merge(link, known && Resync.NONE.name().equals(resync) ? reported.getTime() - lag : 0, Math::min);
            }
        });
        Map<String, Long> byCluster = new HashMap<>();
        java.util.Set<String> undecidable = new java.util.HashSet<>();
        for (LinkReadModel.Row link : links) {
            if (link.mode() != LinkMode.PROXY_MIRROR && !link.source().equals(link.target())) {
                byCluster.merge(link.target(), byLink.getOrDefault(link.id(), 0L), Math::min);
                if (waiting.contains(link.id())) {
                    undecidable.add(link.target());
                }
            }
        }
        undecidable.forEach(cluster -> byCluster.computeIfPresent(cluster,
                (c, upTo) -> upTo == 0 ? 0 : FleetProtocol.Orders.UNDECIDABLE));
        return byCluster;
    }

    /** Changes whenever the worker's set of assignments, their epochs or endpoints change. */
    String fingerprint(String workerId) {
        List<String> parts = jdbc.queryForList("""
                select id || '@' || epoch from assignment where worker_id = ? order by id""", String.class, workerId);
        return String.join(",", parts);
    }

    private static String fingerprint(List<FleetProtocol.AssignmentSpec> specs) {
        return String.join(",", specs.stream().map(s -> s.id() + "@" + s.epoch()).toList());
    }

    long nextEpoch() {
        return jdbc.queryForObject("select nextval('assignment_epoch_seq')", Long.class);
    }

    void insertAssignment(String id, String linkId, String shardId, String sourceNode, String targetNode, long epoch,
                          String workerId, Instant leaseExpiresAt, Instant now) {
        jdbc.update("""
                insert into assignment (id, link_id, shard_id, source_node, target_node, epoch, worker_id, lease_expires_at,
                    updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                id, linkId, shardId, sourceNode, targetNode, epoch, workerId, ts(leaseExpiresAt), ts(now));
    }

    /** A new holder, source or target: a new epoch, and nothing the former holder reported. */
    void reassign(String id, String sourceNode, String targetNode, long epoch, String workerId, Instant leaseExpiresAt,
                  Instant now) {
        jdbc.update("""
                update assignment set source_node = ?, target_node = ?, epoch = ?, worker_id = ?, lease_expires_at = ?,
                    phase = null, last_error = null, reported_at = null, resync = 'NONE', full_sync_keys_read = null,
                    full_sync_keys_total = null, full_sync_elapsed_ms = null, updated_at = ?
                where id = ?""",
                sourceNode, targetNode, epoch, workerId, ts(leaseExpiresAt), ts(now), id);
    }

    void deleteAssignment(String id) {
        jdbc.update("delete from assignment where id = ?", id);
    }

    /** Removes the assignment of a paused link, remembering where its shard stood ({@code paused_shard}). */
    void pauseAssignment(String id, Instant now) {
        jdbc.update("""
                insert into paused_shard (link_id, shard_id, source_node, applied_offset, paused_at)
                select link_id, shard_id, source_node, applied_offset, ? from assignment where id = ?
                on conflict (link_id, shard_id) do update set source_node = excluded.source_node,
                    applied_offset = excluded.applied_offset, paused_at = excluded.paused_at""", ts(now), id);
        deleteAssignment(id);
    }

    /** Where the shards of paused links stood, by link: those of links no longer paused are gone. */
    Map<String, List<PausedShard>> pausedShards(java.util.Collection<String> linkIds) {
        Map<String, List<PausedShard>> byLink = new HashMap<>();
        jdbc.query(connection -> {
            var statement = connection.prepareStatement("""
                    select p.*, l.source_cluster, l.mode from paused_shard p join replication_link l on l.id = p.link_id
                    where l.state = 'PAUSED' and p.link_id = any(?) order by p.link_id, p.shard_id""");
            statement.setArray(1, connection.createArrayOf("varchar", linkIds.toArray()));
            return statement;
        }, rs -> {
            byLink.computeIfAbsent(rs.getString("link_id"), k -> new ArrayList<>()).add(new PausedShard(rs.getString("shard_id"),
                    rs.getString("source_cluster"), rs.getString("source_node"), (Long) rs.getObject("applied_offset"),
                    LinkMode.valueOf(rs.getString("mode"))));
        });
        return byLink;
    }

    record PausedShard(String shard, String sourceCluster, String sourceNode, @Nullable Long appliedOffset, LinkMode mode) {
    }

    // ---- what the reconciler reads of other features

    /** Links a worker carries, for the health and metrics of each. */
    List<LinkReadModel.Row> workerLinks() {
        return jdbc.query(LinkReadModel.QUERY, (rs, i) -> LinkReadModel.row(rs)).stream()
                .filter(l -> l.mode() != LinkMode.PROXY_MIRROR).toList();
    }

    Map<String, ClusterReadModel.Row> clusters() {
        Map<String, ClusterReadModel.Row> clusters = new LinkedHashMap<>();
        jdbc.query(ClusterReadModel.QUERY, rs -> {
            clusters.put(rs.getString("name"), ClusterReadModel.row(rs));
        });
        return clusters;
    }

    private static void addMaster(Map<String, List<ShardReadModel.Row>> masters, ResultSet rs) throws SQLException {
        ShardReadModel.Row row = ShardReadModel.row(rs);
        masters.computeIfAbsent(row.cluster(), c -> new ArrayList<>()).add(row);
    }

    // ---- lag samples

    /** Per-second samples of the window (or per-minute ones for long windows), worst shard per instant. */
    List<LagPoint> lag(String linkId, int resolutionSeconds, Instant since) {
        return jdbc.query("""
                select at, max(lag_ms) lag_ms, sum(lag_bytes) lag_bytes, sum(ops_per_sec) ops
                from lag_sample where link_id = ? and resolution_s = ? and at >= ?
                group by at order by at""",
                (rs, i) -> new LagPoint(instant(rs, "at"), (Long) rs.getObject("lag_ms"),
                        rs.getObject("lag_bytes") == null ? null : ((Number) rs.getObject("lag_bytes")).longValue(),
                        (Double) rs.getObject("ops")), linkId, resolutionSeconds, ts(since));
    }

    /** One shard's samples of the window, by shard id and time. */
    Map<String, List<LagPoint>> lagByShard(String linkId, int resolutionSeconds, Instant since) {
        Map<String, List<LagPoint>> byShard = new java.util.TreeMap<>();
        jdbc.query("""
                select shard_id, at, lag_ms, lag_bytes, ops_per_sec from lag_sample
                where link_id = ? and resolution_s = ? and at >= ? order by shard_id, at""", rs -> {
            byShard.computeIfAbsent(rs.getString("shard_id"), s -> new ArrayList<>()).add(new LagPoint(instant(rs, "at"),
                    (Long) rs.getObject("lag_ms"), (Long) rs.getObject("lag_bytes"), (Double) rs.getObject("ops_per_sec")));
        }, linkId, resolutionSeconds, ts(since));
        return byShard;
    }

    /** Folds finished minutes of 1 s samples into 1 min samples, and drops what is past retention. */
    void downsample(Instant now, Duration fineFor, Duration coarseFor) {
        Instant minute = now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        jdbc.update("""
                insert into lag_sample (link_id, shard_id, resolution_s, at, lag_ms, lag_bytes, ops_per_sec)
                select link_id, shard_id, 60, date_trunc('minute', at), max(lag_ms), max(lag_bytes), avg(ops_per_sec)
                from lag_sample where resolution_s = 1 and at >= ? and at < ?
                group by link_id, shard_id, date_trunc('minute', at)
                on conflict (link_id, resolution_s, at, shard_id) do update
                set lag_ms = excluded.lag_ms, lag_bytes = excluded.lag_bytes, ops_per_sec = excluded.ops_per_sec""",
                ts(minute.minus(Duration.ofMinutes(5))), ts(minute));
        jdbc.update("delete from lag_sample where resolution_s = 1 and at < ?", ts(now.minus(fineFor)));
        jdbc.update("delete from lag_sample where resolution_s = 60 and at < ?", ts(now.minus(coarseFor)));
    }

    // ---- helpers

    static AssignmentRow assignment(ResultSet rs, int row) throws SQLException {
        return new AssignmentRow(rs.getString("id"), rs.getString("link_id"), rs.getString("shard_id"),
                rs.getString("source_node"), rs.getString("target_node"), rs.getLong("epoch"), rs.getString("worker_id"),
                instant(rs, "lease_expires_at"), phase(rs.getString("phase")), (Long) rs.getObject("applied_offset"),
                (Long) rs.getObject("lag_bytes"), (Long) rs.getObject("lag_ms"), (Double) rs.getObject("ops_per_sec"),
                rs.getString("last_error"), instant(rs, "reported_at"), fullSync(rs));
    }

    private static LinkResponse.@Nullable FullSync fullSync(ResultSet rs) throws SQLException {
        Long read = (Long) rs.getObject("full_sync_keys_read");
        if (read == null) {
            return null;
        }
        Long total = (Long) rs.getObject("full_sync_keys_total");
        Long elapsed = (Long) rs.getObject("full_sync_elapsed_ms");
        return new LinkResponse.FullSync(read, total == null ? 0 : total, elapsed == null ? 0 : elapsed);
    }

    private static AssignmentPhase phase(String stored) {
        return stored == null ? null : AssignmentPhase.valueOf(stored);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Long nonNegative(long value) {
        return value < 0 ? null : value;
    }
}
