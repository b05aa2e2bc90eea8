package dev.redmesh.link;

import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code POST /api/v1/links}: an explicit link outside any mesh. */
record LinkRequest(
        @Schema(example = "orders-eu") String source,
        @Schema(example = "orders-us") String target,
        @Schema(description = "PSYNC (default), KEYSPACE or PROXY_MIRROR") String mode,
        Filters filters) {

    /** Glob patterns (Redis MATCH syntax) of keys that travel; exclude wins over include. */
    record Filters(List<String> include, List<String> exclude) {
    }
}
