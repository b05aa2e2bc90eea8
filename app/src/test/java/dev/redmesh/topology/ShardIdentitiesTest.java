package dev.redmesh.topology;

import dev.redmesh.redis.NodeRole;

import dev.redmesh.redis.SlotRange;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import dev.redmesh.redis.HostAndPort;
import org.junit.jupiter.api.Test;

class ShardIdentitiesTest {

    private static Discovery.ObservedNode node(String id, int port, NodeRole role) {
        HostAndPort address = new HostAndPort("127.0.0.1", port);
        return new Discovery.ObservedNode(address, id, role, NodeProbe.failed(address, "x", Instant.EPOCH), false);
    }

    private static Discovery.ShardObservation shard(List<SlotRange> slots, Discovery.ObservedNode... nodes) {
        return new Discovery.ShardObservation(null, slots, null, List.of(nodes));
    }

    @Test
    void aShardKeepsItsIdWhenItsReplicaTakesOver() {
        ShardIdentities identities = new ShardIdentities();
        List<String> before = identities.assign(List.of(
                shard(List.of(new SlotRange(0, 8191)), node("aaaaaaaaaa", 1, NodeRole.MASTER), node("bbbbbbbbbb", 2, NodeRole.REPLICA)),
                shard(List.of(new SlotRange(8192, 16383)), node("cccccccccc", 3, NodeRole.MASTER))));
        assertThat(before).containsExactly("s-aaaaaaaa", "s-cccccccc");

        List<String> after = identities.assign(List.of(
                shard(List.of(new SlotRange(8192, 16383)), node("cccccccccc", 3, NodeRole.MASTER)),
                shard(List.of(new SlotRange(0, 8191)), node("bbbbbbbbbb", 2, NodeRole.MASTER)),
                shard(List.of(), node("aaaaaaaaaa", 1, NodeRole.MASTER))));
        assertThat(after).as("the failed old master folds back into its shard")
                .containsExactly("s-cccccccc", "s-aaaaaaaa", "s-aaaaaaaa");
    }
}
