package dev.redmesh.region;

import java.time.Instant;
import java.util.List;

record RegionResponse(String name, String displayName, String cloud, ProxySettings proxy, List<String> clusters,
                      Instant createdAt, Instant updatedAt) {

    static RegionResponse of(Region region, ProxySettings proxy, List<String> clusters) {
        return new RegionResponse(region.getName(), region.getDisplayName(), region.getCloud(), proxy, clusters,
                region.getCreatedAt(), region.getUpdatedAt());
    }
}
