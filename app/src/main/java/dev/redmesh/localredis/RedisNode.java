package dev.redmesh.localredis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * One redis-server process on a loopback port, in a temporary directory of its own that holds its
 * config file, log and (in cluster mode) nodes.conf. Start it with {@link #start}; it is ready
 * (answers PING as this very process) when that returns.
 *
 * <p>Failure injection for tests: {@link #kill()} (SIGKILL), {@link #pause()} and {@link #resume()}
 * (SIGSTOP/SIGCONT, a node that hangs without closing its sockets), {@link #restart()} on the same
 * port and directory.
 */
public final class RedisNode implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);
    private static final int BIND_ATTEMPTS = 5;

    private final RedisBinary binary;
    private final int port;
    private final Path directory;
    private final Optional<String> password;
    private final RedisProcess process;
    /** A directory that outlives the node (its data, pid file and port): not deleted on close. */
    private final boolean kept;
    private boolean closed;

    private RedisNode(RedisBinary binary, int port, Path directory, boolean kept, List<String> extraConfig) {
        this.binary = binary;
        this.port = port;
        this.directory = directory;
        this.kept = kept;
        this.password = RedisConfigFile.password(extraConfig);
        Path configFile = RedisConfigFile.write(directory, port, extraConfig);
        this.process = new RedisProcess(binary, directory, configFile, port, this::uri, !kept);
    }

    /** Starts the default binary ({@link RedisBinary#locate()}) with the given extra redis.conf lines. */
    public static RedisNode start(String... extraConfig) {
        return start(RedisBinary.locate(), List.of(extraConfig));
    }

    public static RedisNode start(RedisBinary binary, String... extraConfig) {
        return start(binary, List.of(extraConfig));
    }

    /**
     * @param extraConfig redis.conf lines added after the defaults, which they override, e.g.
     *                    {@code "cluster-enabled yes"}, {@code "requirepass secret"}
     */
    public static RedisNode start(RedisBinary binary, List<String> extraConfig) {
        return start(binary, port -> extraConfig);
    }

    /**
     * @param configForPort redis.conf lines that depend on the node's port, which is known only once
     *                      it is reserved; {@code port + 10000} is reserved with it (the cluster bus
     *                      port), free for another listener such as {@code tls-port} on a node that is
     *                      not in a cluster
     */
    public static RedisNode start(RedisBinary binary, java.util.function.IntFunction<List<String>> configForPort) {
        RedisProcess.PortTakenException lastClash = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int port = FreePorts.reserve();
            RedisNode node;
            try {
                node = new RedisNode(binary, port, createDirectory(port), false, List.copyOf(configForPort.apply(port)));
            } catch (RuntimeException e) {
                FreePorts.release(port);
                throw e;
            }
            try {
                node.process.launch();
                return node;
            } catch (RedisProcess.PortTakenException clash) {
                // someone bound the port between our check and redis' bind: try another one
                node.close();
                lastClash = clash;
            } catch (RuntimeException e) {
                node.close();
                throw e;
            }
        }
        throw new IllegalStateException("redis-server could not bind a free port in " + BIND_ATTEMPTS + " attempts",
                lastClash);
    }

    /**
     * A node in a directory of its own that outlives it, such as a demo region's: its data, its
     * port and its pid file stay there. A redis-server an earlier run left serving the directory
     * (its JVM and that JVM's watchdog both killed) is stopped first, so there is never a second
     * one; the node comes back on the port it had when that port is still free.
     *
     * @param found receives what was found and done, for the caller's log
     */
    public static RedisNode startKept(RedisBinary binary, Path directory, List<String> extraConfig,
                                      java.util.function.Consumer<String> found) {
        Path dir = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + dir, e);
        }
        LeftoverRedis.clear(dir).ifPresent(found);
        int port = LeftoverRedis.previousPort(dir).filter(FreePorts::tryReserve).orElseGet(FreePorts::reserve);
        List<String> config = new java.util.ArrayList<>(extraConfig);
        config.add("pidfile \"" + dir.resolve(LeftoverRedis.PID_FILE) + "\"");
        RedisNode node = new RedisNode(binary, port, dir, true, config);
        try {
            node.process.launch();
            LeftoverRedis.rememberPort(dir, port);
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** "127.0.0.1:port", the form cluster seeds and CLUSTER NODES use. */
    public String address() {
        return HOST + ":" + port;
    }

    /** Connection details, with the password when the node was started with {@code requirepass}. */
    public RedisURI uri() {
        RedisURI.Builder builder = RedisURI.builder().withHost(HOST).withPort(port).withTimeout(COMMAND_TIMEOUT);
        password.ifPresent(secret -> builder.withPassword(secret.toCharArray()));
        return builder.build();
    }

    public RedisBinary binary() {
        return binary;
    }

    /** Holds the config file, redis.log and whatever the server writes (nodes.conf, RDB files). */
    public Path directory() {
        return directory;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isRunning();
    }

    /** Runs commands on a connection opened for this call only. */
    public <T> T call(Function<RedisCommands<String, String>, T> commands) {
        return LocalRedisConnections.call(uri(), commands);
    }

    /** One INFO section ("replication", "server", ...) as field → value. */
    public Map<String, String> info(String section) {
        return LocalRedisConnections.parseInfo(call(commands -> commands.info(section)));
    }

    /** REPLICAOF the given master, passing on its password as masterauth if it has one. */
    public void replicaOf(RedisNode master) {
        call(commands -> {
            master.password.ifPresent(secret -> commands.configSet("masterauth", secret));
            return commands.replicaof(master.host(), master.port());
        });
    }

    /** REPLICAOF NO ONE: this replica becomes a master and keeps its data. */
    public void promote() {
        call(RedisCommands::replicaofNoOne);
    }

    /** Waits until this replica is linked to {@code master} and has everything it had when called. */
    public void awaitInSyncWith(RedisNode master) {
        ReplicationProgress.awaitInSync(this, master, SYNC_TIMEOUT);
    }

    /** Graceful: SIGTERM, then SIGKILL if it has not exited in time. The directory is kept. */
    public void stop() {
        process.stop();
    }

    /** SIGKILL, as a crash would. The directory is kept, so {@link #restart()} works. */
    public void kill() {
        process.kill();
    }

    /** SIGSTOP: the node keeps its sockets open but answers nothing, like a hung host. */
    public void pause() {
        process.pause();
    }

    /** SIGCONT after {@link #pause()}. */
    public void resume() {
        process.resume();
    }

    /** Stops the node if it runs, then starts it again on the same port, directory and config. */
    public void restart() {
        process.stop();
        process.launch();
    }

    /** The last lines of redis.log, and of anything the process printed before it opened its log. */
    public String logTail() {
        return process.logTail();
    }

    /** Stops the node, frees its port and deletes its directory (unless {@link #startKept kept}). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            process.stop();
        } finally {
            FreePorts.release(port);
            if (!kept) {
                deleteRecursively(directory);
                ExitCleanup.forget(directory);
            }
        }
    }

    @Override
    public String toString() {
        return "redis-server " + address() + (process.isRunning() ? " pid " + process.pid() : " (not running)");
    }

    private static Path createDirectory(int port) {
        try {
            Path directory = Files.createTempDirectory("redmesh-redis-" + port + "-");
            ExitCleanup.deleteOnExit(directory);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a directory for redis-server on port " + port, e);
        }
    }

    static void deleteRecursively(Path root) {
        try (var paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // leaving a temp directory behind is harmless; failing a teardown over it is not
        }
    }
}
