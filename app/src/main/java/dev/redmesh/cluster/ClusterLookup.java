package dev.redmesh.cluster;

import java.util.List;

import dev.redmesh.link.ClusterDirectory;
import dev.redmesh.region.RegionDependants;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Answers what regions and links ask about clusters, straight from the store (no service cycle). */
@Component
class ClusterLookup implements ClusterDirectory, RegionDependants {

    private final ClusterRepository clusters;

    ClusterLookup(ClusterRepository clusters) {
        this.clusters = clusters;
    }

    @Override
    @Transactional(readOnly = true)
    public boolean exists(String cluster) {
        return clusters.existsById(cluster);
    }

    @Override
    @Transactional(readOnly = true)
    public boolean readsKeyspace(String cluster) {
        return clusters.findById(cluster).map(Cluster::readsKeyspace).orElse(false);
    }

    @Override
    @Transactional(readOnly = true)
    public List<String> clusterNamesIn(String region) {
        return clusters.findByRegionOrderByNameAsc(region).stream().map(Cluster::getName).toList();
    }
}
