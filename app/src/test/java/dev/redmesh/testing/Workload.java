package dev.redmesh.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.lettuce.core.Consumer;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.api.sync.RedisHashCommands;
import io.lettuce.core.api.sync.RedisKeyCommands;
import io.lettuce.core.api.sync.RedisListCommands;
import io.lettuce.core.api.sync.RedisSetCommands;
import io.lettuce.core.api.sync.RedisSortedSetCommands;
import io.lettuce.core.api.sync.RedisStreamCommands;
import io.lettuce.core.api.sync.RedisStringCommands;

/**
 * Test data of every type Redis puts in an RDB, in small and large encodings, and a writer that
 * keeps changing keys while a sync runs. Works on a single node and on a cluster alike.
 */
public final class Workload {

    private Workload() {
    }

    /**
     * {@code keys} small strings, one big (10k elements) and one small key of every collection type,
     * 100 keys with TTLs, a stream with a consumer group and pending entries.
     */
    public static <C extends RedisStringCommands<String, String> & RedisListCommands<String, String>
            & RedisSetCommands<String, String> & RedisSortedSetCommands<String, String>
            & RedisHashCommands<String, String> & RedisKeyCommands<String, String>
            & RedisStreamCommands<String, String>> void preload(C redis, String prefix, int keys) {
        for (int i = 0; i < keys; i++) {
            redis.set(prefix + "s:" + i, "value-" + i);
        }
        String[] big = new String[10_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = "e" + i;
        }
        redis.rpush(prefix + "list:big", big);
        redis.rpush(prefix + "list:small", "a", "b", "c");
        redis.sadd(prefix + "set:big", big);
        redis.sadd(prefix + "set:ints", "1", "2", "3", "42");
        redis.sadd(prefix + "set:small", "x", "y");
        for (int i = 0; i < 10_000; i++) {
            redis.zadd(prefix + "zset:big", i * 1.5, "m" + i);
        }
        redis.zadd(prefix + "zset:small", 1, "one");
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < 10_000; i++) {
            fields.put("f" + i, "v" + i);
        }
        redis.hset(prefix + "hash:big", fields);
        redis.hset(prefix + "hash:small", Map.of("a", "1", "b", "2"));
        for (int i = 0; i < 100; i++) {
            redis.set(prefix + "ttl:" + i, "expiring");
            redis.pexpire(prefix + "ttl:" + i, 600_000 + i * 1000L);
        }
        String stream = prefix + "stream";
        for (int i = 0; i < 500; i++) {
            redis.xadd(stream, Map.of("n", Integer.toString(i)));
        }
        redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "workers");
        redis.xreadgroup(Consumer.from("workers", "alice"), XReadArgs.Builder.count(10),
                XReadArgs.StreamOffset.lastConsumed(stream));
    }

    /** A few keys in databases 1 and 2 of a standalone node. */
    public static void preloadOtherDatabases(RedisCommands<String, String> redis, String prefix) {
        for (int db = 1; db <= 2; db++) {
            redis.select(db);
            for (int i = 0; i < 100; i++) {
                redis.set(prefix + "db" + db + ":" + i, "v" + i);
            }
            redis.hset(prefix + "db" + db + ":hash", Map.of("a", "1"));
        }
        redis.select(0);
    }

    /** Writes non-idempotent commands in a loop until closed; counts what it wrote. */
    public static final class Writer implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong rounds = new AtomicLong();
        private final Thread thread;

        public <C extends RedisStringCommands<String, String> & RedisListCommands<String, String>
                & RedisHashCommands<String, String> & RedisStreamCommands<String, String>> Writer(C redis, String prefix) {
            this.thread = new Thread(() -> {
                for (long i = 0; running.get(); i++) {
                    redis.incr(prefix + "counter");
                    redis.lpush(prefix + "log", "entry-" + i);
                    redis.hincrby(prefix + "stats", "f" + (i % 10), 1);
                    redis.append(prefix + "text", "x");
                    redis.setex(prefix + "session:" + (i % 50), 300, "s" + i);
                    redis.xadd(prefix + "events", Map.of("i", Long.toString(i)));
                    rounds.incrementAndGet();
                }
            }, "workload-writer");
            thread.start();
        }

        /** Rounds of six writes done so far; the counter key holds the same number. */
        public long rounds() {
            return rounds.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }
}
