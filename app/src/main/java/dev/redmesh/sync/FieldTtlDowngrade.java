package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * The stated rule for hash field expiration (Redis 7.4+) on a target without it (Redis 7.2 and
 * older, Valkey 8): <b>the field travels, its TTL does not, and the field is deleted on the target
 * when it expires on the source</b> — a master propagates a field's expiry as {@code HDEL}, which
 * travels like any write, so the regions agree again the moment the source's field is gone.
 * <ul>
 *   <li>{@code HSETEX key [FNX|FXX] [EX|PX|EXAT|PXAT t|KEEPTTL] FIELDS n f v …} becomes
 *       {@code HSET key f v …} (the condition held on the source, or it would not have propagated);</li>
 *   <li>{@code HEXPIRE}, {@code HPEXPIRE}, {@code HEXPIREAT}, {@code HPEXPIREAT} and {@code HGETEX}
 *       are not applied: they change only TTLs (a deletion they cause propagates as {@code HDEL});</li>
 *   <li>{@code HPERSIST} is not applied and approximates nothing: there the field never had a TTL;</li>
 *   <li>8.0's {@code HGETDEL key FIELDS n f …} becomes {@code HDEL key f …}: exact;</li>
 *   <li>in a full sync, a hash whose RDB record holds field TTLs arrives as a plain hash.</li>
 * </ul>
 * Each approximated value counts in {@code redmesh_sync_values_approximated_total} and names its key
 * in the link's events (the first one, then at most one event a minute with how many followed).
 */
final class FieldTtlDowngrade {

    /** The RDB version from which a target keeps field TTLs (Redis 7.4's). */
    static final int FIRST_RDB_VERSION = 12;

    private static final Set<String> TTL_ONLY = Set.of("HEXPIRE", "HPEXPIRE", "HEXPIREAT", "HPEXPIREAT", "HGETEX");
    private static final Set<String> TTL_OPTIONS = Set.of("EX", "PX", "EXAT", "PXAT");
    private static final long EVENT_EVERY_NANOS = 60_000_000_000L;

    private final String link;
    private final SyncStats stats;
    private final Consumer<String> events;
    private long lastEventNanos;
    private long sinceEvent;
    private boolean announced;

    FieldTtlDowngrade(String link, SyncStats stats, Consumer<String> events) {
        this.link = link;
        this.stats = stats;
        this.events = events;
    }

    static boolean targetKeepsFieldTtls(int targetRdbVersion) {
        return targetRdbVersion >= FIRST_RDB_VERSION;
    }

    static boolean concerns(String name) {
        return name.equals("HSETEX") || name.equals("HGETDEL") || name.equals("HPERSIST") || TTL_ONLY.contains(name);
    }

    /**
     * What the target gets of {@code command} ({@link #concerns} it): the command to apply instead,
     * or null when nothing is applied. Records the approximation when a TTL is lost.
     */
    ReplicationEvent.@Nullable Command rewrite(ReplicationEvent.Command command) {
        String name = command.name();
        byte[][] args = command.args();
        if (name.equals("HPERSIST")) {
            return null;
        }
        if (name.equals("HGETDEL")) { // 8.0's HGETDEL key FIELDS n f …: the deletion is an HDEL anywhere
            return fieldsOnly(command, "HDEL", 1);
        }
        if (TTL_ONLY.contains(name)) {
            boolean setsTtl = !name.equals("HGETEX") || Arrays.stream(args).skip(1).anyMatch(FieldTtlDowngrade::isTtlOption);
            if (setsTtl && args.length > 0) {
                approximated(args[0], name);
            }
            return null;
        }
        return hsetex(command);
    }

    /** {@code HSETEX key [options] FIELDS n field value …} as {@code HSET key field value …}. */
    private ReplicationEvent.Command hsetex(ReplicationEvent.Command command) {
        String name = command.name();
        byte[][] args = command.args();
        int fields = -1;
        boolean ttl = false;
        for (int i = 1; i < args.length; i++) {
            String word = new String(args[i], StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
            if (word.equals("FIELDS")) {
                fields = i;
                break;
            }
            ttl |= TTL_OPTIONS.contains(word);
        }
        if (fields < 0 || fields + 1 >= args.length) {
            return command; // not a form this rule knows: the target's error says so, as for any refused command
        }
        if (ttl) {
            approximated(args[0], name);
        }
        return fieldsOnly(command, "HSET", fields);
    }

    /** {@code name key <what follows FIELDS n>}, where {@code FIELDS} is argument {@code at}. */
    private static ReplicationEvent.Command fieldsOnly(ReplicationEvent.Command command, String name, int at) {
        byte[][] args = command.args();
        if (at + 2 > args.length) {
            return command;
        }
        byte[][] rewritten = new byte[1 + args.length - at - 2][];
        rewritten[0] = args[0];
        System.arraycopy(args, at + 2, rewritten, 1, args.length - at - 2);
        return new ReplicationEvent.Command(command.db(), name, name.getBytes(StandardCharsets.US_ASCII), rewritten,
                command.endOffset(), command.weight());
    }

    private static boolean isTtlOption(byte[] arg) {
        return TTL_OPTIONS.contains(new String(arg, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT));
    }

    /** A value of {@code key} arrives without its field TTLs ({@code how}: the command, or "full sync"). */
    synchronized void approximated(byte[] key, String how) {
        stats.valueApproximated();
        sinceEvent++;
        long now = System.nanoTime();
        if (announced && now - lastEventNanos < EVENT_EVERY_NANOS) {
            return;
        }
        String shown = new String(key, StandardCharsets.UTF_8);
        events.accept("Link " + link + ": hash field TTLs of '" + shown + "' (" + how + ") not kept: the target has no "
                + "field expiration; its fields are deleted there when they expire on the source"
                + (sinceEvent > 1 ? " (" + sinceEvent + " values approximated since the last such event)" : ""));
        announced = true;
        lastEventNanos = now;
        sinceEvent = 0;
    }
}
