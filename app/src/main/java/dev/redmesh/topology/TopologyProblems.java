package dev.redmesh.topology;

import dev.redmesh.cluster.TopologyView;
import dev.redmesh.link.ClusterProblems;
import org.springframework.stereotype.Component;

/** The topology poller's view of unreachable clusters, for the reasons links give ({@link dev.redmesh.link.WaitingReason}). */
@Component
class TopologyProblems implements ClusterProblems {

    private final TopologyView topology;

    TopologyProblems(TopologyView topology) {
        this.topology = topology;
    }

    @Override
    public String problem(String cluster) {
        return topology.problem(cluster);
    }
}
