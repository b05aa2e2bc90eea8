package dev.redmesh.postgres;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.localprocess.LocalProcesses;
import dev.redmesh.localprocess.OwnSession;
import dev.redmesh.localprocess.Watchdog;
import dev.redmesh.ops.StartupProblem;

/**
 * A Postgres server of redmesh's own, on a data directory kept across restarts, run the way a
 * service must be rather than the way a test fixture is:
 * <ul>
 *   <li><b>after a crash</b> it starts again by itself: the data directory's lock tells a dead
 *       redmesh from a live one, and a Postgres the dead one left behind is stopped
 *       ({@link LeftoverPostmaster}); a {@link Watchdog} stops this one should the JVM die;</li>
 *   <li><b>closed to other local users</b>: a generated password (scram-sha-256) kept in the data
 *       directory readable by its owner only, TCP on loopback only, and no Unix socket at all; a
 *       data directory from an earlier version (password-less {@code trust}) is given a password on
 *       its first start here;</li>
 *   <li><b>durable</b>: fsync and synchronous commit stay on (test fixtures turn them off);</li>
 *   <li><b>stopped in order</b> by whoever owns it (Spring, after everything that uses the database
 *       has stopped), not by a JVM shutdown hook of its own racing the application's.</li>
 * </ul>
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
    static final String SUPERUSER = "postgres";
    static final String PASSWORD_FILE = "redmesh.password";
    static final String LOG_FILE = "postmaster.log";
    private static final String HBA = """
            # Written by redmesh at every start: password (scram-sha-256) over loopback TCP only.
            # The server listens on no Unix socket. The password is in redmesh.password (mode 600).
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128 scram-sha-256
            """;
    private static final int AUTO_PORT_ATTEMPTS = 5;
    private static final Duration POLL = Duration.ofMillis(50);
    private static final int LOG_TAIL_LINES = 30;

    /**
     * @param dataDir       the cluster's files, kept across restarts
     * @param port          TCP port on 127.0.0.1; 0 picks a free one at every start
     * @param binariesCache where the server binaries are unpacked once
     * @param startTimeout  how long a start (crash recovery included) may take
     * @param stopTimeout   how long each stop signal (fast, immediate) is given before the next
     */
    public record Settings(Path dataDir, int port, Path binariesCache, Duration startTimeout, Duration stopTimeout) {
    }

    private final Settings settings;
    private final Path dataDir;
    private final PostgresBinaries binaries;
    private final DataDirectoryLock lock;
    private final String password;
    private final int port;
    private final Process process;
    private final String version;

    private LocalPostgres(Settings settings, Path dataDir, PostgresBinaries binaries, DataDirectoryLock lock, String password,
                          int port, Process process, String version) {
        this.settings = settings;
        this.dataDir = dataDir;
        this.binaries = binaries;
        this.lock = lock;
        this.password = password;
        this.port = port;
        this.process = process;
        this.version = version;
    }

    public static LocalPostgres start(Settings settings) {
        long began = System.nanoTime();
        Path dataDir = settings.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(dataDir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + dataDir.getParent(), e);
        }
        DataDirectoryLock lock = DataDirectoryLock.take(dataDir);
        try {
            PostgresBinaries binaries = PostgresBinaries.unpackedUnder(settings.binariesCache().toAbsolutePath().normalize());
            List<String> found = new ArrayList<>();
            LeftoverPostmaster.clear(dataDir, settings.stopTimeout()).ifPresent(found::add);
            String password = prepare(binaries, dataDir, found);
            Files.writeString(dataDir.resolve("pg_hba.conf"), HBA);
            String version = version(binaries);
            for (int attempt = 1; ; attempt++) {
                int port = settings.port() != 0 ? settings.port() : freeLoopbackPort();
                Process process = launch(binaries, dataDir, port);
                try {
                    awaitReady(process, dataDir, port, password, settings.startTimeout());
                } catch (PortTaken taken) {
                    if (settings.port() == 0 && attempt < AUTO_PORT_ATTEMPTS) {
                        continue; // someone bound the free port we picked before Postgres did
                    }
                    throw new StartupProblem("Port " + port + " (redmesh.postgres.port) of the embedded Postgres is already in use.",
                            "Set redmesh.postgres.port to a free port, or to 0 for any free one.");
                }
                found.forEach(line -> log.info("Embedded Postgres: {}", line));
                log.info("Embedded Postgres {} on 127.0.0.1:{}, data in {} (ready in {} ms)", version, port, dataDir,
                        (System.nanoTime() - began) / 1_000_000);
                return new LocalPostgres(settings, dataDir, binaries, lock, password, port, process, version);
            }
        } catch (IOException e) {
            lock.close();
            throw new UncheckedIOException("could not start the embedded Postgres on " + dataDir, e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /** Makes sure the directory holds a cluster with a password; returns the password. */
    private static String prepare(PostgresBinaries binaries, Path dataDir, List<String> found) throws IOException {
        Path passwordFile = dataDir.resolve(PASSWORD_FILE);
        if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
            if (Files.isDirectory(dataDir)) {
                try (var entries = Files.list(dataDir)) {
                    if (entries.findAny().isPresent()) {
                        throw new StartupProblem("The embedded Postgres data directory " + dataDir
                                + " is not empty but holds no Postgres cluster (no PG_VERSION); redmesh will not touch it.",
                                "Point redmesh.postgres.data-dir at an empty or missing directory, or at one an earlier redmesh made.");
                    }
                }
            }
            String password = newPassword();
            Path pwfile = Files.createTempFile(dataDir.getParent(), "initdb-", ".pw");
            try {
                restrict(pwfile);
                Files.writeString(pwfile, password + "\n");
                run(binaries, List.of("initdb", "-D", dataDir.toString(), "-U", SUPERUSER, "-A", "scram-sha-256",
                        "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C"), null);
            } finally {
                Files.deleteIfExists(pwfile);
            }
            writePassword(passwordFile, password);
            found.add("created a new cluster in " + dataDir);
            return password;
        }
        if (Files.exists(passwordFile)) {
            restrict(passwordFile);
            return Files.readString(passwordFile).strip();
        }
        // a directory from before passwords: its superuser logs in without one (trust)
        String password = newPassword();
        run(binaries, List.of("postgres", "--single", "-D", dataDir.toString(), "-c", "exit_on_error=true", SUPERUSER),
                "ALTER ROLE " + SUPERUSER + " WITH PASSWORD '" + password + "';\n");
        writePassword(passwordFile, password);
        found.add("secured a data directory of an earlier version: password authentication, loopback only, no Unix socket");
        return password;
    }

    private static Process launch(PostgresBinaries binaries, Path dataDir, int port) throws IOException {
        List<String> command = command(binaries, "postgres", List.of("-D", dataDir.toString(),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "port=" + port,
                "-c", "unix_socket_directories=",
                "-c", "password_encryption=scram-sha-256",
                "-c", "timezone=UTC",
                "-c", "max_connections=100"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve(LOG_FILE).toFile()))
                .start();
        Watchdog.guard(process, "INT");
        return process;
    }

    private static final class PortTaken extends RuntimeException {
        PortTaken() {
            super(null, null, false, false);
        }
    }

    private static void awaitReady(Process process, Path dataDir, int port, String password, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String url = url(port, "postgres");
        String last = "no answer yet";
        long logStart = logSize(dataDir);
        while (true) {
            if (!process.isAlive()) {
                Watchdog.release(process);
                String tail = logTail(dataDir, logStart);
                if (tail.contains("could not bind") || tail.contains("Address already in use")) {
                    throw new PortTaken();
                }
                throw new IllegalStateException("the embedded Postgres on " + dataDir + " exited with code "
                        + process.exitValue() + " while starting; " + dataDir.resolve(LOG_FILE) + " ends:\n" + tail);
            }
            try (Connection c = DriverManager.getConnection(url, SUPERUSER, password)) {
                c.createStatement().execute("select 1");
                return;
            } catch (SQLException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                LocalProcesses.stop(process.pid(), "INT", Duration.ofSeconds(5));
                Watchdog.release(process);
                throw new IllegalStateException("the embedded Postgres on " + dataDir + " did not accept connections within "
                        + timeout.toSeconds() + " s (" + last + "); " + dataDir.resolve(LOG_FILE) + " ends:\n"
                        + logTail(dataDir, logStart));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the embedded Postgres started", e);
            }
        }
    }

    /** Runs one of the binaries to completion, with optional input; fails with its output. */
    private static void run(PostgresBinaries binaries, List<String> programAndArgs, String input) throws IOException {
        List<String> command = command(binaries, programAndArgs.get(0), programAndArgs.subList(1, programAndArgs.size()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] output = process.getInputStream().readAllBytes();
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", programAndArgs.subList(0, Math.min(2, programAndArgs.size())))
                        + " failed: " + new String(output, StandardCharsets.UTF_8).replace(input == null ? "\0" : input, "(input)"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted running " + programAndArgs.get(0), e);
        }
    }

    /** Postgres refuses to run as root; as root it runs in a user namespace where it is not ({@code unshare -U}). */
    private static List<String> command(PostgresBinaries binaries, String program, List<String> args) {
        List<String> command = new ArrayList<>(OwnSession.prefix());
        if (RunningAs.root()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(binaries.bin(program).toString());
        command.addAll(args);
        return command;
    }

    private static String version(PostgresBinaries binaries) {
        try {
            Process p = new ProcessBuilder(binaries.bin("postgres").toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return out.substring(out.lastIndexOf(' ') + 1);
        } catch (IOException e) {
            return "(version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(version unknown)";
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writePassword(Path file, String password) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), PASSWORD_FILE, ".new");
        restrict(temp);
        Files.writeString(temp, password + "\n");
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void restrict(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own permissions are all there is
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }

    private static long logSize(Path dataDir) {
        try {
            return Files.size(dataDir.resolve(LOG_FILE));
        } catch (IOException e) {
            return 0;
        }
    }

    private static String logTail(Path dataDir, long from) {
        try {
            byte[] all = Files.readAllBytes(dataDir.resolve(LOG_FILE));
            String text = new String(all, (int) Math.min(from, all.length), (int) (all.length - Math.min(from, all.length)),
                    StandardCharsets.UTF_8);
            List<String> lines = text.lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    static String url(int port, String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public String jdbcUrl(String database) {
        return url(port, database);
    }

    public String user() {
        return SUPERUSER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    public String version() {
        return version;
    }

    public Path dataDirectory() {
        return dataDir;
    }

    /** The server's pid (tests kill it to check recovery). */
    public long pid() {
        return process.pid();
    }

    /** Creates {@code database} unless it exists; a plain lower-case identifier only. */
    public void createDatabaseIfMissing(String database) {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("redmesh.postgres.database must be a plain lower-case identifier: " + database);
        }
        try (Connection c = DriverManager.getConnection(url(port, "postgres"), SUPERUSER, password);
             var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            try (var rows = exists.executeQuery()) {
                if (!rows.next()) {
                    try (var create = c.createStatement()) {
                        create.execute("create database " + database);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database + " in the embedded Postgres", e);
        }
    }

    /** Fast shutdown (SIGINT: sessions end, a checkpoint is written); immediate, then SIGKILL, only if it hangs. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                Duration took = LocalProcesses.stop(process.pid(), "INT", settings.stopTimeout());
                log.info("Embedded Postgres stopped in {} ms", took.toMillis());
            }
        } finally {
            Watchdog.release(process);
            lock.close();
        }
    }
}
