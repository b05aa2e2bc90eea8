package dev.redmesh.link;

import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What a full-syncing link says about its copy: "full sync of shard X: 41 % (412 000 of 1 000 000
 * keys) in 11 s, about 16 s left" — the time left at the rate so far; before the first key, what
 * the source does meanwhile. Computed from the shard's last heartbeat whenever the link is shown,
 * not stored: the link's row changes only when its state does.
 */
public final class FullSyncReason {

    private FullSyncReason() {
    }

    /** The reason of a FULL_SYNC link from its first full-syncing shard that reported progress; else {@code stored}. */
    static @Nullable String shown(LinkState state, List<LinkResponse.ShardAssignment> shards, @Nullable String stored) {
        if (state != LinkState.FULL_SYNC) {
            return stored;
        }
        return shards.stream().filter(s -> "FULL_SYNC".equals(s.state()) && s.fullSync() != null).findFirst()
                .map(s -> of(s.shard(), s.fullSync())).orElse(stored);
    }

    public static String of(String shard, LinkResponse.@Nullable FullSync progress) {
        String head = "full sync of shard " + shard;
        if (progress == null) {
            return head;
        }
        long seconds = progress.elapsedMs() / 1000;
        if (progress.keysRead() == 0) {
            return head + ": waiting for the source's RDB (" + seconds + " s so far; the source forks and writes it first)";
        }
        String read = grouped(progress.keysRead());
        if (progress.keysTotal() <= 0) {
            return head + ": " + read + " keys in " + seconds + " s (the RDB does not say how many it holds)";
        }
        long total = Math.max(progress.keysTotal(), progress.keysRead());
        long percent = progress.keysRead() * 100 / total;
        String text = head + ": " + percent + " % (" + read + " of " + grouped(total) + " keys) in " + seconds + " s";
        if (progress.elapsedMs() <= 0 || total == progress.keysRead()) {
            return text;
        }
        double perMs = (double) progress.keysRead() / progress.elapsedMs();
        long leftSeconds = (long) Math.ceil((total - progress.keysRead()) / perMs / 1000);
        return text + ", about " + duration(leftSeconds) + " left";
    }

    private static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n).replace(',', ' ');
    }

    private static String duration(long seconds) {
        if (seconds < 120) {
            return seconds + " s";
        }
        if (seconds < 7200) {
            return (seconds + 59) / 60 + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", seconds / 3600.0);
    }
}
