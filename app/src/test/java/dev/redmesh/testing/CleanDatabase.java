package dev.redmesh.testing;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/** Empties every application table (not Flyway's history) so each test starts from nothing. */
public class CleanDatabase implements BeforeEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        DataSource dataSource = SpringExtension.getApplicationContext(context).getBean(DataSource.class);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String tables = String.join(", ", jdbc.queryForList("""
                select quote_ident(tablename) from pg_tables
                where schemaname = current_schema() and tablename <> 'flyway_schema_history'""", String.class));
        if (tables.isEmpty()) {
            return;
        }
        // The app's background loops (fleet leader, heartbeats, topology poller) keep reading and
        // writing these tables; Postgres may pick the truncate as a deadlock victim. Try again.
        for (int attempt = 1; ; attempt++) {
            try {
                jdbc.execute("truncate " + tables + " restart identity cascade");
                return;
            } catch (org.springframework.dao.PessimisticLockingFailureException e) {
                if (attempt == 5) {
                    throw e;
                }
            }
        }
    }
}
