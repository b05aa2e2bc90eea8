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
 * A redis-server (or valkey-server) executable. {@link #locate()} prefers what the machine provides
 * (the {@value #ENVIRONMENT_VARIABLE} variable, then {@code redis-server} on PATH) and falls back to
 * the binary shipped in the embedded-redis jar, so the demo and the tests run on a machine with
 * nothing but a JDK.
 *
 * <p>{@link #forVersion} finds a server by engine and version ("6.2", "7", "8.0", "valkey-8.0"),
 * looking in this order: the version's own variable ({@code REDIS_8_0_SERVER},
 * {@code VALKEY_8_0_SERVER}: {@code <ENGINE>_<MAJOR>_<MINOR>_SERVER}), the same name in
 * {@code servers.env} of the server cache ({@value #CACHE_VARIABLE}, default
 * {@code ~/.cache/redmesh/servers}, written by {@code .ci/redis-servers.sh}), then
 * {@value #ENVIRONMENT_VARIABLE}, PATH, and the shipped 7.0 and 6.2. A version none of them has
 * fails, naming every candidate and how to provide it: a test never skips for want of a server.
 */
public final class RedisBinary {

    public static final String ENVIRONMENT_VARIABLE = "REDIS_SERVER";
    public static final String CACHE_VARIABLE = "REDMESH_SERVER_CACHE";
    private static final String EXECUTABLE_NAME = "redis-server";
    private static final long VERSION_TIMEOUT_SECONDS = 10;

    private final Path path;
    private final String origin;
    private volatile RedisVersion version;
    private volatile String engine;

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
        String engine = wanted.startsWith("valkey-") ? "valkey" : "redis";
        String version = wanted.startsWith("valkey-") ? wanted.substring("valkey-".length())
                : wanted.startsWith("redis-") ? wanted.substring("redis-".length()) : wanted;
        List<RedisBinary> candidates = new ArrayList<>();
        String variable = variableFor(engine, version);
        if (variable != null) {
            configured(variable, environment.get(variable), variable).ifPresent(candidates::add);
            String cached = cachedServers(environment).get(variable);
            configured(variable, cached, "servers.env").ifPresent(candidates::add);
        }
        installed(environment).ifPresent(candidates::add);
        candidates.add(shipped70());
        candidates.add(shipped());
        for (RedisBinary candidate : candidates) {
            if (candidate.engine().equals(engine) && candidate.version().matches(version)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + engine + "-server " + version + ".x available; found only "
                + candidates.stream().map(RedisBinary::describe).toList() + ". Install one, or point "
                + (variable != null ? variable : ENVIRONMENT_VARIABLE) + " at one"
                + (variable != null ? " (.ci/redis-servers.sh builds it into the server cache)" : "") + ".");
    }

    /** {@code REDIS_8_0_SERVER} for ("redis", "8.0"); null when {@code version} does not name a minor. */
    static String variableFor(String engine, String version) {
        String[] parts = version.split("\\.");
        if (parts.length < 2) {
            return null;
        }
        return engine.toUpperCase(java.util.Locale.ROOT) + "_" + parts[0] + "_" + parts[1] + "_SERVER";
    }

    /** The {@code NAME=path} lines of {@code servers.env} in the server cache; empty when there is none. */
    static Map<String, String> cachedServers(Map<String, String> environment) {
        String cache = environment.get(CACHE_VARIABLE);
        Path directory = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".cache", "redmesh", "servers");
        Path file = directory.resolve("servers.env");
        Map<String, String> servers = new java.util.HashMap<>();
        if (!Files.isRegularFile(file)) {
            return servers;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                int equals = line.indexOf('=');
                if (equals > 0 && !line.startsWith("#")) {
                    servers.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
        return servers;
    }

    private static Optional<RedisBinary> configured(String name, String value, String origin) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        Path path = Path.of(value);
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new IllegalStateException(name + "=" + value + " (from " + origin
                    + ") is not an executable file; fix it, or run .ci/redis-servers.sh again");
        }
        return Optional.of(new RedisBinary(path, origin));
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
            String output = run("--version");
            known = RedisVersion.fromVersionOutput(output);
            engine = output.startsWith("Valkey") ? "valkey" : "redis";
            version = known;
        }
        return known;
    }

    /** {@code redis} or {@code valkey}, from what {@code --version} prints first. */
    public String engine() {
        version();
        return engine;
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
        return path + " (" + (versionText.startsWith("version unknown") || "redis".equals(engine) ? "" : engine + " ")
                + versionText + ", from " + origin + ")";
    }

    @Override
    public String toString() {
        return describe();
    }
}
