package dev.redmesh.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import javax.sql.DataSource;

import dev.redmesh.RedmeshApplication;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.RedisServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.context.ConfigurableApplicationContext;

/** {@code redmesh.roles=worker}: the jar runs configured links with no database and reports them. */
class WorkerRoleIT {

    @RegisterExtension
    RedisServers redis = new RedisServers();

    @Test
    void aWorkerAloneRunsItsConfiguredLinksWithoutADatabase() {
        RedisNode source = redis.master();
        RedisNode target = redis.master();
        source.call(c -> c.set("before", "1"));
        try (ConfigurableApplicationContext worker = RedmeshApplication.start(
                "--redmesh.roles=worker", "--server.port=0", "--spring.jmx.enabled=false",
                "--redmesh.security.admin-token=" + dev.redmesh.testing.TestSecurity.ADMIN_TOKEN,
                "--redmesh.worker.links[0].id=eu.us",
                "--redmesh.worker.links[0].source.seeds[0]=" + source.address(),
                "--redmesh.worker.links[0].target.seeds[0]=" + target.address())) {
            assertThat(worker.getBeanNamesForType(DataSource.class)).isEmpty();
            Api api = new Api(Integer.parseInt(worker.getEnvironment().getProperty("local.server.port")));

            JsonNode link = Eventually.await("link streaming", Duration.ofSeconds(30), () -> {
                JsonNode links = api.get("/api/v1/worker/links").json();
                return "STREAMING".equals(links.path(0).path("phase").asString()) ? links.get(0) : null;
            });
            assertThat(link.path("link").asString()).isEqualTo("eu.us");
            source.call(c -> c.incrby("counter", 5));
            Eventually.await("write carried", Duration.ofSeconds(5), () -> "5".equals(target.call(c -> c.get("counter"))));
            String before = target.call(c -> c.get("before"));
            assertThat(before).isEqualTo("1");
            for (int i = 0; i < 2000; i++) {
                source.call(c -> c.incr("burst"));
            }
            Eventually.await("a rate is reported", Duration.ofSeconds(5),
                    () -> api.get("/api/v1/worker/links").json().path(0).path("opsPerSec").asDouble() > 0);
            Eventually.await("lag 0", Duration.ofSeconds(5),
                    () -> api.get("/api/v1/worker/links").json().path(0).path("lagBytes").asLong() == 0);
            assertThat(api.get("/actuator/prometheus").body())
                    .contains("redmesh_sync_applied_offset{link=\"eu.us\"}")
                    .contains("redmesh_sync_commands_applied_total{link=\"eu.us\"}")
                    .contains("redmesh_sync_lag_bytes{link=\"eu.us\"}");
            assertThat(api.get("/actuator/health").json().path("status").asString()).isEqualTo("UP");
        }
    }
}
