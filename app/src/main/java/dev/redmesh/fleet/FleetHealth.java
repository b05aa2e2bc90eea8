package dev.redmesh.fleet;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code fleet} health component: who leads (the control plane holding the leader lock, as
 * Postgres sees it), live and silent workers, assignments and those nobody holds under a lease.
 * DOWN when no control plane leads (nothing reconciles: a dead worker's assignments never move) or
 * when there are assignments and no live worker to run them; unheld assignments during a move are
 * in the details only (docs/operations.md).
 */
@Component("fleet")
class FleetHealth implements HealthIndicator {

    private final LeaderLock lock;
    private final FleetCounts counts;
    private final FleetStore store;
    private final java.time.Clock clock;

    FleetHealth(LeaderLock lock, FleetCounts counts, FleetStore store, java.time.Clock clock) {
        this.lock = lock;
        this.counts = counts;
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Health health() {
        String leader = lock.leader();
        FleetCounts.Workers workers = counts.workers();
        Instant now = clock.instant();
        List<FleetStore.AssignmentRow> assignments = store.assignments();
        long unheld = assignments.stream().filter(a -> !a.heldAt(now)).count();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("leader", leader == null ? "none" : leader);
        details.put("workersLive", workers.live());
        details.put("workersSilent", workers.total() - workers.live());
        details.put("assignments", assignments.size());
        details.put("assignmentsUnheld", unheld);
        String problem = leader == null ? "no control plane holds the leader lock: nothing reconciles assignments"
                : !assignments.isEmpty() && workers.live() == 0 ? "no live worker runs the " + assignments.size() + " assignment(s)"
                : null;
        if (problem != null) {
            details.put("problem", problem);
        }
        return (problem == null ? Health.up() : Health.down()).withDetails(details).build();
    }
}
