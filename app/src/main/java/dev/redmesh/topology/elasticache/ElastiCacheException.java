package dev.redmesh.topology.elasticache;

/** ElastiCache refused or failed a call: unknown group, throttling, credentials, network. */
public class ElastiCacheException extends RuntimeException {

    public ElastiCacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
