package dev.redmesh.verify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.KeyValue;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.Range;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScoredValueScanCursor;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.Limit;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

/**
 * Compares keys across every member: first by their {@code DUMP} (without its version and
 * checksum trailer) — equal bytes are equal values, one round trip for a batch — and where those
 * differ by a logical digest of the value read element by element, so the same data in another
 * encoding (listpack or hashtable, intset, another RDB version) is equal. A difference is
 * classified by what differs first: presence, type, value, then TTL beyond the tolerance.
 */
final class Comparison {

    enum Kind { MISSING, TYPE, VALUE, TTL }

    /**
     * What one member holds under a key.
     *
     * @param type   {@code none} when absent
     * @param ttlMs  -1 without a TTL (and when absent)
     * @param digest of the value: logical where it was computed, else of the DUMP body
     * @param dump   of the DUMP body, always: whether the key changed between two passes
     */
    record Observed(String type, long ttlMs, long digest, boolean logical, long dump) {

        static final Observed ABSENT = new Observed("none", -1, 0, false, 0);

        boolean present() {
            return !"none".equals(type);
        }

        /** The same state as {@code earlier} (TTLs aside, which run down): the key did not change in between. */
        boolean unchangedSince(Observed earlier) {
            return type.equals(earlier.type) && dump == earlier.dump;
        }
    }

    /** A key that differs, with what every member holds. */
    record Finding(int db, byte[] key, Kind kind, Map<String, Observed> members) {

        /** Every member holds what it held at {@code earlier}: a difference that stays, not a write in flight. */
        boolean unchangedSince(Finding earlier) {
            for (Map.Entry<String, Observed> m : members.entrySet()) {
                Observed before = earlier.members().get(m.getKey());
                if (before == null || !m.getValue().unchangedSince(before)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** A key of a database, as a map key. */
    record DbKey(int db, byte[] key) {
        @Override
        public boolean equals(Object o) {
            return o instanceof DbKey other && other.db == db && java.util.Arrays.equals(other.key, key);
        }

        @Override
        public int hashCode() {
            return 31 * db + java.util.Arrays.hashCode(key);
        }
    }

    private static final int CHUNK = 1000;
    private static final int PAGE = 500;

    private final List<Member> members;
    private final long ttlToleranceMs;
    private final Duration timeout;

    Comparison(List<Member> members, long ttlToleranceMs, Duration timeout) {
        this.members = members;
        this.ttlToleranceMs = ttlToleranceMs;
        this.timeout = timeout;
    }

    /** Compares {@code keys} of database {@code db}; returns those that differ, in order. */
    List<Finding> compare(int db, List<byte[]> keys) {
        int n = keys.size();
        // every member's reads are sent before any answer is awaited: the members work at once
        List<List<RedisFuture<byte[]>>> dumps = new ArrayList<>();
        List<List<RedisFuture<Long>>> ttls = new ArrayList<>();
        for (Member member : members) {
            RedisClusterAsyncCommands<byte[], byte[]> reads = member.reads(db);
            List<RedisFuture<byte[]>> d = new ArrayList<>(n);
            List<RedisFuture<Long>> t = new ArrayList<>(n);
            for (byte[] key : keys) {
                d.add(reads.dump(key));
                t.add(reads.pttl(key));
            }
            dumps.add(d);
            ttls.add(t);
        }
        Observed[][] seen = new Observed[members.size()][];
        for (int m = 0; m < members.size(); m++) {
            seen[m] = observed(dumps.get(m), ttls.get(m));
        }
        List<Finding> findings = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Kind kind = classify(seen, i, db, keys.get(i));
            if (kind != null) {
                Map<String, Observed> byMember = new LinkedHashMap<>();
                for (int m = 0; m < members.size(); m++) {
                    byMember.put(members.get(m).name(), seen[m][i]);
                }
                findings.add(new Finding(db, keys.get(i), kind, byMember));
            }
        }
        return findings;
    }

    /**
     * Compares {@code keys} again, in pages of {@value #PAGE} per database; {@code afterPage} runs
     * after each (pacing, cancellation). Returns those that still differ.
     */
    LinkedHashMap<DbKey, Finding> compare(java.util.Collection<DbKey> keys, Runnable afterPage) {
        LinkedHashMap<DbKey, Finding> still = new LinkedHashMap<>();
        Map<Integer, List<byte[]>> page = new java.util.TreeMap<>();
        int held = 0;
        for (DbKey k : keys) {
            page.computeIfAbsent(k.db(), d -> new ArrayList<>()).add(k.key());
            if (++held == PAGE) {
                comparePage(page, still, afterPage);
                page.clear();
                held = 0;
            }
        }
        comparePage(page, still, afterPage);
        return still;
    }

    private void comparePage(Map<Integer, List<byte[]>> page, LinkedHashMap<DbKey, Finding> still, Runnable afterPage) {
        for (Map.Entry<Integer, List<byte[]>> db : page.entrySet()) {
            for (Finding f : compare(db.getKey(), db.getValue())) {
                still.put(new DbKey(f.db(), f.key()), f);
            }
            afterPage.run();
        }
    }

    /** Keeps only the findings that every member still held as at {@code previous}: a difference, not a write in flight. */
    static void keepUnchanged(Map<DbKey, Finding> findings, Map<DbKey, Finding> previous) {
        findings.entrySet().removeIf(f -> !f.getValue().unchangedSince(previous.get(f.getKey())));
    }

    private Kind classify(Observed[][] seen, int i, int db, byte[] key) {
        int present = 0;
        for (Observed[] member : seen) {
            present += member[i].present() ? 1 : 0;
        }
        if (present == 0) {
            return null;
        }
        if (present < seen.length) {
            return Kind.MISSING;
        }
        String type = seen[0][i].type();
        boolean sameDump = true;
        for (Observed[] member : seen) {
            if (!member[i].type().equals(type)) {
                return Kind.TYPE;
            }
            sameDump &= member[i].digest() == seen[0][i].digest();
        }
        if (!sameDump) {
            for (int m = 0; m < seen.length; m++) {
                Observed o = seen[m][i];
                seen[m][i] = new Observed(o.type(), o.ttlMs(), logical(members.get(m).reads(db), key, o.type()), true,
                        o.dump());
            }
            for (Observed[] member : seen) {
                if (member[i].digest() != seen[0][i].digest()) {
                    return Kind.VALUE;
                }
            }
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        boolean persistent = false;
        boolean expiring = false;
        for (Observed[] member : seen) {
            long ttl = member[i].ttlMs();
            persistent |= ttl < 0;
            expiring |= ttl >= 0;
            min = Math.min(min, ttl);
            max = Math.max(max, ttl);
        }
        return (persistent && expiring) || (expiring && max - min > ttlToleranceMs) ? Kind.TTL : null;
    }

    /** What the pipelined {@code DUMP}s and {@code PTTL}s of one member answered. */
    private Observed[] observed(List<RedisFuture<byte[]>> dumps, List<RedisFuture<Long>> ttls) {
        Observed[] seen = new Observed[dumps.size()];
        for (int i = 0; i < dumps.size(); i++) {
            byte[] dump = await(dumps.get(i));
            long ttl = await(ttls.get(i));
            seen[i] = dump == null ? Observed.ABSENT
                    : observed(typeOf(dump[0] & 0xff), ttl, Hash64.of(body(dump)));
        }
        return seen;
    }

    private static Observed observed(String type, long ttl, long dumpDigest) {
        return new Observed(type, ttl, dumpDigest, false, dumpDigest);
    }

    /** A DUMP without its 2-byte RDB version and 8-byte checksum: the same value from another version compares equal. */
    private static byte[] body(byte[] dump) {
        return dump.length < 10 ? dump : java.util.Arrays.copyOf(dump, dump.length - 10);
    }

    /** The type an RDB value type byte stands for (rdb.h), as {@code TYPE} names it. */
    static String typeOf(int rdbType) {
        return switch (rdbType) {
            case 0 -> "string";
            case 1, 10, 14, 18 -> "list";
            case 2, 11, 20 -> "set";
            case 3, 5, 12, 17 -> "zset";
            case 4, 9, 13, 16, 22, 23, 24, 25 -> "hash";
            case 15, 19, 21 -> "stream";
            default -> "module";
        };
    }

    /** The value read element by element: independent of its encoding. Memory: one chunk, plus one hash per element of a set-like value. */
    long logical(RedisClusterAsyncCommands<byte[], byte[]> reads, byte[] key, String type) {
        switch (type) {
            case "string" -> {
                byte[] value = await(reads.get(key));
                return value == null ? 0 : Hash64.of(value);
            }
            case "list" -> {
                long h = 1;
                for (long from = 0; ; from += CHUNK) {
                    List<byte[]> chunk = await(reads.lrange(key, from, from + CHUNK - 1));
                    for (byte[] element : chunk) {
                        h = Hash64.then(h, Hash64.of(element));
                    }
                    if (chunk.size() < CHUNK) {
                        return h;
                    }
                }
            }
            case "set" -> {
                Map<Long, Long> elements = new HashMap<>();
                ScanCursor cursor = ScanCursor.INITIAL;
                do {
                    ValueScanCursor<byte[]> page = await(reads.sscan(key, cursor, ScanArgs.Builder.limit(CHUNK)));
                    for (byte[] member : page.getValues()) {
                        long h = Hash64.of(member);
                        elements.put(h, h);
                    }
                    cursor = page;
                } while (!cursor.isFinished());
                return unordered(elements);
            }
            case "zset" -> {
                Map<Long, Long> elements = new HashMap<>();
                ScanCursor cursor = ScanCursor.INITIAL;
                do {
                    ScoredValueScanCursor<byte[]> page = await(reads.zscan(key, cursor, ScanArgs.Builder.limit(CHUNK)));
                    for (ScoredValue<byte[]> member : page.getValues()) {
                        elements.put(Hash64.of(member.getValue()),
                                Hash64.then(Hash64.of(member.getValue()), Double.doubleToLongBits(member.getScore())));
                    }
                    cursor = page;
                } while (!cursor.isFinished());
                return unordered(elements);
            }
            case "hash" -> {
                Map<Long, Long> elements = new HashMap<>();
                ScanCursor cursor = ScanCursor.INITIAL;
                do {
                    MapScanCursor<byte[], byte[]> page = await(reads.hscan(key, cursor, ScanArgs.Builder.limit(CHUNK)));
                    for (Map.Entry<byte[], byte[]> field : page.getMap().entrySet()) {
                        elements.put(Hash64.of(field.getKey()), Hash64.of(field.getKey(), field.getValue()));
                    }
                    cursor = page;
                } while (!cursor.isFinished());
                return unordered(elements);
            }
            case "stream" -> {
                long h = 1;
                Range.Boundary<String> from = Range.Boundary.unbounded();
                while (true) {
                    List<StreamMessage<byte[], byte[]>> chunk = await(reads.xrange(key,
                            Range.from(from, Range.Boundary.unbounded()), Limit.from(CHUNK)));
                    for (StreamMessage<byte[], byte[]> entry : chunk) {
                        h = Hash64.then(h, Hash64.of(entry.getId().getBytes(StandardCharsets.US_ASCII)));
                        for (Map.Entry<byte[], byte[]> field : entry.getBody().entrySet()) {
                            h = Hash64.then(h, Hash64.of(field.getKey(), field.getValue()));
                        }
                    }
                    if (chunk.size() < CHUNK) {
                        break;
                    }
                    from = Range.Boundary.excluding(chunk.get(chunk.size() - 1).getId());
                }
                // consumer groups: their names, where each has delivered up to and how much is pending
                for (Object group : await(reads.xinfoGroups(key))) {
                    h = Hash64.then(h, Hash64.of(groupSummary(group).getBytes(StandardCharsets.UTF_8)));
                }
                return h;
            }
            default -> {
                byte[] dump = await(reads.dump(key));
                return dump == null ? 0 : Hash64.of(body(dump));
            }
        }
    }

    /** name, last-delivered-id and pending of one {@code XINFO GROUPS} entry (a flat field/value list). */
    private static String groupSummary(Object group) {
        StringBuilder summary = new StringBuilder();
        if (group instanceof List<?> fields) {
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String field = text(fields.get(i));
                if (field.equals("name") || field.equals("last-delivered-id") || field.equals("pending")) {
                    summary.append(field).append('=').append(text(fields.get(i + 1))).append(';');
                }
            }
        }
        return summary.toString();
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static long unordered(Map<Long, Long> elements) {
        long sum = elements.size();
        for (long h : elements.values()) {
            sum += h;
        }
        return Hash64.mix(sum);
    }

    private <T> T await(RedisFuture<T> reply) {
        try {
            return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("a region did not answer within " + timeout, e);
        }
    }
}
