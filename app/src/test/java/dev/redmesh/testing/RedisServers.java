package dev.redmesh.testing;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.redmesh.localredis.LocalRedisCluster;
import dev.redmesh.localredis.LocalReplicationGroup;
import dev.redmesh.localredis.RedisBinary;
import dev.redmesh.localredis.RedisNode;

/**
 * Real redis-server processes for a test, torn down after it:
 *
 * <pre>{@code
 * @RegisterExtension RedisServers redis = new RedisServers();              // what the machine has
 * @RegisterExtension RedisServers redis62 = RedisServers.version("6.2");    // the shipped 6.2
 * }</pre>
 *
 * As an instance field it tears down after each test; as a static field, after the class, so
 * one expensive cluster can serve every test of a class. When a test fails, the log tails of its
 * servers are printed before they go, since the directories holding the logs go with them.
 */
public final class RedisServers implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

    private final Supplier<RedisBinary> binarySource;
    private volatile RedisBinary binary;
    private volatile boolean classScoped;
    private final Deque<AutoCloseable> running = new ConcurrentLinkedDeque<>();
    private final Deque<RedisNode> nodes = new ConcurrentLinkedDeque<>();

    /** Servers from {@link RedisBinary#locate()}: REDIS_SERVER, PATH, else the shipped 6.2. */
    public RedisServers() {
        this(RedisBinary::locate);
    }

    private RedisServers(Supplier<RedisBinary> binarySource) {
        this.binarySource = binarySource;
    }

    /**
     * Servers of the given version ("6.2", "7"), see {@link RedisBinary#forVersion}. Resolved at
     * first use, so a missing version fails the test that needs it, with the reason, rather than
     * the class initialisation.
     */
    public static RedisServers version(String wanted) {
        return new RedisServers(() -> RedisBinary.forVersion(wanted));
    }

    public RedisBinary binary() {
        RedisBinary resolved = binary;
        if (resolved == null) {
            resolved = binarySource.get();
            binary = resolved;
        }
        return resolved;
    }

    /** A standalone server. */
    public RedisNode master() {
        return master(new String[0]);
    }

    /** A standalone server with extra redis.conf lines, e.g. {@code "requirepass secret"}. */
    public RedisNode master(String... extraConfig) {
        RedisNode node = RedisNode.start(binary(), extraConfig);
        track(node, List.of(node));
        return node;
    }

    /** A master and {@code replicas} replicas, all in sync. */
    public LocalReplicationGroup replicationGroup(int replicas, String... extraConfig) {
        LocalReplicationGroup group = LocalReplicationGroup.start(binary(), replicas, extraConfig);
        track(group, group.nodes());
        return group;
    }

    /** A cluster with a short node timeout (2 s), agreed on its slot map. */
    public LocalRedisCluster cluster(int masters, int replicasPerMaster) {
        LocalRedisCluster cluster = LocalRedisCluster.builder()
                .binary(binary())
                .masters(masters)
                .replicasPerMaster(replicasPerMaster)
                .start();
        track(cluster, cluster.nodes());
        return cluster;
    }

    private void track(AutoCloseable resource, List<RedisNode> itsNodes) {
        running.push(resource);
        nodes.addAll(itsNodes);
    }

    /** Only called for a static field: an instance field is registered after the class started. */
    @Override
    public void beforeAll(ExtensionContext context) {
        classScoped = true;
    }

    /**
     * Hands JUnit a safety net on the class: if a test's own teardown never ran (an extension
     * before this one threw), whatever is left is closed when the class finishes.
     */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (!classScoped) {
            context.getParent().orElse(context).getStore(ExtensionContext.Namespace.create(RedisServers.class, this))
                    .computeIfAbsent("safety-net", key -> (AutoCloseable) this::closeAll);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (!classScoped) {
            reportLogsIfFailed(context);
            closeAll();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        reportLogsIfFailed(context);
        closeAll();
    }

    /** Closes everything started so far, newest first; the first failure is thrown after all are closed. */
    void closeAll() throws Exception {
        Exception failure = null;
        AutoCloseable resource;
        while ((resource = running.poll()) != null) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        nodes.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private void reportLogsIfFailed(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        List<RedisNode> snapshot = new ArrayList<>(nodes);
        for (RedisNode node : snapshot) {
            System.err.println("=== " + node + " (" + context.getDisplayName() + " failed) ===\n" + node.logTail());
        }
    }
}
