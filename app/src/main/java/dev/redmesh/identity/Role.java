package dev.redmesh.identity;

import java.util.EnumSet;
import java.util.Set;


/**
 * What a caller may do. {@code VIEWER} reads; {@code OPERATOR} also pauses and resumes links;
 * {@code ADMIN} also changes regions, clusters, links and tokens. {@code WORKER} (fleet heartbeats and
 * orders) and {@code PROXY} (Envoy configuration) are machine roles outside that ladder: a worker's
 * token cannot read the API, and an admin's cannot pose as a worker.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN, WORKER, PROXY;

    /** The roles this one includes, itself first. */
    public Set<Role> granted() {
        return switch (this) {
            case VIEWER -> EnumSet.of(VIEWER);
            case OPERATOR -> EnumSet.of(OPERATOR, VIEWER);
            case ADMIN -> EnumSet.of(ADMIN, OPERATOR, VIEWER);
            case WORKER -> EnumSet.of(WORKER);
            case PROXY -> EnumSet.of(PROXY);
        };
    }

    public boolean allows(Role required) {
        return granted().contains(required);
    }
}
