package dev.redmesh.localprocess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What the operating system knows of a process by its pid — alive, its command line, its working
 * directory — and signals by name, which Java's API does not offer beyond TERM and KILL.
 */
public final class LocalProcesses {

    private static final Duration KILL_COMMAND_TIMEOUT = Duration.ofSeconds(5);

    private LocalProcesses() {
    }

    public static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The full command line, where the platform tells (Linux: /proc), else empty. */
    public static Optional<String> commandLine(long pid) {
        Path cmdline = Path.of("/proc", Long.toString(pid), "cmdline");
        try {
            if (Files.isReadable(cmdline)) {
                return Optional.of(new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ').strip());
            }
        } catch (IOException e) {
            // gone meanwhile, or another user's: the handle below may still tell
        }
        return ProcessHandle.of(pid).flatMap(handle -> handle.info().commandLine());
    }

    /** The process's working directory (Linux: /proc/PID/cwd), where readable. */
    public static Optional<Path> workingDirectory(long pid) {
        try {
            return Optional.of(Path.of("/proc", Long.toString(pid), "cwd").toRealPath());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** Sends SIG{@code name} ("INT", "QUIT", "STOP", ...) through kill(1). */
    public static void signal(long pid, String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!kill.waitFor(KILL_COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + name + " " + pid + " did not return");
            }
            if (kill.exitValue() != 0 && isAlive(pid)) {
                throw new IllegalStateException("kill -" + name + " " + pid + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run kill -" + name, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted sending SIG" + name + " to " + pid, e);
        }
    }

    /** Waits until {@code pid} is gone; false if it is still there after {@code timeout}. */
    public static boolean awaitExit(long pid, Duration timeout) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return true;
        }
        try {
            handle.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return !handle.get().isAlive();
        } catch (java.util.concurrent.ExecutionException e) {
            return !handle.get().isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.get().isAlive();
        }
    }

    /**
     * Stops a process the way its program wants first ({@code gentle}: "INT" for a fast Postgres
     * shutdown, "TERM" for redis-server), then SIGQUIT, then SIGKILL; returns how long it took.
     */
    public static Duration stop(long pid, String gentle, Duration grace) {
        long began = System.nanoTime();
        for (String signal : new String[] {gentle, "QUIT", "KILL"}) {
            if (!isAlive(pid)) {
                break;
            }
            try {
                signal(pid, signal);
            } catch (IllegalStateException e) {
                if (!isAlive(pid)) {
                    break;
                }
                throw e;
            }
            if (awaitExit(pid, grace)) {
                break;
            }
        }
        return Duration.ofNanos(System.nanoTime() - began);
    }
}
