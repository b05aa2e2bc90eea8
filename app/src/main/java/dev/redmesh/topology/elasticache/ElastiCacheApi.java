package dev.redmesh.topology.elasticache;

import java.time.Instant;
import java.util.List;

/** The two ElastiCache calls topology discovery makes, through the AWS SDK. */
public interface ElastiCacheApi {

    /** {@code DescribeReplicationGroups} for one group; throws {@link ElastiCacheException} if AWS says no. */
    ElastiCacheSnapshot describe(String awsRegion, String replicationGroupId);

    /**
     * {@code DescribeEvents} since {@code since} (exclusive) for the group and its cache clusters
     * (member ids start with the group id), oldest first.
     */
    List<ElastiCacheEvent> eventsSince(String awsRegion, String replicationGroupId, Instant since);
}
