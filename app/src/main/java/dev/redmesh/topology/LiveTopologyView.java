package dev.redmesh.topology;

import java.util.List;

import dev.redmesh.cluster.TopologyView;
import org.springframework.stereotype.Component;

/**
 * What the API shows: the latest poll when this process polls the cluster, otherwise what the
 * polling process last wrote to Postgres.
 */
@Component
/** Also the link feature's {@link dev.redmesh.link.ClusterProblems}: why a pending link's cluster cannot be reached. */
class LiveTopologyView implements TopologyView, dev.redmesh.link.ClusterProblems {

    private final TopologyPoller poller;
    private final TopologyStore store;

    LiveTopologyView(TopologyPoller poller, TopologyStore store) {
        this.poller = poller;
        this.store = store;
    }

    @Override
    public List<Shard> shardsOf(String cluster) {
        ClusterWatch watch = poller.watches().get(cluster);
        List<Shard> live = watch == null ? null : watch.live;
        return live != null ? live : store.shardsOf(cluster);
    }

    @Override
    public String problem(String cluster) {
        ClusterWatch watch = poller.watches().get(cluster);
        ClusterWatch.Health health = watch == null ? ClusterWatch.Health.UNKNOWN : watch.health;
        if (health.unreachableMasters().isEmpty()) {
            return null;
        }
        // the masters that do not answer, and the nodes' own errors where the poll has them (a refused connection)
        List<String> errors = health.unhealthyNodes().stream().filter(n -> n.contains("(")).toList();
        return String.join("; ", health.unreachableMasters()) + (errors.isEmpty() ? "" : " — " + String.join("; ", errors));
    }
}
