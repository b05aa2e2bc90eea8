package dev.redmesh.topology.elasticache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import dev.redmesh.redis.HostAndPort;
import dev.redmesh.testing.FakeElastiCache;
import dev.redmesh.redis.SlotRange;

/** The real AWS SDK client against {@link FakeElastiCache}: request shapes, XML mapping, errors, paging. */
class ElastiCacheApiIT {

    private static final String REGION = "eu-west-1";
    private static final HostAndPort NODE_1 = new HostAndPort("127.0.0.1", 7001);
    private static final HostAndPort NODE_2 = new HostAndPort("127.0.0.1", 7002);
    private static final HostAndPort NODE_3 = new HostAndPort("127.0.0.1", 7003);

    private FakeElastiCache aws;
    private SdkElastiCacheApi api;

    @BeforeEach
    void start() {
        aws = FakeElastiCache.start();
        api = new SdkElastiCacheApi(new ElastiCacheProperties(aws.uri(), Duration.ofSeconds(5), Duration.ofSeconds(5)),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDREDMESHTEST", "not-a-secret")));
    }

    @AfterEach
    void stop() {
        api.close();
        aws.close();
    }

    private void ordersWithTwoReplicas() {
        aws.replicationGroup("orders")
                .primary("orders-001", NODE_1)
                .replica("orders-002", NODE_2)
                .replica("orders-003", NODE_3)
                .create();
    }

    @Test
    void describesClusterModeOffGroupWithRolesAndReadEndpoints() {
        ordersWithTwoReplicas();

        ElastiCacheSnapshot snapshot = api.describe(REGION, "orders");

        assertThat(snapshot.replicationGroupId()).isEqualTo("orders");
        assertThat(snapshot.status()).isEqualTo("available");
        assertThat(snapshot.clusterMode()).isFalse();
        assertThat(snapshot.configurationEndpoint()).isNull();
        assertThat(snapshot.nodeGroups()).singleElement().satisfies(shard -> {
            assertThat(shard.id()).isEqualTo("0001");
            assertThat(shard.slots()).isEmpty();
            assertThat(shard.primaryEndpoint()).isEqualTo(NODE_1);
            assertThat(shard.members()).containsExactly(
                    new ElastiCacheSnapshot.Member("orders-001", "0001", NODE_1, "primary", "eu-west-1a"),
                    new ElastiCacheSnapshot.Member("orders-002", "0001", NODE_2, "replica", "eu-west-1b"),
                    new ElastiCacheSnapshot.Member("orders-003", "0001", NODE_3, "replica", "eu-west-1c"));
        });
    }

    @Test
    void sendsSignedQueryProtocolRequestForTheGroup() {
        ordersWithTwoReplicas();

        api.describe(REGION, "orders");

        assertThat(aws.requests()).singleElement().satisfies(request -> {
            assertThat(request.params()).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "Action", "DescribeReplicationGroups", "Version", "2015-02-02", "ReplicationGroupId", "orders"));
            assertThat(request.signingRegion()).isEqualTo(REGION);
        });
    }

    @Test
    void keepsOneClientPerRegionAndSignsForIt() {
        ordersWithTwoReplicas();

        api.describe("us-east-1", "orders");
        api.describe(REGION, "orders");
        api.describe("us-east-1", "orders");

        assertThat(aws.requests()).extracting(FakeElastiCache.Request::signingRegion)
                .containsExactly("us-east-1", REGION, "us-east-1");
    }

    @Test
    void describesClusterModeOnGroupWithSlotsAndConfigurationEndpoint() {
        HostAndPort configuration = new HostAndPort("carts.abc123.clustercfg.euw1.cache.amazonaws.com", 6379);
        aws.replicationGroup("carts")
                .clusterMode(configuration)
                .shard("0001", "0-5461", "carts-0001-001", "carts-0001-002")
                .shard("0002", "5462-10922", "carts-0002-001", "carts-0002-002")
                .shard("0003", "10923-16383", "carts-0003-001", "carts-0003-002")
                .create();

        ElastiCacheSnapshot snapshot = api.describe(REGION, "carts");

        assertThat(snapshot.clusterMode()).isTrue();
        assertThat(snapshot.configurationEndpoint()).isEqualTo(configuration);
        assertThat(snapshot.nodeGroups()).extracting(ElastiCacheSnapshot.NodeGroup::id)
                .containsExactly("0001", "0002", "0003");
        assertThat(snapshot.nodeGroups()).extracting(ElastiCacheSnapshot.NodeGroup::slots).containsExactly(
                List.of(new SlotRange(0, 5461)), List.of(new SlotRange(5462, 10922)), List.of(new SlotRange(10923, 16383)));
        assertThat(snapshot.nodeGroups()).allSatisfy(shard -> {
            assertThat(shard.primaryEndpoint()).isNull();
            // roles and node addresses come from CLUSTER NODES, not from this API
            assertThat(shard.members()).hasSize(2).allSatisfy(member -> {
                assertThat(member.currentRole()).isNull();
                assertThat(member.endpoint()).isNull();
                assertThat(member.cacheClusterId()).startsWith("carts-" + shard.id() + "-");
            });
        });
    }

    @Test
    void readsShardsOwningSeveralSlotRanges() {
        aws.replicationGroup("carts")
                .clusterMode(new HostAndPort("carts.cfg.local", 6379))
                .shard("0001", "0-2000,3000-5461", "carts-0001-001")
                .shard("0002", "2001-2999,5462-16383", "carts-0002-001")
                .create();

        ElastiCacheSnapshot snapshot = api.describe(REGION, "carts");

        assertThat(snapshot.nodeGroups().get(0).slots()).containsExactly(new SlotRange(0, 2000), new SlotRange(3000, 5461));
        assertThat(snapshot.nodeGroups().get(1).slots()).containsExactly(new SlotRange(2001, 2999), new SlotRange(5462, 16383));
    }

    @Test
    void promotionShowsInNextDescribeAndAsEventsAfterThePreviousCheck() {
        ordersWithTwoReplicas();
        aws.addEvent(Instant.now().minus(Duration.ofMinutes(5)), "orders-001", "cache-cluster", "Cache cluster created");
        api.describe(REGION, "orders");
        Instant previousCheck = Instant.now().minusSeconds(1);

        Instant failedOverAt = aws.promote("orders", "0001", "orders-002");

        ElastiCacheSnapshot after = api.describe(REGION, "orders");
        ElastiCacheSnapshot.NodeGroup shard = after.nodeGroups().get(0);
        assertThat(shard.primaryEndpoint()).isEqualTo(NODE_2);
        assertThat(shard.members()).extracting(ElastiCacheSnapshot.Member::cacheClusterId, ElastiCacheSnapshot.Member::currentRole)
                .containsExactly(
                        tuple("orders-001", "replica"),
                        tuple("orders-002", "primary"),
                        tuple("orders-003", "replica"));

        String failover = "Failover from primary node orders-001 to replica node orders-002 completed";
        assertThat(api.eventsSince(REGION, "orders", previousCheck)).containsExactlyInAnyOrder(
                new ElastiCacheEvent(failedOverAt, "orders", "replication-group", failover),
                new ElastiCacheEvent(failedOverAt, "orders-002", "cache-cluster", failover));
        // since is exclusive: a caller that already handled the failover does not get it again
        assertThat(api.eventsSince(REGION, "orders", failedOverAt)).isEmpty();
        // StartTime goes out with milliseconds, as AWS documents it, not the Instant's nanoseconds
        assertThat(aws.requests()).filteredOn(request -> "DescribeEvents".equals(request.action()))
                .extracting(request -> request.params().get("StartTime"))
                .allMatch(startTime -> startTime.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z"), "ISO-8601 with milliseconds");
    }

    @Test
    void unknownGroupFailsNamingGroupAndAwsErrorCode() {
        ordersWithTwoReplicas();

        assertThatThrownBy(() -> api.describe(REGION, "nope"))
                .isInstanceOf(ElastiCacheException.class)
                .hasMessageContaining("'nope'")
                .hasMessageContaining("ReplicationGroupNotFoundFault");
        // a 404 fault is final: the standard retry strategy must not repeat it
        assertThat(aws.requests("DescribeReplicationGroups")).isEqualTo(1);
    }

    @Test
    void retriesServerErrorsWithTheStandardStrategy() {
        ordersWithTwoReplicas();
        aws.failNext(2, 503, "ServiceUnavailable");

        assertThat(api.describe(REGION, "orders").nodeGroups()).hasSize(1);
        assertThat(aws.requests("DescribeReplicationGroups")).isEqualTo(3);
    }

    @Test
    void givesUpAfterThreeAttemptsNamingTheLastError() {
        ordersWithTwoReplicas();
        aws.failNext(3, 503, "ServiceUnavailable");

        assertThatThrownBy(() -> api.describe(REGION, "orders"))
                .isInstanceOf(ElastiCacheException.class)
                .hasMessageContaining("'orders'")
                .hasMessageContaining("ServiceUnavailable");
        assertThat(aws.requests("DescribeReplicationGroups")).isEqualTo(3);
    }

    @Test
    void aHangingEndpointFailsTheCallWithinTheApiTimeout() {
        ordersWithTwoReplicas();
        aws.delayReplies(Duration.ofSeconds(5));
        try (SdkElastiCacheApi impatient = new SdkElastiCacheApi(
                new ElastiCacheProperties(aws.uri(), Duration.ofSeconds(1), Duration.ofSeconds(5)),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDREDMESHTEST", "not-a-secret")))) {
            long started = System.nanoTime();

            assertThatThrownBy(() -> impatient.describe(REGION, "orders"))
                    .isInstanceOf(ElastiCacheException.class)
                    .hasMessageContaining("'orders'");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void followsMarkersAcrossEventPagesAndKeepsOnlyTheGroupsEventsOldestFirst() {
        ordersWithTwoReplicas();
        aws.pageLimit(2);
        // AWS dates carry milliseconds; so do the fake's
        Instant since = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofMinutes(30));
        Instant t = since.plusSeconds(60);
        aws.addEvent(t.plusSeconds(1), "orders", "replication-group", "Test Failover API called for node group 0001");
        aws.addEvent(t.plusSeconds(2), "orders-001", "cache-cluster", "Failover from primary node orders-001 to replica node orders-002 completed");
        aws.addEvent(t.plusSeconds(3), "orders", "replication-group", "Failover from primary node orders-001 to replica node orders-002 completed");
        aws.addEvent(t.plusSeconds(4), "orders-001", "cache-cluster", "Recovering cache nodes 0001");
        aws.addEvent(t.plusSeconds(5), "payments-001", "cache-cluster", "Recovering cache nodes 0001");
        aws.addEvent(t.plusSeconds(6), "orders-001", "cache-cluster", "Finished recovery for cache nodes 0001");
        aws.addEvent(t.plusSeconds(7), "payments", "replication-group", "Test Failover API called for node group 0001");
        aws.addEvent(t.plusSeconds(8), "orders-003", "cache-cluster", "Cache node 0001 restarted");
        aws.addEvent(since.minusSeconds(1), "orders-003", "cache-cluster", "Cache cluster created");

        List<ElastiCacheEvent> events = api.eventsSince(REGION, "orders", since);

        assertThat(events).extracting(ElastiCacheEvent::date)
                .containsExactly(t.plusSeconds(1), t.plusSeconds(2), t.plusSeconds(3), t.plusSeconds(4),
                        t.plusSeconds(6), t.plusSeconds(8));
        // replication-group: 2 events in 1 page; cache-cluster: 5 events in 3 pages
        assertThat(aws.requests("DescribeEvents")).isEqualTo(4);
        assertThat(aws.requests()).filteredOn(request -> request.params().containsKey("Marker")).hasSize(2);
        assertThat(aws.requests()).allSatisfy(request -> {
            assertThat(request.params()).containsEntry("MaxRecords", "100");
            assertThat(Instant.parse(request.params().get("StartTime"))).isEqualTo(since);
        });
    }
}
