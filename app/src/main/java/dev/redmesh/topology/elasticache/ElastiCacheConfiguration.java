package dev.redmesh.topology.elasticache;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The ElastiCache API as a bean. No AWS call happens at start-up: regional clients are made on
 * first use, so the app starts without AWS credentials as long as no cluster is on ElastiCache.
 */
@Configuration(proxyBeanMethods = false)
class ElastiCacheConfiguration {

    /** Declared as the concrete type so Spring sees {@code close()} and shuts the SDK clients down. */
    @Bean(destroyMethod = "close")
    SdkElastiCacheApi elastiCacheApi(ElastiCacheProperties properties) {
        return new SdkElastiCacheApi(properties);
    }
}
