package dev.redmesh.fleet;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Leadership among control planes sharing one Postgres: a session-level advisory lock held on one
 * connection kept for the purpose. Whoever holds it leads; if that connection dies (the process,
 * the network), Postgres releases the lock and another control plane takes it on its next try.
 */
@Component
class LeaderLock implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LeaderLock.class);

    /** "redmesh" in ASCII, as the advisory lock key. */
    static final long KEY = 0x7265646d657368L;

    private final DataSource dataSource;
    private final String self = java.lang.management.ManagementFactory.getRuntimeMXBean().getName();
    private Connection connection;
    /**
     * The lock's connection is checked once a second, not at every tick: a leader that lost it acts
     * at most that much longer, and whatever it hands out meanwhile carries epochs from the shared
     * sequence, which the targets' fencing orders whoever acts.
     */
    private static final long VALIDATE_EVERY_NANOS = 1_000_000_000L;
    private long validatedAt;

    LeaderLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** This control plane, as {@code pid@host}. */
    String self() {
        return self;
    }

    /** True if this process leads now: it still holds the lock, or has just taken it. */
    synchronized boolean holds() {
        if (connection != null) {
            long now = System.nanoTime();
            if (now - validatedAt < VALIDATE_EVERY_NANOS) {
                return true;
            }
            try {
                if (connection.isValid(2)) {
                    validatedAt = now;
                    return true;
                }
            } catch (SQLException e) {
                // fall through: the connection is gone, and the lock with it
            }
            log.warn("Lost the connection that held leadership");
            release();
        }
        try {
            Connection candidate = dataSource.getConnection();
            candidate.setAutoCommit(true);
            try (Statement statement = candidate.createStatement()) {
                // names this session, so that any control plane can tell who leads (see leader())
                statement.execute("set application_name = 'redmesh-leader " + self.replace("'", "") + "'");
            }
            try (Statement statement = candidate.createStatement();
                 ResultSet rs = statement.executeQuery("select pg_try_advisory_lock(" + KEY + ")")) {
                rs.next();
                lastFailure = null;
                if (rs.getBoolean(1)) {
                    connection = candidate;
                    validatedAt = System.nanoTime();
                    return true;
                }
            }
            candidate.close();
        } catch (SQLException e) {
            if (!String.valueOf(e.getMessage()).equals(lastFailure)) {
                // once per kind of failure, not once a tick: a Postgres outage is one line
                log.warn("Could not try for the fleet's leadership (another control plane may lead meanwhile): {}", e.getMessage());
            }
            lastFailure = String.valueOf(e.getMessage());
            return false;
        }
        return false;
    }

    /**
     * Who holds the lock now, as Postgres sees it (any control plane can ask), or null if nobody.
     * A pooled connection may keep the application name set for the lock, so only the session
     * that holds the lock counts.
     */
    /** The last failure to try for the lock, so that an outage is logged once. */
    private volatile String lastFailure;

    String leader() {
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement();
             ResultSet rs = statement.executeQuery("""
                     select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid
                     where l.locktype = 'advisory' and l.granted
                       and ((l.classid::bigint << 32) | l.objid::bigint) = """ + KEY)) {
            return rs.next() ? rs.getString(1).replaceFirst("^redmesh-leader ", "") : null;
        } catch (SQLException e) {
            return null;
        }
    }

    synchronized void release() {
        if (connection == null) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("select pg_advisory_unlock(" + KEY + ")");
        } catch (SQLException e) {
            // the lock goes with the session anyway
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing left to do
        }
        connection = null;
    }

    @Override
    public void close() {
        release();
    }
}
