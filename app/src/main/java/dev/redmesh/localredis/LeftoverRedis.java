package dev.redmesh.localredis;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import dev.redmesh.localprocess.LocalProcesses;

/**
 * What a kept node's directory remembers of its last run: the pid redis-server wrote
 * ({@code pidfile}) and the port it listened on. A pid that is alive, is a redis-server, and works
 * in this directory (redis-server chdirs to its {@code dir}) is a leftover and is stopped; any other
 * live pid is someone else's and is left alone.
 */
final class LeftoverRedis {

    static final String PID_FILE = "redis.pid";
    private static final String PORT_FILE = "port";
    private static final Duration GRACE = Duration.ofSeconds(10);

    private LeftoverRedis() {
    }

    static Optional<String> clear(Path dir) {
        Path file = dir.resolve(PID_FILE);
        long pid;
        try {
            pid = Long.parseLong(Files.readString(file).strip());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        Optional<String> command = LocalProcesses.commandLine(pid);
        boolean ours = LocalProcesses.isAlive(pid) && command.map(c -> c.contains("redis-server") || c.contains("valkey-server")).orElse(false)
                && LocalProcesses.workingDirectory(pid).map(dir::equals).orElse(false);
        try {
            if (!ours) {
                Files.deleteIfExists(file);
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        Duration took = LocalProcesses.stop(pid, "TERM", GRACE);
        return Optional.of("found redis-server PID " + pid + " left by an earlier run on " + dir + "; stopped it in "
                + took.toMillis() + " ms");
    }

    static Optional<Integer> previousPort(Path dir) {
        try {
            return Optional.of(Integer.parseInt(Files.readString(dir.resolve(PORT_FILE)).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static void rememberPort(Path dir, int port) {
        try {
            Files.writeString(dir.resolve(PORT_FILE), Integer.toString(port));
        } catch (IOException e) {
            // the next start picks another free port
        }
    }
}
