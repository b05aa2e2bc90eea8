package dev.redmesh.localredis;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Kills every redis-server this JVM started and has not stopped, and deletes the directories of
 * nodes never closed, when the JVM exits: a test run that crashes or forgets to close a node
 * leaves no processes behind. (A JVM killed with SIGKILL runs no hooks; nothing inside it can
 * help with that.)
 */
final class ExitCleanup {

    private static final long EXIT_WAIT_MILLIS = 2000;
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRECTORIES = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::run, "redmesh-redis-exit-cleanup"));
    }

    private ExitCleanup() {
    }

    static void killOnExit(Process process) {
        RUNNING.add(process);
    }

    static void forget(Process process) {
        RUNNING.remove(process);
    }

    static void deleteOnExit(Path directory) {
        DIRECTORIES.add(directory);
    }

    static void forget(Path directory) {
        DIRECTORIES.remove(directory);
    }

    private static void run() {
        // SIGKILL also ends a process held by SIGSTOP, which SIGTERM would not
        RUNNING.forEach(Process::destroyForcibly);
        for (Process process : RUNNING) {
            try {
                // a process still writing its log would recreate files in a directory being deleted
                process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        DIRECTORIES.forEach(RedisNode::deleteRecursively);
    }
}
