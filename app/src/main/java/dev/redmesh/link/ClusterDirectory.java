package dev.redmesh.link;

/** What links need to know about clusters; implemented by the cluster feature. */
public interface ClusterDirectory {

    boolean exists(String cluster);
}
