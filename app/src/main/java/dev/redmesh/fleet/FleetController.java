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

import dev.redmesh.identity.Caller;
import dev.redmesh.web.ApiException;
import dev.redmesh.worker.AssignmentPhase;
import dev.redmesh.worker.FleetProtocol;
import dev.redmesh.worker.OrderSeal;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

@RestController
@Tag(name = "fleet", description = "Sync workers: heartbeats, leases, what each one runs")
class FleetController {

    static final Pattern WORKER_ID = Pattern.compile("[a-z0-9][a-z0-9.-]{0,126}");
    private static final long MAX_WAIT_MS = 30_000;
    /** How long past its wait a parked long poll may go unanswered before it is answered 503. */
    private static final long ANSWER_GRACE_MS = 5_000;

    private final FleetStore store;
    private final FleetService fleet;
    private final LongPolls longPolls;
    private final LeaderLock lock;
    private final FleetProperties properties;
    private final Clock clock;

    FleetController(FleetStore store, FleetService fleet, LongPolls longPolls, LeaderLock lock, FleetProperties properties,
                    Clock clock) {
        this.store = store;
        this.fleet = fleet;
        this.longPolls = longPolls;
        this.lock = lock;
        this.properties = properties;
        this.clock = clock;
    }

    record WorkerResponse(String id, FleetProtocol.Kind kind, @Nullable String pinnedNode, @Nullable String address,
                          @Nullable String version, Instant startedAt, Instant lastHeartbeat, long heartbeatAgeMs,
                          boolean live, List<AssignmentResponse> assignments) {
    }

    record AssignmentResponse(String id, String link, String shard, String sourceNode, long epoch,
                              @Nullable AssignmentPhase phase, @Nullable Long lagMs, @Nullable Long lagBytes,
                              @Nullable Instant leaseExpiresAt) {
    }

    @PutMapping("/api/v1/fleet/workers/{id}")
    @Operation(summary = "Heartbeat: register or refresh a worker, renew its leases, report progress; "
            + "answers with the assignments it must run. Only the worker's own token (its scope) may")
    FleetProtocol.Orders heartbeat(@PathVariable String id, @RequestBody FleetProtocol.Heartbeat heartbeat,
                                   jakarta.servlet.http.HttpServletRequest request) {
        requireActingAs(id);
        return fleet.heartbeat(id, heartbeat, sealFor(id, request));
    }

    @DeleteMapping("/api/v1/fleet/workers/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "A worker leaving (a graceful shutdown, after it stopped its assignments): its leases end "
            + "now, so its assignments move at the leader's next tick, and it is no longer listed")
    void leave(@PathVariable String id) {
        requireActingAs(id);
        if (!fleet.leave(id)) {
            throw ApiException.notFound("worker", id);
        }
    }

    @GetMapping("/api/v1/fleet/workers/{id}/orders")
    @Operation(summary = "Long poll: answers as soon as the worker's assignments differ from `after` "
            + "(a fingerprint from the previous orders), or after `waitMs`")
    DeferredResult<FleetProtocol.Orders> orders(@PathVariable String id, @RequestParam(defaultValue = "") String after,
                                                @RequestParam(defaultValue = "10000") long waitMs,
                                                jakarta.servlet.http.HttpServletRequest request) {
        Caller caller = requireActingAs(id);
        java.util.function.UnaryOperator<String> seal = sealFor(id, request);
        if (waitMs < 0 || waitMs > MAX_WAIT_MS) {
            throw ApiException.invalid("waitMs", "must be between 0 and " + MAX_WAIT_MS);
        }
        java.util.concurrent.CompletableFuture<FleetProtocol.Orders> answer = longPolls.await(id, caller.key(), after, waitMs, seal);
        DeferredResult<FleetProtocol.Orders> result = new DeferredResult<>(waitMs + ANSWER_GRACE_MS);
        answer.whenComplete((orders, failure) -> {
            if (failure != null) {
                result.setErrorResult(failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                        ? c.getCause() : failure);
            } else {
                result.setResult(orders);
            }
        });
        result.onTimeout(() -> {
            longPolls.forget(answer);
            result.setErrorResult(ApiException.unavailable("no answer in time; poll again"));
        });
        result.onCompletion(() -> longPolls.forget(answer));
        return result;
    }

    /**
     * The caller's token must be the worker's own: a WORKER token acts only as the worker id (or
     * prefixed pool of ids) it was issued for (docs/security.md, "Fleet identity").
     */
    private static Caller requireActingAs(String id) {
        requireWorkerId(id);
        Caller caller = Caller.current().orElseThrow(() -> ApiException.unauthorized("a worker's token is needed"));
        if (!caller.mayActAsWorker(id)) {
            throw ApiException.forbidden("token '" + caller.name() + "' acts as " + caller.scope()
                    + ", not as worker " + id);
        }
        return caller;
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
    record LeaderResponse(@Nullable String leader, String self, boolean selfLeads) {
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

    private static void requireWorkerId(String id) {
        if (!WORKER_ID.matcher(id).matches()) {
            throw ApiException.invalid("id", "a worker id matches " + WORKER_ID.pattern());
        }
    }
}
