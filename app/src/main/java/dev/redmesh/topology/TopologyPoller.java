package dev.redmesh.topology;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;

import dev.redmesh.lifecycle.PeriodicLoop;
import org.slf4j.LoggerFactory;

import dev.redmesh.cluster.ClusterMode;
import dev.redmesh.redis.NodeRole;
import dev.redmesh.cluster.Cluster;
import dev.redmesh.cluster.ClusterRepository;
import dev.redmesh.cluster.ClusterService;
import dev.redmesh.cluster.ClusterSecrets;
import dev.redmesh.redis.HostAndPort;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Polls every cluster every {@code redmesh.topology.poll-interval}. Each cluster's poll runs on its
 * own, asynchronously: a cluster whose previous poll has not finished skips a tick, and a slow or
 * dead node only ever costs its own timeout.
 */
@Component
class TopologyPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TopologyPoller.class);

    private final ClusterRepository clusters;
    private final ClusterSecrets secrets;
    private final Set<String> unreadable = ConcurrentHashMap.newKeySet();
    private final TransactionTemplate transactions;
    private final TopologyStore store;
    private final PollRecorder recorder;
    private final StandaloneDiscovery standalone;
    private final RedisClusterDiscovery redisCluster;
    private final ElastiCacheDiscovery elastiCache;
    private final RedisNodeClient redis;
    private final TopologyProperties properties;
    private final MeterRegistry meters;
    private final ClusterService capture;
    private final Map<String, ClusterWatch> watches = new ConcurrentHashMap<>();
    private PeriodicLoop ticker;
    private volatile long tickStartedAt = System.nanoTime();
    private ExecutorService recording;
    private volatile boolean running;

    TopologyPoller(ClusterRepository clusters, ClusterSecrets secrets, TransactionTemplate transactions, TopologyStore store,
                   PollRecorder recorder, StandaloneDiscovery standalone, RedisClusterDiscovery redisCluster,
                   ElastiCacheDiscovery elastiCache, RedisNodeClient redis, TopologyProperties properties,
                   MeterRegistry meters, ClusterService capture) {
        this.capture = capture;
        this.clusters = clusters;
        this.secrets = secrets;
        this.transactions = transactions;
        this.store = store;
        this.recorder = recorder;
        this.standalone = standalone;
        this.redisCluster = redisCluster;
        this.elastiCache = elastiCache;
        this.redis = redis;
        this.properties = properties;
        this.meters = meters;
    }

    /** A cluster whose stored password cannot be decrypted (a missing key) is left out; the others are polled. */
    private java.util.Optional<ClusterTarget> target(Cluster cluster) {
        try {
            java.util.Optional<ClusterTarget> target = java.util.Optional.of(ClusterTarget.of(cluster, secrets.password(cluster)));
            unreadable.remove(cluster.getName());
            return target;
        } catch (IllegalStateException e) {
            if (unreadable.add(cluster.getName())) {
                log.error("Not polling cluster {}: {}", cluster.getName(), e.getMessage());
            }
            return java.util.Optional.empty();
        }
    }

    /** Health of every watched cluster, by cluster name, for the region health indicator. */
    Map<String, ClusterWatch> watches() {
        return watches;
    }

    void tick() {
        List<ClusterTarget> targets;
        try {
            targets = transactions.execute(tx -> clusters.findAll().stream().map(this::target)
                    .flatMap(java.util.Optional::stream).toList());
        } catch (RuntimeException e) {
            log.warn("Topology poll skipped: cannot read clusters: {}", e.getMessage());
            return;
        }
        Set<String> names = new HashSet<>();
        for (ClusterTarget target : targets) {
            names.add(target.name());
            ClusterWatch watch = watches.compute(target.name(), (name, existing) -> {
                if (existing != null && existing.target.equals(target)) {
                    return existing;
                }
                if (existing != null) {
                    // new seeds, mode or credentials: what was learned may no longer hold
                    forgetConnections(existing);
                    transactions.executeWithoutResult(tx -> store.clear(name));
                }
                // the cluster's event counters exist from its first poll, at 0: alerts on their increase() see the first one
                meters.counter("redmesh.topology.role.changes", "cluster", name, "region", target.region());
                meters.counter("redmesh.topology.split.brains", "cluster", name, "region", target.region());
                return new ClusterWatch(target, store.shards(name), store.nodes(name), properties.splitBrainPolls());
            });
            poll(watch);
        }
        watches.keySet().removeIf(name -> {
            if (names.contains(name)) {
                return false;
            }
            forgetConnections(watches.get(name));
            return true;
        });
    }

    private void poll(ClusterWatch watch) {
        if (!watch.busy.compareAndSet(false, true)) {
            meters.counter("redmesh.topology.polls.skipped", "cluster", watch.target.name()).increment();
            return;
        }
        Timer.Sample sample = Timer.start(meters);
        discover(watch).whenCompleteAsync((discovery, error) -> {
            try {
                if (discovery != null) {
                    recorder.record(watch, discovery);
                    checkPsync(watch, discovery);
                } else {
                    recorder.recordFailure(watch, NodeProber.describe(error));
                }
            } catch (RuntimeException e) {
                log.warn("Recording the topology of {} failed: {}", watch.target.name(), e.toString());
            } finally {
                sample.stop(meters.timer("redmesh.topology.poll", "mode", watch.target.mode().name()));
                watch.busy.set(false);
            }
        }, recording);
    }

    /**
     * Asks a master whether it knows PSYNC (ElastiCache's masters never do: not asked); a change
     * from what was last found is stored, and under capture AUTO turns the links' capture.
     */
    private void checkPsync(ClusterWatch watch, Discovery discovery) {
        if (watch.target.mode() == ClusterMode.ELASTICACHE) {
            return;
        }
        discovery.shards().stream().flatMap(shard -> shard.authoritativeMaster() != null
                        ? java.util.stream.Stream.of(shard.authoritativeMaster())
                        : shard.nodes().stream().filter(n -> n.role() == NodeRole.MASTER).map(Discovery.ObservedNode::address))
                .findFirst().ifPresent(master -> redis.knowsPsync(watch.target.node(master)).whenCompleteAsync((knows, error) -> {
                    if (knows == null) {
                        return; // unreachable just now: the next poll asks again
                    }
                    Boolean refused = !knows;
                    if (!refused.equals(watch.psyncRefused)) {
                        try {
                            capture.psyncRefused(watch.target.name(), refused);
                            watch.psyncRefused = refused;
                            if (refused) {
                                log.info("Cluster {}: master {} refuses PSYNC", watch.target.name(), master);
                            }
                        } catch (RuntimeException e) {
                            log.warn("Cluster {}: could not store whether PSYNC is refused: {}", watch.target.name(),
                                    e.toString());
                        }
                    }
                }, recording));
    }

    private CompletableFuture<Discovery> discover(ClusterWatch watch) {
        try {
            return switch (watch.target.mode()) {
                case STANDALONE -> standalone.discover(watch.target, watch.knownAddresses());
                case CLUSTER -> redisCluster.discover(watch.target, watch.preferredViewSources());
                case ELASTICACHE -> elastiCache.discover(watch.target, watch.preferredViewSources());
            };
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void forgetConnections(ClusterWatch watch) {
        for (String address : watch.written.keySet()) {
            HostAndPort.parse(address).ifPresent(a -> redis.forget(watch.target.node(a)));
        }
        if (watch.target.mode() != ClusterMode.ELASTICACHE) {
            watch.target.seeds().forEach(seed -> redis.forget(watch.target.node(seed)));
        }
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            log.info("Topology polling is disabled (redmesh.topology.enabled=false)");
            return;
        }
        recording = Executors.newFixedThreadPool(2, r -> new Thread(r, "topology-record"));
        long interval = properties.pollInterval().toMillis();
        // at a fixed rate: the wait is what is left of the interval after the tick
        ticker = PeriodicLoop.waiting(() -> interval - (System.nanoTime() - tickStartedAt) / 1_000_000, "topology-tick", () -> {
            tickStartedAt = System.nanoTime();
            tick();
        });
        ticker.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (ticker != null) {
            ticker.stop(java.time.Duration.ofSeconds(5));
            recording.shutdown();
            try {
                recording.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
