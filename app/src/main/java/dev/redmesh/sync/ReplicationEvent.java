package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;

/** What the source side hands to the applier, in source order. No Spring, no JPA: plain data. */
public sealed interface ReplicationEvent {

    /** Heap bytes this event holds, for the memory budget. */
    long weight();

    /** {@code +FULLRESYNC}: the target will receive a whole RDB; {@code replid}/{@code offset} name the point it is taken at. */
    record FullSyncStarted(String replid, long offset) implements ReplicationEvent {
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
     * The master answered {@code +CONTINUE} with a new replication id: a replica was promoted and
     * the stream goes on in its history, which shares everything up to {@code atOffset} with {@code previous}.
     */
    record HistoryChanged(String replid, String previous, long atOffset) implements ReplicationEvent {
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
