package dev.redmesh.cluster;

/** {@code ready} is true when every link touching the cluster streams; {@code message} says what is missing. */
public record ClusterStatus(boolean ready, String message) {
}
