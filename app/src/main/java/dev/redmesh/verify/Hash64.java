package dev.redmesh.verify;

/**
 * A 64-bit hash of byte strings for comparing values across regions (not for security): FNV-1a
 * over the bytes, with the length, finished by a 64-bit mixer so that sums of element hashes
 * (unordered collections) stay well spread.
 */
final class Hash64 {

    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private Hash64() {
    }

    static long of(byte[] bytes) {
        long h = OFFSET;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * PRIME;
        }
        return mix(h ^ bytes.length);
    }

    /** One element made of several parts (a field and its value): the parts cannot be shifted between each other. */
    static long of(byte[] first, byte[] second) {
        return mix(of(first) * 31 + of(second));
    }

    /** An order-dependent combination: {@code next} after everything in {@code h}. */
    static long then(long h, long next) {
        return mix(h * 0x9e3779b97f4a7c15L + next);
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
