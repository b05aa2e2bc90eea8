package dev.redmesh.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.lettuce.core.RedisClient;

import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Cleanup;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every write command each server version knows has been looked at: it is in {@link #REVIEWED}
 * with what the engine does with it ({@link SyncWorker#handling}). A version that brings a write
 * command nobody has looked at (as Redis 7.4 brought HEXPIRE and 8.0 HSETEX) fails here, naming it,
 * instead of its values silently travelling wrong or its target refusing it in production.
 */
class CommandTableIT {

    /**
     * Write commands (and write subcommands, as CONTAINER|SUB) of Redis 6.2, 7.0 and 8.0 and Valkey
     * 8.0 and 8.1, reviewed: each travels as it came unless {@link SyncWorker#handling} says otherwise.
     * VADD, VREM and VSETATTR (8.0's vector sets) travel as commands between regions that have them;
     * a vector set's RDB record is a module type that full sync does not copy yet (docs/compatibility.md).
     */
    static final Set<String> REVIEWED = Set.of(
            "APPEND", "BITFIELD", "BITOP", "BLMOVE", "BLMPOP", "BLPOP", "BRPOP", "BRPOPLPUSH", "BZMPOP", "BZPOPMAX",
            "BZPOPMIN", "COPY", "DECR", "DECRBY", "DEL", "EXPIRE", "EXPIREAT", "FLUSHALL", "FLUSHDB",
            "FUNCTION|DELETE", "FUNCTION|FLUSH", "FUNCTION|LOAD", "FUNCTION|RESTORE", "GEOADD", "GEORADIUS",
            "GEORADIUSBYMEMBER", "GEOSEARCHSTORE", "GETDEL", "GETEX", "GETSET", "HDEL", "HEXPIRE", "HEXPIREAT",
            "HGETDEL", "HGETEX", "HINCRBY", "HINCRBYFLOAT", "HMSET", "HPERSIST", "HPEXPIRE", "HPEXPIREAT", "HSET",
            "HSETEX", "HSETNX", "INCR", "INCRBY", "INCRBYFLOAT", "LINSERT", "LMOVE", "LMPOP", "LPOP", "LPUSH",
            "LPUSHX", "LREM", "LSET", "LTRIM", "MIGRATE", "MOVE", "MSET", "MSETNX", "PERSIST", "PEXPIRE",
            "PEXPIREAT", "PFADD", "PFDEBUG", "PFMERGE", "PSETEX", "RENAME", "RENAMENX", "RESTORE", "RESTORE-ASKING",
            "RPOP", "RPOPLPUSH", "RPUSH", "RPUSHX", "SADD", "SDIFFSTORE", "SET", "SETBIT", "SETEX", "SETNX",
            "SETRANGE", "SINTERSTORE", "SMOVE", "SORT", "SPOP", "SREM", "SUNIONSTORE", "SWAPDB", "UNLINK", "VADD",
            "VREM", "VSETATTR", "XACK", "XADD", "XAUTOCLAIM", "XCLAIM", "XDEL", "XGROUP", "XGROUP|CREATE",
            "XGROUP|CREATECONSUMER", "XGROUP|DELCONSUMER", "XGROUP|DESTROY", "XGROUP|SETID", "XREADGROUP", "XSETID",
            "XTRIM", "ZADD", "ZDIFFSTORE", "ZINCRBY", "ZINTERSTORE", "ZMPOP", "ZPOPMAX", "ZPOPMIN", "ZRANGESTORE",
            "ZREM", "ZREMRANGEBYLEX", "ZREMRANGEBYRANK", "ZREMRANGEBYSCORE", "ZUNIONSTORE");

    @RegisterExtension
    Cleanup cleanup = new Cleanup();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"6.2", "7", "8.0", "valkey-8.0", "valkey-8.1"})
    void everyWriteCommandOfTheVersionIsReviewed(String version) {
        RedisNode node = cleanup.add(RedisNode.start(RedisBinary.forVersion(version)));
        RedisClient client = RedisClient.create(node.uri());
        cleanup.add(client::shutdown);
        List<Object> table = client.connect().sync().command();
        TreeMap<String, SyncWorker.Handling> writes = new TreeMap<>();
        for (Object entry : table) {
            collect(entry, writes);
        }
        assertThat(writes).as("write commands in the table").hasSizeGreaterThan(50);
        Set<String> unreviewed = new TreeSet<>(writes.keySet());
        unreviewed.removeAll(REVIEWED);
        assertThat(unreviewed).as("write commands of " + node.binary() + " nobody has reviewed: decide what the engine "
                + "does with each (SyncWorker.handling) and add them to REVIEWED").isEmpty();
        if (version.equals("8.0")) {
            for (String name : List.of("HSETEX", "HGETEX", "HGETDEL", "HEXPIRE", "HPEXPIRE", "HEXPIREAT", "HPEXPIREAT", "HPERSIST")) {
                assertThat(writes).as(name).containsEntry(name, SyncWorker.Handling.FIELD_TTLS);
            }
        }
        assertThat(writes).containsEntry("FLUSHALL", SyncWorker.Handling.FLUSH);
    }

    /** Adds a COMMAND entry (RESP2: name, arity, flags, first, last, step, …, subcommands at 9) if it writes. */
    private static void collect(Object entry, TreeMap<String, SyncWorker.Handling> writes) {
        if (!(entry instanceof List<?> fields) || fields.size() < 3) {
            return;
        }
        String name = String.valueOf(fields.get(0)).toUpperCase(Locale.ROOT);
        boolean write = fields.get(2) instanceof List<?> flags && flags.stream().anyMatch(f -> "write".equals(String.valueOf(f)));
        if (write) {
            String top = name.contains("|") ? name.substring(0, name.indexOf('|')) : name;
            writes.put(name, SyncWorker.handling(top));
        }
        if (fields.size() > 9 && fields.get(9) instanceof List<?> subcommands) {
            for (Object sub : subcommands) {
                collect(sub, writes);
            }
        }
    }
}
