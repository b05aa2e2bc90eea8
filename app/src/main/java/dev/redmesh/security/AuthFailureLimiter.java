package dev.redmesh.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Slows down guessing: each client address may present {@link RequestLimits#authFailuresPerMinute()}
 * refused tokens or sign-ins a minute; past that, everything it sends with a token (or to sign in) is
 * refused with 429 until the minute is over, without looking at the token. Refusals are counted in
 * {@code redmesh_auth_failures_total{reason}}. The table is bounded: past
 * {@value #MAX_TRACKED} addresses in one minute, new ones share one window.
 */
@Component
public class AuthFailureLimiter {

    static final int MAX_TRACKED = 10_000;
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final String OVERFLOW = "(others)";

    private final RequestLimits limits;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    private final Counter badToken;
    private final Counter badSignIn;
    private final Counter limited;
    private volatile long sweptAt = System.nanoTime();

    private static final class Window {
        final long startedAt;
        int failures;

        Window(long startedAt) {
            this.startedAt = startedAt;
        }
    }

    AuthFailureLimiter(RequestLimits limits, MeterRegistry meters) {
        this.limits = limits;
        String description = "requests refused for a token or sign-in that was not valid, or for too many such";
        this.badToken = Counter.builder("redmesh.auth.failures").tag("reason", "bad_token").description(description).register(meters);
        this.badSignIn = Counter.builder("redmesh.auth.failures").tag("reason", "bad_sign_in").description(description).register(meters);
        this.limited = Counter.builder("redmesh.auth.failures").tag("reason", "rate_limited").description(description).register(meters);
    }

    /** True while this address has used up its failures of the current minute (the request is then counted as refused). */
    public boolean limited(String address) {
        Window window = windows.get(key(address));
        long now = System.nanoTime();
        boolean over = window != null && now - window.startedAt < MINUTE_NANOS && window.failures >= limits.authFailuresPerMinute();
        if (over) {
            limited.increment();
        }
        return over;
    }

    /** A refused token ({@code signIn} false) or sign-in from this address. */
    public void failed(String address, boolean signIn) {
        (signIn ? badSignIn : badToken).increment();
        long now = System.nanoTime();
        sweep(now);
        windows.compute(key(address), (k, window) -> {
            Window current = window == null || now - window.startedAt >= MINUTE_NANOS ? new Window(now) : window;
            current.failures++;
            return current;
        });
    }

    /** Seconds until this address may try again. */
    public long retryAfterSeconds(String address) {
        Window window = windows.get(key(address));
        return window == null ? 0 : Math.max(1, (MINUTE_NANOS - (System.nanoTime() - window.startedAt)) / 1_000_000_000L);
    }

    private String key(String address) {
        String key = address == null ? "unknown" : address;
        return windows.containsKey(key) || windows.size() < MAX_TRACKED ? key : OVERFLOW;
    }

    private void sweep(long now) {
        if (now - sweptAt > MINUTE_NANOS) {
            sweptAt = now;
            windows.values().removeIf(w -> now - w.startedAt >= MINUTE_NANOS);
        }
    }
}
