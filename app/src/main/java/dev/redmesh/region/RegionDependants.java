package dev.redmesh.region;

import java.util.List;

/** What lives in a region; implemented by the cluster feature so regions need not know about clusters. */
public interface RegionDependants {

    List<String> clusterNamesIn(String region);
}
