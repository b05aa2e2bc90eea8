package dev.redmesh.localprocess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Starts a child in a session of its own ({@code setsid}), so the terminal's Ctrl-C reaches only the
 * JVM — which then stops its servers in order — and not Postgres or redis-server behind its back.
 * {@code setsid} execs in place when the caller leads no process group, which a JVM's child never
 * does, so the child keeps the pid {@link Process#pid()} reports. Where there is no {@code setsid}
 * (macOS), children share the JVM's process group and a Ctrl-C stops them at once.
 */
public final class OwnSession {

    private static final List<Path> CANDIDATES = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));
    private static final List<String> PREFIX = CANDIDATES.stream().filter(Files::isExecutable).findFirst()
            .map(path -> List.of(path.toString())).orElse(List.of());

    private OwnSession() {
    }

    /** What goes before a command to start it in its own session: {@code [/usr/bin/setsid]} or nothing. */
    public static List<String> prefix() {
        return PREFIX;
    }
}
