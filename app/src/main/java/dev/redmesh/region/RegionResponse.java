package dev.redmesh.region;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

record RegionResponse(String name, @Nullable String displayName, @Nullable String cloud, @Nullable ProxySettings proxy,
                      List<String> clusters, Instant createdAt, Instant updatedAt) {

    static RegionResponse of(Region region, ProxySettings proxy, List<String> clusters) {
        return new RegionResponse(region.getName(), region.getDisplayName(), region.getCloud(), proxy, clusters,
                region.getCreatedAt(), region.getUpdatedAt());
    }
}
