package dev.redmesh.worker;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import dev.redmesh.sync.SyncStats;
import dev.redmesh.sync.SyncWorker;

/** The metrics of one running sync worker (docs/sync.md lists them); removed again when it stops. */
final class SyncMeters {

    private SyncMeters() {
    }

    static List<Meter> register(MeterRegistry meters, Tags tags, SyncWorker worker) {
        SyncStats stats = worker.stats();
        List<Meter> registered = new ArrayList<>();
        registered.add(FunctionCounter.builder("redmesh.sync.commands.applied", stats, SyncStats::commandsApplied).tags(tags).register(meters));
        registered.add(FunctionCounter.builder("redmesh.sync.bytes.applied", stats, SyncStats::bytesApplied).tags(tags).register(meters));
        registered.add(FunctionCounter.builder("redmesh.sync.rdb.keys.read", stats, SyncStats::rdbKeysRead).tags(tags).register(meters));
        registered.add(FunctionCounter.builder("redmesh.sync.rdb.keys.restored", stats, SyncStats::keysRestored).tags(tags).register(meters));
        registered.add(FunctionCounter.builder("redmesh.sync.full.syncs", stats, SyncStats::fullSyncs).tags(tags).register(meters));
        registered.add(FunctionCounter.builder("redmesh.sync.values.approximated", stats, SyncStats::valuesApproximated)
                .description("values the target got without what it cannot hold (hash field TTLs)").tags(tags).register(meters));
        registered.add(FunctionCounter.builder("redmesh.sync.apply.errors", stats, SyncStats::applyErrors).tags(tags).register(meters));
        registered.add(Gauge.builder("redmesh.sync.applied.offset", stats, SyncStats::appliedOffset).tags(tags).register(meters));
        registered.add(Gauge.builder("redmesh.sync.rdb.bytes.read", stats, SyncStats::rdbBytesRead).tags(tags).register(meters));
        registered.add(Gauge.builder("redmesh.sync.rdb.keys.total", stats, SyncStats::rdbKeysTotal).tags(tags).register(meters));
        registered.add(Gauge.builder("redmesh.sync.lag.bytes", worker, SyncWorker::lagBytes).tags(tags).register(meters));
        registered.add(Gauge.builder("redmesh.sync.queue.bytes", worker, SyncWorker::queueBytes).tags(tags).register(meters));
        registered.add(Gauge.builder("redmesh.sync.streaming", stats, s -> s.phase() == SyncStats.Phase.STREAMING ? 1 : 0)
                .tags(tags).register(meters));
        return registered;
    }

    static void remove(MeterRegistry meters, List<Meter> registered) {
        registered.forEach(meters::remove);
    }
}
