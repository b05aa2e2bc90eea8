package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;

import io.lettuce.core.cluster.SlotHash;

/**
 * A short hash tag for every Redis Cluster slot, so the engine can name a key that lives in a
 * given slot: {@code __redmesh:ckpt:{<tag>}:<link>} sits next to the data it checkpoints.
 */
final class SlotTags {

    private static final String[] TAGS = new String[SlotHash.SLOT_COUNT];

    static {
        int found = 0;
        for (int i = 0; found < TAGS.length; i++) {
            String candidate = Integer.toString(i, 36);
            int slot = SlotHash.getSlot(candidate.getBytes(StandardCharsets.US_ASCII));
            if (TAGS[slot] == null) {
                TAGS[slot] = candidate;
                found++;
            }
        }
    }

    private SlotTags() {
    }

    static String of(int slot) {
        return TAGS[slot];
    }

    /** The checkpoint key of {@code link} in {@code slot} (slot 0 for a standalone target). */
    static byte[] checkpointKey(int slot, String link) {
        return (KeyFilter.INTERNAL_PREFIX + "ckpt:{" + TAGS[slot] + "}:" + link).getBytes(StandardCharsets.UTF_8);
    }

    /** The marker that brackets a unit's writes for a keyspace capture of the target (see UnitScripts.APPLY). */
    static byte[] unitMarkerKey(int slot, String link) {
        return (KeyFilter.INTERNAL_PREFIX + UNIT_MARKER + "{" + TAGS[slot] + "}:" + link).getBytes(StandardCharsets.UTF_8);
    }

    /** What every unit marker key starts with after {@link KeyFilter#INTERNAL_PREFIX}. */
    static final String UNIT_MARKER = "unit:";

    /** The link's resume point: everything at or before it is applied in every slot. Lives in slot 0. */
    static byte[] resumeKey(String link) {
        return (KeyFilter.INTERNAL_PREFIX + "resume:{" + TAGS[0] + "}:" + link).getBytes(StandardCharsets.UTF_8);
    }
}
