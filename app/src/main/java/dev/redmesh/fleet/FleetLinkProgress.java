package dev.redmesh.fleet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.redmesh.link.LinkProgress;
import dev.redmesh.link.LinkResponse;
import org.springframework.stereotype.Component;

@Component
class FleetLinkProgress implements LinkProgress {

    private final FleetStore store;

    FleetLinkProgress(FleetStore store) {
        this.store = store;
    }

    @Override
    public List<LinkResponse.ShardAssignment> shards(String linkId) {
        return store.assignmentsOf(linkId).stream().map(FleetLinkProgress::shard).toList();
    }

    @Override
    public Map<String, List<LinkResponse.ShardAssignment>> shardsByLink() {
        Map<String, List<LinkResponse.ShardAssignment>> byLink = new HashMap<>();
        for (FleetStore.AssignmentRow a : store.assignments()) {
            byLink.computeIfAbsent(a.linkId(), l -> new ArrayList<>()).add(shard(a));
        }
        return byLink;
    }

    static LinkResponse.ShardAssignment shard(FleetStore.AssignmentRow a) {
        return new LinkResponse.ShardAssignment(a.shardId(), a.workerId(), a.sourceNode(), a.epoch(), a.appliedOffset(),
                a.phase(), a.lagMs(), a.lagBytes(), a.opsPerSec());
    }
}
