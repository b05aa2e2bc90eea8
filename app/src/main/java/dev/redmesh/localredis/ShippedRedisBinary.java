package dev.redmesh.localredis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;

/**
 * The redis-server that the embedded-redis jar carries as a classpath resource, copied out to a
 * file so it can be executed. The copy lives in a per-user cache directory named after the
 * resource and its size, so every JVM after the first reuses it instead of writing 10 MB again.
 */
final class ShippedRedisBinary {

    private ShippedRedisBinary() {
    }

    /** Lazily initialised so each copy happens at most once per JVM, and only when asked for. */
    private static final class Extracted {
        static final Path REDIS_6_2 = extract(resourceName(System.getProperty("os.name"), System.getProperty("os.arch")));
    }

    private static final class Extracted70 {
        static final Path REDIS_7_0 = extract(resourceName70(System.getProperty("os.name"), System.getProperty("os.arch")));
    }

    /** Redis 6.2 from com.github.codemonstur:embedded-redis. */
    static Path path() {
        return Extracted.REDIS_6_2;
    }

    /** Redis 7.0.15 from org.signal:embedded-redis (statically linked, so it runs without OpenSSL installed). */
    static Path path70() {
        return Extracted70.REDIS_7_0;
    }

    static String resourceName70(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String platform = (os.contains("mac") ? "darwin" : os.contains("linux") ? "linux" : null) + "-"
                + (arch.equals("amd64") || arch.equals("x86_64") ? "amd64" : arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : arch);
        if (!List.of("linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64").contains(platform)) {
            throw new IllegalStateException("no shipped redis-server 7.0 for " + osName + "/" + osArch
                    + "; install redis-server or set " + RedisBinary.ENVIRONMENT_VARIABLE);
        }
        return "redis-server-7.0.15-" + platform;
    }

    /** The binaries embedded-redis 1.4.4 ships, by platform; the linux-amd64 one reports 6.2.11. */
    static String resourceName(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
        boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
        if (os.contains("linux") && x64) {
            return "redis-server-6.2.6-v5-linux-amd64";
        }
        if (os.contains("linux") && arm64) {
            return "redis-server-6.2.7-linux-arm64";
        }
        if (os.contains("mac") && x64) {
            return "redis-server-6.2.6-v5-darwin-amd64";
        }
        if (os.contains("mac") && arm64) {
            return "redis-server-6.2.6-v5-darwin-arm64";
        }
        throw new IllegalStateException("embedded-redis ships no redis-server for " + osName + "/" + osArch
                + "; install redis-server or set " + RedisBinary.ENVIRONMENT_VARIABLE);
    }

    private static Path extract(String resource) {
        URL url = ShippedRedisBinary.class.getClassLoader().getResource(resource);
        if (url == null) {
            throw new IllegalStateException("classpath resource " + resource
                    + " not found: is com.github.codemonstur:embedded-redis on the classpath?");
        }
        try {
            long size = url.openConnection().getContentLengthLong();
            Path cacheDir = cacheDirectory().resolve(resource + "-" + size);
            Files.createDirectories(cacheDir);
            Path target = cacheDir.resolve("redis-server");
            if (Files.isExecutable(target) && Files.size(target) == size) {
                return target;
            }
            // Another JVM may be extracting into the same place right now: each writes its own temp
            // file and renames it over the target, so nobody ever executes a half-written binary.
            Path partial = Files.createTempFile(cacheDir, "redis-server-", ".partial");
            try (InputStream in = url.openStream()) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
                moveAtomically(partial, target);
            } finally {
                Files.deleteIfExists(partial);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract " + resource + " from the classpath", e);
        }
    }

    private static Path cacheDirectory() {
        String user = System.getProperty("user.name", "unknown").replaceAll("[^A-Za-z0-9_.-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "redmesh-redis-server-" + user);
    }

    private static void moveAtomically(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
