package dev.redmesh.proxy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.redmesh.cluster.Cluster;
import dev.redmesh.cluster.ClusterSecrets;
import dev.redmesh.cluster.ClusterService;
import dev.redmesh.cluster.TopologyView;
import dev.redmesh.link.LinkMode;
import dev.redmesh.link.LinkService;
import dev.redmesh.link.ReplicationLink;
import dev.redmesh.region.Region;
import dev.redmesh.region.RegionService;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Reads what every region's proxy configuration is made from: regions, clusters with their current masters, mirrors. */
@Component
class ProxyModels {

    private final RegionService regions;
    private final ClusterService clusters;
    private final ClusterSecrets secrets;
    private final TopologyView topology;
    private final LinkService links;

    ProxyModels(RegionService regions, ClusterService clusters, ClusterSecrets secrets, TopologyView topology,
                LinkService links) {
        this.regions = regions;
        this.clusters = clusters;
        this.secrets = secrets;
        this.topology = topology;
        this.links = links;
    }

    @Transactional(readOnly = true)
    public List<RegionModel> all() {
        Map<String, Cluster> byName = clusters.list(null).stream().collect(Collectors.toMap(Cluster::getName, Function.identity()));
        List<ReplicationLink> mirrors = links.inMode(LinkMode.PROXY_MIRROR);
        List<RegionModel> models = new ArrayList<>();
        for (Region region : regions.list()) {
            List<RegionModel.Upstream> local = byName.values().stream().filter(c -> c.getRegion().equals(region.getName()))
                    .sorted((a, b) -> a.getName().compareTo(b.getName())).map(this::upstream).toList();
            Set<String> localNames = local.stream().map(RegionModel.Upstream::name).collect(Collectors.toSet());
            List<RegionModel.Mirror> regionMirrors = mirrors.stream().filter(l -> localNames.contains(l.getSource()))
                    .map(l -> new RegionModel.Mirror(l.getId(), l.getSource(), l.getTarget())).toList();
            Set<String> targets = new LinkedHashSet<>();
            regionMirrors.forEach(m -> targets.add(m.target()));
            List<RegionModel.Upstream> remotes = targets.stream().map(byName::get).filter(java.util.Objects::nonNull)
                    .map(this::upstream).toList();
            models.add(new RegionModel(region.getName(), regions.proxySettings(region), local, regionMirrors, remotes));
        }
        return models;
    }

    private RegionModel.Upstream upstream(Cluster cluster) {
        List<String> masters = topology.shardsOf(cluster.getName()).stream().map(TopologyView.Shard::master)
                .filter(java.util.Objects::nonNull).toList();
        String password;
        try {
            password = secrets.password(cluster);
        } catch (IllegalStateException unreadable) {
            password = null; // its key is missing: the proxy's AUTH fails, visibly, rather than no config at all
        }
        return new RegionModel.Upstream(cluster.getName(), cluster.getMode(), cluster.getSeeds(), masters,
                cluster.getUsername(), password, cluster.isTls());
    }
}
