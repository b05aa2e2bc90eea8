package dev.redmesh.topology.elasticache;

import java.time.Instant;

/** One entry of {@code DescribeEvents}, e.g. "Failover to replica node orders-0001-002 completed". */
public record ElastiCacheEvent(Instant date, String sourceIdentifier, String sourceType, String message) {
}
