package dev.redmesh.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.redmesh.event.EventService;
import dev.redmesh.event.EventType;
import dev.redmesh.security.Caller;
import dev.redmesh.web.ApiException;
import dev.redmesh.web.FieldProblems;
import dev.redmesh.worker.FleetProtocol;
import dev.redmesh.worker.OrderSeal;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "fleet", description = "Sync workers: heartbeats, leases, what each one runs")
class FleetController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FleetController.class);

    static final Pattern WORKER_ID = Pattern.compile("[a-z0-9][a-z0-9.-]{0,126}");
    private static final long MAX_WAIT_MS = 30_000;
    /** A control plane that did not make the change itself looks at Postgres this often during a long poll. */
    private static final long POLL_STEP_MS = 200;

    private final FleetStore store;
    private final LeaderLock lock;
    private final FleetSignal signal;
    private final FleetProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final EventService events;
    private final io.micrometer.core.instrument.Counter divergences;

    FleetController(FleetStore store, LeaderLock lock, FleetSignal signal, FleetProperties properties,
                    TransactionTemplate transactions, Clock clock, EventService events,
                    io.micrometer.core.instrument.MeterRegistry meters) {
        this.events = events;
        // untagged, so that it exists (at 0) before the first divergence: alerts watch its increase;
        // the link is in the DIVERGENCE event
        this.divergences = io.micrometer.core.instrument.Counter.builder("redmesh.divergences")
                .description("divergences reported by workers (events of type DIVERGENCE)").register(meters);
        this.store = store;
        this.lock = lock;
        this.signal = signal;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    record WorkerResponse(String id, FleetProtocol.Kind kind, String pinnedNode, String address, String version,
                          Instant startedAt, Instant lastHeartbeat, long heartbeatAgeMs, boolean live,
                          List<AssignmentResponse> assignments) {
    }

    record AssignmentResponse(String id, String link, String shard, String sourceNode, long epoch, String phase,
                              Long lagMs, Long lagBytes, Instant leaseExpiresAt) {
    }

    @PutMapping("/api/v1/fleet/workers/{id}")
    @Operation(summary = "Heartbeat: register or refresh a worker, renew its leases, report progress; "
            + "answers with the assignments it must run")
    FleetProtocol.Orders heartbeat(@PathVariable String id, @RequestBody FleetProtocol.Heartbeat heartbeat,
                                   jakarta.servlet.http.HttpServletRequest request) {
        validate(id, heartbeat);
        java.util.function.UnaryOperator<String> seal = sealFor(id, request);
        Instant now = clock.instant();
        return transactions.execute(tx -> {
            for (FleetProtocol.AssignmentReport report : store.heartbeat(id, heartbeat, now, properties.lease())) {
                if (report.divergence() != null) {
                    recordDivergence(report);
                }
            }
            return store.orders(id, properties.lease().toMillis(), seal);
        });
    }

    @DeleteMapping("/api/v1/fleet/workers/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "A worker leaving (a graceful shutdown, after it stopped its assignments): its leases end "
            + "now, so its assignments move at the leader's next tick, and it is no longer listed")
    void leave(@PathVariable String id) {
        requireWorkerId(id);
        if (!Boolean.TRUE.equals(transactions.execute(tx -> store.leave(id, clock.instant())))) {
            throw ApiException.notFound("worker", id);
        }
        log.info("Worker {} left the fleet; its assignments move at the leader's next tick", id);
        signal.changed();
    }

    @GetMapping("/api/v1/fleet/workers/{id}/orders")
    @Operation(summary = "Long poll: answers as soon as the worker's assignments differ from `after` "
            + "(a fingerprint from the previous orders), or after `waitMs`")
    FleetProtocol.Orders orders(@PathVariable String id, @RequestParam(defaultValue = "") String after,
                                @RequestParam(defaultValue = "10000") long waitMs,
                                jakarta.servlet.http.HttpServletRequest request) throws InterruptedException {
        requireWorkerId(id);
        java.util.function.UnaryOperator<String> seal = sealFor(id, request);
        if (waitMs < 0 || waitMs > MAX_WAIT_MS) {
            throw ApiException.invalid("waitMs", "must be between 0 and " + MAX_WAIT_MS);
        }
        long start = System.currentTimeMillis();
        long deadline = start + waitMs;
        while (true) {
            if (signal.closing()) {
                throw ApiException.unavailable("this control plane is shutting down; ask another one");
            }
            long seen = signal.version();
            String now = store.fingerprint(id);
            if (!now.equals(after) || System.currentTimeMillis() >= deadline) {
                if (!now.equals(after)) {
                    log.debug("Orders of {} changed after {} ms of long poll", id, System.currentTimeMillis() - start);
                }
                return transactions.execute(tx -> store.orders(id, properties.lease().toMillis(), seal));
            }
            signal.awaitChange(seen, Math.min(POLL_STEP_MS, Math.max(1, deadline - System.currentTimeMillis())));
        }
    }

    /**
     * Orders carry Redis passwords sealed for the bearer token that asks ({@link OrderSeal}): only that
     * token's holder reads them, and no answer of the API holds a password. A worker's token is
     * presented as a bearer token; a dashboard session has none to seal for.
     */
    private static java.util.function.UnaryOperator<String> sealFor(String workerId,
                                                                    jakarta.servlet.http.HttpServletRequest request) {
        String token = Caller.bearerToken(request.getHeader("Authorization"));
        if (token == null) {
            throw ApiException.unauthorized("orders are sealed for the token that fetches them: present the worker's "
                    + "token as 'Authorization: Bearer <token>'");
        }
        return password -> OrderSeal.seal(token, workerId, password);
    }

    /** @param leader the control plane that leads (from Postgres' locks); null while none does */
    record LeaderResponse(String leader, String self, boolean selfLeads) {
    }

    @GetMapping("/api/v1/fleet/leader")
    @Operation(summary = "Which control plane leads the fleet (reconciles assignments), as Postgres sees it")
    LeaderResponse leader() {
        String leader = lock.leader();
        return new LeaderResponse(leader, lock.self(), lock.self().equals(leader));
    }

    @GetMapping("/api/v1/fleet/workers")
    @Operation(summary = "The fleet: every worker with its heartbeat age and the assignments it holds")
    List<WorkerResponse> workers() {
        Instant now = clock.instant();
        Map<String, List<AssignmentResponse>> held = new HashMap<>();
        for (FleetStore.AssignmentRow a : store.assignments()) {
            if (a.workerId() != null) {
                held.computeIfAbsent(a.workerId(), w -> new java.util.ArrayList<>()).add(new AssignmentResponse(a.id(),
                        a.linkId(), a.shardId(), a.sourceNode(), a.epoch(), a.phase(), a.lagMs(), a.lagBytes(),
                        a.leaseExpiresAt()));
            }
        }
        return store.workers().stream().map(w -> {
            long age = Duration.between(w.lastHeartbeat(), now).toMillis();
            return new WorkerResponse(w.id(), w.kind(), w.pinnedNode(), w.address(), w.version(), w.startedAt(),
                    w.lastHeartbeat(), age, age < properties.lease().toMillis(), held.getOrDefault(w.id(), List.of()));
        }).toList();
    }

    /**
     * A worker met a divergence (docs/sync.md): the target holds writes its source's new master never
     * had. Recorded once on the link's timeline with its range, whichever heartbeat carries it first.
     */
    private void recordDivergence(FleetProtocol.AssignmentReport report) {
        FleetProtocol.Divergence d = report.divergence();
        int slash = report.id().lastIndexOf('/');
        String link = slash < 0 ? report.id() : report.id().substring(0, slash);
        String message = "shard " + report.id().substring(slash + 1) + ": offsets " + d.fromOffset() + ".." + d.toOffset()
                + " of replication id " + d.replid() + " were applied to the target but are not in the new master's history";
        if (events.recordOnce(EventType.DIVERGENCE, link, message, Map.of("assignment", report.id(), "epoch", report.epoch(),
                "replid", d.replid(), "fromOffset", d.fromOffset(), "toOffset", d.toOffset(),
                "bytes", d.toOffset() - d.fromOffset() + 1, "detectedAt", String.valueOf(d.at())))) {
            log.warn("Divergence on {}: {}", link, message);
            divergences.increment();
        }
    }

    private static void validate(String id, FleetProtocol.Heartbeat heartbeat) {
        requireWorkerId(id);
        FieldProblems problems = new FieldProblems();
        if (heartbeat.kind() == null) {
            problems.add("kind", "must be POOLED or SIDECAR");
        } else if ((heartbeat.kind() == FleetProtocol.Kind.SIDECAR) != (heartbeat.pinnedNode() != null)) {
            problems.add("pinnedNode", "a SIDECAR worker names the node it is pinned to (host:port); a POOLED one does not");
        }
        if (heartbeat.assignments() == null) {
            problems.add("assignments", "must be a list (empty when running nothing)");
        } else {
            for (int i = 0; i < heartbeat.assignments().size(); i++) {
                FleetProtocol.AssignmentReport report = heartbeat.assignments().get(i);
                if (report == null || report.id() == null || report.phase() == null) {
                    problems.add("assignments[" + i + "]", "needs id, epoch and phase");
                }
            }
        }
        problems.throwIfAny();
    }

    private static void requireWorkerId(String id) {
        if (!WORKER_ID.matcher(id).matches()) {
            throw ApiException.invalid("id", "a worker id matches " + WORKER_ID.pattern());
        }
    }
}
