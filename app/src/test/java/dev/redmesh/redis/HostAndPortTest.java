package dev.redmesh.redis;


import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostAndPortTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:6379", "redis:1", "redis-a.eu.internal:65535", "[::1]:6379",
            "[2001:db8::7]:7000", "clustercfg.orders.abc123.euw1.cache.amazonaws.com:6379"})
    void acceptsAddressesOperatorsWrite(String value) {
        StringBuilder why = new StringBuilder();
        assertThat(HostAndPort.parse(value, why)).as(why.toString()).isPresent()
                .hasValueSatisfying(hp -> assertThat(hp.toString()).isEqualTo(value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "redis", "redis:", ":6379", "redis:0", "redis:65536", "redis:-1", "redis:6379x",
            "::1:6379", "[::1]", "[zz::1]:6379", "bad host:6379", "-lead.example:6379", "a..b:6379", "host:123456"})
    void rejectsAnythingElseWithAReason(String value) {
        StringBuilder why = new StringBuilder();
        assertThat(HostAndPort.parse(value, why)).isEmpty();
        assertThat(why).isNotEmpty();
    }
}
