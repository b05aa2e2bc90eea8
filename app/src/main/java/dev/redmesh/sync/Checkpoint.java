package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;

/**
 * Where a link stands in the target: {@code epoch:replid:offset}, the value of the link's
 * {@code __redmesh:} keys. {@code offset} is the last source offset applied in that replication
 * history ({@code replid}); {@code epoch} is the assignment's fencing token.
 */
public record Checkpoint(long epoch, String replid, long offset) {

    static Checkpoint parse(byte[] value) {
        if (value == null) {
            return null;
        }
        String text = new String(value, StandardCharsets.US_ASCII);
        int first = text.indexOf(':');
        int last = text.lastIndexOf(':');
        if (first < 0 || last <= first) {
            throw new IllegalArgumentException("not a checkpoint: " + text);
        }
        return new Checkpoint(Long.parseLong(text.substring(0, first)), text.substring(first + 1, last),
                Long.parseLong(text.substring(last + 1)));
    }

    @Override
    public String toString() {
        return epoch + ":" + replid + ":" + offset;
    }
}
