package dev.redmesh.link;

/** What links need to know about clusters; implemented by the cluster feature. */
public interface ClusterDirectory {

    boolean exists(String cluster);

    /** Whether the cluster's writes are read by keyspace capture (as asked, and as its masters answer). */
    boolean readsKeyspace(String cluster);
}
