package dev.redmesh.fleet;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.redmesh.link.LinkService;
import dev.redmesh.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "links")
class LagController {

    private static final Pattern WINDOW = Pattern.compile("(\\d{1,4})([smh])");

    private final FleetStore store;
    private final LinkService links;
    private final FleetProperties properties;
    private final Clock clock;

    LagController(FleetStore store, LinkService links, FleetProperties properties, Clock clock) {
        this.store = store;
        this.links = links;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * @param resolutionSeconds 1 up to an hour's window, 60 beyond
     * @param from              where the window begins (now minus the window): a chart spans from here to {@code to}
     *                          whatever the samples cover, and says where they begin
     * @param points            the link: the worst shard's lag per instant, the shards' bytes and rates summed
     * @param shards            each shard's own samples
     */
    record LagSeries(String link, String window, int resolutionSeconds, java.time.Instant from, java.time.Instant to,
                     List<FleetStore.LagPoint> points, List<ShardSeries> shards) {
    }

    record ShardSeries(String shard, List<FleetStore.LagPoint> points) {
    }

    @GetMapping("/api/v1/links/{id}/lag")
    @Operation(summary = "Lag time series of a link (worst shard per instant): `window` like 15m, 1h, 24h; "
            + "1 s points up to 1h, 1 min points beyond")
    LagSeries lag(@PathVariable String id, @RequestParam(defaultValue = "15m") String window) {
        Duration span = parse(window, properties.lagCoarseFor());
        links.get(id); // 404 for an unknown link
        int resolution = span.compareTo(properties.lagFineFor()) <= 0 ? 1 : 60;
        java.time.Instant now = clock.instant();
        java.time.Instant from = now.minus(span);
        List<ShardSeries> shards = store.lagByShard(id, resolution, from).entrySet().stream()
                .map(e -> new ShardSeries(e.getKey(), e.getValue())).toList();
        return new LagSeries(id, window, resolution, from, now, store.lag(id, resolution, from), shards);
    }

    static Duration parse(String window, Duration longest) {
        Matcher m = WINDOW.matcher(window);
        Duration span = null;
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            span = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
        }
        if (span == null || span.isZero() || span.compareTo(longest) > 0) {
            throw ApiException.invalid("window", "a duration like 15m, 1h or 24h, at most " + longest.toHours() + "h");
        }
        return span;
    }
}
