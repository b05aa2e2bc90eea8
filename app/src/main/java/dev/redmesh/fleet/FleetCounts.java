package dev.redmesh.fleet;

import java.time.Clock;
import java.time.Instant;

import org.springframework.stereotype.Component;

/** How many workers the fleet has and how many of them heartbeat within a lease, for summaries. */
@Component
public class FleetCounts {

    public record Workers(int live, int total) {
    }

    private final FleetStore store;
    private final FleetProperties properties;
    private final Clock clock;

    FleetCounts(FleetStore store, FleetProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
    }

    public Workers workers() {
        Instant liveSince = clock.instant().minus(properties.lease());
        var all = store.workers();
        return new Workers((int) all.stream().filter(w -> w.lastHeartbeat().isAfter(liveSince)).count(), all.size());
    }
}
