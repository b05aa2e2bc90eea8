package dev.redmesh.identity;

import org.jspecify.annotations.Nullable;

import java.util.regex.Pattern;

/**
 * Whom a machine token may act as. A WORKER token names one worker id, or a prefix ending in
 * {@code *} for a pool whose ids share it ({@code redmesh-worker-*}); a PROXY token names the one
 * region whose proxies it serves, and optionally their node ids the same way. A token from before
 * scopes existed has none and may act as anyone of its role (redmesh warns about it at start).
 *
 * @param worker      worker id or prefix pattern; null: unscoped
 * @param proxyRegion region; null: unscoped
 * @param proxyNode   node id or prefix pattern within the region; null: any
 */
public record TokenScope(@Nullable String worker, @Nullable String proxyRegion, @Nullable String proxyNode) {

    public static final TokenScope NONE = new TokenScope(null, null, null);
    /** A worker id, or such a prefix followed by {@code *}. */
    public static final Pattern WORKER_PATTERN = Pattern.compile("[a-z0-9][a-z0-9.-]{0,126}\\*?");
    public static final Pattern NODE_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,126}\\*?|\\*");

    public static TokenScope worker(String pattern) {
        return new TokenScope(pattern, null, null);
    }

    public static TokenScope proxy(String region, String node) {
        return new TokenScope(null, region, node);
    }

    public boolean allowsWorker(String id) {
        return worker == null || matches(worker, id);
    }

    public boolean allowsProxy(String region, String node) {
        return (proxyRegion == null || proxyRegion.equals(region)) && (proxyNode == null || matches(proxyNode, node));
    }

    /** Set by nothing: a machine token from before scopes. */
    public boolean unscoped() {
        return worker == null && proxyRegion == null;
    }

    static boolean matches(String pattern, String value) {
        if (value == null) {
            return false;
        }
        return pattern.endsWith("*") ? value.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(value);
    }

    @Override
    public String toString() {
        return worker != null ? "worker " + worker : proxyRegion != null
                ? "proxies of " + proxyRegion + (proxyNode == null ? "" : " (" + proxyNode + ")") : "unscoped";
    }
}
