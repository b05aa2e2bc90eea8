package dev.redmesh.topology;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.redmesh.cluster.HostAndPort;
import org.springframework.stereotype.Component;

/** ElastiCache replication groups: roles from the AWS API, offsets and health from the nodes. */
@Component
class ElastiCacheDiscovery {

    CompletableFuture<Discovery> discover(ClusterTarget cluster, List<HostAndPort> preferred) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("ElastiCache discovery is not wired yet"));
    }
}
