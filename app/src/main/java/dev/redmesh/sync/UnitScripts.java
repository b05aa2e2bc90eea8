package dev.redmesh.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;

/**
 * The Lua scripts that make every write to a target one atomic, fenced, exactly-once unit
 * (invariants I1–I3, design.md §4). A unit holds the commands of one slot (one database of a
 * standalone target) and runs as one script:
 * <ol>
 *   <li>read the slot's checkpoint {@code epoch:replid:offset}; a higher stored epoch refuses the
 *       whole unit ({@code FENCED}, I3);</li>
 *   <li>skip every command whose source offset the checkpoint already covers in the same history,
 *       or in the previous history up to its fork point (I2, I4);</li>
 *   <li>write the new checkpoint <em>first</em>, then the commands: Redis replicates a script's
 *       effects as {@code MULTI … EXEC}, so every reader can tell this transaction came through a
 *       link by its first write and drop it (I1).</li>
 * </ol>
 * Commands run with {@code redis.pcall}: a command the target refuses (wrong type) is counted, as a
 * native replica would ignore it, and never leaves the unit half applied.
 */
final class UnitScripts {

    /**
     * KEYS[1] checkpoint key; KEYS[2], when the target is read by keyspace capture, the link's unit
     * marker: set right after the checkpoint and deleted at the end, so the notifications of a unit
     * arrive bracketed by the marker's {@code set} and {@code del} and a capture of this target can
     * tell them from clients' writes (I1 without a replication stream). ARGV: epoch, replid, previous replid, fork offset (last offset shared
     * with the previous history), unit end offset, then per command: source offset (-1: part of a
     * full sync, always applied), argument count, arguments (name first).
     * Returns {applied, skipped, errors, first error, kept}: a full-sync {@code RESTORE} (sent without
     * {@code REPLACE}) of a key the target already holds is kept, not counted as an error.
     */
    static final byte[] APPLY = ascii("""
            local cur = redis.call('GET', KEYS[1])
            local epoch = tonumber(ARGV[1])
            local skip = -1
            if cur then
              local e, id, off = string.match(cur, '^(%d+):([^:]*):(%-?%d+)$')
              if tonumber(e) > epoch then
                return redis.error_reply('FENCED checkpoint epoch ' .. e .. ' is newer than ' .. ARGV[1])
              end
              if id == ARGV[2] then
                skip = tonumber(off)
              elseif id == ARGV[3] then
                skip = math.min(tonumber(off), tonumber(ARGV[4]))
              end
            end
            local mark = tonumber(ARGV[5])
            if mark < skip then mark = skip end
            local applied, skipped, errors, first, wrote, kept = 0, 0, 0, '', false, 0
            local i, n = 6, #ARGV
            while i <= n do
              local off, argc = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
              if off >= 0 and off <= skip then
                skipped = skipped + 1
              else
                if not wrote then
                  redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2] .. ':' .. mark)
                  if KEYS[2] then redis.call('SET', KEYS[2], '1') end
                  wrote = true
                end
                local r = redis.pcall(unpack(ARGV, i + 2, i + 1 + argc))
                if type(r) == 'table' and r.err then
                  if string.sub(r.err, 1, 7) == 'BUSYKEY' then
                    kept = kept + 1
                  else
                    errors = errors + 1
                    if first == '' then first = r.err end
                  end
                else
                  applied = applied + 1
                end
              end
              i = i + 2 + argc
            end
            if wrote and KEYS[2] then redis.call('DEL', KEYS[2]) end
            return {applied, skipped, errors, first, kept}
            """);

    /** ARGV entries before the first command of a unit (epoch, replid, previous replid, fork, mark). */
    static final int HEADER_ARGS = 5;

    /**
     * KEYS[1] a checkpoint or resume key, ARGV[1] the new holder's epoch: raises the stored epoch so
     * that a former holder's next unit is refused, and returns the key's value afterwards (the new
     * holder plans its start from it). Refused itself if a newer epoch is there.
     */
    static final byte[] FENCE = ascii("""
            local cur = redis.call('GET', KEYS[1])
            if not cur then
              cur = ARGV[1] .. '::-1'
              redis.call('SET', KEYS[1], cur)
              return cur
            end
            local e, rest = string.match(cur, '^(%d+):(.*)$')
            if tonumber(e) > tonumber(ARGV[1]) then
              return redis.error_reply('FENCED checkpoint epoch ' .. e .. ' is newer than ' .. ARGV[1])
            end
            if tonumber(e) < tonumber(ARGV[1]) then
              cur = ARGV[1] .. ':' .. rest
              redis.call('SET', KEYS[1], cur)
            end
            return cur
            """);

    /**
     * {@link #FENCE} for many keys of one Redis Cluster master in one call (Redis 7+): no KEYS (they
     * span slots), ARGV[1] the epoch, then the keys, all served by the master it runs on. Checks
     * every key before raising any, and returns their values afterwards, in order.
     */
    static final byte[] FENCE_MANY = ascii("""
            #!lua flags=allow-cross-slot-keys
            local epoch = tonumber(ARGV[1])
            local values = {}
            for i = 2, #ARGV do
              local cur = redis.call('GET', ARGV[i])
              if cur then
                local e = tonumber(string.match(cur, '^(%d+):'))
                if e > epoch then
                  return redis.error_reply('FENCED checkpoint epoch ' .. e .. ' is newer than ' .. ARGV[1])
                end
              end
              values[i - 1] = cur
            end
            for i = 2, #ARGV do
              local cur = values[i - 1]
              if not cur then
                cur = ARGV[1] .. '::-1'
                redis.call('SET', ARGV[i], cur)
              else
                local e, rest = string.match(cur, '^(%d+):(.*)$')
                if tonumber(e) < epoch then
                  cur = ARGV[1] .. ':' .. rest
                  redis.call('SET', ARGV[i], cur)
                end
              end
              values[i - 1] = cur
            end
            return values
            """);

    /** KEYS[1] resume key; ARGV epoch, replid, offset: stores the resume point unless fenced. */
    static final byte[] RESUME = ascii("""
            local cur = redis.call('GET', KEYS[1])
            if cur and tonumber(string.match(cur, '^(%d+):')) > tonumber(ARGV[1]) then
              return redis.error_reply('FENCED resume point epoch is newer than ' .. ARGV[1])
            end
            redis.call('SET', KEYS[1], ARGV[1] .. ':' .. ARGV[2] .. ':' .. ARGV[3])
            return 1
            """);

    private UnitScripts() {
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean isFenced(String error) {
        return error != null && error.contains("FENCED");
    }

    /** What one unit did, from the script's reply (or the whole unit's error). */
    static final class Result extends CommandOutput<byte[], byte[], Result> {

        private final long[] counts = new long[4];
        private int next;
        private String firstError = "";

        Result() {
            super(ByteArrayCodec.INSTANCE, null);
            this.output = this;
        }

        long applied() {
            return counts[0];
        }

        long skipped() {
            return counts[1];
        }

        long errors() {
            return counts[2];
        }

        /** Full-sync keys the target already held and kept. */
        long kept() {
            return counts[3];
        }

        /** The first command error inside the unit, empty if none. */
        String firstError() {
            return firstError;
        }

        @Override
        public void set(long integer) {
            if (next < counts.length) {
                counts[next++] = integer;
            }
        }

        @Override
        public void set(ByteBuffer bytes) {
            if (bytes != null) {
                firstError = StandardCharsets.UTF_8.decode(bytes).toString();
            }
        }

        @Override
        public void multi(int count) {
            // the fields arrive in order: three counts, the first error, the kept count
        }
    }
}
