package dev.redmesh.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.redmesh.localredis.LocalRedisCluster;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.RedisServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

/** Redis Cluster 3 masters × 1 replica, on 7.x (CLUSTER SHARDS) and 6.2 (CLUSTER NODES). */
@AppIT
class RedisClusterTopologyIT {

    @Autowired
    Api api;

    @BeforeEach
    void region() {
        api.put("/api/v1/regions/eu-west-1", "{}");
    }

    private JsonNode shards() {
        return api.get("/api/v1/clusters/orders").json().path("shards");
    }

    private JsonNode shardOf(String address) {
        for (JsonNode shard : shards()) {
            for (JsonNode node : shard.path("nodes")) {
                if (node.path("address").asString().equals(address)) {
                    return shard;
                }
            }
        }
        return null;
    }

    private static String nodeId(RedisNode node) {
        return node.call(c -> c.clusterMyId());
    }

    @ParameterizedTest(name = "redis {0}")
    @ValueSource(strings = {"7", "6.2"})
    void discoversShardsFollowsAFailoverAndASlotMigration(String version) {
        RedisServers redis = RedisServers.version(version);
        try (LocalRedisCluster cluster = LocalRedisCluster.builder().binary(redis.binary()).masters(3).replicasPerMaster(1).start()) {
            assertThat(api.put("/api/v1/clusters/orders", """
                    {"region":"eu-west-1","mode":"CLUSTER","seeds":["%s"]}""".formatted(cluster.seeds().get(0))).status())
                    .isEqualTo(201);

            JsonNode discovered = Eventually.await("3 shards of 2 healthy nodes", Duration.ofSeconds(3), () -> {
                JsonNode shards = shards();
                if (shards.size() != 3) {
                    return null;
                }
                for (JsonNode shard : shards) {
                    if (shard.path("nodes").size() != 2 || !shard.path("nodes").get(1).path("healthy").asBoolean()) {
                        return null;
                    }
                }
                return shards;
            });
            int slots = 0;
            for (JsonNode shard : discovered) {
                for (JsonNode range : shard.path("slots")) {
                    String[] bounds = range.asString().split("-");
                    slots += Integer.parseInt(bounds[bounds.length - 1]) - Integer.parseInt(bounds[0]) + 1;
                }
                assertThat(shard.path("nodes").get(0).path("role").asString()).isEqualTo("MASTER");
                assertThat(shard.path("nodes").get(1).path("role").asString()).isEqualTo("REPLICA");
            }
            assertThat(slots).isEqualTo(16384);

            // a graceful failover: the replica takes over its master's shard
            RedisNode oldMaster = cluster.masters().get(1);
            RedisNode replica = cluster.replicasOf(oldMaster).get(0);
            String shardId = shardOf(oldMaster.address()).path("id").asString();
            replica.call(c -> c.clusterFailover(false));
            JsonNode event = Eventually.await("role change event", Duration.ofSeconds(5), () -> {
                JsonNode events = api.get("/api/v1/events?type=ROLE_CHANGE").json();
                return events.size() == 1 ? events.get(0) : null;
            });
            assertThat(event.path("subject").asString()).isEqualTo("orders/" + shardId);
            assertThat(event.path("details").path("previousMaster").asString()).isEqualTo(oldMaster.address());
            assertThat(event.path("details").path("newMaster").asString()).isEqualTo(replica.address());
            assertThat(event.path("details").path("detectedBy").asString())
                    .isEqualTo(version.equals("7") ? "CLUSTER SHARDS" : "CLUSTER NODES");
            Eventually.await("same shard id, new master", Duration.ofSeconds(3), () ->
                    shardOf(replica.address()).path("id").asString().equals(shardId)
                            && shardOf(replica.address()).path("master").asString().equals(replica.address()));

            // move 100 empty slots from the first master to the third
            RedisNode source = cluster.masters().get(0);
            RedisNode target = cluster.masters().get(2);
            String targetId = nodeId(target);
            String sourceShard = shardOf(source.address()).path("id").asString();
            String targetShard = shardOf(target.address()).path("id").asString();
            List<RedisNode> order = new ArrayList<>(List.of(target, source));
            cluster.nodes().stream().filter(n -> !order.contains(n))
                    .filter(n -> "master".equals(n.info("replication").get("role"))).forEach(order::add);
            for (RedisNode node : order) {
                node.call(c -> {
                    for (int slot = 0; slot < 100; slot++) {
                        c.clusterSetSlotNode(slot, targetId);
                    }
                    return null;
                });
            }
            Eventually.await("slot ranges updated", Duration.ofSeconds(3), () -> {
                Map<String, String> slotsById = new HashMap<>();
                shards().forEach(s -> slotsById.put(s.path("id").asString(), s.path("slots").toString()));
                return slotsById.get(targetShard).contains("\"0-99\"") && slotsById.get(sourceShard).contains("\"100-");
            });
        }
    }
}
