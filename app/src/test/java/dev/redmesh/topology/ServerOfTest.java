package dev.redmesh.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A node's engine and version from its {@code INFO server}, as Redis and Valkey write it. */
class ServerOfTest {

    @Test
    void redisSaysItsRedisVersion() {
        assertThat(RedisNodeClient.serverOf("# Server\r\nredis_version:8.0.2\r\nredis_git_sha1:00000000\r\nredis_mode:standalone\r\n"))
                .isEqualTo("redis 8.0.2");
    }

    @Test
    void valkeySaysItsOwnVersionNotTheCompatibleOne() {
        assertThat(RedisNodeClient.serverOf("# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.0.1\r\n"))
                .isEqualTo("valkey 8.0.1");
    }
}
