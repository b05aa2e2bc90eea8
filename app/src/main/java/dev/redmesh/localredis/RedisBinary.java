package dev.redmesh.localredis;

import dev.redmesh.redis.RedisVersion;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server executable. {@link #locate()} prefers what the machine provides (the
 * {@value #ENVIRONMENT_VARIABLE} variable, then {@code redis-server} on PATH) and falls back to the
 * binary shipped in the embedded-redis jar, so the demo and the tests run on a machine with
 * nothing but a JDK.
 */
public final class RedisBinary {

    public static final String ENVIRONMENT_VARIABLE = "REDIS_SERVER";
    private static final String EXECUTABLE_NAME = "redis-server";
    private static final long VERSION_TIMEOUT_SECONDS = 10;

    private final Path path;
    private final String origin;
    private volatile RedisVersion version;

    private RedisBinary(Path path, String origin) {
        this.path = path;
        this.origin = origin;
    }

    /** The redis-server to use by default: {@value #ENVIRONMENT_VARIABLE}, else PATH, else the shipped 7.0. */
    public static RedisBinary locate() {
        return locate(System.getenv());
    }

    /** The Redis 6.2 a Maven artifact ships, whatever the machine has installed. */
    public static RedisBinary shipped() {
        return new RedisBinary(ShippedRedisBinary.path(), "shipped in com.github.codemonstur:embedded-redis");
    }

    /** The Redis 7.0 a Maven artifact ships, whatever the machine has installed. */
    public static RedisBinary shipped70() {
        return new RedisBinary(ShippedRedisBinary.path70(), "shipped in org.signal:embedded-redis");
    }

    /**
     * The first of the installed binary and the shipped one whose version lies within
     * {@code wanted} ("6.2", "7", "7.0.15"); fails naming every candidate when none does.
     */
    public static RedisBinary forVersion(String wanted) {
        return forVersion(wanted, System.getenv());
    }

    static RedisBinary locate(Map<String, String> environment) {
        return installed(environment).orElseGet(RedisBinary::shipped70);
    }

    static RedisBinary forVersion(String wanted, Map<String, String> environment) {
        List<RedisBinary> candidates = new ArrayList<>();
        installed(environment).ifPresent(candidates::add);
        candidates.add(shipped70());
        candidates.add(shipped());
        for (RedisBinary candidate : candidates) {
            if (candidate.version().matches(wanted)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no redis-server " + wanted + ".x available; found only "
                + candidates.stream().map(RedisBinary::describe).toList()
                + ". Install one, or point " + ENVIRONMENT_VARIABLE + " at one.");
    }

    /** What the machine provides: {@value #ENVIRONMENT_VARIABLE} if set (and then it must be valid), else PATH. */
    static Optional<RedisBinary> installed(Map<String, String> environment) {
        String configured = environment.get(ENVIRONMENT_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
                throw new IllegalStateException(ENVIRONMENT_VARIABLE + "=" + configured
                        + " is not an executable file; fix or unset it to use redis-server from PATH");
            }
            return Optional.of(new RedisBinary(path, ENVIRONMENT_VARIABLE));
        }
        return onPath(environment.getOrDefault("PATH", ""));
    }

    private static Optional<RedisBinary> onPath(String searchPath) {
        for (String directory : searchPath.split(File.pathSeparator)) {
            if (directory.isBlank()) {
                continue;
            }
            Path candidate = Path.of(directory, EXECUTABLE_NAME);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(new RedisBinary(candidate, "PATH"));
            }
        }
        return Optional.empty();
    }

    public Path path() {
        return path;
    }

    /** Where this binary was found: the variable, PATH, or the embedded-redis jar. */
    public String origin() {
        return origin;
    }

    /** Asks the binary itself ({@code redis-server --version}); the answer is remembered. */
    public RedisVersion version() {
        RedisVersion known = version;
        if (known == null) {
            known = RedisVersion.fromVersionOutput(run("--version"));
            version = known;
        }
        return known;
    }

    private String run(String argument) {
        try {
            Process process = new ProcessBuilder(path.toString(), argument).redirectErrorStream(true).start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(path + " " + argument + " did not exit within "
                        + VERSION_TIMEOUT_SECONDS + "s");
            }
            return new String(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + path + " " + argument, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException("interrupted running " + path));
        }
    }

    private String describe() {
        String versionText;
        try {
            versionText = version().toString();
        } catch (RuntimeException e) {
            versionText = "version unknown: " + e.getMessage();
        }
        return path + " (" + versionText + ", from " + origin + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
