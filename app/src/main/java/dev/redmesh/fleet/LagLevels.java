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

    /** {@code PAUSED}: an operator paused the link; neither healthy nor failing, whatever its last lag. */
    public enum Level { OK, WARN, CRITICAL, UNKNOWN, PAUSED }

    private final FleetProperties properties;

    LagLevels(FleetProperties properties) {
        this.properties = properties;
    }

    /** PAUSED as such; BROKEN or past the critical threshold: CRITICAL; no lag reported yet: UNKNOWN. */
    public Level of(LinkState state, Long lagMs) {
        if (state == LinkState.PAUSED) {
            return Level.PAUSED;
        }
        if (state == LinkState.BROKEN || (lagMs != null && lagMs >= properties.lagCritical().toMillis())) {
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
