package dev.redmesh.overview;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.redmesh.cluster.Cluster;
import dev.redmesh.cluster.ClusterService;
import dev.redmesh.cluster.TopologyView;
import dev.redmesh.fleet.FleetCounts;
import dev.redmesh.fleet.LagLevels;
import dev.redmesh.link.LinkProgress;
import dev.redmesh.link.LinkResponse;
import dev.redmesh.link.LinkService;
import dev.redmesh.proxy.ProxyCounts;
import dev.redmesh.region.Region;
import dev.redmesh.region.RegionService;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Everything the dashboard's overview shows, in one answer so that a page polling every two seconds
 * costs one request: regions, clusters with node health and readiness, links with their lag level
 * by the server's thresholds, fleet counts and the totals.
 */
@RestController
@Tag(name = "overview", description = "One-call summary for dashboards")
class OverviewController {

    private final RegionService regions;
    private final ClusterService clusters;
    private final TopologyView topology;
    private final LinkService linkService;
    private final LinkProgress links;
    private final LagLevels levels;
    private final FleetCounts fleet;
    private final ProxyCounts proxies;

    OverviewController(RegionService regions, ClusterService clusters, TopologyView topology, LinkService linkService,
                       LinkProgress links, LagLevels levels, FleetCounts fleet, ProxyCounts proxies) {
        this.linkService = linkService;
        this.proxies = proxies;
        this.regions = regions;
        this.clusters = clusters;
        this.topology = topology;
        this.links = links;
        this.levels = levels;
        this.fleet = fleet;
    }

    record Thresholds(long lagWarnMs, long lagCriticalMs) {
    }

    record RegionSummary(String name, @Nullable String displayName, @Nullable String cloud, List<String> clusters) {
    }

    /** @param healthyNodes nodes whose last poll answered, of {@code nodes} discovered */
    record ClusterSummary(String name, String region, String mode, @Nullable String mesh, int shards, int nodes,
                          int healthyNodes, boolean ready, String status) {
    }

    record LinkSummary(String id, String source, String target, @Nullable String sourceRegion,
                       @Nullable String targetRegion, String mode, String state, @Nullable String stateReason,
                       @Nullable Long lagMs, @Nullable Long lagBytes, @Nullable Double opsPerSec,
                       LagLevels.Level level) {
    }

    /**
     * @param clustersHealthy every node of the cluster answered its last poll ("reachable")
     * @param clustersReady   every link touching the cluster streams — what the Clusters page calls ready
     */
    record Totals(@Nullable Long worstLagMs, double opsPerSec, int linksStreaming, int clustersHealthy,
                  int clustersUnhealthy, int clustersReady) {
    }

    record OverviewResponse(Thresholds thresholds, List<RegionSummary> regions, List<ClusterSummary> clusters,
                            List<LinkSummary> links, FleetCounts.Workers workers, ProxyCounts.Proxies proxies,
                            Totals totals) {
    }

    @GetMapping("/api/v1/overview")
    @Operation(summary = "Regions, clusters, links with lag levels, fleet counts and totals, in one call")
    OverviewResponse overview() {
        List<Cluster> all = clusters.list(null);
        Map<String, String> regionOf = new HashMap<>();
        Map<String, List<String>> clustersByRegion = new HashMap<>();
        List<ClusterSummary> clusterSummaries = new ArrayList<>();
        int healthy = 0;
        int ready = 0;
        for (Cluster c : all) {
            regionOf.put(c.getName(), c.getRegion());
            clustersByRegion.computeIfAbsent(c.getRegion(), r -> new ArrayList<>()).add(c.getName());
            List<TopologyView.Shard> shards = topology.shardsOf(c.getName());
            int nodes = shards.stream().mapToInt(s -> s.nodes().size()).sum();
            int up = (int) shards.stream().flatMap(s -> s.nodes().stream()).filter(TopologyView.Node::healthy).count();
            var status = clusters.status(c.getName());
            if (nodes > 0 && up == nodes) {
                healthy++;
            }
            if (status.ready()) {
                ready++;
            }
            clusterSummaries.add(new ClusterSummary(c.getName(), c.getRegion(), c.getMode().name(), c.getMesh(),
                    shards.size(), nodes, up, status.ready(), status.message()));
        }
        List<RegionSummary> regionSummaries = new ArrayList<>();
        for (Region r : regions.list()) {
            regionSummaries.add(new RegionSummary(r.getName(), r.getDisplayName(), r.getCloud(),
                    clustersByRegion.getOrDefault(r.getName(), List.of())));
        }
        List<LinkSummary> linkSummaries = new ArrayList<>();
        for (LinkResponse l : linkService.list(null, null, links)) {
            linkSummaries.add(new LinkSummary(l.id(), l.source(), l.target(), regionOf.get(l.source()),
                    regionOf.get(l.target()), l.mode().name(), l.state().name(), l.stateReason(), l.lagMs(), l.lagBytes(),
                    l.opsPerSec(), levels.of(l.state(), l.lagMs())));
        }
        Long worst = linkSummaries.stream().map(LinkSummary::lagMs).filter(Objects::nonNull).max(Long::compare).orElse(null);
        double ops = Math.round(linkSummaries.stream().map(LinkSummary::opsPerSec).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).sum() * 10) / 10.0;
        int streaming = (int) linkSummaries.stream().filter(l -> l.state().equals("STREAMING")).count();
        return new OverviewResponse(new Thresholds(levels.warnMs(), levels.criticalMs()), regionSummaries,
                clusterSummaries, linkSummaries, fleet.workers(), proxies.proxies(),
                new Totals(worst, ops, streaming, healthy, all.size() - healthy, ready));
    }
}
