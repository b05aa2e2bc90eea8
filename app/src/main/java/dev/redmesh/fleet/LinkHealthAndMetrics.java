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
 * in Postgres (so every control plane answers the same). A link is critical when it is BROKEN or
 * its lag reached {@code redmesh.fleet.lag-critical} (component DOWN); lagging past
 * {@code lag-warn} shows in the details only.
 */
@Component("links")
class LinkHealthAndMetrics implements HealthIndicator, org.springframework.context.SmartLifecycle {

    private final FleetStore store;
    private final LagLevels levels;
    private final MeterRegistry meters;
    private final Map<String, LinkFigures> figures = new ConcurrentHashMap<>();
    private final PeriodicLoop refresh = PeriodicLoop.every(java.time.Duration.ofSeconds(1), "link-gauges", this::refreshGauges);

    /** What the gauges read, refreshed every second. */
    static final class LinkFigures {
        volatile double lagMs = Double.NaN;
        volatile double lagBytes = Double.NaN;
        volatile double streaming;
    }

    /** Fleet-wide figures for alerts: workers heartbeating, assignments nobody holds under a lease. */
    private volatile double workersLive = Double.NaN;
    private volatile double workersTotal = Double.NaN;
    private volatile double assignmentsTotal = Double.NaN;
    private volatile double assignmentsUnheld = Double.NaN;

    LinkHealthAndMetrics(FleetStore store, LagLevels levels, FleetCounts counts, java.time.Clock clock, MeterRegistry meters) {
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

    void refreshGauges() {
        FleetCounts.Workers workers = counts.workers();
        workersLive = workers.live();
        workersTotal = workers.total();
        java.time.Instant now = clock.instant();
        List<FleetStore.AssignmentRow> assignments = store.assignments();
        assignmentsTotal = assignments.size();
        assignmentsUnheld = assignments.stream()
                .filter(a -> a.workerId() == null || a.leaseExpiresAt() == null || !a.leaseExpiresAt().isAfter(now)).count();
        Map<String, List<FleetStore.AssignmentRow>> byLink = FleetStore.byLink(assignments);
        for (LinkReadModel.Row link : store.workerLinks()) {
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
        Gauge.builder("redmesh.link.lag.ms", f, x -> x.lagMs).tags(tags).description("worst shard's lag, -1 unknown").register(meters);
        Gauge.builder("redmesh.link.lag.bytes", f, x -> x.lagBytes).tags(tags).register(meters);
        Gauge.builder("redmesh.link.streaming", f, x -> x.streaming).tags(tags).register(meters);
        return f;
    }

    @Override
    public Health health() {
        Map<String, List<FleetStore.AssignmentRow>> byLink = store.assignmentsByLink();
        Map<String, Object> details = new LinkedHashMap<>();
        boolean critical = false;
        for (LinkReadModel.Row link : store.workerLinks()) {
            long lagMs = byLink.getOrDefault(link.id(), List.of()).stream().filter(a -> a.lagMs() != null)
                    .mapToLong(FleetStore.AssignmentRow::lagMs).max().orElse(-1);
            LagLevels.Level level = levels.of(link.state(), lagMs < 0 ? null : lagMs);
            critical |= level == LagLevels.Level.CRITICAL;
            // an unreported lag is not a problem of its own here: the link's state says why
            String shown = level == LagLevels.Level.UNKNOWN ? "ok" : level.name().toLowerCase(java.util.Locale.ROOT);
            details.put(link.id(), Map.of("state", link.state().name(), "lagMs", lagMs, "level", shown));
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
