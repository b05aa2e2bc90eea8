package dev.redmesh;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class RedmeshApplication {

    public static void main(String[] args) {
        SpringApplication.run(RedmeshApplication.class, args);
    }
}
