package dev.redmesh.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import dev.redmesh.redis.HostAndPort;
import dev.redmesh.localredis.LocalRedisCluster;
import dev.redmesh.localredis.LocalReplicationGroup;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.FakeElastiCache;
import dev.redmesh.testing.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real AWS SDK client against a local server answering the ElastiCache Query API, whose
 * endpoints point at real local redis-server processes.
 */
@AppIT
class ElastiCacheTopologyIT {

    static final FakeElastiCache AWS = FakeElastiCache.start();

    @RegisterExtension
    RedisServers redis = RedisServers.version("7");

    @Autowired
    Api api;

    @DynamicPropertySource
    static void aws(DynamicPropertyRegistry registry) {
        AWS.configure(registry);
    }


    @AfterAll
    static void stopAws() {
        AWS.close();
    }

    @BeforeEach
    void region() {
        api.put("/api/v1/regions/eu-west-1", "{}");
    }

    private static HostAndPort address(RedisNode node) {
        return new HostAndPort(node.host(), node.port());
    }

    private JsonNode cluster(String name) {
        return api.get("/api/v1/clusters/" + name).json();
    }

    @Test
    void clusterModeOffRolesComeFromTheApiAndAFailoverIsOneEvent() {
        LocalReplicationGroup group = redis.replicationGroup(2);
        RedisNode primary = group.master();
        RedisNode promoted = group.replicas().get(0);
        RedisNode other = group.replicas().get(1);
        primary.call(c -> c.set("order:1", "paid"));
        AWS.replicationGroup("orders-off").primary("orders-off-001", address(primary))
                .replica("orders-off-002", address(promoted)).replica("orders-off-003", address(other)).create();

        assertThat(api.put("/api/v1/clusters/orders-off", """
                {"region":"eu-west-1","mode":"ELASTICACHE",
                 "elasticache":{"replicationGroupId":"orders-off","awsRegion":"eu-west-1"}}""").status()).isEqualTo(201);

        JsonNode shard = Eventually.await("node group 0001 with 3 healthy nodes", Duration.ofSeconds(5), () -> {
            JsonNode shards = cluster("orders-off").path("shards");
            return shards.size() == 1 && shards.get(0).path("nodes").size() == 3
                    && shards.get(0).path("nodes").findValues("healthy").stream().allMatch(JsonNode::asBoolean)
                    ? shards.get(0) : null;
        });
        assertThat(shard.path("id").asString()).isEqualTo("0001");
        assertThat(shard.path("master").asString()).isEqualTo(primary.address());
        assertThat(shard.path("nodes").get(0).path("offset").asLong()).isPositive();

        // ElastiCache fails over: the real nodes change roles, and the API says so with an event
        promoted.promote();
        other.replicaOf(promoted);
        primary.replicaOf(promoted);
        AWS.promote("orders-off", "0001", "orders-off-002");

        JsonNode event = Eventually.await("role change", Duration.ofSeconds(5), () -> {
            JsonNode events = api.get("/api/v1/events?type=ROLE_CHANGE&subject=orders-off/0001").json();
            return events.size() == 1 ? events.get(0) : null;
        });
        assertThat(event.path("details").path("previousMaster").asString()).isEqualTo(primary.address());
        assertThat(event.path("details").path("newMaster").asString()).isEqualTo(promoted.address());
        assertThat(event.path("details").path("detectedBy").asString()).startsWith("DescribeReplicationGroups")
                .contains("Failover");
        assertThat(AWS.requests("DescribeReplicationGroups")).isPositive();
        assertThat(AWS.requests("DescribeEvents")).isPositive();
    }

    @Test
    void clusterModeOnShardsAreNamedAfterNodeGroupsWithRolesFromTheCluster() {
        try (LocalRedisCluster local = LocalRedisCluster.builder().binary(redis.binary()).masters(3).replicasPerMaster(1).start()) {
            RedisNode seed = local.masters().get(0);
            AWS.replicationGroup("orders-on").clusterMode(address(seed))
                    .shard("0001", "0-5460", "orders-on-0001-001", "orders-on-0001-002")
                    .shard("0002", "5461-10922", "orders-on-0002-001", "orders-on-0002-002")
                    .shard("0003", "10923-16383", "orders-on-0003-001", "orders-on-0003-002").create();
            assertThat(api.put("/api/v1/clusters/orders-on", """
                    {"region":"eu-west-1","mode":"ELASTICACHE",
                     "elasticache":{"replicationGroupId":"orders-on","awsRegion":"eu-west-1"}}""").status()).isEqualTo(201);

            JsonNode shards = Eventually.await("3 node groups with master and replica", Duration.ofSeconds(5), () -> {
                JsonNode s = cluster("orders-on").path("shards");
                return s.size() == 3 && s.get(2).path("nodes").size() == 2 ? s : null;
            });
            assertThat(shards.findValuesAsString("id")).containsExactly("0001", "0002", "0003");
            for (JsonNode shard : shards) {
                assertThat(shard.path("nodes").get(0).path("role").asString()).isEqualTo("MASTER");
                assertThat(shard.path("nodes").get(1).path("role").asString()).isEqualTo("REPLICA");
            }
            assertThat(shards.get(0).path("master").asString()).isEqualTo(local.nodeForSlot(0).address());
        }
    }
}
