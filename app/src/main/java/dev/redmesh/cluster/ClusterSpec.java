package dev.redmesh.cluster;

import java.util.List;

/** A validated cluster request: every field is known to be well-formed and the region to exist. */
record ClusterSpec(String region, ClusterMode mode, List<String> seeds, String username, String password,
                   boolean tls, String mesh, String elasticacheReplicationGroupId, String elasticacheAwsRegion,
                   ClusterCapture capture) {

    @Override
    public String toString() {
        // never the password: specs end up in logs and error messages
        return "ClusterSpec[region=" + region + ", mode=" + mode + ", seeds=" + seeds + ", username=" + username
                + ", password=" + (password == null ? "null" : "(hidden)") + ", tls=" + tls + ", mesh=" + mesh + "]";
    }
}
