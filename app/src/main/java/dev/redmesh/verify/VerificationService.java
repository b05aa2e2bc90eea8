package dev.redmesh.verify;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import dev.redmesh.audit.AuditTrail;
import dev.redmesh.cluster.Cluster;
import dev.redmesh.cluster.ClusterMode;
import dev.redmesh.cluster.ClusterSecrets;
import dev.redmesh.cluster.ClusterService;
import dev.redmesh.event.EventService;
import dev.redmesh.event.EventType;
import dev.redmesh.lifecycle.PeriodicLoop;
import dev.redmesh.security.RedisTlsProperties;
import dev.redmesh.sync.RepairWriter;
import dev.redmesh.topology.ShardReadModel;
import dev.redmesh.web.ApiException;
import dev.redmesh.web.FieldProblems;

/**
 * Verifications of a mesh and their repairs. A verification runs on a thread of this control
 * plane and writes its progress every second; one whose control plane went away is failed by any
 * control plane's sweeper once it has written nothing for {@link #STALE_AFTER}, so none stays
 * {@code RUNNING}.
 */
@Service
public class VerificationService implements DisposableBean {

    static final Duration STALE_AFTER = Duration.ofSeconds(30);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(VerificationService.class);

    /** The request, with its defaults filled in. */
    public record Request(Integer passes, String match, Integer keysPerSecond, Integer intervalMs, Long ttlToleranceMs) {
    }

    /** A mesh's schedule: verify every {@code everySeconds}; repair by {@code policy} when {@code repair}. */
    public record Schedule(String mesh, long everySeconds, int passes, int keysPerSecond, boolean repair,
                           @org.jspecify.annotations.Nullable Map<String, Object> policy) {
    }

    public record OwnerRule(String pattern, String region) {
    }

    /**
     * @param policy {@code REGION_ORDER}: the first region in {@code order} holding the key wins;
     *               {@code OWNER}: the region of the first rule whose pattern matches the key wins,
     *               holding it or not (its absence is a deletion)
     */
    public record RepairRequest(String policy, List<String> order, List<OwnerRule> owners) {
    }

    private final VerificationStore store;
    private final ClusterService clusters;
    private final ClusterSecrets secrets;
    private final JdbcTemplate jdbc;
    private final EventService events;
    private final AuditTrail audit;
    private final RedisTlsProperties tls;
    private final Clock clock;
    private final String owner = ManagementFactory.getRuntimeMXBean().getName();
    private final ExecutorService runner = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "verification");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> divergent = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Counter keysChecked;
    private final PeriodicLoop sweeper;
    private final org.springframework.beans.factory.ObjectProvider<dev.redmesh.fleet.FleetCoordinator> coordinator;
    /** Verifications this control plane started on a schedule that repairs: their repair policy. */
    private final Map<String, RepairRequest> repairAfter = new ConcurrentHashMap<>();
    private final org.springframework.transaction.support.TransactionTemplate transactions;

    VerificationService(VerificationStore store, ClusterService clusters, ClusterSecrets secrets, JdbcTemplate jdbc,
                        EventService events, AuditTrail audit, RedisTlsProperties tls, Clock clock, MeterRegistry meters,
                        org.springframework.transaction.PlatformTransactionManager transactionManager,
                        org.springframework.beans.factory.ObjectProvider<dev.redmesh.fleet.FleetCoordinator> coordinator) {
        this.coordinator = coordinator;
        this.transactions = new org.springframework.transaction.support.TransactionTemplate(transactionManager);
        this.store = store;
        this.clusters = clusters;
        this.secrets = secrets;
        this.jdbc = jdbc;
        this.events = events;
        this.audit = audit;
        this.tls = tls;
        this.clock = clock;
        this.meters = meters;
        this.keysChecked = Counter.builder("redmesh.verification.keys.checked")
                .description("Keys read by verifications (every member, every pass)").register(meters);
        this.sweeper = PeriodicLoop.every(Duration.ofSeconds(10), "verification-sweeper", this::sweep);
        this.sweeper.start();
    }

    public VerificationStore.Row start(String mesh, Request request, String requestedBy) {
        return start(mesh, request, requestedBy, null);
    }

    /** @param repairWith repair by this policy once done, when anything differs (a schedule's) */
    private VerificationStore.Row start(String mesh, Request request, String requestedBy, RepairRequest repairWith) {
        FieldProblems problems = new FieldProblems();
        int passes = request.passes() == null ? 3 : request.passes();
        String match = request.match() == null ? "*" : request.match();
        int rate = request.keysPerSecond() == null ? 50_000 : request.keysPerSecond();
        int interval = request.intervalMs() == null ? 2_000 : request.intervalMs();
        long tolerance = request.ttlToleranceMs() == null ? 2_000 : request.ttlToleranceMs();
        if (passes < 1 || passes > 10) {
            problems.add("passes", "must be between 1 and 10");
        }
        if (match.isEmpty() || match.length() > 512) {
            problems.add("match", "must be a SCAN MATCH pattern of 1 to 512 characters");
        }
        if (rate < 100 || rate > 1_000_000) {
            problems.add("keysPerSecond", "must be between 100 and 1000000");
        }
        if (interval < 0 || interval > 600_000) {
            problems.add("intervalMs", "must be between 0 and 600000");
        }
        if (tolerance < 0 || tolerance > 86_400_000L) {
            problems.add("ttlToleranceMs", "must be between 0 and 86400000");
        }
        problems.throwIfAny();
        List<Member.Spec> specs = members(mesh);
        if (store.runningIn(mesh)) {
            throw ApiException.conflict("a verification of mesh " + mesh + " is running; cancel it or wait for it");
        }
        String id = UUID.randomUUID().toString();
        VerificationStore.Request r = new VerificationStore.Request(passes, match, rate, interval, tolerance);
        store.insert(id, mesh, r, owner, requestedBy, clock.instant());
        AtomicBoolean cancel = new AtomicBoolean();
        running.put(id, cancel);
        if (repairWith != null) {
            repairAfter.put(id, repairWith);
        }
        runner.execute(new VerificationRun(id, mesh, r, specs, store, tls.trust(), REDIS_TIMEOUT, clock, cancel,
                this::finished));
        VerificationStore.Row row = store.get(id);
        audit.changed("verification", id, null, Map.of("mesh", mesh, "passes", passes, "match", match));
        return row;
    }

    /** The members of a mesh as a verification reads them; 404 for no such mesh, 409 for one that cannot be compared. */
    private List<Member.Spec> members(String mesh) {
        List<Cluster> inMesh = clusters.inMesh(mesh);
        if (inMesh.isEmpty()) {
            throw ApiException.notFound("mesh", mesh);
        }
        if (inMesh.size() < 2) {
            throw ApiException.conflict("mesh " + mesh + " has one member: there is nothing to compare it with");
        }
        Map<String, List<ShardReadModel.Row>> shards = new HashMap<>();
        jdbc.query(ShardReadModel.QUERY, rs -> {
            ShardReadModel.Row shard = ShardReadModel.row(rs);
            shards.computeIfAbsent(shard.cluster(), c -> new ArrayList<>()).add(shard);
        });
        List<Member.Spec> specs = new ArrayList<>();
        Map<String, Integer> regions = new HashMap<>();
        for (Cluster c : inMesh) {
            regions.merge(c.getRegion(), 1, Integer::sum);
        }
        for (Cluster c : inMesh) {
            List<ShardReadModel.Row> own = shards.getOrDefault(c.getName(), List.of());
            List<String> masters = own.stream().map(ShardReadModel.Row::master)
                    .filter(java.util.Objects::nonNull).toList();
            if (masters.isEmpty()) {
                throw ApiException.conflict("cluster " + c.getName() + " of mesh " + mesh
                        + " has no known master yet: its topology is not discovered");
            }
            boolean slotted = c.getMode() == ClusterMode.CLUSTER || own.stream().anyMatch(ShardReadModel.Row::slotted);
            String name = regions.get(c.getRegion()) > 1 ? c.getRegion() + "/" + c.getName() : c.getRegion();
            specs.add(new Member.Spec(name, c.getName(), masters, slotted, c.getUsername(), secrets.password(c), c.isTls(),
                    c.readsKeyspace()));
        }
        return specs;
    }

    private void finished(VerificationRun.Outcome outcome) {
        running.remove(outcome.id());
        keysChecked.increment(outcome.keysChecked());
        Counter.builder("redmesh.verification.runs").tag("state", outcome.state().name())
                .description("Verifications ended, by how they ended").register(meters).increment();
        if (outcome.state() == VerificationStore.State.DONE) {
            gauge(outcome.mesh()).set(outcome.divergent());
        }
        RepairRequest policy = repairAfter.remove(outcome.id());
        if (policy != null && outcome.state() == VerificationStore.State.DONE && outcome.divergent() > 0) {
            runner.execute(() -> {
                try {
                    repair(outcome.id(), policy, "schedule");
                } catch (RuntimeException e) {
                    log.warn("Scheduled repair of verification {} failed: {}", outcome.id(), e.toString());
                    record(outcome.mesh(), "scheduled repair of verification " + outcome.id() + " failed: " + e.getMessage(),
                            Map.of("verification", outcome.id()));
                }
            });
        }
        String message = switch (outcome.state()) {
            case DONE -> "verification " + outcome.id() + ": " + outcome.divergent() + " divergent keys " + outcome.kinds()
                    + " after " + outcome.keysChecked() + " keys read";
            case CANCELLED -> "verification " + outcome.id() + " cancelled";
            default -> "verification " + outcome.id() + " failed: " + outcome.reason();
        };
        record(outcome.mesh(), message, Map.of("verification", outcome.id(), "state", outcome.state().name(),
                "divergentKeys", outcome.divergent()));
    }

    private void record(String mesh, String message, Map<String, ?> details) {
        transactions.executeWithoutResult(tx -> events.record(EventType.VERIFICATION, mesh, message, details));
    }

    private AtomicLong gauge(String mesh) {
        return divergent.computeIfAbsent(mesh, m -> {
            AtomicLong value = new AtomicLong(-1);
            Gauge.builder("redmesh.mesh.divergent.keys", value, v -> v.get() < 0 ? Double.NaN : v.get()).tag("mesh", m)
                    .description("Keys that differed between the mesh's regions at its last finished verification")
                    .register(meters);
            return value;
        });
    }

    /** The gauges start from what is stored: a restart does not reset a mesh's divergence to zero. */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void loadGauges() {
        store.latestDivergence().forEach((mesh, keys) -> gauge(mesh).set(keys));
    }

    /** A mesh's schedule as the API takes it: {@code every} like "6h" or "PT30M" (at least a minute). */
    public record ScheduleRequest(String every, Integer passes, Integer keysPerSecond, Boolean repair, RepairRequest policy) {
    }

    /** Sets (or, with null, removes) the mesh's verification schedule; the policy is checked against its members now. */
    public @org.jspecify.annotations.Nullable Schedule schedule(String mesh, ScheduleRequest request) {
        List<Member.Spec> specs = members(mesh);
        if (request == null) {
            store.deleteSchedule(mesh);
            audit.changed("mesh", mesh, null, Map.of("verify", "none"));
            return null;
        }
        FieldProblems problems = new FieldProblems();
        Duration every = null;
        try {
            String text = request.every() == null ? "" : request.every().trim();
            every = text.toUpperCase(java.util.Locale.ROOT).startsWith("P") ? Duration.parse(text)
                    : org.springframework.boot.convert.DurationStyle.SIMPLE.parse(text);
        } catch (RuntimeException e) {
            problems.add("verify.every", "must be a duration like 6h, 30m or PT6H");
        }
        if (every != null && every.compareTo(Duration.ofMinutes(1)) < 0) {
            problems.add("verify.every", "must be at least 1m");
        }
        int passes = request.passes() == null ? 3 : request.passes();
        int rate = request.keysPerSecond() == null ? 50_000 : request.keysPerSecond();
        if (passes < 1 || passes > 10) {
            problems.add("verify.passes", "must be between 1 and 10");
        }
        if (rate < 100 || rate > 1_000_000) {
            problems.add("verify.keysPerSecond", "must be between 100 and 1000000");
        }
        boolean repair = Boolean.TRUE.equals(request.repair());
        if (repair && request.policy() == null) {
            problems.add("verify.policy", "a schedule that repairs needs a policy (REGION_ORDER or OWNER)");
        }
        problems.throwIfAny();
        if (request.policy() != null) {
            winner(request.policy(), specs); // 400 now rather than at the first scheduled repair
        }
        Map<String, Object> policy = null;
        if (request.policy() != null) {
            policy = new LinkedHashMap<>();
            policy.put("policy", request.policy().policy());
            policy.put("order", request.policy().order());
            policy.put("owners", request.policy().owners() == null ? null : request.policy().owners().stream()
                    .map(o -> Map.of("pattern", o.pattern(), "region", o.region())).toList());
        }
        Schedule schedule = new Schedule(mesh, every.toSeconds(), passes, rate, repair,
                policy);
        store.putSchedule(schedule, clock.instant());
        audit.changed("mesh", mesh, null, Map.of("verify", schedule));
        return schedule;
    }

    public @org.jspecify.annotations.Nullable Schedule scheduleOf(String mesh) {
        return store.schedules().stream().filter(s -> s.mesh().equals(mesh)).findFirst().orElse(null);
    }

    /** The fleet leader starts what the schedules say is due (one control plane, so never twice). */
    private void runSchedules() {
        dev.redmesh.fleet.FleetCoordinator leader = coordinator.getIfAvailable();
        if (leader == null || !leader.isLeader()) {
            return;
        }
        Instant now = clock.instant();
        for (Schedule s : store.schedules()) {
            Instant last = store.lastStarted(s.mesh());
            if (last != null && last.plusSeconds(s.everySeconds()).isAfter(now) || store.runningIn(s.mesh())) {
                continue;
            }
            try {
                start(s.mesh(), new Request(s.passes(), null, s.keysPerSecond(), null, null), "schedule",
                        s.repair() && s.policy() != null ? policyOf(s.policy()) : null);
            } catch (RuntimeException e) {
                log.warn("Scheduled verification of mesh {} not started: {}", s.mesh(), e.getMessage());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static RepairRequest policyOf(Map<String, Object> stored) {
        List<OwnerRule> owners = stored.get("owners") == null ? null : ((List<Map<String, String>>) stored.get("owners"))
                .stream().map(o -> new OwnerRule(o.get("pattern"), o.get("region"))).toList();
        return new RepairRequest((String) stored.get("policy"), (List<String>) stored.get("order"), owners);
    }

    private void sweep() {
        Instant now = clock.instant();
        runSchedules();
        // every mesh has its gauge, NaN until its first verification ends (unknown is not zero)
        for (Cluster c : clusters.inAnyMesh()) {
            gauge(c.getMesh());
        }
        for (String id : store.failStale(now.minus(STALE_AFTER), now)) {
            log.warn("Verification {} failed: its control plane stopped while it ran", id);
            VerificationStore.Row row = store.get(id);
            if (row != null) {
                record(row.mesh(), "verification " + id + " failed: " + row.reason(),
                        Map.of("verification", id, "state", "FAILED"));
            }
        }
    }

    public VerificationStore.Row get(String id) {
        VerificationStore.Row row = store.get(id);
        if (row == null) {
            throw ApiException.notFound("verification", id);
        }
        return row;
    }

    public List<VerificationStore.Row> ofMesh(String mesh) {
        return store.ofMesh(mesh, 50);
    }

    public List<VerificationStore.StoredKey> samples(String id, int limit) {
        return store.keys(id, limit);
    }

    /** Cancels a running verification; one that already ended stays as it is. */
    public VerificationStore.Row cancel(String id) {
        VerificationStore.Row row = get(id);
        if (row.state() == VerificationStore.State.RUNNING) {
            AtomicBoolean flag = running.get(id);
            if (flag != null) {
                flag.set(true);
            }
            // ended here whether its runner is on this control plane or another
            store.finish(id, VerificationStore.State.CANCELLED, null, Map.of(), "cancelled", clock.instant());
            audit.changed("verification", id, Map.of("state", "RUNNING"), Map.of("state", "CANCELLED"));
        }
        return get(id);
    }

    /**
     * Writes the winning state of every divergent key into the regions that differ from it, through
     * the fenced unit path (not echoed), then compares those keys again.
     */
    public VerificationStore.Row repair(String id, RepairRequest request, String by) {
        VerificationStore.Row row = get(id);
        if (row.state() != VerificationStore.State.DONE) {
            throw ApiException.conflict("verification " + id + " is " + row.state() + ": only a DONE one can be repaired");
        }
        List<Member.Spec> specs = members(row.mesh());
        Winner winner = winner(request, specs);
        List<VerificationStore.StoredKey> keys = store.keys(id, VerificationStore.MAX_STORED_KEYS);
        long started = System.nanoTime();
        long repairedKeys = 0;
        long restored = 0;
        long deleted = 0;
        long failed = 0;
        long unowned = 0;
        String firstError = "";
        List<Member> members = new ArrayList<>();
        List<RepairWriter> writers = new ArrayList<>();
        String repairId = UUID.randomUUID().toString().substring(0, 8);
        try {
            for (Member.Spec spec : specs) {
                members.add(new Member(spec, tls.trust(), REDIS_TIMEOUT));
                writers.add(RepairWriter.open(spec.endpoint(), spec.readsKeyspace(), repairId, REDIS_TIMEOUT, tls.trust()));
            }
            Map<Integer, List<byte[]>> byDb = new java.util.TreeMap<>();
            for (VerificationStore.StoredKey k : keys) {
                byDb.computeIfAbsent(k.db(), d -> new ArrayList<>()).add(k.key());
            }
            List<Comparison.DbKey> touched = new ArrayList<>();
            for (Map.Entry<Integer, List<byte[]>> db : byDb.entrySet()) {
                List<byte[]> all = db.getValue();
                for (int from = 0; from < all.size(); from += 500) {
                    List<byte[]> page = all.subList(from, Math.min(all.size(), from + 500));
                    State[][] states = new State[members.size()][];
                    for (int m = 0; m < members.size(); m++) {
                        states[m] = states(members.get(m).reads(db.getKey()), page);
                    }
                    List<List<RepairWriter.Write>> writes = new ArrayList<>();
                    for (int m = 0; m < members.size(); m++) {
                        writes.add(new ArrayList<>());
                    }
                    for (int k = 0; k < page.size(); k++) {
                        int w = winner.of(page.get(k), states, k);
                        if (w < 0) {
                            unowned++;
                            continue;
                        }
                        State win = states[w][k];
                        boolean any = false;
                        for (int m = 0; m < members.size(); m++) {
                            if (m != w && !win.sameAs(states[m][k])) {
                                writes.get(m).add(new RepairWriter.Write(db.getKey(), page.get(k), win.payload(),
                                        win.expireAtMillis()));
                                any = true;
                            }
                        }
                        if (any) {
                            repairedKeys++;
                            touched.add(new Comparison.DbKey(db.getKey(), page.get(k)));
                        }
                    }
                    for (int m = 0; m < members.size(); m++) {
                        if (!writes.get(m).isEmpty()) {
                            RepairWriter.Outcome outcome = writers.get(m).write(writes.get(m));
                            restored += outcome.restored();
                            deleted += outcome.deleted();
                            failed += outcome.failed();
                            firstError = firstError.isEmpty() ? outcome.firstError() : firstError;
                        }
                    }
                }
            }
            // the repaired keys, compared again as a verification compares them (two passes)
            Comparison comparison = new Comparison(members, row.request().ttlToleranceMs(), REDIS_TIMEOUT);
            var still = comparison.compare(touched, () -> { });
            if (!still.isEmpty()) {
                sleepQuietly(row.request().intervalMs());
                var first = still;
                still = comparison.compare(first.keySet(), () -> { });
                Comparison.keepUnchanged(still, first);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("state", "DONE");
            summary.put("policy", request.policy());
            if (request.order() != null) {
                summary.put("order", request.order());
            }
            if (request.owners() != null) {
                summary.put("owners", request.owners());
            }
            summary.put("keysConsidered", keys.size());
            summary.put("keysRepaired", repairedKeys);
            summary.put("restored", restored);
            summary.put("deleted", deleted);
            summary.put("failed", failed);
            summary.put("firstError", firstError.isEmpty() ? null : firstError);
            summary.put("unowned", unowned);
            summary.put("stillDivergent", still.size());
            summary.put("tookMs", (System.nanoTime() - started) / 1_000_000);
            summary.put("by", by);
            summary.put("at", clock.instant().toString());
            store.repair(id, summary, clock.instant());
            audit.changed("verification", id, null, Map.of("repair", summary));
            record(row.mesh(), "repair of verification " + id + ": " + repairedKeys
                    + " keys repaired (" + restored + " written, " + deleted + " deleted, " + failed + " failed), "
                    + still.size() + " still differ", Map.of("verification", id, "keysRepaired", repairedKeys));
            return get(id);
        } finally {
            writers.forEach(RepairWriter::close);
            members.forEach(Member::close);
        }
    }

    /** One member's state of a key, as a repair copies it. */
    private record State(byte[] payload, long expireAtMillis, long ttlMs) {

        boolean present() {
            return payload != null;
        }

        boolean sameAs(State other) {
            if (present() != other.present()) {
                return false;
            }
            return !present() || (java.util.Arrays.equals(payload, other.payload)
                    && (ttlMs < 0) == (other.ttlMs < 0) && Math.abs(expireAtMillis - other.expireAtMillis) <= 1_000);
        }
    }

    private static State[] states(RedisClusterAsyncCommands<byte[], byte[]> reads, List<byte[]> keys) {
        List<RedisFuture<byte[]>> dumps = new ArrayList<>();
        List<RedisFuture<Long>> ttls = new ArrayList<>();
        for (byte[] key : keys) {
            dumps.add(reads.dump(key));
            ttls.add(reads.pttl(key));
        }
        long now = System.currentTimeMillis();
        State[] states = new State[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            try {
                byte[] payload = dumps.get(i).get(REDIS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                long ttl = ttls.get(i).get(REDIS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                states[i] = payload == null ? new State(null, 0, -2) : new State(payload, ttl > 0 ? now + ttl : 0, ttl);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (Exception e) {
                throw new IllegalStateException("a region did not answer the repair's read: " + e.getMessage(), e);
            }
        }
        return states;
    }

    /** Which member's state wins for a key: an index into the members, or -1 when no rule decides. */
    private interface Winner {
        int of(byte[] key, State[][] states, int k);
    }

    private static Winner winner(RepairRequest request, List<Member.Spec> specs) {
        FieldProblems problems = new FieldProblems();
        List<String> regions = specs.stream().map(Member.Spec::region).toList();
        if (request.policy() == null || !List.of("REGION_ORDER", "OWNER").contains(request.policy())) {
            problems.add("policy", "must be REGION_ORDER or OWNER");
            problems.throwIfAny();
        }
        if (request.policy().equals("REGION_ORDER")) {
            if (request.order() == null || !new java.util.HashSet<>(request.order()).equals(new java.util.HashSet<>(regions))
                    || request.order().size() != regions.size()) {
                problems.add("order", "must list every region of the mesh once: " + regions);
            }
            problems.throwIfAny();
            int[] rank = request.order().stream().mapToInt(regions::indexOf).toArray();
            return (key, states, k) -> {
                for (int m : rank) {
                    if (states[m][k].present()) {
                        return m;
                    }
                }
                return -1; // gone everywhere since the verification: nothing to repair
            };
        }
        if (request.owners() == null || request.owners().isEmpty()) {
            problems.add("owners", "must list at least one {pattern, region}");
        } else {
            for (int i = 0; i < request.owners().size(); i++) {
                OwnerRule rule = request.owners().get(i);
                if (rule == null || rule.pattern() == null || rule.pattern().isEmpty()) {
                    problems.add("owners[" + i + "].pattern", "must be a glob pattern (* and ?)");
                } else if (rule.region() == null || !regions.contains(rule.region())) {
                    problems.add("owners[" + i + "].region", "must be one of the mesh's regions " + regions);
                }
            }
        }
        problems.throwIfAny();
        List<Pattern> patterns = request.owners().stream().map(r -> glob(r.pattern())).toList();
        List<Integer> homes = request.owners().stream().map(r -> regions.indexOf(r.region())).toList();
        return (key, states, k) -> {
            String text = new String(key, java.nio.charset.StandardCharsets.UTF_8);
            for (int i = 0; i < patterns.size(); i++) {
                if (patterns.get(i).matcher(text).matches()) {
                    return homes.get(i);
                }
            }
            return -1;
        };
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void destroy() {
        for (Map.Entry<String, AtomicBoolean> run : running.entrySet()) {
            store.finish(run.getKey(), VerificationStore.State.FAILED, null, Map.of(),
                    "the control plane stopped while it ran; start it again", clock.instant());
            run.getValue().set(true);
        }
        sweeper.stop(Duration.ofSeconds(2));
        runner.shutdownNow();
    }
}
