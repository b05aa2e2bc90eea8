package dev.redmesh.topology;

import java.util.List;

import dev.redmesh.cluster.TopologyView;
import org.springframework.stereotype.Component;

/**
 * What the API shows: the latest poll when this process polls the cluster, otherwise what the
 * polling process last wrote to Postgres.
 */
@Component
class LiveTopologyView implements TopologyView {

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
}
