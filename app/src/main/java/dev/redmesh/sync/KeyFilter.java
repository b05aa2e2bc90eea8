package dev.redmesh.sync;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which keys travel: Redis glob patterns ({@code *}, {@code ?}, {@code [abc]}, {@code \x});
 * exclude wins over include; no include means everything. Keys under {@code __redmesh:} never travel.
 */
public final class KeyFilter {

    public static final String INTERNAL_PREFIX = "__redmesh:";
    private static final byte[] INTERNAL = INTERNAL_PREFIX.getBytes(StandardCharsets.US_ASCII);

    private final List<Pattern> include;
    private final List<Pattern> exclude;

    public KeyFilter(List<String> include, List<String> exclude) {
        this.include = include.stream().map(KeyFilter::compile).toList();
        this.exclude = exclude.stream().map(KeyFilter::compile).toList();
    }

    public static KeyFilter everything() {
        return new KeyFilter(List.of(), List.of());
    }

    public boolean travels(byte[] key) {
        if (isInternal(key)) {
            return false;
        }
        if (include.isEmpty() && exclude.isEmpty()) {
            return true;
        }
        String text = new String(key, StandardCharsets.ISO_8859_1);
        if (exclude.stream().anyMatch(p -> p.matcher(text).matches())) {
            return false;
        }
        return include.isEmpty() || include.stream().anyMatch(p -> p.matcher(text).matches());
    }

    public static boolean isInternal(byte[] key) {
        return startsWith(key, INTERNAL);
    }

    static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Translates a Redis glob into a regex over ISO-8859-1 text (one char per byte). */
    static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                case '[' -> {
                    int close = glob.indexOf(']', i + 1);
                    if (close < 0) {
                        regex.append("\\[");
                    } else {
                        String set = glob.substring(i + 1, close);
                        regex.append('[').append(set.replace("\\", "\\\\").replace("[", "\\[")).append(']');
                        i = close;
                    }
                }
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        regex.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    }
                }
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
