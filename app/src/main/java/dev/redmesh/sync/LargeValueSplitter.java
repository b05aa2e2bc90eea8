package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.moilioncircle.redis.replicator.Configuration;
import com.moilioncircle.redis.replicator.FileType;
import com.moilioncircle.redis.replicator.RedisReplicator;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueHash;
import com.moilioncircle.redis.replicator.rdb.dump.datatype.DumpKeyValuePair;
import com.moilioncircle.redis.replicator.rdb.dump.parser.DefaultDumpValueParser;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueList;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueSet;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueString;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyStringValueZSet;
import com.moilioncircle.redis.replicator.rdb.datatype.KeyValuePair;
import com.moilioncircle.redis.replicator.rdb.datatype.ZSetEntry;

/**
 * A value too large for one {@code RESTORE} (a giant payload blocks the target's event loop and
 * needs as much buffer on both sides) is written as several commands of about {@code chunkBytes}
 * each: {@code DEL}, then {@code RPUSH}/{@code SADD}/{@code ZADD}/{@code HSET} batches or
 * {@code SET} + {@code APPEND} pieces, then {@code PEXPIREAT}. Streams have no such command form
 * (consumer groups, pending entries) and stay one {@code RESTORE}.
 */
final class LargeValueSplitter {

    /** Arguments per piece: every piece is applied from a Lua script, whose calls take at most ~8,000. */
    static final int MAX_ARGS = 4000;

    private final int chunkBytes;
    private final long maxRestoreBytes;
    /** Parses a {@code DUMP} payload into its elements; it needs a replicator only for its settings. */
    private final DefaultDumpValueParser parser = new DefaultDumpValueParser(new RedisReplicator(
            new java.io.ByteArrayInputStream(new byte[0]), FileType.RDB, Configuration.defaultSetting()));

    /** Splits values whose {@code DUMP} payload is larger than {@code maxRestoreBytes}, in pieces of about a quarter of it. */
    LargeValueSplitter(long maxRestoreBytes) {
        this.maxRestoreBytes = maxRestoreBytes;
        this.chunkBytes = (int) Math.min(1024 * 1024, Math.max(1024, maxRestoreBytes / 4));
    }

    /**
     * The commands that rebuild the key a {@code DUMP} payload holds, when the payload is above the
     * limit and its type can be written in pieces; an empty list when one {@code RESTORE} is right
     * (small, a stream, or an encoding this parser does not know). The pieces carry no offset.
     */
    List<ReplicationEvent.Command> split(int db, byte[] key, byte[] payload, long expireAtMillis) {
        if (payload.length <= maxRestoreBytes) {
            return List.of();
        }
        DumpKeyValuePair dump = new DumpKeyValuePair();
        dump.setKey(key);
        dump.setValue(payload);
        dump.setValueRdbType(payload[0] & 0xff);
        KeyValuePair<?, ?> value;
        try {
            value = parser.parse(dump);
        } catch (RuntimeException unknown) {
            return List.of();
        }
        return value == null ? List.of() : split(db, value, expireAtMillis);
    }

    /** The commands that rebuild {@code value}, or an empty list if its type cannot be split. */
    private List<ReplicationEvent.Command> split(int db, KeyValuePair<?, ?> value, long expireAtMillis) {
        byte[] key = (byte[]) value.getKey();
        List<ReplicationEvent.Command> commands = new ArrayList<>();
        if (value instanceof KeyStringValueString string) {
            byte[] bytes = string.getValue();
            for (int from = 0; from < bytes.length || from == 0; from += chunkBytes) {
                byte[] piece = java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + chunkBytes));
                commands.add(command(db, from == 0 ? "SET" : "APPEND", key, List.of(piece)));
                if (bytes.length == 0) {
                    break;
                }
            }
        } else if (value instanceof KeyStringValueList list) {
            commands.add(command(db, "DEL", key, List.of()));
            chunks(db, "RPUSH", key, list.getValue().stream().map(e -> List.of(e)).toList(), commands);
        } else if (value instanceof KeyStringValueSet set) {
            commands.add(command(db, "DEL", key, List.of()));
            chunks(db, "SADD", key, set.getValue().stream().map(e -> List.of(e)).toList(), commands);
        } else if (value instanceof KeyStringValueZSet zset) {
            commands.add(command(db, "DEL", key, List.of()));
            List<List<byte[]>> members = new ArrayList<>();
            for (ZSetEntry entry : zset.getValue()) {
                members.add(List.of(score(entry.getScore()), entry.getElement()));
            }
            chunks(db, "ZADD", key, members, commands);
        } else if (value instanceof KeyStringValueHash hash) {
            commands.add(command(db, "DEL", key, List.of()));
            List<List<byte[]>> fields = new ArrayList<>();
            for (Map.Entry<byte[], byte[]> field : hash.getValue().entrySet()) {
                fields.add(List.of(field.getKey(), field.getValue()));
            }
            chunks(db, "HSET", key, fields, commands);
        } else {
            return List.of();
        }
        if (expireAtMillis > 0) {
            commands.add(command(db, "PEXPIREAT", key, List.of(ascii(Long.toString(expireAtMillis)))));
        }
        return commands;
    }

    /** Groups elements (each one or more arguments) into commands of about {@code chunkBytes}. */
    private void chunks(int db, String name, byte[] key, List<List<byte[]>> elements, List<ReplicationEvent.Command> out) {
        List<byte[]> args = new ArrayList<>();
        long bytes = 0;
        for (List<byte[]> element : elements) {
            for (byte[] part : element) {
                args.add(part);
                bytes += part.length;
            }
            if (bytes >= chunkBytes || args.size() >= MAX_ARGS) {
                out.add(command(db, name, key, args));
                args = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!args.isEmpty()) {
            out.add(command(db, name, key, args));
        }
    }

    private static ReplicationEvent.Command command(int db, String name, byte[] key, List<byte[]> rest) {
        byte[][] args = new byte[rest.size() + 1][];
        args[0] = key;
        for (int i = 0; i < rest.size(); i++) {
            args[i + 1] = rest.get(i);
        }
        // no source offset of its own: part of the full sync, which ends at the full sync's offset
        return ReplicationEvent.Command.of(db, ascii(name), args, -1);
    }

    private static byte[] score(double score) {
        return ascii(score == Math.rint(score) && !Double.isInfinite(score) && Math.abs(score) < 1e15
                ? Long.toString((long) score) : Double.toString(score).replace("Infinity", "inf"));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
