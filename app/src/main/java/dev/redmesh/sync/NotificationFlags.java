package dev.redmesh.sync;

/** What keyspace capture needs of {@code notify-keyspace-events}, and how to tell an operator. */
final class NotificationFlags {

    /** Every class of event that changes a key: generic, string, list, set, hash, zset, expired, evicted, stream. */
    private static final String CLASSES = "g$lshzxet";

    private NotificationFlags() {
    }

    /** {@code K} (the keyspace channel, which names the key) and every class, one by one or as {@code A}. */
    static boolean sufficient(String flags) {
        if (flags == null || flags.indexOf('K') < 0) {
            return false;
        }
        if (flags.indexOf('A') >= 0) {
            return true;
        }
        for (char c : CLASSES.toCharArray()) {
            if (flags.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param flags what the source reports, or null when it could not be asked ({@code CONFIG} refused)
     *              and a probe key was not notified
     */
    static String remedy(String source, String flags) {
        String found = flags == null
                ? "no keyspace notification arrived from " + source + " for a probe key"
                : "notify-keyspace-events is '" + flags + "' on " + source;
        return found + "; keyspace capture needs 'KA' (the keyspace channel and every event class): run "
                + "CONFIG SET notify-keyspace-events KA, or on ElastiCache set the parameter notify-keyspace-events "
                + "to KA in the cluster's parameter group (a default group cannot be changed: create one and "
                + "assign it). The link resumes by itself once they arrive.";
    }
}
