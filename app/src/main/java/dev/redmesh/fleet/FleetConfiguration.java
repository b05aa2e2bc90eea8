package dev.redmesh.fleet;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The per-link gauges refresh on a schedule. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class FleetConfiguration {
}
