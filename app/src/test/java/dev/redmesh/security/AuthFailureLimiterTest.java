package dev.redmesh.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class AuthFailureLimiterTest {

    private static RequestLimits limits(int perMinute) {
        return new RequestLimits(DataSize.ofKilobytes(256), DataSize.ofKilobytes(4), DataSize.ofMegabytes(1), 64, 2, 32, perMinute);
    }

    @Test
    void anAddressIsLimitedOnceItsFailuresOfTheMinuteAreUsedUpAndOthersAreNot() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AuthFailureLimiter limiter = new AuthFailureLimiter(limits(3), meters);
        for (int i = 0; i < 2; i++) {
            limiter.failed("10.0.0.1", false);
        }
        assertThat(limiter.limited("10.0.0.1")).as("two of three used").isFalse();
        limiter.failed("10.0.0.1", true);
        assertThat(limiter.limited("10.0.0.1")).isTrue();
        assertThat(limiter.retryAfterSeconds("10.0.0.1")).isBetween(1L, 60L);
        assertThat(limiter.limited("10.0.0.2")).as("another address").isFalse();
        assertThat(meters.counter("redmesh.auth.failures", "reason", "bad_token").count()).isEqualTo(2);
        assertThat(meters.counter("redmesh.auth.failures", "reason", "bad_sign_in").count()).isEqualTo(1);
        assertThat(meters.counter("redmesh.auth.failures", "reason", "rate_limited").count()).isEqualTo(1);
    }

    @Test
    void pastTheTrackedAddressesNewOnesShareOneWindow() {
        AuthFailureLimiter limiter = new AuthFailureLimiter(limits(1), new SimpleMeterRegistry());
        for (int i = 0; i < AuthFailureLimiter.MAX_TRACKED; i++) {
            limiter.failed("a" + i, false);
        }
        limiter.failed("new-1", false);
        assertThat(limiter.limited("new-2")).as("sharing the overflow window new-1 used up").isTrue();
        assertThat(limiter.limited("a1")).isTrue();
    }
}
