package dev.redmesh.worker;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

/**
 * The process when {@code redmesh.roles=worker}: the sync engine, its status API, actuator and
 * metrics — no database, no control plane.
 */
@SpringBootConfiguration
@EnableAutoConfiguration(excludeName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
        "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
        "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration"})
@ComponentScan(basePackageClasses = WorkerApplication.class)
@Import(WorkerSecurity.class)
@ConfigurationPropertiesScan(basePackageClasses = WorkerApplication.class)
// what the worker shares with the control plane: how Redis TLS is trusted
@org.springframework.boot.context.properties.EnableConfigurationProperties(dev.redmesh.security.RedisTlsProperties.class)
public class WorkerApplication {
}
