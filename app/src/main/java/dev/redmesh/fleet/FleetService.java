package dev.redmesh.fleet;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.event.EventService;
import dev.redmesh.event.EventType;
import dev.redmesh.web.FieldProblems;
import dev.redmesh.worker.FleetProtocol;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a worker asks of the control plane — heartbeat, orders, goodbye — whether it asks over HTTP
 * ({@link FleetController}) or from inside this process ({@link LocalControlPlane}).
 */
@Service
class FleetService {

    private static final Logger log = LoggerFactory.getLogger(FleetService.class);

    private final FleetStore store;
    private final FleetSignal signal;
    private final FleetProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final EventService events;
    private final Counter divergences;

    FleetService(FleetStore store, FleetSignal signal, FleetProperties properties, TransactionTemplate transactions,
                 Clock clock, EventService events, MeterRegistry meters) {
        this.store = store;
        this.signal = signal;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
        this.events = events;
        // untagged, so that it exists (at 0) before the first divergence: alerts watch its increase;
        // the link is in the DIVERGENCE event
        this.divergences = Counter.builder("redmesh.divergences")
                .description("divergences reported by workers (events of type DIVERGENCE)").register(meters);
    }

    /** Registers or refreshes the worker, renews the leases it still holds, records progress; answers its orders. */
    FleetProtocol.Orders heartbeat(String id, FleetProtocol.Heartbeat heartbeat, UnaryOperator<String> seal) {
        validate(heartbeat);
        Instant now = clock.instant();
        return transactions.execute(tx -> {
            for (FleetProtocol.AssignmentReport report : store.heartbeat(id, heartbeat, now, properties.lease())) {
                if (report.divergence() != null) {
                    recordDivergence(report);
                }
                if (report.notes() != null) {
                    for (String note : report.notes()) {
                        events.record(EventType.SYNC, linkOf(report), note, Map.of("assignment", report.id(),
                                "epoch", report.epoch()));
                    }
                }
            }
            return store.orders(id, properties.lease().toMillis(), seal);
        });
    }

    FleetProtocol.Orders orders(String id, UnaryOperator<String> seal) {
        return transactions.execute(tx -> store.orders(id, properties.lease().toMillis(), seal));
    }

    String fingerprint(String id) {
        return store.fingerprint(id);
    }

    /** False when no such worker was registered. */
    boolean leave(String id) {
        if (!Boolean.TRUE.equals(transactions.execute(tx -> store.leave(id, clock.instant())))) {
            return false;
        }
        log.info("Worker {} left the fleet; its assignments move at the leader's next tick", id);
        signal.changed();
        return true;
    }

    /**
     * A worker met a divergence (docs/sync.md): the target holds writes its source's new master never
     * had. Recorded once on the link's timeline with its range, whichever heartbeat carries it first.
     * Only reports of assignments the worker holds get here ({@link FleetStore#heartbeat}).
     */
    private void recordDivergence(FleetProtocol.AssignmentReport report) {
        FleetProtocol.Divergence d = report.divergence();
        int slash = report.id().lastIndexOf('/');
        String link = linkOf(report);
        String message = "shard " + report.id().substring(slash + 1) + ": offsets " + d.fromOffset() + ".." + d.toOffset()
                + " of replication id " + d.replid() + " were applied to the target but are not in the new master's history";
        if (events.recordOnce(EventType.DIVERGENCE, link, message, Map.of("assignment", report.id(), "epoch", report.epoch(),
                "replid", d.replid(), "fromOffset", d.fromOffset(), "toOffset", d.toOffset(),
                "bytes", d.toOffset() - d.fromOffset() + 1, "detectedAt", String.valueOf(d.at())))) {
            log.warn("Divergence on {}: {}", link, message);
            divergences.increment();
        }
    }

    /** What one heartbeat may carry in notes per assignment (a worker keeps at most 100). */
    static final int MAX_NOTES = 100;
    static final int MAX_NOTE_CHARS = 2_000;

    /** An assignment's id is {@code <link>/<shard>}. */
    private static String linkOf(FleetProtocol.AssignmentReport report) {
        int slash = report.id().lastIndexOf('/');
        return slash < 0 ? report.id() : report.id().substring(0, slash);
    }

    private static void validate(FleetProtocol.Heartbeat heartbeat) {
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
                } else if (report.notes() != null && (report.notes().size() > MAX_NOTES
                        || report.notes().stream().anyMatch(n -> n == null || n.length() > MAX_NOTE_CHARS))) {
                    problems.add("assignments[" + i + "].notes", "at most " + MAX_NOTES + " notes of at most "
                            + MAX_NOTE_CHARS + " characters each");
                }
            }
        }
        problems.throwIfAny();
    }
}
