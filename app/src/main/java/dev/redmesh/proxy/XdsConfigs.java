package dev.redmesh.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Every region's current proxy configuration, recomputed from the model every
 * {@code redmesh.proxy.refresh-every}: a topology change (a failover), a new or removed link, new proxy
 * settings. Listeners (the xDS server) hear of a region only when its version changed.
 */
@Component
class XdsConfigs implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(XdsConfigs.class);

    private final ProxyModels models;
    private final ProxyProperties properties;
    private final Map<String, EnvoyResources.RegionConfig> current = new ConcurrentHashMap<>();
    private final List<Consumer<EnvoyResources.RegionConfig>> listeners = new CopyOnWriteArrayList<>();
    private volatile ScheduledExecutorService loop;

    XdsConfigs(ProxyModels models, ProxyProperties properties) {
        this.models = models;
        this.properties = properties;
    }

    void onChange(Consumer<EnvoyResources.RegionConfig> listener) {
        listeners.add(listener);
        current.values().forEach(listener);
    }

    /** Recomputes every region; returns the regions whose configuration changed. */
    synchronized List<String> refresh() {
        List<String> changed = new ArrayList<>();
        List<RegionModel> all = models.all();
        for (RegionModel model : all) {
            EnvoyResources.RegionConfig config = EnvoyResources.build(model, properties);
            EnvoyResources.RegionConfig before = current.put(model.region(), config);
            if (before == null || !before.version().equals(config.version())) {
                changed.add(model.region());
                log.info("Region {}: proxy configuration version {} ({} clusters, {} mirrors)", model.region(),
                        config.version(), config.clusters().size(), config.mirrors().size());
                listeners.forEach(l -> l.accept(config));
            }
        }
        current.keySet().removeIf(region -> all.stream().noneMatch(m -> m.region().equals(region)));
        return changed;
    }

    Optional<EnvoyResources.RegionConfig> current(String region) {
        return Optional.ofNullable(current.get(region));
    }

    List<EnvoyResources.RegionConfig> all() {
        return List.copyOf(current.values());
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "proxy-configs");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                refresh();
            } catch (RuntimeException e) {
                log.warn("Proxy configurations not refreshed: {}", e.toString());
            }
        }, 0, properties.refreshEvery().toMillis(), TimeUnit.MILLISECONDS);
        loop = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = loop;
        loop = null;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return loop != null;
    }
}
