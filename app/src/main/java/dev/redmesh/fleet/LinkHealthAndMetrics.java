package dev.redmesh.fleet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import dev.redmesh.lifecycle.PeriodicLoop;
import dev.redmesh.link.LinkReadModel;
import dev.redmesh.link.LinkState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code links} health component and the per-link Prometheus gauges, from the latest reports
 * in Postgres (so every control plane answers the same). A link is critical — the component DOWN —
 * when it is BROKEN, its lag reached {@code redmesh.fleet.lag-critical}, or it has been PENDING
 * (unreachable source or target, no live worker, never started) for {@code pending-critical}; lagging
 * past {@code lag-warn} shows in the details only, and so does a paused link. A link's series go
 * with it: the gauges of a deleted link are removed at the next refresh (every second).
 */
@Component("links")
class LinkHealthAndMetrics implements HealthIndicator, org.springframework.context.SmartLifecycle {

    private final FleetStore store;
    private final LagLevels levels;
    private final MeterRegistry meters;
    private final Map<String, LinkFigures> figures = new ConcurrentHashMap<>();
    private final PeriodicLoop refresh = PeriodicLoop.every(java.time.Duration.ofSeconds(1), "link-gauges", this::refreshGauges);

    /** What the gauges read, refreshed every second, and the gauges themselves (removed with the link). */
    static final class LinkFigures {
        volatile double lagMs = Double.NaN;
        volatile double lagBytes = Double.NaN;
        volatile double streaming;
        final List<io.micrometer.core.instrument.Meter> gauges = new java.util.ArrayList<>();
    }

    /** Fleet-wide figures for alerts: workers heartbeating, assignments nobody holds under a lease. */
    private volatile double workersLive = Double.NaN;
    private volatile double workersTotal = Double.NaN;
    private volatile double assignmentsTotal = Double.NaN;
    private volatile double assignmentsUnheld = Double.NaN;

    LinkHealthAndMetrics(FleetStore store, LagLevels levels, FleetCounts counts, java.time.Clock clock, MeterRegistry meters,
                         FleetProperties properties, dev.redmesh.cluster.TopologyView topology) {
        this.topology = topology;
        this.properties = properties;
        this.store = store;
        this.levels = levels;
        this.counts = counts;
        this.clock = clock;
        this.meters = meters;
        Gauge.builder("redmesh.fleet.workers", this, x -> x.workersLive).tag("state", "live")
                .description("workers that heartbeated within a lease").register(meters);
        Gauge.builder("redmesh.fleet.workers", this, x -> x.workersTotal - x.workersLive).tag("state", "silent")
                .description("workers known but silent for a lease or more").register(meters);
        Gauge.builder("redmesh.fleet.assignments", this, x -> x.assignmentsTotal).description("assignments").register(meters);
        Gauge.builder("redmesh.fleet.assignments.unheld", this, x -> x.assignmentsUnheld)
                .description("assignments without a holder whose lease holds").register(meters);
    }

    private final FleetCounts counts;
    private final java.time.Clock clock;
    private final FleetProperties properties;
    private final dev.redmesh.cluster.TopologyView topology;

    void refreshGauges() {
        FleetCounts.Workers workers = counts.workers();
        workersLive = workers.live();
        workersTotal = workers.total();
        java.time.Instant now = clock.instant();
        List<FleetStore.AssignmentRow> assignments = store.assignments();
        assignmentsTotal = assignments.size();
        assignmentsUnheld = assignments.stream()
                .filter(a -> !a.heldAt(now)).count();
        Map<String, List<FleetStore.AssignmentRow>> byLink = FleetStore.byLink(assignments);
        List<LinkReadModel.Row> links = store.workerLinks();
        java.util.Set<String> present = new java.util.HashSet<>();
        links.forEach(l -> present.add(l.id()));
        for (String gone : List.copyOf(figures.keySet())) {
            if (!present.contains(gone)) {
                LinkFigures f = figures.remove(gone);
                f.gauges.forEach(meters::remove); // no series of a link that no longer exists: no alert for it
            }
        }
        for (LinkReadModel.Row link : links) {
            LinkFigures f = figures.computeIfAbsent(link.id(), id -> register(id, new LinkFigures()));
            List<FleetStore.AssignmentRow> shards = byLink.getOrDefault(link.id(), List.of());
            f.lagMs = shards.stream().filter(a -> a.lagMs() != null).mapToLong(FleetStore.AssignmentRow::lagMs).max()
                    .orElse(-1);
            f.lagBytes = shards.stream().filter(a -> a.lagBytes() != null).mapToLong(FleetStore.AssignmentRow::lagBytes)
                    .sum();
            f.streaming = link.state() == LinkState.STREAMING ? 1 : 0;
        }
    }

    private LinkFigures register(String link, LinkFigures f) {
        Tags tags = Tags.of("link", link);
        f.gauges.add(Gauge.builder("redmesh.link.lag.ms", f, x -> x.lagMs).tags(tags).description("worst shard's lag, -1 unknown")
                .register(meters));
        f.gauges.add(Gauge.builder("redmesh.link.lag.bytes", f, x -> x.lagBytes).tags(tags).register(meters));
        f.gauges.add(Gauge.builder("redmesh.link.streaming", f, x -> x.streaming).tags(tags).register(meters));
        return f;
    }

    @Override
    public Health health() {
        Map<String, List<FleetStore.AssignmentRow>> byLink = store.assignmentsByLink();
        Map<String, Object> details = new LinkedHashMap<>();
        boolean critical = false;
        java.time.Instant now = clock.instant();
        for (LinkReadModel.Row link : store.workerLinks()) {
            long lagMs = byLink.getOrDefault(link.id(), List.of()).stream().filter(a -> a.lagMs() != null)
                    .mapToLong(FleetStore.AssignmentRow::lagMs).max().orElse(-1);
            LagLevels.Level level = levels.of(link.state(), lagMs < 0 ? null : lagMs);
            boolean stuck = link.state() == LinkState.PENDING && link.since() != null
                    && !link.since().plus(properties.pendingCritical()).isAfter(now);
            critical |= level == LagLevels.Level.CRITICAL || stuck;
            // an unreported lag is not a problem of its own here: the link's state says why
            String shown = stuck ? "critical" : level == LagLevels.Level.UNKNOWN ? "ok" : level.name().toLowerCase(java.util.Locale.ROOT);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("state", link.state().name());
            detail.put("lagMs", lagMs);
            detail.put("level", shown);
            String reason = dev.redmesh.link.WaitingReason.shown(link.state(), byLink.containsKey(link.id()), link.source(),
                    link.target(), link.reason(), topology::problem);
            if (reason != null) {
                detail.put("reason", reason);
            }
            if (link.since() != null) {
                detail.put("since", link.since().toString());
            }
            details.put(link.id(), detail);
        }
        return (critical ? Health.down() : Health.up()).withDetails(details).build();
    }

    @Override
    public void start() {
        refresh.start();
    }

    @Override
    public void stop() {
        refresh.stop(java.time.Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return refresh.isRunning();
    }
}
