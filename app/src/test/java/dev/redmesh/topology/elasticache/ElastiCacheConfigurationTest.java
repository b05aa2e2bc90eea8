package dev.redmesh.topology.elasticache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ElastiCacheConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ElastiCacheProperties.class)
    static class Properties {
    }

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Properties.class, ElastiCacheConfiguration.class);

    @Test
    void startsWithoutAwsCredentialsAndDefaultsToFiveSecondTimeouts() {
        context.run(app -> {
            assertThat(app).hasSingleBean(ElastiCacheApi.class);
            ElastiCacheProperties properties = app.getBean(ElastiCacheProperties.class);
            assertThat(properties.endpointOverride()).isNull();
            assertThat(properties.apiTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        });
    }

    @Test
    void bindsEndpointOverrideAndTimeouts() {
        context.withPropertyValues(
                        "redmesh.topology.elasticache.endpoint-override=https://vpce-1.elasticache.eu-west-1.vpce.amazonaws.com",
                        "redmesh.topology.elasticache.api-timeout=2s",
                        "redmesh.topology.elasticache.poll-interval=30s")
                .run(app -> {
                    ElastiCacheProperties properties = app.getBean(ElastiCacheProperties.class);
                    assertThat(properties.endpointOverride())
                            .isEqualTo(URI.create("https://vpce-1.elasticache.eu-west-1.vpce.amazonaws.com"));
                    assertThat(properties.apiTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(properties.pollInterval()).isEqualTo(Duration.ofSeconds(30));
                });
    }

    @Test
    void refusesANonPositiveApiTimeout() {
        context.withPropertyValues("redmesh.topology.elasticache.api-timeout=0s")
                .run(app -> assertThat(app).hasFailed());
    }

    @Test
    void closesTheSdkClientsWhenTheContextCloses() {
        AtomicReference<ElastiCacheApi> api = new AtomicReference<>();
        context.run(app -> api.set(app.getBean(ElastiCacheApi.class)));

        assertThatThrownBy(() -> api.get().describe("eu-west-1", "orders"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }
}
