package dev.redmesh.topology;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code regions}, one entry per region: UP while every shard
 * master of every cluster in it answers, DOWN naming the masters that do not; unhealthy replicas are
 * listed without making the region DOWN. Computed from the poller's memory, never from Redis or the
 * database, so a health probe is cheap and cannot hang.
 */
@Component("regions")
class RegionHealthContributor implements CompositeHealthContributor {

    private final TopologyPoller poller;

    RegionHealthContributor(TopologyPoller poller) {
        this.poller = poller;
    }

    @Override
    public HealthContributor getContributor(String region) {
        return regions().contains(region) ? indicator(region) : null;
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        return regions().stream().map(region -> new HealthContributors.Entry(region, indicator(region)));
    }

    private TreeSet<String> regions() {
        TreeSet<String> regions = new TreeSet<>();
        poller.watches().values().forEach(w -> regions.add(w.target.region()));
        return regions;
    }

    private HealthIndicator indicator(String region) {
        return () -> {
            List<ClusterWatch> clusters = poller.watches().values().stream()
                    .filter(w -> w.target.region().equals(region))
                    .sorted(Comparator.comparing(w -> w.target.name())).toList();
            boolean down = false;
            Map<String, Object> details = new LinkedHashMap<>();
            for (ClusterWatch watch : clusters) {
                ClusterWatch.Health health = watch.health;
                Map<String, Object> cluster = new LinkedHashMap<>();
                if (!health.discovered()) {
                    cluster.put("status", "not polled yet");
                } else {
                    cluster.put("status", health.unreachableMasters().isEmpty() ? "UP" : "DOWN");
                    if (!health.unreachableMasters().isEmpty()) {
                        cluster.put("unreachableMasters", health.unreachableMasters());
                        down = true;
                    }
                    if (!health.unhealthyNodes().isEmpty()) {
                        cluster.put("unhealthyNodes", health.unhealthyNodes());
                    }
                    cluster.put("polledAt", health.at().toString());
                }
                details.put(watch.target.name(), cluster);
            }
            return (down ? Health.down() : Health.up()).withDetails(details).build();
        };
    }
}
