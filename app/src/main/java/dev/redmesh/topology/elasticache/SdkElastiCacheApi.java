package dev.redmesh.topology.elasticache;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.HashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.ElastiCacheClientBuilder;
import software.amazon.awssdk.services.elasticache.model.DescribeEventsRequest;
import software.amazon.awssdk.services.elasticache.model.Event;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.SourceType;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * {@link ElastiCacheApi} over the AWS SDK v2, one {@link ElastiCacheClient} per AWS region. Clusters
 * of one mesh live in several regions and ElastiCache endpoints are regional, so the region is an
 * argument of every call and clients are made on first use and kept until {@link #close()}.
 */
public final class SdkElastiCacheApi implements ElastiCacheApi, AutoCloseable {

    /** The API's ceiling for MaxRecords; asking for the most keeps a busy group to few pages. */
    private static final int EVENTS_PAGE_SIZE = 100;

    private final ElastiCacheProperties properties;
    private final AwsCredentialsProvider credentials;
    private final SdkAutoCloseable ownedCredentials;
    private final Map<String, ElastiCacheClient> clients = new HashMap<>();
    private boolean closed;

    /** Credentials from the SDK's default chain: environment, profiles, container or instance role. */
    public SdkElastiCacheApi(ElastiCacheProperties properties) {
        this(properties, DefaultCredentialsProvider.builder().build(), true);
    }

    /** Credentials the caller provides and keeps ownership of (tests, or an assumed role). */
    public SdkElastiCacheApi(ElastiCacheProperties properties, AwsCredentialsProvider credentials) {
        this(properties, credentials, false);
    }

    private SdkElastiCacheApi(ElastiCacheProperties properties, AwsCredentialsProvider credentials, boolean owned) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.ownedCredentials = owned && credentials instanceof SdkAutoCloseable closeable ? closeable : null;
    }

    @Override
    public ElastiCacheSnapshot describe(String awsRegion, String replicationGroupId) {
        List<ReplicationGroup> groups = call("DescribeReplicationGroups", awsRegion, replicationGroupId,
                () -> client(awsRegion).describeReplicationGroups(r -> r.replicationGroupId(replicationGroupId))
                        .replicationGroups());
        // AWS answers an unknown id with ReplicationGroupNotFoundFault, never with an empty list;
        // if one comes anyway (a misbehaving endpoint override), say so rather than fail on get(0)
        if (groups.isEmpty()) {
            throw new ElastiCacheException("DescribeReplicationGroups for '" + replicationGroupId + "' in "
                    + awsRegion + " returned no replication group", null);
        }
        return ReplicationGroupMapping.toSnapshot(groups.get(0));
    }

    /**
     * Two queries because DescribeEvents filters by one source type: the group's own events
     * (failover started/completed on the group) and those of its member cache clusters, which
     * are named {@code <group>-<shard>-<node>} or {@code <group>-<node>}. AWS has no filter for
     * "members of group X", so member events are fetched for all clusters and filtered here.
     */
    @Override
    public List<ElastiCacheEvent> eventsSince(String awsRegion, String replicationGroupId, Instant since) {
        Objects.requireNonNull(since, "since");
        // The SDK would send every digit of the Instant; AWS documents StartTime with milliseconds.
        // Rounding down only fetches more, and the filter below drops what is not after since.
        Instant startTime = since.truncatedTo(ChronoUnit.MILLIS);
        List<ElastiCacheEvent> events = new ArrayList<>();
        events.addAll(events(awsRegion, replicationGroupId, startTime,
                r -> r.sourceType(SourceType.REPLICATION_GROUP).sourceIdentifier(replicationGroupId),
                event -> true));
        events.addAll(events(awsRegion, replicationGroupId, startTime,
                r -> r.sourceType(SourceType.CACHE_CLUSTER),
                event -> isMemberOf(replicationGroupId, event.sourceIdentifier())));
        // AWS does not document whether StartTime is inclusive; callers pass the date of the last
        // event they handled, so anything not after it would be handled twice
        events.removeIf(event -> !event.date().isAfter(since));
        events.sort(Comparator.comparing(ElastiCacheEvent::date));
        return events;
    }

    /**
     * Ids are case-insensitive at AWS (it keeps them lower case), so {@code Orders} owns
     * {@code orders-001}. A group named like another's prefix ({@code orders}, {@code orders-eu})
     * also sees the other's member events: a spare re-read of topology, never a missed one.
     */
    private static boolean isMemberOf(String replicationGroupId, String cacheClusterId) {
        return cacheClusterId != null && cacheClusterId.length() > replicationGroupId.length()
                && cacheClusterId.regionMatches(true, 0, replicationGroupId, 0, replicationGroupId.length())
                && cacheClusterId.charAt(replicationGroupId.length()) == '-';
    }

    private List<ElastiCacheEvent> events(String awsRegion, String replicationGroupId, Instant startTime,
                                          Consumer<DescribeEventsRequest.Builder> source,
                                          Predicate<Event> belongsToGroup) {
        return call("DescribeEvents", awsRegion, replicationGroupId, () -> {
            List<ElastiCacheEvent> found = new ArrayList<>();
            // the paginator follows Marker until AWS stops returning one
            client(awsRegion).describeEventsPaginator(r -> source.accept(r.startTime(startTime).maxRecords(EVENTS_PAGE_SIZE)))
                    .events()
                    .stream()
                    // an event without a date cannot be placed after since, nor ordered
                    .filter(event -> event.date() != null && belongsToGroup.test(event))
                    .map(event -> new ElastiCacheEvent(event.date(), event.sourceIdentifier(),
                            event.sourceTypeAsString(), event.message()))
                    .forEach(found::add);
            return found;
        });
    }

    /** Every SDK failure becomes an {@link ElastiCacheException} naming the group and AWS's error code. */
    private <T> T call(String action, String awsRegion, String replicationGroupId, Supplier<T> request) {
        try {
            return request.get();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw new ElastiCacheException(action + " for replication group '" + replicationGroupId + "' in "
                    + awsRegion + " failed: " + code + ": " + message, e);
        } catch (SdkException e) {
            throw new ElastiCacheException(action + " for replication group '" + replicationGroupId + "' in "
                    + awsRegion + " failed: " + e.getMessage(), e);
        }
    }

    /** Synchronized so that {@link #close()} cannot miss a client being made at the same moment. */
    private synchronized ElastiCacheClient client(String awsRegion) {
        if (awsRegion == null || awsRegion.isBlank()) {
            throw new ElastiCacheException("an AWS region is required to call ElastiCache", null);
        }
        if (closed) {
            throw new IllegalStateException("ElastiCache clients are closed");
        }
        return clients.computeIfAbsent(awsRegion, this::newClient);
    }

    private ElastiCacheClient newClient(String awsRegion) {
        // Each attempt gets half the budget, so one hung connection still leaves room for a retry
        // before the whole call gives up.
        var attemptTimeout = properties.apiTimeout().dividedBy(2);
        ElastiCacheClientBuilder builder = ElastiCacheClient.builder()
                .region(Region.of(awsRegion))
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(attemptTimeout)
                        .socketTimeout(attemptTimeout))
                .overrideConfiguration(o -> o
                        .apiCallTimeout(properties.apiTimeout())
                        .apiCallAttemptTimeout(attemptTimeout)
                        .retryStrategy(RetryMode.STANDARD));
        if (properties.endpointOverride() != null) {
            builder.endpointOverride(properties.endpointOverride());
        }
        return builder.build();
    }

    @Override
    public synchronized void close() {
        closed = true;
        clients.values().forEach(ElastiCacheClient::close);
        clients.clear();
        if (ownedCredentials != null) {
            ownedCredentials.close();
        }
    }
}
