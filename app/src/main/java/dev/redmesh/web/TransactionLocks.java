package dev.redmesh.web;

import java.util.Objects;
import java.util.TreeSet;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Postgres advisory locks held until the current transaction ends. Used where two requests must not
 * interleave although they touch different rows, e.g. two clusters joining one mesh at once would
 * otherwise each miss the other and leave the mesh without the links between them.
 */
@Component
public class TransactionLocks {

    private final JdbcTemplate jdbc;

    TransactionLocks(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Locks every non-null key, in a fixed order so that two callers never deadlock. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lock(String namespace, String... keys) {
        TreeSet<String> sorted = new TreeSet<>();
        for (String key : keys) {
            if (key != null) {
                sorted.add(namespace + ":" + key);
            }
        }
        for (String key : sorted) {
            jdbc.queryForObject("select pg_advisory_xact_lock(hashtextextended(?, 0))", Object.class,
                    Objects.requireNonNull(key));
        }
    }
}
