package dev.redmesh.region;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Body of {@code PUT /api/v1/regions/{name}}. */
record RegionRequest(
        @Size(max = 200, message = "must be at most 200 characters") String displayName,
        @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,62}", message = "must match [a-z0-9][a-z0-9-]{0,62}, e.g. aws, gcp, on-prem")
        String cloud,
        @io.swagger.v3.oas.annotations.media.Schema(description = "how the region's Envoy proxies serve clients; omit for the defaults")
        ProxySettings proxy) {
}
