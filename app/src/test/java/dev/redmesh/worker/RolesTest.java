package dev.redmesh.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.redmesh.RedmeshApplicationRoles;
import org.junit.jupiter.api.Test;

class RolesTest {

    @Test
    void argumentsWinOverEnvironmentAndDefaultIsBothRoles() {
        assertThat(RedmeshApplicationRoles.of(new String[] {"--redmesh.roles=worker"}, "control-plane", null))
                .containsExactly("worker");
        assertThat(RedmeshApplicationRoles.of(new String[0], "worker", null)).containsExactly("worker");
        assertThat(RedmeshApplicationRoles.of(new String[0], null, null)).containsExactly("control-plane", "worker");
    }

    @Test
    void unknownRolesAreRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RedmeshApplicationRoles.of(new String[] {"--redmesh.roles=proxy"}, null, null))
                .withMessageContaining("proxy");
    }
}
