package dev.redmesh.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.slf4j.Logger;

import dev.redmesh.lifecycle.PeriodicLoop;
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
    /** Recomputes every region's configuration; a failed refresh is logged by the loop and tried again. */
    private final PeriodicLoop loop;

    XdsConfigs(ProxyModels models, ProxyProperties properties) {
        this.models = models;
        this.properties = properties;
        this.loop = PeriodicLoop.every(properties.refreshEvery(), "proxy-configs", this::refresh);
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
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop(java.time.Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }
}
