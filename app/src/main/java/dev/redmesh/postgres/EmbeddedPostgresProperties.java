package dev.redmesh.postgres;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Postgres redmesh starts itself when {@code spring.datasource.url} is not set.
 *
 * @param dataDir      where the cluster's files live; kept across restarts (its password is in
 *                     {@code redmesh.password} there, readable by its owner only)
 * @param port         TCP port on 127.0.0.1, 0 for any free port at every start
 * @param database     database created on first start and used by the app
 * @param binariesDir  where the Postgres binaries are unpacked once; default: beside the data directory
 * @param startTimeout how long a start may take, crash recovery included
 * @param stopTimeout  how long a fast shutdown may take before an immediate one, and that before SIGKILL
 */
@ConfigurationProperties("redmesh.postgres")
public record EmbeddedPostgresProperties(
        @DefaultValue("./.redmesh/postgres") Path dataDir,
        @DefaultValue("0") int port,
        @DefaultValue("redmesh") String database,
        Path binariesDir,
        @DefaultValue("60s") Duration startTimeout,
        @DefaultValue("10s") Duration stopTimeout) {

    LocalPostgres.Settings settings() {
        Path data = dataDir.toAbsolutePath().normalize();
        return new LocalPostgres.Settings(data, port, binariesDir != null ? binariesDir : data.resolveSibling("postgres-binaries"),
                startTimeout, stopTimeout);
    }
}
