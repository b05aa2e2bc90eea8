package dev.redmesh.localredis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The redis.conf of a local node. Caller lines come last because redis-server lets a later
 * directive override an earlier one, so callers can change any default here (for example
 * {@code repl-diskless-sync yes}).
 */
final class RedisConfigFile {

    static final String FILE_NAME = "redis.conf";
    static final String LOG_FILE_NAME = "redis.log";

    private RedisConfigFile() {
    }

    static Path write(Path directory, int port, List<String> extraLines) {
        List<String> lines = new ArrayList<>(List.of(
                "bind " + RedisNode.HOST,
                "port " + port,
                "protected-mode no",
                "daemonize no",
                "dir \"" + directory.toAbsolutePath() + "\"",
                "logfile " + LOG_FILE_NAME,
                // nothing to keep: a forked save or AOF rewrite would only slow the tests down
                "save \"\"",
                "appendonly no",
                // Redis 7 defaults to diskless sync with a 5 s delay before every full sync
                "repl-diskless-sync no"));
        lines.addAll(extraLines);
        Path file = directory.resolve(FILE_NAME);
        try {
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        return file;
    }

    /** The password of the last {@code requirepass} line, the one redis-server applies. */
    static Optional<String> password(List<String> extraLines) {
        String password = null;
        for (String line : extraLines) {
            String[] words = line.trim().split("\\s+", 2);
            if (words.length == 2 && words[0].equalsIgnoreCase("requirepass")) {
                password = unquote(words[1].trim());
            }
        }
        return Optional.ofNullable(password).filter(value -> !value.isEmpty());
    }

    private static String unquote(String value) {
        boolean quoted = value.length() >= 2
                && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"));
        return quoted ? value.substring(1, value.length() - 1) : value;
    }
}
