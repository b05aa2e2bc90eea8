package dev.redmesh.worker;

import dev.redmesh.security.RedisTlsProperties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.sync.KeyFilter;
import dev.redmesh.redis.RedisEndpoint;
import dev.redmesh.sync.SyncOptions;
import dev.redmesh.sync.SyncStatus;
import dev.redmesh.sync.SyncWorker;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the links listed in {@code redmesh.worker.links}, each as one {@link SyncWorker}, and exports
 * their progress as metrics. A link that fails to start is logged and left out; the others run.
 */
@Component
public class ConfiguredLinks implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredLinks.class);

    private final WorkerProperties properties;
    private final RedisTlsProperties tls;
    private final MeterRegistry meters;
    private final Map<String, SyncWorker> workers = new LinkedHashMap<>();
    private volatile boolean running;

    ConfiguredLinks(WorkerProperties properties, RedisTlsProperties tls, MeterRegistry meters) {
        this.tls = tls;
        this.properties = properties;
        this.meters = meters;
    }

    public List<SyncStatus> status() {
        List<SyncStatus> status = new ArrayList<>();
        workers.values().forEach(w -> status.add(w.status()));
        return status;
    }

    @Override
    public void start() {
        SyncOptions options = options(properties, tls);
        for (WorkerProperties.Link link : properties.links()) {
            SyncWorker worker = new SyncWorker(new SyncWorker.Spec(link.id(), endpoint(link.source()),
                    endpoint(link.target()), new KeyFilter(link.include(), link.exclude()), options),
                    event -> log.warn("Link {}: {}", link.id(), event));
            try {
                worker.start();
                workers.put(link.id(), worker);
                register(link.id(), worker);
            } catch (RuntimeException e) {
                log.error("Link {} could not start: {}", link.id(), e.toString());
                worker.close();
            }
        }
        running = true;
    }

    private void register(String link, SyncWorker worker) {
        SyncMeters.register(meters, Tags.of("link", link), worker);
    }

    /** The options every worker of this process applies with. */
    static SyncOptions options(WorkerProperties properties, RedisTlsProperties tls) {
        return new SyncOptions(properties.memoryBudget().toBytes(), properties.batchSize(),
                properties.targetTimeout(), properties.propagateFlush(), properties.maxRestoreSize().toBytes())
                .withTls(tls.trust()).withReconnectBackoffMax(properties.reconnectBackoffMax());
    }

    private static RedisEndpoint endpoint(WorkerProperties.Endpoint e) {
        return new RedisEndpoint(e.seeds(), e.cluster(), e.username(), e.password(), e.tls());
    }

    @Override
    public void stop() {
        workers.values().forEach(SyncWorker::close);
        workers.clear();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
