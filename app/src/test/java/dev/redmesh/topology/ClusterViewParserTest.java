package dev.redmesh.topology;

import dev.redmesh.redis.NodeRole;

import dev.redmesh.redis.SlotRange;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.redmesh.redis.HostAndPort;
import org.junit.jupiter.api.Test;

class ClusterViewParserTest {

    @Test
    void clusterNodesGroupsReplicasWithTheirMasterAndSkipsMigrations() {
        ClusterView view = ClusterViewParser.fromClusterNodes("""
                aaa 127.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460 [5461->-bbb]
                bbb 127.0.0.1:7001@17001,host-b master - 0 0 2 connected 5461-10922
                ccc 127.0.0.1:7002@17002 master,fail - 0 0 3 disconnected
                ddd 127.0.0.1:7003@17003 slave aaa 0 0 1 connected
                eee :0@0 slave,noaddr bbb 0 0 2 disconnected
                """);
        assertThat(view.shards()).hasSize(3);
        ClusterView.Shard first = view.shards().get(0);
        assertThat(first.slots()).containsExactly(new SlotRange(0, 5460));
        assertThat(first.nodes()).extracting(ClusterView.Node::nodeId).containsExactly("aaa", "ddd");
        assertThat(first.master().address()).isEqualTo(new HostAndPort("127.0.0.1", 7000));
        assertThat(view.shards().get(1).nodes()).hasSize(1);
        assertThat(view.shards().get(2).master()).as("a failed master is nobody's master").isNull();
    }

    @Test
    void clusterShardsReadsRespTwoPairs() {
        List<Object> reply = List.of(List.of(
                "slots", List.of(0L, 100L, 200L, 5460L),
                "nodes", List.of(
                        List.of("id", "aaa", "port", 7000L, "ip", "127.0.0.1", "endpoint", "127.0.0.1",
                                "role", "master", "replication-offset", 72156L, "health", "online"),
                        List.of("id", "ddd", "port", 7003L, "ip", "127.0.0.1", "endpoint", "127.0.0.1",
                                "role", "replica", "replication-offset", 72156L, "health", "failed"))));
        ClusterView view = ClusterViewParser.fromClusterShards(reply);
        ClusterView.Shard shard = view.shards().get(0);
        assertThat(shard.slots()).containsExactly(new SlotRange(0, 100), new SlotRange(200, 5460));
        assertThat(shard.nodes().get(1).failed()).isTrue();
        assertThat(shard.nodes().get(1).role()).isEqualTo(NodeRole.REPLICA);
    }

    @Test
    void slotRangesNormalize() {
        assertThat(SlotRange.normalize(SlotRange.parseList("10-20,0-9,21,30-40")))
                .containsExactly(new SlotRange(0, 21), new SlotRange(30, 40));
    }
}
