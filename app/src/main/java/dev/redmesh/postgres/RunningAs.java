package dev.redmesh.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether this JVM runs as root, which Postgres refuses to. */
final class RunningAs {

    private static final boolean ROOT = detect();

    private RunningAs() {
    }

    static boolean root() {
        return ROOT;
    }

    private static boolean detect() {
        try {
            // the owner of /proc/self is this process's user (Linux); elsewhere the user name must do
            Path self = Path.of("/proc/self");
            if (Files.exists(self)) {
                return ((Number) Files.getAttribute(self, "unix:uid")).intValue() == 0;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // fall through
        }
        return "root".equals(System.getProperty("user.name"));
    }
}
