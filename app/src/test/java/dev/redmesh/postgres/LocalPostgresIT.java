package dev.redmesh.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import dev.redmesh.ops.StartupProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the embedded Postgres finds in its data directory before it starts, and what it leaves to
 * others: a stale {@code postmaster.pid} never blocks a start, and a process the file names that
 * is not a Postgres of this directory is never touched.
 */
class LocalPostgresIT {

    private static final Path BINARIES = Path.of("target", "postgres-binaries").toAbsolutePath();

    @TempDir
    Path dir;

    private LocalPostgres.Settings settings(String name) {
        return new LocalPostgres.Settings(dir.resolve(name), 0, BINARIES, Duration.ofSeconds(60), Duration.ofSeconds(10));
    }

    @Test
    void startsOverAPidFileNamingADeadProcess() throws Exception {
        LocalPostgres.start(settings("data")).close();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(dir.resolve("data").resolve(LeftoverPostmaster.PID_FILE), gone.pid() + "\n" + dir.resolve("data") + "\n");

        try (LocalPostgres postgres = LocalPostgres.start(settings("data"))) {
            assertThat(select1(postgres)).isEqualTo(1);
        }
    }

    @Test
    void startsOverAPidFileNamingAnUnrelatedLiveProcessAndLeavesItAlone() throws Exception {
        LocalPostgres.start(settings("data")).close();
        Process unrelated = new ProcessBuilder("sleep", "300").start();
        try {
            Files.writeString(dir.resolve("data").resolve(LeftoverPostmaster.PID_FILE), unrelated.pid() + "\n");
            try (LocalPostgres postgres = LocalPostgres.start(settings("data"))) {
                assertThat(select1(postgres)).isEqualTo(1);
            }
            assertThat(unrelated.isAlive()).as("the unrelated process is left alone").isTrue();
        } finally {
            unrelated.destroyForcibly();
        }
    }

    @Test
    void leavesAPostgresOfAnotherDirectoryRunning() throws Exception {
        LocalPostgres.start(settings("data")).close();
        try (LocalPostgres other = LocalPostgres.start(settings("other"))) {
            Files.writeString(dir.resolve("data").resolve(LeftoverPostmaster.PID_FILE), other.pid() + "\n");
            try (LocalPostgres postgres = LocalPostgres.start(settings("data"))) {
                assertThat(select1(postgres)).isEqualTo(1);
            }
            assertThat(select1(other)).as("the other directory's Postgres still serves").isEqualTo(1);
        }
    }

    @Test
    void refusesADirectoryThatHoldsSomethingElse() throws Exception {
        Files.createDirectories(dir.resolve("busy"));
        Files.writeString(dir.resolve("busy").resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> LocalPostgres.start(settings("busy"))).isInstanceOf(StartupProblem.class)
                .hasMessageContaining("holds no Postgres cluster");
        assertThat(Files.readString(dir.resolve("busy").resolve("notes.txt"))).isEqualTo("mine");
    }

    private static int select1(LocalPostgres postgres) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.user(), postgres.password());
             var rows = c.createStatement().executeQuery("select 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
