package dev.redmesh.fleet;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Fleet orchestration ({@code redmesh.fleet.*}) on the control plane.
 *
 * @param lease          how long an assignment stays with a worker that stopped heartbeating
 * @param reconcileEvery how often the leader reconciles assignments (and right after a role change)
 * @param lagWarn        a link this far behind is reported as lagging (health details, dashboard)
 * @param lagCritical    a link this far behind makes the {@code links} health component DOWN
 * @param rebalanceEvery at most one assignment moves this often to even out pooled workers' load
 * @param lagFineFor     how long 1 s lag samples are kept (the lag API serves windows up to this from them)
 * @param lagCoarseFor   how long 1 min lag samples are kept (the longest window the lag API serves)
 * @param forgetWorkersAfter a worker silent this long is no longer listed (one that said goodbye is forgotten at once)
 * @param pendingCritical a link {@code PENDING} this long (its source or target unreachable, no live worker, never
 *                        started) makes the {@code links} health component DOWN; paused links never do
 */
@Validated
@ConfigurationProperties("redmesh.fleet")
public record FleetProperties(
        @NotNull @DefaultValue("5s") Duration lease,
        @NotNull @DefaultValue("250ms") Duration reconcileEvery,
        @NotNull @DefaultValue("1s") Duration lagWarn,
        @NotNull @DefaultValue("30s") Duration lagCritical,
        @NotNull @DefaultValue("10s") Duration rebalanceEvery,
        @NotNull @DefaultValue("1h") Duration lagFineFor,
        @NotNull @DefaultValue("24h") Duration lagCoarseFor,
        @NotNull @DefaultValue("1h") Duration forgetWorkersAfter,
        @NotNull @DefaultValue("60s") Duration pendingCritical) {
}
