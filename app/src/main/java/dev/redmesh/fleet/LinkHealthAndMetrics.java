package dev.redmesh.fleet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import dev.redmesh.link.LinkState;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The {@code links} health component and the per-link Prometheus gauges, from the latest reports
 * in Postgres (so every control plane answers the same). A link is critical when it is BROKEN or
 * its lag reached {@code redmesh.fleet.lag-critical} (component DOWN); lagging past
 * {@code lag-warn} shows in the details only.
 */
@Component("links")
class LinkHealthAndMetrics implements HealthIndicator {

    private final FleetStore store;
    private final FleetProperties properties;
    private final MeterRegistry meters;
    private final Map<String, LinkFigures> figures = new ConcurrentHashMap<>();

    /** What the gauges read, refreshed every second. */
    static final class LinkFigures {
        volatile double lagMs = Double.NaN;
        volatile double lagBytes = Double.NaN;
        volatile double streaming;
    }

    LinkHealthAndMetrics(FleetStore store, FleetProperties properties, MeterRegistry meters) {
        this.store = store;
        this.properties = properties;
        this.meters = meters;
    }

    @Scheduled(fixedDelay = 1000)
    void refreshGauges() {
        Map<String, List<FleetStore.AssignmentRow>> byLink = store.assignmentsByLink();
        for (FleetStore.LinkRow link : store.psyncLinks()) {
            LinkFigures f = figures.computeIfAbsent(link.id(), id -> register(id, new LinkFigures()));
            List<FleetStore.AssignmentRow> shards = byLink.getOrDefault(link.id(), List.of());
            f.lagMs = shards.stream().filter(a -> a.lagMs() != null).mapToLong(FleetStore.AssignmentRow::lagMs).max()
                    .orElse(-1);
            f.lagBytes = shards.stream().filter(a -> a.lagBytes() != null).mapToLong(FleetStore.AssignmentRow::lagBytes)
                    .sum();
            f.streaming = LinkState.STREAMING.name().equals(link.state()) ? 1 : 0;
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
        for (FleetStore.LinkRow link : store.psyncLinks()) {
            long lagMs = byLink.getOrDefault(link.id(), List.of()).stream().filter(a -> a.lagMs() != null)
                    .mapToLong(FleetStore.AssignmentRow::lagMs).max().orElse(-1);
            String level = "ok";
            if (LinkState.BROKEN.name().equals(link.state()) || lagMs >= properties.lagCritical().toMillis()) {
                level = "critical";
                critical = true;
            } else if (lagMs >= properties.lagWarn().toMillis()) {
                level = "warn";
            }
            details.put(link.id(), Map.of("state", link.state(), "lagMs", lagMs, "level", level));
        }
        return (critical ? Health.down() : Health.up()).withDetails(details).build();
    }
}
