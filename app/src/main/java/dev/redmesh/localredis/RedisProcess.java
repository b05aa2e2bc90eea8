package dev.redmesh.localredis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.lettuce.core.RedisURI;

import dev.redmesh.localprocess.LocalProcesses;
import dev.redmesh.localprocess.OwnSession;
import dev.redmesh.localprocess.Watchdog;

/** The operating-system side of a {@link RedisNode}: spawning, signals, waiting, logs. */
final class RedisProcess {

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration STARTUP_POLL = Duration.ofMillis(25);
    private static final String OUTPUT_FILE_NAME = "stdout.log";
    private static final int LOG_TAIL_LINES = 40;

    /** redis-server exited because its port or cluster bus port was bound by someone else. */
    static final class PortTakenException extends RuntimeException {
        PortTakenException(String message) {
            super(message);
        }
    }

    private final RedisBinary binary;
    private final Path directory;
    private final Path configFile;
    private final int port;
    private final Supplier<RedisURI> uri;
    /**
     * Killed by {@link ExitCleanup} when the JVM exits (test nodes); a kept node is stopped in order
     * by its owner instead, and by the {@link Watchdog} if the JVM dies.
     */
    private final boolean killOnExit;
    private Process process;
    private boolean paused;

    RedisProcess(RedisBinary binary, Path directory, Path configFile, int port, Supplier<RedisURI> uri, boolean killOnExit) {
        this.killOnExit = killOnExit;
        this.binary = binary;
        this.directory = directory;
        this.configFile = configFile;
        this.port = port;
        this.uri = uri;
    }

    synchronized void launch() {
        if (isRunning()) {
            throw new IllegalStateException("redis-server on port " + port + " is already running as pid " + pid());
        }
        try {
            List<String> command = new ArrayList<>(OwnSession.prefix());
            command.addAll(List.of(binary.path().toString(), configFile.toString()));
            process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(directory.resolve(OUTPUT_FILE_NAME).toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + binary.path(), e);
        }
        paused = false;
        if (killOnExit) {
            ExitCleanup.killOnExit(process);
        }
        Watchdog.guard(process, "TERM");
        awaitReady();
    }

    /**
     * Ready means INFO answers with this process's pid: a bare PING could be answered by a foreign
     * server that already held the port while ours is still on its way to failing its bind.
     */
    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        RedisURI probe = RedisURI.builder(uri.get()).withTimeout(PROBE_TIMEOUT).build();
        String lastError = "no answer yet";
        while (true) {
            if (!process.isAlive()) {
                failedToStart("exited with code " + process.exitValue());
            }
            try {
                String answeringPid = LocalRedisConnections.call(probe, commands -> {
                    commands.ping();
                    return LocalRedisConnections.parseInfo(commands.info("server")).get("process_id");
                });
                if (String.valueOf(process.pid()).equals(answeringPid)) {
                    return;
                }
                lastError = "port answered by another redis-server, pid " + answeringPid;
            } catch (RuntimeException e) {
                // refused, LOADING, handshake cut short: all mean "not yet", bounded by the deadline
                lastError = e.toString();
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                awaitExit();
                failedToStart("did not answer within " + STARTUP_TIMEOUT.toSeconds() + " s (" + lastError + ")");
            }
            Await.sleep(STARTUP_POLL);
        }
    }

    private void failedToStart(String reason) {
        ExitCleanup.forget(process);
        Watchdog.release(process);
        String log = logTail();
        String message = binary.path() + " on port " + port + " " + reason + "; log tail:\n" + log;
        // glibc says "Address already in use", the statically linked (musl) build "Address in use"
        if (log.contains("Address already in use") || log.contains("Address in use")) {
            throw new PortTakenException(message);
        }
        throw new IllegalStateException(message);
    }

    synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("redis-server on port " + port + " was never started");
        }
        return process.pid();
    }

    synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        if (paused) {
            // a stopped process only acts on SIGTERM once it runs again
            resume();
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        awaitExit();
    }

    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    synchronized void pause() {
        signal("STOP");
        paused = true;
    }

    synchronized void resume() {
        signal("CONT");
        paused = false;
    }

    private void signal(String name) {
        if (!isRunning()) {
            throw new IllegalStateException("cannot send SIG" + name + ": redis-server on port " + port + " is not running");
        }
        LocalProcesses.signal(process.pid(), name);
    }

    /** Waits for the exit to be reaped, so the pid is really gone when stop or kill returns. */
    private void awaitExit() {
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        ExitCleanup.forget(process);
        Watchdog.release(process);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    String logTail() {
        StringBuilder tail = new StringBuilder();
        for (String file : List.of(RedisConfigFile.LOG_FILE_NAME, OUTPUT_FILE_NAME)) {
            List<String> lines = lastLines(directory.resolve(file));
            if (!lines.isEmpty()) {
                tail.append("--- ").append(file).append(" ---\n");
                lines.forEach(line -> tail.append(line).append('\n'));
            }
        }
        return tail.isEmpty() ? "(no log output)" : tail.toString();
    }

    private static List<String> lastLines(Path file) {
        try {
            // decoded leniently: a log cut off mid-character must not hide the rest of it
            List<String> lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }
}
