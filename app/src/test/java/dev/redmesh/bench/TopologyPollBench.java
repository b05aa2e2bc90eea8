package dev.redmesh.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.micrometer.core.instrument.MeterRegistry;

import dev.redmesh.RedmeshApplication;
import dev.redmesh.localredis.LocalReplicationGroup;
import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.testing.Api;
import dev.redmesh.testing.Eventually;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark (not a test; run on purpose): CPU the control plane spends per node poll, with as many
 * real redis-server processes as fit, all polled at 1 Hz.
 *
 * <pre>./mvnw -pl app -am -Dskip.npm verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=TopologyPollBench -Dbench.groups=100 -Dbench.replicas=4 -Dbench.seconds=60</pre>
 *
 * Prints one line of results and writes it to {@code app/target/bench/topology-poll.txt}.
 */
class TopologyPollBench {

    @Test
    void cpuPerNodePoll() throws Exception {
        int groups = Integer.getInteger("bench.groups", 100);
        int replicas = Integer.getInteger("bench.replicas", 4);
        Duration window = Duration.ofSeconds(Long.getLong("bench.seconds", 60));
        int nodes = groups * (replicas + 1);
        RedisBinary binary = RedisBinary.locate();

        List<LocalReplicationGroup> started = startGroups(binary, groups, replicas);
        Path data = Files.createTempDirectory("redmesh-bench-pg");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(RedmeshApplication.class).run(
                "--server.port=0", "--redmesh.postgres.data-dir=" + data, "--logging.level.root=WARN",
                "--spring.jmx.enabled=false", "--redmesh.security.admin-token=" + dev.redmesh.testing.TestSecurity.ADMIN_TOKEN,
                "--redmesh.security.secret-key=" + dev.redmesh.testing.TestSecurity.SECRET_KEY, "--redmesh.proxy.xds-port=0")) {
            Api api = new Api(Integer.parseInt(app.getEnvironment().getProperty("local.server.port")));
            api.put("/api/v1/regions/bench", "{}");
            // the idle app's own CPU (GC, timers, the poll tick with nothing to poll), to separate fixed from per-node cost
            Thread.sleep(5_000);
            long idle0 = processCpuNanos();
            long idleWall0 = System.nanoTime();
            Thread.sleep(10_000);
            double idleCpuPerSecond = (processCpuNanos() - idle0) / ((System.nanoTime() - idleWall0) / 1e9);
            for (int i = 0; i < groups; i++) {
                api.put("/api/v1/clusters/c" + i, "{\"region\":\"bench\",\"mode\":\"STANDALONE\",\"seeds\":[\""
                        + started.get(i).master().address() + "\"]}");
            }
            Eventually.await("all " + nodes + " nodes discovered and healthy", Duration.ofMinutes(2), () ->
                    api.get("/api/v1/clusters").body().split("\"healthy\":true").length - 1 == nodes);
            Thread.sleep(15_000); // warm-up: JIT, connection pools, steady write pattern

            MeterRegistry meters = app.getBean(MeterRegistry.class);
            double probes0 = meters.counter("redmesh.topology.probes", "outcome", "answered").count();
            double failed0 = meters.counter("redmesh.topology.probes", "outcome", "failed").count();
            long jvm0 = processCpuNanos();
            long pg0 = postgresCpuNanos(data);
            long wall0 = System.nanoTime();
            Thread.sleep(window.toMillis());
            long wall = System.nanoTime() - wall0;
            long jvm = processCpuNanos() - jvm0;
            long pg = postgresCpuNanos(data) - pg0;
            double probes = meters.counter("redmesh.topology.probes", "outcome", "answered").count() - probes0;
            double failed = meters.counter("redmesh.topology.probes", "outcome", "failed").count() - failed0;
            double p99 = meters.timer("redmesh.topology.poll", "mode", "STANDALONE").takeSnapshot().max(
                    java.util.concurrent.TimeUnit.MILLISECONDS);

            double pollsPerSecond = probes / (wall / 1e9);
            double jvmMicrosPerPoll = jvm / 1e3 / probes;
            double allMicrosPerPoll = (jvm + pg) / 1e3 / probes;
            double marginalMicrosPerPoll = (jvm - idleCpuPerSecond * wall / 1e9) / 1e3 / probes;
            String line = String.format(
                    "nodes=%d clusters=%d redis=%s window=%ds polls/s=%.0f failed=%.0f jvm_cpu_us_per_poll=%.1f "
                            + "jvm+postgres_cpu_us_per_poll=%.1f nodes_per_core_1hz_jvm=%.0f nodes_per_core_1hz_jvm+pg=%.0f "
                            + "idle_jvm_cpu_ms_per_s=%.1f marginal_jvm_cpu_us_per_poll=%.1f nodes_per_core_1hz_marginal=%.0f "
                            + "max_cluster_poll_ms=%.0f cores=%d",
                    nodes, groups, binary.version(), window.toSeconds(), pollsPerSecond, failed, jvmMicrosPerPoll,
                    allMicrosPerPoll, 1e6 / jvmMicrosPerPoll, 1e6 / allMicrosPerPoll, idleCpuPerSecond / 1e6,
                    marginalMicrosPerPoll, 1e6 / marginalMicrosPerPoll, p99,
                    Runtime.getRuntime().availableProcessors());
            System.out.println("TOPOLOGY-POLL-BENCH " + line);
            Path out = Path.of("target", "bench", "topology-poll.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, line + System.lineSeparator());
        } finally {
            started.forEach(LocalReplicationGroup::close);
        }
    }

    private static List<LocalReplicationGroup> startGroups(RedisBinary binary, int groups, int replicas) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<LocalReplicationGroup>> futures = new ArrayList<>();
            for (int i = 0; i < groups; i++) {
                futures.add(pool.submit(() -> LocalReplicationGroup.start(binary, replicas)));
            }
            List<LocalReplicationGroup> started = new ArrayList<>();
            for (Future<LocalReplicationGroup> future : futures) {
                started.add(future.get());
            }
            return started;
        } finally {
            pool.shutdown();
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU of the embedded Postgres: its postmaster (found by data directory) and every backend under it. */
    private static long postgresCpuNanos(Path dataDir) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(dataDir.toString())).orElse(false))
                .flatMap(p -> java.util.stream.Stream.concat(java.util.stream.Stream.of(p), p.descendants()))
                .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }

}
