package dev.redmesh.postgres;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real Postgres from Maven-shipped binaries when no external database is configured,
 * so that {@code java -jar redmesh.jar} works on a machine with nothing but a JDK. The data source
 * depends on it, so Spring closes the pool first and stops Postgres last, after every component that
 * uses the database has stopped.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedPostgresConfiguration {

    @Bean(destroyMethod = "close")
    LocalPostgres embeddedPostgres(EmbeddedPostgresProperties properties) {
        return LocalPostgres.start(properties.settings());
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(LocalPostgres postgres, EmbeddedPostgresProperties properties) {
        postgres.createDatabaseIfMissing(properties.database());
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setPoolName("redmesh-embedded");
        dataSource.setJdbcUrl(postgres.jdbcUrl(properties.database()));
        dataSource.setUsername(postgres.user());
        dataSource.setPassword(postgres.password());
        dataSource.setMaximumPoolSize(10);
        return dataSource;
    }
}
