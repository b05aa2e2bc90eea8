package dev.redmesh.localredis;

import dev.redmesh.redis.RedisVersion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resolution runs against a made-up environment and fake redis-server scripts that print a
 * version, so it is tested without touching the real environment or the installed server.
 */
class RedisBinaryTest {

    @TempDir
    Path temp;

    @Test
    void redisServerVariableWinsOverPath() throws IOException {
        Path configured = fakeServer("configured", "7.2.4");
        Path onPath = fakeServer("onpath", "7.0.15");

        RedisBinary binary = RedisBinary.locate(Map.of(
                "REDIS_SERVER", configured.toString(),
                "PATH", onPath.getParent().toString()));

        assertThat(binary.path()).isEqualTo(configured);
        assertThat(binary.origin()).isEqualTo("REDIS_SERVER");
        assertThat(binary.version()).isEqualTo(new RedisVersion(7, 2, 4));
    }

    @Test
    void pathIsSearchedInOrderForAnExecutableRedisServer() throws IOException {
        Path empty = Files.createDirectory(temp.resolve("empty"));
        Path notExecutable = Files.createDirectory(temp.resolve("plain")).resolve("redis-server");
        Files.writeString(notExecutable, "not a program");
        Path first = fakeServer("first", "7.0.15");
        Path second = fakeServer("second", "7.2.0");
        String path = String.join(File.pathSeparator, "", empty.toString(), notExecutable.getParent().toString(),
                first.getParent().toString(), second.getParent().toString());

        RedisBinary binary = RedisBinary.locate(Map.of("PATH", path));

        assertThat(binary.path()).isEqualTo(first);
        assertThat(binary.origin()).isEqualTo("PATH");
    }

    @Test
    void nonexistentRedisServerPathFailsNamingTheVariableAndPath() throws IOException {
        Path onPath = fakeServer("onpath", "7.0.15");
        String missing = temp.resolve("nowhere/redis-server").toString();
        Map<String, String> environment = Map.of("REDIS_SERVER", missing, "PATH", onPath.getParent().toString());

        assertThatThrownBy(() -> RedisBinary.locate(environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("REDIS_SERVER=" + missing)
                .hasMessageContaining("not an executable file");
    }

    @Test
    void fallsBackToTheShippedRedis70WhenNothingIsInstalled() {
        RedisBinary binary = RedisBinary.locate(Map.of("PATH", temp.toString()));

        assertThat(binary.path()).isEqualTo(RedisBinary.shipped70().path());
        assertThat(Files.isExecutable(binary.path())).isTrue();
        assertThat(binary.version().matches("7.0")).isTrue();
    }

    @Test
    void bothVersionsAreAvailableFromMavenArtifactsAlone() {
        Map<String, String> nothingInstalled = Map.of("PATH", temp.toString());

        assertThat(RedisBinary.forVersion("7", nothingInstalled).version().matches("7.0")).isTrue();
        assertThat(RedisBinary.forVersion("6.2", nothingInstalled).version().matches("6.2")).isTrue();
    }

    @Test
    void shippedBinaryIsExtractedOnceAndReused() throws IOException {
        Path first = RedisBinary.shipped().path();
        long modified = Files.getLastModifiedTime(first).toMillis();

        assertThat(RedisBinary.shipped().path()).isEqualTo(first);
        assertThat(Files.getLastModifiedTime(first).toMillis()).isEqualTo(modified);
    }

    @Test
    void forVersionPicksTheInstalledOrTheShippedBinaryByVersion() throws IOException {
        Path seven = fakeServer("seven", "7.0.15");
        Map<String, String> environment = Map.of("REDIS_SERVER", seven.toString());

        assertThat(RedisBinary.forVersion("7", environment).path()).isEqualTo(seven);
        assertThat(RedisBinary.forVersion("6.2", environment).path()).isEqualTo(RedisBinary.shipped().path());
    }

    @Test
    void forVersionFailsListingWhatItFoundWhenNothingMatches() throws IOException {
        Path seven = fakeServer("seven", "7.0.15");
        Map<String, String> environment = Map.of("REDIS_SERVER", seven.toString());

        assertThatThrownBy(() -> RedisBinary.forVersion("8", environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no redis-server 8.x")
                .hasMessageContaining(seven + " (7.0.15, from REDIS_SERVER)")
                .hasMessageContaining("6.2.");
    }

    @Test
    void forVersionFindsAnEngineAndVersionByItsVariableThenTheServerCache() throws IOException {
        Path eight = fakeServer("eight", "8.0.2");
        Path valkey = script("valkey", "echo 'Valkey server v=8.0.1 sha=00000000:0 malloc=libc bits=64 build=0'");
        Path cache = Files.createDirectories(temp.resolve("cache"));
        Files.writeString(cache.resolve("servers.env"), "VALKEY_8_0_SERVER=" + valkey + "\n");
        Map<String, String> environment = Map.of("REDIS_8_0_SERVER", eight.toString(),
                RedisBinary.CACHE_VARIABLE, cache.toString(), "PATH", temp.toString());

        assertThat(RedisBinary.forVersion("8.0", environment).path()).isEqualTo(eight);
        RedisBinary found = RedisBinary.forVersion("valkey-8.0", environment);
        assertThat(found.path()).isEqualTo(valkey);
        assertThat(found.engine()).isEqualTo("valkey");
        assertThat(found.origin()).isEqualTo("servers.env");
        assertThat(RedisBinary.forVersion("7", environment).engine()).isEqualTo("redis");
        assertThatThrownBy(() -> RedisBinary.forVersion("valkey-8.1", environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no valkey-server 8.1.x")
                .hasMessageContaining("VALKEY_8_1_SERVER")
                .hasMessageContaining(".ci/redis-servers.sh");
        assertThat(RedisBinary.variableFor("redis", "8.0")).isEqualTo("REDIS_8_0_SERVER");
    }

    @Test
    void garbledVersionOutputFailsWithTheOutput() throws IOException {
        Path broken = script("broken", "echo 'segmentation fault'");

        RedisBinary binary = RedisBinary.locate(Map.of("REDIS_SERVER", broken.toString()));

        assertThatThrownBy(binary::version).hasMessageContaining("segmentation fault");
    }

    private Path fakeServer(String directory, String version) throws IOException {
        return script(directory, "echo 'Redis server v=" + version + " sha=00000000:0 malloc=libc bits=64 build=0'");
    }

    private Path script(String directory, String body) throws IOException {
        Path file = Files.createDirectories(temp.resolve(directory)).resolve("redis-server");
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }
}
