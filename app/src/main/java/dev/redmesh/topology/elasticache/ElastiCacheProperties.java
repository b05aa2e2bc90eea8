package dev.redmesh.topology.elasticache;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How redmesh talks to the ElastiCache API. Credentials and their region chain are the SDK's
 * defaults; the AWS region of each call comes from the cluster spec, not from here.
 *
 * @param endpointOverride where to send every call instead of the regional AWS endpoint: a VPC
 *                         interface endpoint, or a local fake in tests; null for AWS itself
 * @param apiTimeout       budget for one API call including the SDK's retries, so a slow AWS
 *                         delays a topology poll by at most this much
 * @param pollInterval     how often topology discovery asks ElastiCache again
 */
@ConfigurationProperties("redmesh.topology.elasticache")
public record ElastiCacheProperties(
        URI endpointOverride,
        @DefaultValue("5s") Duration apiTimeout,
        @DefaultValue("5s") Duration pollInterval) {

    public ElastiCacheProperties {
        requirePositive("api-timeout", apiTimeout);
        requirePositive("poll-interval", pollInterval);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("redmesh.topology.elasticache." + name + " must be positive, was " + value);
        }
    }
}
