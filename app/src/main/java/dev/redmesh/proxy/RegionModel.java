package dev.redmesh.proxy;

import java.util.List;

import dev.redmesh.cluster.ClusterMode;
import dev.redmesh.region.ProxySettings;

/**
 * What a region's proxy configuration is made from, read from the model in one go (so building it is
 * a plain function of this, testable without a database).
 *
 * @param clusters the region's clusters
 * @param mirrors  PROXY_MIRROR links whose source is one of the region's clusters
 * @param remotes  the targets of those mirrors
 */
record RegionModel(String region, ProxySettings settings, List<Upstream> clusters, List<Mirror> mirrors,
                   List<Upstream> remotes) {

    /**
     * A Redis deployment as a proxy reaches it.
     *
     * @param masters the masters the topology poller knows (standalone: one); empty while unknown
     */
    record Upstream(String name, ClusterMode mode, List<String> seeds, List<String> masters, String username,
                    String password, boolean tls) {

        @Override
        public String toString() {
            return name + " (" + mode + ", " + seeds + ")"; // never the password
        }
    }

    record Mirror(String linkId, String source, String target) {
    }
}
