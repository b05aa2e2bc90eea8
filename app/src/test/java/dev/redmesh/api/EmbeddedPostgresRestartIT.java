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

    /**
     * Also README command 1's security: with nothing configured the first start makes an admin token
     * (written to a file only its user can read) and the key that encrypts secrets, and the restart
     * keeps using both.
     */
    @Test
    void startsItsOwnPostgresAndKeepsRegionsAcrossRestarts() throws Exception {
        Path dataDir = dir.resolve("postgres");
        try (ConfigurableApplicationContext first = start(dataDir)) {
            Path tokenFile = dir.resolve("admin-token");
            assertThat(tokenFile).exists();
            assertThat(Files.getPosixFilePermissions(tokenFile)).containsExactlyInAnyOrder(
                    java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            assertThat(dir.resolve("secret.key")).exists();
            Api api = new Api(port(first)).withToken(Files.readString(tokenFile).strip());
            assertThat(api.anonymous().put("/api/v1/regions/eu-west-1", "{\"cloud\":\"aws\"}").status()).isEqualTo(401);
            assertThat(api.put("/api/v1/regions/eu-west-1", "{\"cloud\":\"aws\"}").status()).isEqualTo(201);
            assertThat(api.put("/api/v1/regions/eu-west-1", "{\"cloud\":\"aws\"}").status()).isEqualTo(200);
        }
        assertThat(Files.exists(dataDir.resolve("PG_VERSION"))).isTrue();

        String key = Files.readString(dir.resolve("secret.key"));
        try (ConfigurableApplicationContext second = start(dataDir)) {
            assertThat(Files.readString(dir.resolve("secret.key"))).as("the key is kept").isEqualTo(key);
            Api api = new Api(port(second)).withToken(Files.readString(dir.resolve("admin-token")).strip());
            Api.Response region = api.get("/api/v1/regions/eu-west-1");
            assertThat(region.status()).isEqualTo(200);
            assertThat(region.json().path("cloud").asString()).isEqualTo("aws");
        }
    }

    private ConfigurableApplicationContext start(Path dataDir) {
        return new SpringApplicationBuilder(RedmeshApplication.class).run(
                "--server.port=0",
                "--redmesh.postgres.data-dir=" + dataDir,
                "--redmesh.security.bootstrap-token-file=" + dir.resolve("admin-token"),
                "--redmesh.security.secret-key-file=" + dir.resolve("secret.key"),
                "--redmesh.proxy.xds-port=0",
                "--spring.jmx.enabled=false");
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
