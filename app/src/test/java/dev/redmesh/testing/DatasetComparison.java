package dev.redmesh.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * An independent checker for tests: reads both sides key by key through plain commands (never the
 * engine's code) and lists every difference — missing keys, other types, other contents, TTLs more
 * than a second apart. A side is one or more nodes (every master of a Redis Cluster); each node is
 * asked only about its own keys. Keys under {@code __redmesh:} are the engine's own and not compared.
 */
public final class DatasetComparison {

    /** @param expireAt absolute expiry in ms, computed when read (sides are read seconds apart); -1 for none */
    private record Entry(String value, long expireAt) {
    }

    private DatasetComparison() {
    }

    public static List<String> differences(List<RedisCommands<String, String>> source,
                                           List<RedisCommands<String, String>> target) {
        return differences(source, target, key -> true);
    }

    /** The differences among the keys {@code compared} accepts. */
    public static List<String> differences(List<RedisCommands<String, String>> source,
                                           List<RedisCommands<String, String>> target,
                                           java.util.function.Predicate<String> compared) {
        Map<String, Entry> left = snapshot(source);
        Map<String, Entry> right = snapshot(target);
        left.keySet().removeIf(compared.negate());
        right.keySet().removeIf(compared.negate());
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, Entry> entry : left.entrySet()) {
            Entry other = right.get(entry.getKey());
            Entry mine = entry.getValue();
            if (other == null) {
                differences.add("missing on target: " + entry.getKey());
            } else if (!other.value().equals(mine.value())) {
                differences.add("differs: " + entry.getKey() + "\n  source " + abbreviate(mine.value())
                        + "\n  target " + abbreviate(other.value()));
            } else if ((mine.expireAt() < 0) != (other.expireAt() < 0)
                    || Math.abs(mine.expireAt() - other.expireAt()) > 1000) {
                differences.add("expiry differs: " + entry.getKey() + " source " + mine.expireAt() + ", target "
                        + other.expireAt());
            }
        }
        for (String key : right.keySet()) {
            if (!left.containsKey(key)) {
                differences.add("only on target: " + key);
            }
        }
        return differences;
    }

    public static int keyCount(List<RedisCommands<String, String>> side) {
        return snapshot(side).size();
    }

    private static Map<String, Entry> snapshot(List<RedisCommands<String, String>> nodes) {
        Map<String, Entry> values = new TreeMap<>();
        for (RedisCommands<String, String> redis : nodes) {
            for (String key : keys(redis)) {
                if (!key.startsWith("__redmesh:")) {
                    String value = describe(redis, key);
                    if (value != null) {
                        long pttl = redis.pttl(key);
                        values.put(key, new Entry(value, pttl < 0 ? -1 : System.currentTimeMillis() + pttl));
                    }
                }
            }
        }
        return values;
    }

    private static List<String> keys(RedisCommands<String, String> redis) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.limit(1000));
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    private static String describe(RedisCommands<String, String> redis, String key) {
        String type = redis.type(key);
        return switch (type) {
            case "string" -> "string:" + redis.get(key);
            case "list" -> "list:" + redis.lrange(key, 0, -1);
            case "set" -> "set:" + new TreeSet<>(redis.smembers(key));
            case "zset" -> "zset:" + redis.zrangeWithScores(key, 0, -1);
            case "hash" -> "hash:" + new TreeMap<>(redis.hgetall(key));
            case "stream" -> "stream:" + redis.xrange(key, Range.create("-", "+")).stream()
                    .map(m -> m.getId() + "=" + new TreeMap<>(m.getBody())).toList()
                    + " groups:" + redis.xinfoGroups(key).stream().map(DatasetComparison::group).sorted().toList();
            case "none" -> null; // expired or deleted between SCAN and TYPE
            default -> type + ":?";
        };
    }

    /** The fields of XINFO GROUPS that every version has (7.0 adds entries-read and lag). */
    private static String group(Object info) {
        Map<String, String> fields = new TreeMap<>();
        List<?> pairs = (List<?>) info;
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            String name = String.valueOf(pairs.get(i));
            if (List.of("name", "consumers", "pending", "last-delivered-id").contains(name)) {
                fields.put(name, String.valueOf(pairs.get(i + 1)));
            }
        }
        return fields.toString();
    }

    private static String abbreviate(String value) {
        return value.length() > 200 ? value.substring(0, 200) + "…" : value;
    }
}
