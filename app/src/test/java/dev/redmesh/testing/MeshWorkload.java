package dev.redmesh.testing;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.lettuce.core.RedisException;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One region's writer for active-active tests: non-idempotent commands on keys of its own prefix
 * (INCRBY, LPUSH, HINCRBY, APPEND, SADD, ZINCRBY, XADD, and EXPIRE/PEXPIRE every tenth round), so
 * that a lost or repeated write shows in the totals. A round counts once all its writes are
 * acknowledged. Every acknowledged write is counted per command, so a write refused during a
 * failover ({@code READONLY}) is simply not expected anywhere; after an error the writer takes a
 * fresh connection to the current master.
 */
public final class MeshWorkload implements AutoCloseable {

    public static final int COMMANDS_PER_ROUND = 7;
    /** The commands of a round, as {@code INFO commandstats} names them, in {@link #acked(int)}'s order. */
    public static final String[] COMMANDS = {"incrby", "lpush", "hincrby", "append", "sadd", "zincrby", "xadd"};
    private static final int SPREAD = 8;

    private final String prefix;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong rounds = new AtomicLong();
    private final AtomicLong failedRounds = new AtomicLong();
    private final AtomicLong[] acked = new AtomicLong[COMMANDS_PER_ROUND];
    private final Thread thread;

    /** @param connect gives a connection to the region's current master (called again after an error) */
    public MeshWorkload(String prefix, Supplier<RedisClusterCommands<String, String>> connect) {
        this(prefix, connect, 0);
    }

    /**
     * @param roundsPerSecond at most this many rounds a second (0: as fast as the region answers). The
     *                        fleet tests pace their load: on two cores an unpaced workload per region
     *                        starves the control plane they are about, which is not what they test.
     */
    public MeshWorkload(String prefix, Supplier<RedisClusterCommands<String, String>> connect, int roundsPerSecond) {
        this.prefix = prefix;
        for (int c = 0; c < acked.length; c++) {
            acked[c] = new AtomicLong();
        }
        this.thread = new Thread(() -> {
            RedisClusterCommands<String, String> redis = connect.get();
            long start = System.nanoTime();
            for (long i = 0; running.get(); i++) {
                if (roundsPerSecond > 0) {
                    long due = start + i * 1_000_000_000L / roundsPerSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        sleep(Math.max(1, wait / 1_000_000));
                    }
                }
                try {
                    round(redis, i);
                    rounds.incrementAndGet();
                } catch (RedisException e) {
                    failedRounds.incrementAndGet();
                    sleep(50);
                    redis = connect.get();
                }
            }
        }, "mesh-workload-" + prefix);
        thread.setDaemon(true);
        thread.start();
    }

    private void round(RedisClusterCommands<String, String> redis, long i) {
        int n = (int) (i % SPREAD);
        redis.incrby(prefix + "ctr:" + n, 1);
        acked[0].incrementAndGet();
        redis.lpush(prefix + "list:" + n, Long.toString(i));
        acked[1].incrementAndGet();
        redis.hincrby(prefix + "hash", "f" + n, 1);
        acked[2].incrementAndGet();
        redis.append(prefix + "str:" + n, "x");
        acked[3].incrementAndGet();
        redis.sadd(prefix + "set", "m" + i);
        acked[4].incrementAndGet();
        redis.zincrby(prefix + "zset", 1, "m" + n);
        acked[5].incrementAndGet();
        redis.xadd(prefix + "stream", Map.of("i", Long.toString(i)));
        acked[6].incrementAndGet();
        if (i % 10 == 0) {
            redis.expire(prefix + "ctr:" + n, 3600);
            redis.pexpire(prefix + "list:" + n, 3_600_000);
        }
    }

    public String prefix() {
        return prefix;
    }

    /** Acknowledged writes of the given command of a round (0 = INCRBY … 6 = XADD). */
    public long acked(int command) {
        return acked[command].get();
    }

    public long rounds() {
        return rounds.get();
    }

    public long failedRounds() {
        return failedRounds.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }

    /**
     * How many writes of each command of this workload {@code redis} holds, read from the data
     * itself: counter sums (INCRBY), list lengths (LPUSH), hash sums (HINCRBY), string lengths
     * (APPEND), set size (SADD), score sums (ZINCRBY), stream length (XADD).
     */
    public long[] heldIn(RedisClusterCommands<String, String> redis) {
        long counters = 0;
        long lists = 0;
        long strings = 0;
        for (int n = 0; n < SPREAD; n++) {
            String counter = redis.get(prefix + "ctr:" + n);
            counters += counter == null ? 0 : Long.parseLong(counter);
            lists += redis.llen(prefix + "list:" + n);
            strings += redis.strlen(prefix + "str:" + n);
        }
        long hash = redis.hvals(prefix + "hash").stream().mapToLong(Long::parseLong).sum();
        double zset = redis.zrangeWithScores(prefix + "zset", 0, -1).stream().mapToDouble(v -> v.getScore()).sum();
        return new long[] {counters, lists, hash, strings, redis.scard(prefix + "set"), (long) zset, redis.xlen(prefix + "stream")};
    }

    /** Asserts that {@code region} holds exactly {@code rounds()} of every write of this workload. */
    public void assertExactIn(String region, RedisClusterCommands<String, String> redis) {
        long[] held = heldIn(redis);
        String what = region + " holds every acknowledged write of " + prefix + " exactly once";
        for (int c = 0; c < COMMANDS_PER_ROUND; c++) {
            assertThat(held[c]).as(what + " (" + COMMANDS[c].toUpperCase(java.util.Locale.ROOT) + ")").isEqualTo(acked[c].get());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
