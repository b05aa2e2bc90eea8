package dev.redmesh.localprocess;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops the servers this JVM started once the JVM is gone, however it went — SIGKILL, the OOM
 * killer, a crash — when no shutdown hook runs. It is one small {@code sh} process per JVM that
 * reads the pids to guard from a pipe: when the JVM dies the kernel closes the pipe, the shell reads
 * end-of-file and sends each guarded process its own stop signal (fast shutdown for Postgres,
 * SIGTERM for redis-server), then SIGKILL to whatever is still there 10 s later.
 *
 * <p>What it cannot cover: the watchdog itself killed together with the JVM but not its servers
 * (a {@code kill -9} of both pids by hand). The next start finds those servers by their pid files
 * and stops them ({@code postmaster.pid}, {@code redis.pid}).
 */
public final class Watchdog {

    private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

    /**
     * Reads "add PID SIGNAL" and "del PID" lines until end of file, then stops what is left. It
     * ignores the terminal's signals: a Ctrl-C reaches the JVM, whose shutdown then stops the
     * servers in order, and the watchdog must outlive that shutdown to cover a second Ctrl-C.
     */
    private static final String SCRIPT = """
            trap '' INT TERM HUP QUIT
            guarded=''
            while read -r op pid signal; do
              case "$op" in
                add) guarded="$guarded $pid:$signal" ;;
                del) kept=''; for g in $guarded; do [ "${g%%:*}" = "$pid" ] || kept="$kept $g"; done; guarded=$kept ;;
              esac
            done
            for g in $guarded; do kill -"${g#*:}" "${g%%:*}" 2>/dev/null; done
            tries=0
            while [ $tries -lt 100 ]; do
              alive=''
              for g in $guarded; do kill -0 "${g%%:*}" 2>/dev/null && alive="$alive $g"; done
              [ -z "$alive" ] && exit 0
              guarded=$alive
              sleep 0.1
              tries=$((tries + 1))
            done
            for g in $guarded; do kill -KILL "${g%%:*}" 2>/dev/null; done
            """;

    private static Watchdog instance;

    private final OutputStream pipe;
    private final long pid;

    private Watchdog(Process process) {
        this.pipe = process.getOutputStream();
        this.pid = process.pid();
    }

    /** The JVM's watchdog, started on first use; null where no POSIX shell exists. */
    static synchronized Watchdog get() {
        if (instance == null) {
            List<String> command = new ArrayList<>(OwnSession.prefix());
            command.addAll(List.of("/bin/sh", "-c", SCRIPT));
            try {
                Process process = new ProcessBuilder(command)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                instance = new Watchdog(process);
                log.debug("Watchdog for this JVM's servers: pid {}", process.pid());
            } catch (IOException e) {
                log.warn("No watchdog for local servers ({}): after a SIGKILL of this JVM they keep running until the next start stops them",
                        e.toString());
                return null;
            }
        }
        return instance;
    }

    /**
     * Guards {@code process}: should this JVM die before {@link #release} is called, the process gets
     * {@code stopSignal} ("INT", "TERM").
     */
    public static void guard(Process process, String stopSignal) {
        Watchdog watchdog = get();
        if (watchdog != null) {
            watchdog.send("add " + process.pid() + " " + stopSignal);
        }
    }

    /** The process stopped, or is being stopped in order: the watchdog forgets it. */
    public static void release(Process process) {
        Watchdog watchdog;
        synchronized (Watchdog.class) {
            watchdog = instance;
        }
        if (watchdog != null) {
            watchdog.send("del " + process.pid());
        }
    }

    /** The watchdog's own pid (tests kill it to check the next start's recovery). */
    public static long pid() {
        Watchdog watchdog = get();
        return watchdog == null ? -1 : watchdog.pid;
    }

    private synchronized void send(String line) {
        try {
            pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            pipe.flush();
        } catch (IOException e) {
            log.warn("The watchdog of local servers is gone ({}); '{}' not sent", e.toString(), line);
        }
    }
}
