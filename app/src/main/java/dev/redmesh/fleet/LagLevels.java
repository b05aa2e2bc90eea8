package dev.redmesh.fleet;

import dev.redmesh.link.LinkState;
import org.springframework.stereotype.Component;

/**
 * How bad a link's lag is, by the configured thresholds ({@code redmesh.fleet.lag-warn},
 * {@code lag-critical}): one rule for the {@code links} health component, the dashboard's colours and
 * the overview.
 */
@Component
public class LagLevels {

    public enum Level { OK, WARN, CRITICAL, UNKNOWN }

    private final FleetProperties properties;

    LagLevels(FleetProperties properties) {
        this.properties = properties;
    }

    /** BROKEN or past the critical threshold: CRITICAL; no lag reported yet: UNKNOWN. */
    public Level of(String state, Long lagMs) {
        if (LinkState.BROKEN.name().equals(state) || (lagMs != null && lagMs >= properties.lagCritical().toMillis())) {
            return Level.CRITICAL;
        }
        if (lagMs == null || lagMs < 0) {
            return Level.UNKNOWN;
        }
        return lagMs >= properties.lagWarn().toMillis() ? Level.WARN : Level.OK;
    }

    public long warnMs() {
        return properties.lagWarn().toMillis();
    }

    public long criticalMs() {
        return properties.lagCritical().toMillis();
    }
}
