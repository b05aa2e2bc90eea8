package dev.redmesh.worker;

import java.net.URI;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a worker joins the fleet ({@code redmesh.worker.fleet.*}).
 *
 * @param enabled        take assignments from a control plane; on by default
 * @param controlPlane   the control plane's base URL; unset in the all-in-one process means itself
 *                       (a worker-only process without it runs only {@code redmesh.worker.links})
 * @param id             this worker's id; default {@code <host>-<pid>}
 * @param kind           {@code POOLED} (any assignment) or {@code SIDECAR} (only its pinned node's, while master)
 * @param pinnedNode     the {@code host:port} of the Redis node a sidecar runs beside
 * @param heartbeatEvery how often progress is reported and leases renewed
 * @param token          a {@code WORKER} API token for the control plane (env {@code REDMESH_WORKER_FLEET_TOKEN});
 *                       the all-in-one process's own worker needs none
 * @param longPoll       how long a poll for new orders waits at the control plane (a new epoch reaches the
 *                       worker at once; this only bounds each request)
 * @param sampleEvery    how often each assignment's lag clock is sampled (no I/O); its full status is read
 *                       every tenth sample
 * @param retryFailedAfter an assignment that failed to start is tried again this long after
 * @param slowStartAfter an assignment still starting after this long is logged with where its thread is
 */
@Validated
@ConfigurationProperties("redmesh.worker.fleet")
public record FleetAgentProperties(
        @DefaultValue("true") boolean enabled,
        URI controlPlane,
        @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,126}") String id,
        @NotNull @DefaultValue("POOLED") FleetProtocol.Kind kind,
        String pinnedNode,
        @NotNull @DefaultValue("1s") Duration heartbeatEvery,
        String token,
        @NotNull @DefaultValue("10s") Duration longPoll,
        @NotNull @DefaultValue("100ms") Duration sampleEvery,
        @NotNull @DefaultValue("2s") Duration retryFailedAfter,
        @NotNull @DefaultValue("15s") Duration slowStartAfter) {

    @Override
    public String toString() {
        return "FleetAgentProperties[enabled=" + enabled + ", controlPlane=" + controlPlane + ", id=" + id + ", kind="
                + kind + ", pinnedNode=" + pinnedNode + ", heartbeatEvery=" + heartbeatEvery + ", token="
                + (token == null ? "null" : "(hidden)") + ", longPoll=" + longPoll + ", sampleEvery=" + sampleEvery
                + ", retryFailedAfter=" + retryFailedAfter + ", slowStartAfter=" + slowStartAfter + "]";
    }
}
