package dev.redmesh.redis;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A redis-server version such as 7.0.15. Tests pick servers by a prefix ("6.2", "7") because
 * replication and cluster behaviour changes between minors, not between patch releases.
 */
public record RedisVersion(int major, int minor, int patch) implements Comparable<RedisVersion> {

    private static final Pattern DOTTED = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");
    private static final Pattern VERSION_OUTPUT = Pattern.compile("\\bv=(\\d+\\.\\d+(?:\\.\\d+)?)");
    private static final Comparator<RedisVersion> ORDER = Comparator.comparingInt(RedisVersion::major)
            .thenComparingInt(RedisVersion::minor)
            .thenComparingInt(RedisVersion::patch);

    public RedisVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("version parts must not be negative: " + major + "." + minor + "." + patch);
        }
    }

    /** Parses "7.0.15" or "7.0" (patch 0). */
    public static RedisVersion parse(String text) {
        Matcher matcher = DOTTED.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a Redis version (expected major.minor[.patch]): '" + text + "'");
        }
        return new RedisVersion(
                Integer.parseInt(matcher.group(1)),
                Integer.parseInt(matcher.group(2)),
                matcher.group(3) == null ? 0 : Integer.parseInt(matcher.group(3)));
    }

    /** Parses what {@code redis-server --version} prints: "Redis server v=7.0.15 sha=00000000:0 ...". */
    public static RedisVersion fromVersionOutput(String output) {
        Matcher matcher = VERSION_OUTPUT.matcher(output);
        if (!matcher.find()) {
            throw new IllegalArgumentException("no 'v=<version>' in redis-server --version output: '" + output.strip() + "'");
        }
        return parse(matcher.group(1));
    }

    /** Reads {@code redis_version:} from the text of {@code INFO server}. */
    public static RedisVersion fromInfo(String info) {
        return info.lines().filter(l -> l.startsWith("redis_version:")).findFirst()
                .map(l -> parse(l.substring("redis_version:".length()).trim()))
                .orElseThrow(() -> new IllegalArgumentException("no redis_version in INFO server"));
    }

    /**
     * Whether this version lies within {@code wanted}, which names as many parts as it cares about:
     * "7" matches every 7.x.y, "6.2" every 6.2.y, "6.2.11" only itself.
     */
    public boolean matches(String wanted) {
        String[] parts = wanted.trim().split("\\.");
        if (parts.length > 3 || !wanted.trim().matches("\\d+(\\.\\d+){0,2}")) {
            throw new IllegalArgumentException("not a version prefix (expected e.g. 7, 6.2 or 6.2.11): '" + wanted + "'");
        }
        int[] mine = {major, minor, patch};
        for (int i = 0; i < parts.length; i++) {
            if (Integer.parseInt(parts[i]) != mine[i]) {
                return false;
            }
        }
        return true;
    }

    public boolean isAtLeast(int major, int minor) {
        return compareTo(new RedisVersion(major, minor, 0)) >= 0;
    }

    @Override
    public int compareTo(RedisVersion other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
