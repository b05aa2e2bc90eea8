package dev.redmesh.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import tools.jackson.databind.JsonNode;

import dev.redmesh.localredis.LocalRedisCluster;
import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.redis.HostAndPort;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Cleanup;
import dev.redmesh.testing.DatasetComparison;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.FakeElastiCache;
import dev.redmesh.testing.MeshWorkload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * ElastiCache end to end: the real AWS SDK against a local server answering with ElastiCache's
 * response shapes, whose endpoints are real redis-servers that refuse what ElastiCache refuses
 * ({@code SYNC}, {@code PSYNC}, {@code CONFIG}). A cluster-mode-off group and a cluster-mode-on
 * group join one mesh by the PUT calls a CI pipeline makes; under capture AUTO both are read by
 * keyspace capture, and the cluster-mode-on group is written slot by slot as the Redis Cluster it is.
 */
@AppIT
class ElastiCacheMeshIT {

    static final FakeElastiCache AWS = FakeElastiCache.start();
    private static final String[] REFUSED = {"rename-command SYNC \"\"", "rename-command PSYNC \"\"",
        "rename-command CONFIG \"\"", "notify-keyspace-events KA"};

    @Autowired
    Api api;

    @RegisterExtension
    Cleanup cleanup = new Cleanup();

    @DynamicPropertySource
    static void aws(DynamicPropertyRegistry registry) {
        AWS.configure(registry);
    }


    @AfterAll
    static void stopAws() {
        AWS.close();
    }

    private static HostAndPort address(RedisNode node) {
        return new HostAndPort(node.host(), node.port());
    }

    private JsonNode link(String id) {
        return api.get("/api/v1/links/" + id).json();
    }

    @Test
    void aClusterModeOffAndAClusterModeOnGroupReplicateBothWaysByKeyspaceCapture() throws Exception {
        RedisNode primary = cleanup.add(RedisNode.start(RedisBinary.forVersion("7"), REFUSED));
        LocalRedisCluster sharded = cleanup.add(LocalRedisCluster.builder().binary(RedisBinary.forVersion("7"))
                .masters(3).replicasPerMaster(0).extraConfig(REFUSED).start());
        AWS.replicationGroup("orders-off").primary("orders-off-001", address(primary)).create();
        AWS.replicationGroup("orders-on").clusterMode(address(sharded.masters().get(0)))
                .shard("0001", "0-5460", "orders-on-0001-001")
                .shard("0002", "5461-10922", "orders-on-0002-001")
                .shard("0003", "10923-16383", "orders-on-0003-001").create();
        RedisCommands<String, String> off = cleanup.add(RedisClient.create(primary.uri())).connect().sync();
        RedisClusterClient onClient = cleanup.add(RedisClusterClient.create(sharded.uris()));
        RedisClusterCommands<String, String> on = onClient.connect().sync();
        off.set("off:before", "preloaded");
        on.set("on:before", "preloaded");

        for (String[] group : new String[][] {{"eu-west-1", "orders-off"}, {"us-east-1", "orders-on"}}) {
            assertThat(api.put("/api/v1/regions/" + group[0], "{}").status()).isIn(200, 201);
            assertThat(api.put("/api/v1/clusters/" + group[1], "{\"region\":\"" + group[0] + "\",\"mode\":\"ELASTICACHE\","
                    + "\"elasticache\":{\"replicationGroupId\":\"" + group[1] + "\",\"awsRegion\":\"" + group[0] + "\"},"
                    + "\"mesh\":\"orders\"}").status()).isEqualTo(201);
        }
        assertThat(api.get("/api/v1/clusters/orders-on").json().path("captureInEffect").asString()).isEqualTo("KEYSPACE");
        Eventually.await("both links streaming by keyspace capture", Duration.ofSeconds(60), () -> {
            for (String id : List.of("orders-off.orders-on", "orders-on.orders-off")) {
                JsonNode link = link(id);
                if (!"KEYSPACE".equals(link.path("mode").asString()) || !"STREAMING".equals(link.path("state").asString())) {
                    throw new AssertionError(id + ": " + link.path("mode").asString() + " " + link.path("state").asString()
                            + " " + link.path("stateReason").asString());
                }
            }
            return true;
        });
        assertThat(link("orders-on.orders-off").path("shards").size()).as("one capture per shard master").isEqualTo(3);
        Eventually.await("the initial copies arrived", Duration.ofSeconds(20),
                () -> "preloaded".equals(on.get("off:before")) && "preloaded".equals(off.get("on:before")));

        MeshWorkload woff = new MeshWorkload("off:", () -> cleanup.add(RedisClient.create(primary.uri())).connect().sync());
        MeshWorkload won = new MeshWorkload("on:", () -> onClient.connect().sync());
        Thread.sleep(5_000);
        woff.close();
        won.close();
        List<RedisCommands<String, String>> masters = sharded.masters().stream()
                .map(m -> cleanup.add(RedisClient.create(m.uri())).connect().sync()).toList();
        Eventually.await("both groups hold the same data", Duration.ofSeconds(30),
                () -> DatasetComparison.differences(List.of(off), masters).isEmpty());
        woff.assertExactIn("orders-on", on);
        won.assertExactIn("orders-off", off);
    }
}
