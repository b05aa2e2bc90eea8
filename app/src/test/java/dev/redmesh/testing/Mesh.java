package dev.redmesh.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;

import dev.redmesh.localredis.LocalRedisCluster;
import dev.redmesh.localredis.LocalReplicationGroup;
import dev.redmesh.localredis.RedisNode;
import dev.redmesh.sync.KeyFilter;
import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.sync.SyncOptions;
import dev.redmesh.sync.SyncStats;
import dev.redmesh.sync.SyncWorker;

/**
 * Regions wired into a full mesh of sync workers, for active-active tests: one worker per ordered
 * pair of regions and source shard, as the fleet assigns them. Closes everything it started.
 */
public final class Mesh implements AutoCloseable {

    /** One region: a replication group or a Redis Cluster. */
    public record Region(String name, LocalReplicationGroup group, LocalRedisCluster cluster) {

        public List<RedisNode> masters() {
            return cluster != null ? cluster.masters() : List.of(group.master());
        }

        public RedisEndpoint endpoint() {
            return cluster != null ? new RedisEndpoint(cluster.seeds(), true, null, null, false)
                    : endpointOf(group.master());
        }
    }

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final List<SyncWorker> workers = new ArrayList<>();

    public static RedisEndpoint endpointOf(RedisNode node) {
        return new RedisEndpoint(List.of(node.address()), false, null, null, false);
    }

    public <T extends AutoCloseable> T own(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Commands on the region's master (standalone) or cluster (routed by key). */
    public RedisClusterCommands<String, String> commands(Region region) {
        if (region.cluster() != null) {
            RedisClusterClient client = RedisClusterClient.create(region.cluster().uris());
            own(client::shutdown);
            return client.connect().sync();
        }
        return commands(region.group().master());
    }

    public RedisCommands<String, String> commands(RedisNode node) {
        RedisClient client = RedisClient.create(node.uri());
        own(client::shutdown);
        return client.connect().sync();
    }

    /** Workers for every ordered pair of regions, one per source shard master, started. */
    public List<SyncWorker> connectAll(List<Region> regions) {
        for (Region from : regions) {
            for (Region to : regions) {
                if (from != to) {
                    for (RedisNode master : from.masters()) {
                        SyncWorker worker = worker(from.name() + "." + to.name() + "/" + master.port(), endpointOf(master),
                                to.endpoint(), 1);
                        worker.start();
                    }
                }
            }
        }
        return List.copyOf(workers);
    }

    public SyncWorker worker(String link, RedisEndpoint source, RedisEndpoint target, long epoch) {
        SyncWorker worker = new SyncWorker(new SyncWorker.Spec(link, source, target, KeyFilter.everything(),
                SyncOptions.defaults(), epoch), event -> { });
        workers.add(worker);
        return worker;
    }

    /** Waits until every running worker streams and has applied everything its source has written. */
    public static void awaitCaughtUp(List<SyncWorker> workers, Duration within) {
        Eventually.await("every link streaming and caught up", within, () -> {
            for (SyncWorker worker : workers) {
                if (worker.stats().phase() != SyncStats.Phase.STREAMING || worker.lagBytes() != 0) {
                    throw new AssertionError(worker.status());
                }
            }
            return true;
        });
    }

    /** {@code calls} of one command in {@code INFO commandstats}, summed over the given masters. */
    public static long calls(List<RedisNode> masters, String command) {
        long calls = 0;
        for (RedisNode master : masters) {
            Map<String, String> stats = master.info("commandstats");
            String line = stats.get("cmdstat_" + command);
            if (line != null) {
                calls += Long.parseLong(line.split("[=,]")[1]);
            }
        }
        return calls;
    }

    @Override
    public void close() {
        for (SyncWorker worker : workers) {
            worker.close();
        }
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) {
                // best effort
            }
        }
    }
}
