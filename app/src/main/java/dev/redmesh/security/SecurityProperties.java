package dev.redmesh.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Security settings ({@code redmesh.security.*}); see docs/security.md.
 *
 * @param adminToken         a bootstrap admin token (env {@code REDMESH_SECURITY_ADMIN_TOKEN}); unset and no
 *                           admin token stored: one is made at first start and written to
 *                           {@code bootstrapTokenFile}
 * @param bootstrapTokenFile where a generated bootstrap admin token is written (mode 600)
 * @param secretKey          base64 of the 32-byte AES key that encrypts secrets at rest
 *                           (env {@code REDMESH_SECURITY_SECRET_KEY}); takes precedence over the file
 * @param secretKeyFile      a file holding that key in base64; made on first start if neither exists
 *                           and the database is the embedded one
 * @param previousSecretKeys keys being rotated out: still decrypt, and everything they encrypted is
 *                           re-encrypted under {@code secretKey} at start
 * @param sessionTtl         how long a dashboard sign-in lasts
 * @param tokenCacheTtl      how long a verified token is trusted without asking Postgres again (a token
 *                           revoked on another control plane stops working within this time)
 */
@Validated
@ConfigurationProperties("redmesh.security")
public record SecurityProperties(
        String adminToken,
        @NotNull @DefaultValue("./.redmesh/admin-token") Path bootstrapTokenFile,
        String secretKey,
        @NotNull @DefaultValue("./.redmesh/secret.key") Path secretKeyFile,
        @DefaultValue List<String> previousSecretKeys,
        @NotNull @DefaultValue("8h") Duration sessionTtl,
        @NotNull @DefaultValue("5s") Duration tokenCacheTtl) {

    public SecurityProperties {
        adminToken = adminToken == null || adminToken.isBlank() ? null : adminToken.strip();
        secretKey = secretKey == null || secretKey.isBlank() ? null : secretKey.strip();
        previousSecretKeys = previousSecretKeys == null ? List.of() : List.copyOf(previousSecretKeys);
    }
}
