package dev.redmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.redmesh.localredis.RedisNode;

/**
 * Teardown can only be observed from a later test, so these two run in order: the first starts
 * servers, the second checks which of them survived it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisServersIT {

    @RegisterExtension
    static RedisServers perClass = new RedisServers();

    @RegisterExtension
    RedisServers perTest = new RedisServers();

    private static long perTestPid;
    private static RedisNode perClassNode;

    @Test
    @Order(1)
    void startsServersInBothScopes() {
        perTestPid = perTest.master().pid();
        perClassNode = perClass.master();
        assertThat(alive(perTestPid)).isTrue();
    }

    @Test
    @Order(2)
    void instanceFieldServersDieAfterTheirTestWhileStaticFieldServersLiveOn() {
        assertThat(perTestPid).isPositive();
        assertThat(alive(perTestPid)).isFalse();
        assertThat(perClassNode.isRunning()).isTrue();
        String pong = perClassNode.call(commands -> commands.ping());
        assertThat(pong).isEqualTo("PONG");
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
