package dev.redmesh.redis;

import java.util.ArrayList;
import java.util.List;

/** An inclusive range of Redis Cluster hash slots, written {@code 0-5460} (or {@code 42} for one slot). */
public record SlotRange(int from, int to) implements Comparable<SlotRange> {

    public static final int SLOTS = 16384;

    public SlotRange {
        if (from < 0 || to >= SLOTS || from > to) {
            throw new IllegalArgumentException("invalid slot range " + from + "-" + to);
        }
    }

    /** Parses {@code "0-5460"} or {@code "42"}. */
    public static SlotRange parse(String text) {
        int dash = text.indexOf('-');
        return dash < 0
                ? new SlotRange(Integer.parseInt(text.trim()), Integer.parseInt(text.trim()))
                : new SlotRange(Integer.parseInt(text.substring(0, dash).trim()), Integer.parseInt(text.substring(dash + 1).trim()));
    }

    /** Parses a comma-separated list such as ElastiCache's {@code "0-2000,3000-5460"}; blank means none. */
    public static List<SlotRange> parseList(String text) {
        List<SlotRange> ranges = new ArrayList<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",")) {
                ranges.add(parse(part));
            }
        }
        return ranges;
    }

    /** Sorts and merges adjacent or overlapping ranges, so equal slot sets compare equal. */
    public static List<SlotRange> normalize(List<SlotRange> ranges) {
        List<SlotRange> sorted = new ArrayList<>(ranges);
        sorted.sort(null);
        List<SlotRange> merged = new ArrayList<>();
        for (SlotRange range : sorted) {
            if (!merged.isEmpty() && merged.get(merged.size() - 1).to() + 1 >= range.from()) {
                SlotRange last = merged.remove(merged.size() - 1);
                merged.add(new SlotRange(last.from(), Math.max(last.to(), range.to())));
            } else {
                merged.add(range);
            }
        }
        return merged;
    }

    public int size() {
        return to - from + 1;
    }

    @Override
    public int compareTo(SlotRange other) {
        return from != other.from ? Integer.compare(from, other.from) : Integer.compare(to, other.to);
    }

    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
