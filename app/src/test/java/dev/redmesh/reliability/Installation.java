package dev.redmesh.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import dev.redmesh.localredis.LocalRedisCluster;
import dev.redmesh.localredis.LocalReplicationGroup;
import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.Eventually;
import dev.redmesh.testing.Fleet;
import dev.redmesh.testing.TestSecurity;

/**
 * A realistic installation made of separate processes, each of which a fault can hit on its own:
 * Postgres (restartable on its port and data), the control plane (the real jar,
 * {@code redmesh.roles=control-plane}), two worker processes — {@code w1} talks to the control
 * plane directly, {@code w2} through a {@link Partition} — and three regions in one mesh:
 * {@code r1} a master with a replica, {@code r2} a single master, {@code r3} a 3×1 Redis Cluster.
 */
final class Installation implements AutoCloseable {

    static final String BACKLOG = "repl-backlog-size 64mb"; // outlasts every fault's gap at this load
    static final List<String> REGIONS = List.of("r1", "r2", "r3");
    /** 2 links per ordered pair of regions, r3's with three shards: 4 + 2 × 3 assignments. */
    static final int LINKS = 6;
    static final int ASSIGNMENTS = 10;

    private final Path dir = Path.of("target", "reliability");
    private final int postgresPort = freePort();
    private final int controlPlanePort = freePort();
    private EmbeddedPostgres postgres;
    private Process controlPlane;
    final Api api = new Api(controlPlanePort);
    final Fleet direct = new Fleet(api, controlPlanePort);
    final Partition partition = new Partition(controlPlanePort);
    final Fleet partitioned = new Fleet(api, partition.port());

    final LocalReplicationGroup r1;
    final RedisNode r2;
    final LocalRedisCluster r3;
    /** r1's master: the group's, until a test promotes the replica. */
    volatile RedisNode r1Master;
    private final List<RedisClient> clients = new ArrayList<>();
    private final RedisClusterClient r3Client;
    private final RedisClusterCommands<String, String> r3Commands;
    private final java.util.Map<RedisNode, RedisCommands<String, String>> connections = new java.util.HashMap<>();

    Installation() throws IOException {
        Files.createDirectories(dir);
        // a test JVM that dies (or is stopped) must not leave a control plane and workers behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Process cp = controlPlane;
            if (cp != null) {
                cp.destroyForcibly();
            }
            direct.close();
            partitioned.close();
        }, "reliability-installation-stop"));
        startPostgres(true);
        startControlPlane();
        r1 = LocalReplicationGroup.start(RedisBinary.locate(), 1, BACKLOG);
        r1Master = r1.master();
        r2 = RedisNode.start(BACKLOG);
        r3 = LocalRedisCluster.builder().masters(3).replicasPerMaster(0).extraConfig(BACKLOG).start();
        r3Client = RedisClusterClient.create(r3.uris());
        r3Commands = r3Client.connect().sync();
        for (String region : REGIONS) {
            assertThat(api.put("/api/v1/regions/" + region, "{}").status()).isEqualTo(201);
        }
        putCluster("r1", "STANDALONE", List.of(r1.master().address(), r1.replicas().get(0).address()));
        putCluster("r2", "STANDALONE", List.of(r2.address()));
        putCluster("r3", "CLUSTER", r3.seeds());
        direct.startWorker("w1");
        partitioned.startWorker("w2");
        Eventually.await("two live workers", Duration.ofSeconds(120),
                () -> direct.liveWorkers().containsAll(List.of("w1", "w2")));
        awaitStreamingAndBalanced(Duration.ofSeconds(120));
    }

    /** Every link streaming and the assignments spread over both workers (5 and 5), as rebalancing leaves them. */
    void awaitStreamingAndBalanced(Duration within) {
        awaitStreaming(within);
        Eventually.await("assignments balanced over w1 and w2", within, () -> {
            var held = direct.holdings();
            int w1 = held.getOrDefault("w1", java.util.Set.of()).size();
            int w2 = held.getOrDefault("w2", java.util.Set.of()).size();
            return w1 + w2 == ASSIGNMENTS && Math.abs(w1 - w2) <= 1 && direct.allStreaming(LINKS);
        });
    }

    private void putCluster(String region, String mode, List<String> seeds) {
        String body = "{\"region\":\"" + region + "\",\"mode\":\"" + mode + "\",\"seeds\":" + Api.json(seeds) + ",\"mesh\":\"m\"}";
        assertThat(api.put("/api/v1/clusters/c-" + region, body).status()).isEqualTo(201);
    }

    void awaitStreaming(Duration within) {
        Eventually.await("every link streaming, every assignment held", within,
                () -> direct.allStreaming(LINKS) && direct.assignments().size() == ASSIGNMENTS);
    }

    // --- Postgres

    void startPostgres(boolean fresh) throws IOException {
        Path data = dir.resolve("postgres");
        if (fresh && Files.exists(data)) {
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
            }
        }
        Files.createDirectories(data);
        postgres = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setPort(postgresPort).start();
    }

    void stopPostgres() throws IOException {
        postgres.close();
    }

    // --- control plane

    void startControlPlane() throws IOException {
        Path log = dir.resolve("control-plane.log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-jar", Path.of("target", "redmesh.jar").toString(),
                "--redmesh.roles=control-plane", "--server.port=" + controlPlanePort,
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + postgresPort + "/postgres",
                "--spring.datasource.username=postgres", "--spring.datasource.password=",
                "--" + TestSecurity.ADMIN_TOKEN_PROPERTY, "--" + TestSecurity.SECRET_KEY_PROPERTY,
                "--redmesh.proxy.xds-port=-1",
                // balance the two workers within seconds of one (re)joining, not the default 10 s a move
                "--redmesh.fleet.rebalance-every=2s");
        controlPlane = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Eventually.await("the control plane ready", Duration.ofSeconds(120), this::controlPlaneReady);
    }

    boolean controlPlaneReady() {
        try {
            HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + controlPlanePort + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL: no shutdown hook, the leader lock goes with its connection. */
    void killControlPlane() throws InterruptedException {
        controlPlane.destroyForcibly().waitFor();
    }

    // --- regions

    /** Commands on a region: its current master (r1, r2) or its cluster (r3, routed by key). */
    Supplier<RedisClusterCommands<String, String>> commands(String region) {
        return switch (region) {
            case "r1" -> () -> connect(r1Master);
            case "r2" -> () -> connect(r2);
            case "r3" -> () -> r3Commands;
            default -> throw new IllegalArgumentException(region);
        };
    }

    /** The masters of a region, each asked only about its own keys (the checker's view). */
    List<RedisNode> masters(String region) {
        return switch (region) {
            case "r1" -> List.of(r1Master);
            case "r2" -> List.of(r2);
            case "r3" -> r3.masters();
            default -> throw new IllegalArgumentException(region);
        };
    }

    List<RedisCommands<String, String>> masterConnections(String region) {
        return masters(region).stream().map(this::connect).toList();
    }

    /** One connection per node, kept: Lettuce reconnects it after a failure. */
    synchronized RedisCommands<String, String> connect(RedisNode node) {
        return connections.computeIfAbsent(node, n -> {
            RedisClient client = RedisClient.create(n.uri());
            // a write to a master that died fails at once instead of waiting in Lettuce's queue for a
            // reconnect that never comes: the workload moves on to the promoted master
            client.setOptions(io.lettuce.core.ClientOptions.builder()
                    .disconnectedBehavior(io.lettuce.core.ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            clients.add(client);
            var connection = client.connect();
            connection.setTimeout(Duration.ofSeconds(5));
            return connection.sync();
        });
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws Exception {
        direct.close();
        partitioned.close();
        partition.close();
        if (controlPlane != null) {
            controlPlane.destroyForcibly().waitFor();
        }
        synchronized (this) {
            clients.forEach(RedisClient::shutdown);
        }
        r3Client.shutdown();
        r3.close();
        r2.close();
        r1.close();
        postgres.close();
    }
}
