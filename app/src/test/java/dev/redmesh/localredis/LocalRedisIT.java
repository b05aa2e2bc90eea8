package dev.redmesh.localredis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.ClusterPartitionParser;
import io.lettuce.core.cluster.models.partitions.Partitions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redmesh.testing.RedisServers;

class LocalRedisIT {

    @RegisterExtension
    RedisServers redis7 = RedisServers.version("7");

    @RegisterExtension
    RedisServers redis62 = RedisServers.version("6.2");

    @Test
    void replicasServeMasterWritesAndSwapRolesOnPromotion() {
        assertReplicationAndPromotion(redis7.replicationGroup(2));
    }

    @Test
    void clusterCoversAllSlotsAndServesKeysThroughLettuce() {
        assertHealthyClusterServesKeys(redis7.cluster(3, 1));
    }

    @Test
    void replicationWorksOnTheShippedRedis62() {
        LocalReplicationGroup group = redis62.replicationGroup(2);
        assertThat(group.master().info("server").get("redis_version")).startsWith("6.2");
        assertReplicationAndPromotion(group);
    }

    @Test
    void clusterWorksOnTheShippedRedis62() {
        LocalRedisCluster cluster = redis62.cluster(3, 1);
        cluster.nodes().forEach(node -> assertThat(node.info("server").get("redis_version")).startsWith("6.2"));
        assertHealthyClusterServesKeys(cluster);
    }

    @Test
    void closingLeavesNoProcessBehind() {
        RedisBinary binary = redis7.binary();
        List<Long> pids = new ArrayList<>();
        try (LocalReplicationGroup group = LocalReplicationGroup.start(binary, 1);
             LocalRedisCluster cluster = LocalRedisCluster.start(binary, 3, 0);
             RedisNode paused = RedisNode.start(binary)) {
            // a stopped process ignores SIGTERM until continued: close must still get rid of it
            paused.pause();
            pids.add(paused.pid());
            group.nodes().forEach(node -> pids.add(node.pid()));
            cluster.nodes().forEach(node -> pids.add(node.pid()));
            assertThat(pids).hasSize(6).allMatch(LocalRedisIT::alive);
        }
        assertThat(pids).noneMatch(LocalRedisIT::alive);
    }

    @Test
    void pausedNodeAnswersNothingUntilResumed() {
        RedisNode node = redis7.master();
        RedisURI impatient = RedisURI.builder(node.uri()).withTimeout(Duration.ofMillis(300)).build();
        node.pause();
        assertThatThrownBy(() -> LocalRedisConnections.call(impatient, commands -> commands.ping()))
                .isInstanceOf(RedisException.class);
        node.resume();
        String pong = node.call(commands -> commands.ping());
        assertThat(pong).isEqualTo("PONG");
    }

    @Test
    void killedNodeRestartsOnItsPortAndDirectory() {
        RedisNode node = redis7.master();
        int port = node.port();
        long firstPid = node.pid();
        node.kill();
        assertThat(alive(firstPid)).isFalse();
        assertThat(node.isRunning()).isFalse();

        node.restart();

        assertThat(node.port()).isEqualTo(port);
        assertThat(node.pid()).isNotEqualTo(firstPid);
        assertThat(node.info("server").get("tcp_port")).isEqualTo(String.valueOf(port));
    }

    @Test
    void restartOnAPortTakenMeanwhileFailsSayingSo() throws IOException {
        RedisNode node = redis7.master();
        node.kill();
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress(RedisNode.HOST, node.port()));

            assertThatThrownBy(node::restart)
                    .hasMessageContaining("on port " + node.port())
                    .hasMessageMatching("(?s).*Address (already )?in use.*");
        }
        assertThat(node.isRunning()).isFalse();
    }

    @Test
    void extraConfigLinesApplyAndPasswordReachesUriAndReplicas() {
        LocalReplicationGroup group = redis7.replicationGroup(1, "requirepass s3cret", "repl-backlog-size 2mb");
        RedisNode master = group.master();
        RedisNode replica = group.replicas().get(0);

        // answering at all proves uri() carries the password
        Map<String, String> config = master.call(commands -> commands.configGet("requirepass", "repl-backlog-size"));
        assertThat(config).containsEntry("requirepass", "s3cret")
                .containsEntry("repl-backlog-size", String.valueOf(2 * 1024 * 1024));
        master.call(commands -> commands.set("secret", "kept"));
        replica.awaitInSyncWith(master);
        assertThat(get(replica, "secret")).isEqualTo("kept");
    }

    private static void assertReplicationAndPromotion(LocalReplicationGroup group) {
        RedisNode master = group.master();
        RedisNode promoted = group.replicas().get(0);
        RedisNode follower = group.replicas().get(1);

        master.call(commands -> commands.set("greeting", "hello"));
        group.awaitReplicasInSync();
        for (RedisNode replica : group.replicas()) {
            assertThat(get(replica, "greeting")).isEqualTo("hello");
            assertThat(role(replica)).isEqualTo("slave");
        }
        assertThat(role(master)).isEqualTo("master");

        promoted.promote();
        follower.replicaOf(promoted);
        master.replicaOf(promoted);
        promoted.call(commands -> commands.set("greeting", "from the new master"));
        follower.awaitInSyncWith(promoted);
        master.awaitInSyncWith(promoted);

        assertThat(role(promoted)).isEqualTo("master");
        assertThat(role(follower)).isEqualTo("slave");
        assertThat(role(master)).isEqualTo("slave");
        assertThat(get(follower, "greeting")).isEqualTo("from the new master");
        assertThat(master.info("replication").get("master_port")).isEqualTo(String.valueOf(promoted.port()));
    }

    private static void assertHealthyClusterServesKeys(LocalRedisCluster cluster) {
        assertThat(cluster.masters()).hasSize(3);
        for (RedisNode node : cluster.nodes()) {
            Map<String, String> info = LocalRedisConnections.parseInfo(node.call(commands -> commands.clusterInfo()));
            assertThat(info).containsEntry("cluster_state", "ok")
                    .containsEntry("cluster_slots_assigned", "16384")
                    .containsEntry("cluster_slots_ok", "16384")
                    .containsEntry("cluster_known_nodes", "6");
        }
        String clusterNodes = cluster.masters().get(0).call(commands -> commands.clusterNodes());
        Partitions view = ClusterPartitionParser.parse(clusterNodes);
        for (RedisNode master : cluster.masters()) {
            String masterId = master.call(commands -> commands.clusterMyId());
            assertThat(cluster.replicasOf(master)).hasSize(1);
            assertThat(view.stream().filter(node -> masterId.equals(node.getSlaveOf()))).hasSize(1);
        }

        RedisClusterClient client = RedisClusterClient.create(cluster.uris());
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            RedisAdvancedClusterCommands<String, String> commands = connection.sync();
            IntStream.range(0, 100).forEach(i -> commands.set("key-" + i, "value-" + i));
            IntStream.range(0, 100).forEach(i -> assertThat(commands.get("key-" + i)).isEqualTo("value-" + i));
            String key = "key-42";
            RedisNode owner = cluster.nodeForSlot(SlotHash.getSlot(key));
            assertThat(get(owner, key)).isEqualTo("value-42");
        } finally {
            client.shutdown();
        }
    }

    private static String get(RedisNode node, String key) {
        return node.call(commands -> commands.get(key));
    }

    private static String role(RedisNode node) {
        return (String) node.call(commands -> commands.role()).get(0);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
