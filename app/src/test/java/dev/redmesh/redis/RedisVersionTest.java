package dev.redmesh.redis;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisVersionTest {

    @Test
    void parsesWhatRedisServerVersionPrints() {
        assertThat(RedisVersion.fromVersionOutput(
                "Redis server v=7.0.15 sha=00000000:0 malloc=jemalloc-5.3.0 bits=64 build=ae4d7c971a948f0\n"))
                .isEqualTo(new RedisVersion(7, 0, 15));
        assertThat(RedisVersion.fromVersionOutput("Redis server v=6.2.11 sha=00000000:0 malloc=jemalloc-5.1.0"))
                .isEqualTo(new RedisVersion(6, 2, 11));
    }

    @Test
    void parsesDottedVersionsWithOrWithoutPatch() {
        assertThat(RedisVersion.parse("7.2.4")).isEqualTo(new RedisVersion(7, 2, 4));
        assertThat(RedisVersion.parse("7.2")).isEqualTo(new RedisVersion(7, 2, 0));
        assertThat(RedisVersion.parse("7.2.4").toString()).isEqualTo("7.2.4");
    }

    @Test
    void rejectsTextThatIsNoVersion() {
        assertThatThrownBy(() -> RedisVersion.parse("seven")).hasMessageContaining("'seven'");
        assertThatThrownBy(() -> RedisVersion.fromVersionOutput("redis-server: not found"))
                .hasMessageContaining("redis-server: not found");
    }

    @Test
    void matchesAsManyPartsAsTheWantedVersionNames() {
        RedisVersion version = RedisVersion.parse("6.2.11");

        assertThat(version.matches("6")).isTrue();
        assertThat(version.matches("6.2")).isTrue();
        assertThat(version.matches("6.2.11")).isTrue();
        assertThat(version.matches("6.2.1")).isFalse();
        assertThat(version.matches("6.20")).isFalse();
        assertThat(version.matches("7")).isFalse();
        assertThatThrownBy(() -> version.matches("6.x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void comparesNumericallyNotAlphabetically() {
        assertThat(RedisVersion.parse("7.0.15")).isGreaterThan(RedisVersion.parse("7.0.9"));
        assertThat(RedisVersion.parse("10.0.0")).isGreaterThan(RedisVersion.parse("7.4.2"));
        assertThat(RedisVersion.parse("7.0.15").isAtLeast(7, 0)).isTrue();
        assertThat(RedisVersion.parse("6.2.11").isAtLeast(7, 0)).isFalse();
        assertThat(RedisVersion.parse("6.2.11").isAtLeast(6, 2)).isTrue();
    }
}
