package dev.redmesh.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.redmesh.RedmeshApplication;
import dev.redmesh.testing.Api;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * README command 1 relies on this: with no datasource configured the app starts its own Postgres,
 * and what was stored is still there after a restart.
 */
class EmbeddedPostgresRestartIT {

    @TempDir
    Path dir;

    @Test
    void startsItsOwnPostgresAndKeepsRegionsAcrossRestarts() {
        Path dataDir = dir.resolve("postgres");
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Api api = new Api(port(first));
            assertThat(api.put("/api/v1/regions/eu-west-1", "{\"cloud\":\"aws\"}").status()).isEqualTo(201);
            assertThat(api.put("/api/v1/regions/eu-west-1", "{\"cloud\":\"aws\"}").status()).isEqualTo(200);
        }
        assertThat(Files.exists(dataDir.resolve("PG_VERSION"))).isTrue();

        try (ConfigurableApplicationContext second = start(dataDir)) {
            Api api = new Api(port(second));
            Api.Response region = api.get("/api/v1/regions/eu-west-1");
            assertThat(region.status()).isEqualTo(200);
            assertThat(region.json().path("cloud").asString()).isEqualTo("aws");
        }
    }

    private static ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(RedmeshApplication.class).run(
                "--server.port=0",
                "--redmesh.postgres.data-dir=" + dataDir,
                "--spring.jmx.enabled=false");
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
