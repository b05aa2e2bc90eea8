package dev.redmesh.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.redmesh.localprocess.LocalProcesses;

/**
 * What a {@code postmaster.pid} left in the data directory says, and what to do about it before
 * Postgres starts there again. Postgres itself refuses to start while the pid the file names is
 * alive, whoever that is now; this tells the three cases apart:
 * <ul>
 *   <li>a Postgres serving <em>this</em> directory, left by an earlier redmesh that died: stopped
 *       (fast shutdown, then immediate, then SIGKILL of that pid and its children only);</li>
 *   <li>any other live process — an unrelated program that got the pid after a reboot, a Postgres
 *       of another directory: left alone, and the stale file removed;</li>
 *   <li>no live process: left to Postgres, which recovers from its write-ahead log.</li>
 * </ul>
 * Only reached while this process holds the data directory's lock, so a live Postgres of this
 * directory cannot belong to a running redmesh.
 */
final class LeftoverPostmaster {

    static final String PID_FILE = "postmaster.pid";

    private LeftoverPostmaster() {
    }

    /** Clears the way; returns what was found and done, for the log, or empty when there was no file. */
    static Optional<String> clear(Path dataDir, Duration grace) throws IOException {
        Path file = dataDir.resolve(PID_FILE);
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            pid = -1;
        }
        if (pid <= 0) {
            Files.deleteIfExists(file);
            return Optional.of("removed an unreadable " + PID_FILE + " from " + dataDir);
        }
        if (!LocalProcesses.isAlive(pid)) {
            return Optional.of(PID_FILE + " in " + dataDir + " named PID " + pid
                    + ", which is not running (an earlier run ended without stopping Postgres); Postgres recovers from its log");
        }
        if (servesThisDirectory(pid, dataDir)) {
            List<ProcessHandle> children = ProcessHandle.of(pid).map(h -> h.children().toList()).orElse(List.of());
            Duration took = LocalProcesses.stop(pid, "INT", grace);
            // a postmaster that had to be SIGKILLed leaves its backends holding the shared memory
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            return Optional.of("found Postgres PID " + pid + " left by an earlier run on " + dataDir
                    + "; stopped it in " + took.toMillis() + " ms");
        }
        Files.deleteIfExists(file);
        return Optional.of(PID_FILE + " in " + dataDir + " named PID " + pid + ", which is "
                + LocalProcesses.commandLine(pid).map(c -> "'" + abbreviate(c) + "'").orElse("another user's process")
                + " and not a Postgres of this directory: removed the stale file and left the process alone");
    }

    /** A postgres whose command line names this directory, or whose working directory it is (Postgres chdirs there). */
    static boolean servesThisDirectory(long pid, Path dataDir) {
        Optional<String> command = LocalProcesses.commandLine(pid);
        if (command.isEmpty() || !command.get().contains("postgres")) {
            return false;
        }
        Path real = realPath(dataDir);
        if (LocalProcesses.workingDirectory(pid).map(real::equals).orElse(false)) {
            return true;
        }
        String line = " " + command.get() + " ";
        return line.contains(" -D " + dataDir + " ") || line.contains(" -D " + real + " ");
    }

    private static Path realPath(Path dir) {
        try {
            return dir.toRealPath();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize();
        }
    }

    private static String abbreviate(String command) {
        return command.length() <= 80 ? command : command.substring(0, 77) + "...";
    }
}
