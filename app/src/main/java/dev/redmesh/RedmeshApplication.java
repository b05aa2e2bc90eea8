package dev.redmesh;

import java.time.Clock;
import java.util.Set;

import dev.redmesh.worker.WorkerApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationExcludeFilter;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;

/**
 * One jar, two roles ({@code redmesh.roles}, default {@code control-plane,worker}). With the
 * control plane the whole app starts; a worker alone starts {@link WorkerApplication}: the sync
 * engine without a database.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@ComponentScan(excludeFilters = {
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = TypeExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.CUSTOM, classes = AutoConfigurationExcludeFilter.class),
        @ComponentScan.Filter(type = FilterType.ASSIGNABLE_TYPE, classes = WorkerApplication.class)})
@ConfigurationPropertiesScan
public class RedmeshApplication {

    public static void main(String[] args) {
        start(args);
    }

    public static ConfigurableApplicationContext start(String... args) {
        Set<String> roles = RedmeshApplicationRoles.of(args, System.getenv("REDMESH_ROLES"), System.getProperty("redmesh.roles"));
        if (roles.contains("control-plane")) {
            SpringApplication app = new SpringApplication(RedmeshApplication.class);
            if (!roles.contains("worker")) {
                // a control plane alone carries no writes: its fleet agent stays out of the fleet
                app.setDefaultProperties(java.util.Map.of("redmesh.worker.fleet.enabled", "false"));
            }
            return app.run(args);
        }
        SpringApplication worker = new SpringApplication(WorkerApplication.class);
        worker.setAdditionalProfiles("worker"); // application-worker.yml: what differs without a database
        return worker.run(args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
