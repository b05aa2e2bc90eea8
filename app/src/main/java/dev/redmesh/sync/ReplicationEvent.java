package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;

/** What the source side hands to the applier, in source order. No Spring, no JPA: plain data. */
public sealed interface ReplicationEvent {

    /** Heap bytes this event holds, for the memory budget. */
    long weight();

    /** {@code +FULLRESYNC}: the target will receive a whole RDB; the history and offset it is taken at follow in {@link Streaming}. */
    record FullSyncStarted() implements ReplicationEvent {
        @Override
        public long weight() {
            return 64;
        }
    }

    /** One key of the RDB as a {@code DUMP} payload, restored with {@code RESTORE … REPLACE ABSTTL}. */
    record KeyDump(int db, byte[] key, byte[] payload, long expireAtMillis) implements ReplicationEvent {
        @Override
        public long weight() {
            return 64L + key.length + payload.length;
        }
    }

    /** A function library from the RDB (Redis 7+), loaded with {@code FUNCTION LOAD REPLACE}. */
    record FunctionLibrary(byte[] code) implements ReplicationEvent {
        @Override
        public long weight() {
            return 64L + code.length;
        }
    }

    /** The RDB is fully read; the stream that follows continues from the full sync's offset. */
    record FullSyncFinished(long keys) implements ReplicationEvent {
        @Override
        public long weight() {
            return 64;
        }
    }

    /**
     * The command stream begins (after a full sync, or on {@code +CONTINUE}) in history {@code replid}
     * after {@code offset}. {@code previous} is the history read before when the master switched to
     * a new one — a promoted replica, which shares everything up to {@code offset} with it — else null.
     */
    record Streaming(String replid, String previous, long offset) implements ReplicationEvent {
        @Override
        public long weight() {
            return 160;
        }
    }

    /**
     * One command of the replication stream.
     *
     * @param db        the database it applies to (after {@code SELECT})
     * @param name      the command name in upper case, computed once
     * @param rawName   the name as the source wrote it, sent on as is
     * @param endOffset the source replication offset just after this command
     */
    record Command(int db, String name, byte[] rawName, byte[][] args, long endOffset, long weight)
            implements ReplicationEvent {

        static Command of(int db, byte[] rawName, byte[][] args, long endOffset) {
            long bytes = 96L + rawName.length;
            for (byte[] arg : args) {
                bytes += 16 + arg.length;
            }
            return new Command(db, new String(rawName, StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT),
                    rawName, args, endOffset, bytes);
        }
    }
}
