package dev.redmesh.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole app on a random port against the shared test Postgres, with every table emptied
 * before each test, and an {@link Api} bean to call it. All ITs using it share one cached context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {TestSecurity.ADMIN_TOKEN_PROPERTY, TestSecurity.SECRET_KEY_PROPERTY, "redmesh.proxy.xds-port=0",
                // every test calls from 127.0.0.1, and some send wrong tokens on purpose: the limit
                // has a test of its own (RequestLimitsIT)
                "redmesh.security.limits.auth-failures-per-minute=1000000",
                // a link pending this long makes the links health component DOWN (60 s by default)
                "redmesh.fleet.pending-critical=10s"})
@ContextConfiguration(initializers = {SharedPostgres.Initializer.class, TestCertificates.Initializer.class})
@ExtendWith(CleanDatabase.class)
@Import(AppIT.ApiConfiguration.class)
public @interface AppIT {

    /** An {@link Api} client for the app under test, to {@code @Autowired} in tests. */
    @TestConfiguration(proxyBeanMethods = false)
    class ApiConfiguration {
        @Bean
        Api api(Environment environment) {
            return new Api(() -> environment.getRequiredProperty("local.server.port", Integer.class));
        }

        @Bean
        PublishedEvents publishedEvents() {
            return new PublishedEvents();
        }
    }
}
