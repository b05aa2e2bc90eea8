package dev.redmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.redmesh.localprocess.LocalProcesses;

/**
 * The real jar started as README command 1 starts it — {@code java -jar redmesh.jar} in a working
 * directory of its own, embedded Postgres, no test properties beyond a port — for tests of what an
 * operator sees: starts, stops, crashes, logs.
 */
public final class RedmeshProcess implements AutoCloseable {

    /** Postgres binaries unpacked once for every process these tests start. */
    private static final Path SHARED_BINARIES = Path.of("target", "postgres-binaries").toAbsolutePath();

    private final Path workDir;
    private final int port;
    private final Path log;
    private final List<String> args;
    private Process process;
    private long logStart;

    private RedmeshProcess(Path workDir, int port, List<String> args) {
        this.workDir = workDir;
        this.port = port;
        this.args = args;
        this.log = workDir.resolve("redmesh.log");
    }

    /** A process to start in {@code workDir} on a free HTTP port, with these extra {@code --name=value} arguments. */
    public static RedmeshProcess in(Path workDir, String... args) {
        return new RedmeshProcess(workDir, freePort(), List.of(args));
    }

    public RedmeshProcess start() {
        try {
            Files.createDirectories(workDir);
            logStart = Files.exists(log) ? Files.size(log) : 0;
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", Path.of("target", "redmesh.jar").toAbsolutePath().toString(),
                    "--server.port=" + port, "--redmesh.postgres.binaries-dir=" + SHARED_BINARIES));
            command.addAll(args);
            process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts and waits for "redmesh is ready"; returns how long that took. */
    public Duration startAndAwaitReady(Duration within) {
        long began = System.nanoTime();
        start();
        awaitReady(within);
        return Duration.ofNanos(System.nanoTime() - began);
    }

    public void awaitReady(Duration within) {
        await("redmesh in " + workDir + " ready").atMost(within.toMillis(), TimeUnit.MILLISECONDS)
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    assertThat(process.isAlive()).as("redmesh exited early; its log:\n%s", logSinceStart()).isTrue();
                    return logSinceStart().contains("redmesh is ready");
                });
    }

    /** As the admin whose token the first start wrote to {@code .redmesh/admin-token}. */
    public Api api() {
        try {
            return new Api(port).withToken(Files.readString(workDir.resolve(".redmesh").resolve("admin-token")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    public Path workDir() {
        return workDir;
    }

    /** SIGKILL of the JVM alone, as the OOM killer does; its watchdog is left to do its work. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /**
     * SIGKILL of the JVM and of its watchdog together (a {@code kill -9} of both by hand), which
     * leaves its Postgres and redis-servers running for the next start to find.
     */
    public void killWithWatchdog() throws InterruptedException {
        List<ProcessHandle> watchdogs = watchdogs();
        assertThat(watchdogs).as("the JVM's watchdog").isNotEmpty();
        process.destroyForcibly();
        watchdogs.forEach(ProcessHandle::destroyForcibly);
        process.waitFor();
    }

    /** The JVM's children that are its watchdog shell. */
    public List<ProcessHandle> watchdogs() {
        return process.toHandle().children()
                .filter(child -> child.info().commandLine().orElse("").contains("trap '' INT TERM HUP QUIT")).toList();
    }

    /** SIGTERM; returns how long until the process had exited. */
    public Duration terminate(Duration within) throws InterruptedException {
        long began = System.nanoTime();
        process.destroy();
        assertThat(process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS))
                .as("exited within %s after SIGTERM; its log ends:\n%s", within, tail(40)).isTrue();
        return Duration.ofNanos(System.nanoTime() - began);
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** What this process wrote since its last {@link #start()}. */
    public String logSinceStart() {
        try {
            byte[] all = Files.readAllBytes(log);
            int from = (int) Math.min(logStart, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    public List<String> logLines(String containing) {
        return logSinceStart().lines().filter(line -> line.contains(containing)).toList();
    }

    public String tail(int lines) {
        List<String> all = logSinceStart().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** Processes whose working directory lies under {@code dir} (Postgres and redis-server chdir to their data). */
    public static List<ProcessHandle> processesWorkingUnder(Path dir, String command) {
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            return List.of();
        }
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
                // Debian's redis-server is a link to redis-check-rdb, and it rewrites its argv
                // ("redis-server 127.0.0.1:port"): the name is in one of the two
                .filter(p -> p.info().command().orElse("").contains(command)
                        || LocalProcesses.commandLine(p.pid()).orElse("").contains(command))
                .filter(p -> LocalProcesses.workingDirectory(p.pid()).map(c -> c.startsWith(real)).orElse(false)).toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * SIGKILL of the JVM, everything it started and any server still working in its directory (a
     * failed test may have left orphans), so no test leaves a process behind.
     */
    @Override
    public void close() {
        if (process != null) {
            List<ProcessHandle> descendants = process.toHandle().descendants().toList();
            process.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (String server : List.of("postgres", "redis-server")) {
            processesWorkingUnder(workDir, server).forEach(ProcessHandle::destroyForcibly);
        }
    }
}
