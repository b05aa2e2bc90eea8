package dev.redmesh.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;

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

    /**
     * Issue 19, must-show 3: nobody gets in without the password — over TCP, and there is no Unix
     * socket at all — and the password is readable by the owner only: another OS user cannot read it.
     */
    @Test
    void nobodyConnectsWithoutThePasswordWhichOnlyItsOwnerCanRead() throws Exception {
        try (LocalPostgres postgres = LocalPostgres.start(settings("data"))) {
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres", "").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres", "guess").close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            assertThat(select1(postgres)).isEqualTo(1);

            String socket = ".s.PGSQL." + postgres.port();
            for (Path dir : List.of(Path.of("/tmp"), Path.of("/var/run/postgresql"), postgres.dataDirectory())) {
                assertThat(dir.resolve(socket)).as("no Unix socket in %s", dir).doesNotExist();
            }
            assertThat(Files.readString(postgres.dataDirectory().resolve("pg_hba.conf"))).doesNotContain("trust")
                    .contains("host all all 127.0.0.1/32 scram-sha-256");
            Path passwordFile = postgres.dataDirectory().resolve(LocalPostgres.PASSWORD_FILE);
            assertThat(Files.getPosixFilePermissions(passwordFile)).containsExactlyInAnyOrder(
                    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            assertThat(Files.getPosixFilePermissions(postgres.dataDirectory())).containsExactlyInAnyOrder(
                    PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
            if ("root".equals(System.getProperty("user.name"))) {
                // another account on the host: it cannot read the password (nor list the directory)
                Process other = new ProcessBuilder("runuser", "-u", "nobody", "--", "cat", passwordFile.toString())
                        .redirectErrorStream(true).start();
                String said = new String(other.getInputStream().readAllBytes());
                assertThat(other.waitFor()).as("cat as nobody: %s", said).isNotZero();
                assertThat(said).contains("Permission denied").doesNotContain(postgres.password());
            }
        }
    }

    /** A data directory an earlier version made (zonky: trust, no password) starts and is secured. */
    @Test
    void aDirectoryAnEarlierVersionLeftOpenIsSecuredOnItsFirstStart() throws Exception {
        Path data = dir.resolve("earlier");
        try (var earlier = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder().setDataDirectory(data)
                .setCleanDataDirectory(false).start();
             Connection c = earlier.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("create table kept (v text); insert into kept values ('from before')");
        }
        assertThat(data.resolve(LocalPostgres.PASSWORD_FILE)).doesNotExist();

        try (LocalPostgres postgres = LocalPostgres.start(settings("earlier"))) {
            assertThatThrownBy(() -> DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres", "").close())
                    .as("the trust it had is gone").isInstanceOf(SQLException.class);
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.user(), postgres.password());
                 var rows = c.createStatement().executeQuery("select v from kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).as("its data kept").isEqualTo("from before");
            }
            assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContain("trust");
        }
        try (LocalPostgres again = LocalPostgres.start(settings("earlier"))) {
            assertThat(select1(again)).as("the next start uses the password it kept").isEqualTo(1);
        }
    }

    private static int select1(LocalPostgres postgres) throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.user(), postgres.password());
             var rows = c.createStatement().executeQuery("select 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
