package dev.redmesh.postgres;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Postgres redmesh starts itself when {@code spring.datasource.url} is not set.
 *
 * @param dataDir  where the cluster's files live; kept across restarts
 * @param port     TCP port on loopback, 0 for any free port
 * @param database database created on first start and used by the app
 */
@ConfigurationProperties("redmesh.postgres")
public record EmbeddedPostgresProperties(
        @DefaultValue("./.redmesh/postgres") Path dataDir,
        @DefaultValue("0") int port,
        @DefaultValue("redmesh") String database) {
}
