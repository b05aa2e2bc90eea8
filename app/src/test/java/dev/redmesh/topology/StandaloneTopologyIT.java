package dev.redmesh.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.redmesh.localredis.LocalReplicationGroup;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.AppIT;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.RedisServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

@AppIT
class StandaloneTopologyIT {

    @RegisterExtension
    RedisServers redis = RedisServers.version("7");

    @Autowired
    Api api;
    @Autowired
    dev.redmesh.testing.PublishedEvents published;

    @BeforeEach
    void region() {
        api.put("/api/v1/regions/eu-west-1", "{}");
        api.put("/api/v1/regions/us-east-1", "{}");
    }

    private void putCluster(String name, String region, RedisNode seed) {
        assertThat(api.put("/api/v1/clusters/" + name, """
                {"region":"%s","mode":"STANDALONE","seeds":["%s"]}""".formatted(region, seed.address())).status())
                .isEqualTo(201);
    }

    /** address → node JSON, from the API. */
    private Map<String, JsonNode> nodes(String cluster) {
        Map<String, JsonNode> nodes = new HashMap<>();
        api.get("/api/v1/clusters/" + cluster).json().path("shards")
                .forEach(shard -> shard.path("nodes").forEach(n -> nodes.put(n.path("address").asString(), n)));
        return nodes;
    }

    private int roleChanges(String cluster) {
        return api.get("/api/v1/events?type=ROLE_CHANGE&subject=" + cluster + "/0").json().size();
    }

    private boolean roles(String cluster, RedisNode master, RedisNode... replicas) {
        Map<String, JsonNode> nodes = nodes(cluster);
        JsonNode masterNode = nodes.get(master.address());
        if (masterNode == null || !"MASTER".equals(masterNode.path("role").asString())) {
            return false;
        }
        for (RedisNode replica : replicas) {
            JsonNode node = nodes.get(replica.address());
            if (node == null || !"REPLICA".equals(node.path("role").asString()) || !node.path("healthy").asBoolean()) {
                return false;
            }
        }
        return true;
    }

    @Test
    void discoversMasterAndReplicasWithRolesAndOffsetsWithinThreeSeconds() {
        LocalReplicationGroup group = redis.replicationGroup(2);
        group.master().call(c -> c.set("k", "v"));
        group.awaitReplicasInSync();
        RedisNode master = group.master();

        putCluster("orders-eu", "eu-west-1", master);
        Eventually.await("3 nodes with roles", Duration.ofSeconds(3),
                () -> roles("orders-eu", master, group.replicas().get(0), group.replicas().get(1)));

        Map<String, JsonNode> nodes = nodes("orders-eu");
        assertThat(nodes).hasSize(3);
        long masterOffset = nodes.get(master.address()).path("offset").asLong();
        assertThat(masterOffset).isPositive();
        for (RedisNode replica : group.replicas()) {
            assertThat(nodes.get(replica.address()).path("offset").asLong()).isPositive().isLessThanOrEqualTo(
                    Long.parseLong(master.info("replication").get("master_repl_offset")));
            assertThat(nodes.get(replica.address()).path("lastSeen").isNull()).isFalse();
        }
        JsonNode shard = api.get("/api/v1/clusters/orders-eu").json().path("shards").get(0);
        assertThat(shard.path("master").asString()).isEqualTo(master.address());
    }

    @Test
    void promotionWithReplicasRepointedIsOneRoleChange() throws InterruptedException {
        int publishedBefore = published.roleChanges("orders-eu").size();
        LocalReplicationGroup group = redis.replicationGroup(2);
        RedisNode oldMaster = group.master();
        RedisNode promoted = group.replicas().get(0);
        RedisNode other = group.replicas().get(1);
        putCluster("orders-eu", "eu-west-1", oldMaster);
        Eventually.await("initial roles", Duration.ofSeconds(3), () -> roles("orders-eu", oldMaster, promoted, other));

        promoted.promote();
        other.replicaOf(promoted);
        oldMaster.replicaOf(promoted);
        Duration detected = Eventually.time("roles swapped", Duration.ofSeconds(3),
                () -> roles("orders-eu", promoted, oldMaster, other));

        Thread.sleep(2000); // two more polls: still exactly one event
        JsonNode events = api.get("/api/v1/events?type=ROLE_CHANGE&subject=orders-eu/0").json();
        assertThat(events.size()).isEqualTo(1);
        JsonNode details = events.get(0).path("details");
        assertThat(details.path("previousMaster").asString()).isEqualTo(oldMaster.address());
        assertThat(details.path("newMaster").asString()).isEqualTo(promoted.address());
        assertThat(details.path("detectedBy").asString()).isEqualTo("INFO replication");
        assertThat(details.path("shard").asString()).isEqualTo("0");
        assertThat(detected).isLessThan(Duration.ofSeconds(3));
        List<RoleChangeEvent> publishedNow = published.roleChanges("orders-eu");
        assertThat(publishedNow).as("published inside the app for the fleet coordinator").hasSize(publishedBefore + 1);
        RoleChangeEvent event = publishedNow.get(publishedNow.size() - 1);
        assertThat(event.previousMaster()).isEqualTo(oldMaster.address());
        assertThat(event.newMaster()).isEqualTo(promoted.address());
        assertThat(event.region()).isEqualTo("eu-west-1");
        assertThat(api.get("/actuator/prometheus").body())
                .containsPattern("redmesh_topology_role_changes_total\\{cluster=\"orders-eu\",region=\"eu-west-1\"} 1.0");
    }

    @Test
    void aMissedPollOfTheMasterCreatesNoEvent() throws InterruptedException {
        LocalReplicationGroup group = redis.replicationGroup(1);
        RedisNode master = group.master();
        putCluster("orders-eu", "eu-west-1", master);
        Eventually.await("initial roles", Duration.ofSeconds(3), () -> roles("orders-eu", master, group.replicas().get(0)));

        master.pause();
        Eventually.await("master seen unhealthy", Duration.ofSeconds(3),
                () -> !nodes("orders-eu").get(master.address()).path("healthy").asBoolean());
        master.resume();
        Eventually.await("master healthy again", Duration.ofSeconds(3),
                () -> nodes("orders-eu").get(master.address()).path("healthy").asBoolean());
        Thread.sleep(1500);
        assertThat(roleChanges("orders-eu")).isZero();
        assertThat(api.get("/api/v1/events?type=SPLIT_BRAIN").json().size()).isZero();
    }

    @Test
    void twoMastersInOneShardIsSplitBrainAndNeitherIsPicked() {
        LocalReplicationGroup group = redis.replicationGroup(1);
        RedisNode master = group.master();
        RedisNode rogue = group.replicas().get(0);
        putCluster("orders-eu", "eu-west-1", master);
        Eventually.await("initial roles", Duration.ofSeconds(3), () -> roles("orders-eu", master, rogue));

        rogue.promote(); // nobody re-points the old master: two masters
        JsonNode event = Eventually.await("split brain event", Duration.ofSeconds(8), () -> {
            JsonNode events = api.get("/api/v1/events?type=SPLIT_BRAIN").json();
            return events.size() > 0 ? events.get(0) : null;
        });
        assertThat(event.path("details").path("masters").toString())
                .contains(master.address()).contains(rogue.address());
        assertThat(roleChanges("orders-eu")).isZero();
        assertThat(api.get("/api/v1/clusters/orders-eu").json().path("shards").get(0).path("master").asString())
                .isEqualTo(master.address());
    }

    /** orders-eu and orders-us, a master and a replica each, both discovered. */
    private LocalReplicationGroup[] twoRegionsDiscovered() {
        LocalReplicationGroup eu = redis.replicationGroup(1);
        LocalReplicationGroup us = redis.replicationGroup(1);
        putCluster("orders-eu", "eu-west-1", eu.master());
        putCluster("orders-us", "us-east-1", us.master());
        Eventually.await("both discovered", Duration.ofSeconds(3),
                () -> roles("orders-eu", eu.master(), eu.replicas().get(0)) && roles("orders-us", us.master(), us.replicas().get(0)));
        return new LocalReplicationGroup[] {eu, us};
    }

    @Test
    void aHungNodeDelaysNoOtherNode() {
        LocalReplicationGroup[] groups = twoRegionsDiscovered();
        LocalReplicationGroup eu = groups[0];
        LocalReplicationGroup us = groups[1];

        RedisNode hung = eu.replicas().get(0);
        hung.pause(); // accepts TCP, never answers: every probe of it runs into its timeout
        try {
            for (int second = 0; second < 3; second++) {
                String euMaster = nodes("orders-eu").get(eu.master().address()).path("lastSeen").asString();
                String usMaster = nodes("orders-us").get(us.master().address()).path("lastSeen").asString();
                Eventually.await("healthy nodes keep being polled every second", Duration.ofMillis(2000), () ->
                        !nodes("orders-eu").get(eu.master().address()).path("lastSeen").asString().equals(euMaster)
                                && !nodes("orders-us").get(us.master().address()).path("lastSeen").asString().equals(usMaster));
            }
            assertThat(nodes("orders-eu").get(hung.address()).path("healthy").asBoolean()).isFalse();
            assertThat(nodes("orders-eu").get(hung.address()).path("error").asString()).contains("Timeout");
        } finally {
            hung.resume();
        }
    }

    @Test
    void aDeadReplicaIsUnhealthyAndNamedByItsRegionOnly() {
        LocalReplicationGroup[] groups = twoRegionsDiscovered();
        LocalReplicationGroup eu = groups[0];
        LocalReplicationGroup us = groups[1];

        RedisNode victim = eu.replicas().get(0);
        victim.kill();
        Eventually.await("replica unhealthy", Duration.ofSeconds(3),
                () -> !nodes("orders-eu").get(victim.address()).path("healthy").asBoolean());

        JsonNode regions = Eventually.await("region health names the replica", Duration.ofSeconds(3), () -> {
            JsonNode r = api.get("/actuator/health").json().path("components").path("regions").path("components");
            return r.path("eu-west-1").toString().contains(victim.address()) ? r : null;
        });
        assertThat(regions.path("eu-west-1").path("status").asString()).as("masters still answer").isEqualTo("UP");
        assertThat(regions.path("us-east-1").path("status").asString()).isEqualTo("UP");
        assertThat(regions.path("us-east-1").toString()).doesNotContain("unhealthyNodes");
        assertThat(nodes("orders-us").values()).allSatisfy(n -> assertThat(n.path("healthy").asBoolean()).isTrue());

        eu.master().kill();
        Eventually.await("region DOWN naming the master", Duration.ofSeconds(3), () -> {
            JsonNode r = api.get("/actuator/health").json().path("components").path("regions").path("components");
            return "DOWN".equals(r.path("eu-west-1").path("status").asString())
                    && r.path("eu-west-1").toString().contains(eu.master().address())
                    && "UP".equals(r.path("us-east-1").path("status").asString());
        });
    }
}
