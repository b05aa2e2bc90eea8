package dev.redmesh.security;

import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;

import dev.redmesh.redis.TlsTrust;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What TLS connections to Redis trust ({@code redmesh.redis.tls.*}), for every Redis client of the
 * process: the control plane's topology polls and the workers' sources and targets. A cluster uses
 * TLS when its spec says {@code tls: true}.
 *
 * @param trustedCertificates a PEM file of CA certificates to trust instead of the JVM's (a private CA)
 * @param verify              {@code FULL} (chain and host name), {@code CA} (chain only) or {@code NONE}
 */
@Validated
@ConfigurationProperties("redmesh.redis.tls")
public record RedisTlsProperties(Path trustedCertificates, @NotNull @DefaultValue("FULL") TlsTrust.Verify verify) {

    public TlsTrust trust() {
        return new TlsTrust(trustedCertificates, verify);
    }
}
