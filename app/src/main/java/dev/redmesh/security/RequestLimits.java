package dev.redmesh.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * What one caller can make the control plane hold ({@code redmesh.security.limits.*};
 * docs/security.md, "Limits"). Bodies are refused from their declared length before a byte is
 * read, and cut off at the limit when they declare none.
 *
 * @param maxBody               largest request body of the API
 * @param maxSignInBody         largest body of {@code POST /api/v1/session}, which anyone may call
 * @param maxHeartbeatBody      largest worker heartbeat ({@code PUT /api/v1/fleet/workers/{id}})
 * @param maxRequestsPerClient  requests one client address may have in progress at once; more are refused (429)
 * @param longPollsPerWorker    open long polls ({@code GET …/orders}) one worker id may hold; more are refused (429)
 * @param longPollsPerToken     open long polls one token may hold over all the worker ids it may act as
 * @param authFailuresPerMinute refused tokens and sign-ins one client address may cause per minute before
 *                              its requests are refused (429) for the rest of that minute
 */
@Validated
@ConfigurationProperties("redmesh.security.limits")
public record RequestLimits(
        @NotNull @DefaultValue("256KB") DataSize maxBody,
        @NotNull @DefaultValue("4KB") DataSize maxSignInBody,
        @NotNull @DefaultValue("1MB") DataSize maxHeartbeatBody,
        @Min(1) @DefaultValue("64") int maxRequestsPerClient,
        @Min(1) @DefaultValue("2") int longPollsPerWorker,
        @Min(1) @DefaultValue("32") int longPollsPerToken,
        @Min(1) @DefaultValue("60") int authFailuresPerMinute) {
}
