package dev.redmesh.topology;

import dev.redmesh.redis.HostAndPort;

/** How to reach one node: its address plus the cluster's credentials and TLS setting. */
public record NodeTarget(HostAndPort address, String username, String password, boolean tls) {

    @Override
    public String toString() {
        // never the password: targets end up in logs and error messages
        return address + (tls ? " (tls)" : "");
    }
}
