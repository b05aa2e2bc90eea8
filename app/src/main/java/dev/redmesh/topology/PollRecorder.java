package dev.redmesh.topology;

import dev.redmesh.redis.NodeRole;

import dev.redmesh.redis.SlotRange;

import dev.redmesh.redis.ReplicationInfo;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.cluster.ClusterMode;
import dev.redmesh.redis.HostAndPort;
import dev.redmesh.cluster.TopologyView;
import dev.redmesh.event.EventService;
import dev.redmesh.event.EventType;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns one poll's {@link Discovery} into recorded facts: stable shard ids, each shard's master
 * (through its {@link ShardMasterTracker}), node rows that changed, role-change and split-brain
 * events — stored in one transaction, then announced.
 */
@Component
class PollRecorder {

    private static final Logger log = LoggerFactory.getLogger(PollRecorder.class);

    private final TopologyStore store;
    private final EventService events;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher publisher;
    private final MeterRegistry meters;
    private final TopologyProperties properties;
    private final Clock clock;

    PollRecorder(TopologyStore store, EventService events, TransactionTemplate transactions,
                 ApplicationEventPublisher publisher, MeterRegistry meters, TopologyProperties properties, Clock clock) {
        this.store = store;
        this.events = events;
        this.transactions = transactions;
        this.publisher = publisher;
        this.meters = meters;
        this.properties = properties;
        this.clock = clock;
    }

    private record Shard(String id, List<SlotRange> slots, HostAndPort authoritative, List<Discovery.ObservedNode> nodes) {
    }

    void record(ClusterWatch watch, Discovery discovery) {
        Instant now = clock.instant();
        List<Shard> shards = identify(watch, discovery);
        List<RoleChangeEvent> roleChanges = new ArrayList<>();
        List<Runnable> eventWrites = new ArrayList<>();
        List<TopologyStore.ShardRow> shardRows = new ArrayList<>();
        List<TopologyStore.NodeRow> rows = new ArrayList<>();
        List<String> unreachableMasters = new ArrayList<>();
        List<String> unhealthy = new ArrayList<>();

        for (Shard shard : shards) {
            Set<HostAndPort> claimed = new LinkedHashSet<>();
            shard.nodes().stream().filter(n -> n.probe() != null && n.probe().claimsMaster() && !n.failedByCluster())
                    .forEach(n -> claimed.add(n.address()));
            ShardMasterTracker tracker = watch.tracker(shard.id(), properties.splitBrainPolls());
            for (ShardMasterTracker.Outcome outcome : tracker.observe(shard.authoritative(), claimed)) {
                eventWrites.add(() -> recordOutcome(watch.target, shard.id(), outcome, discovery.method(), now, roleChanges));
            }
            HostAndPort master = tracker.master();
            shardRows.add(new TopologyStore.ShardRow(shard.id(), shard.slots(), master == null ? null : master.toString()));
            for (Discovery.ObservedNode node : shard.nodes()) {
                TopologyStore.NodeRow row = row(shard.id(), node, master, watch.written.get(node.address().toString()));
                if (forgotten(watch, node, row, now)) {
                    continue;
                }
                rows.add(row);
                if (!row.healthy()) {
                    unhealthy.add(node.address() + " (" + row.role() + ", " + Objects.requireNonNullElse(row.lastError(), "replication link down") + ")");
                }
            }
            boolean masterAnswers = master != null && shard.nodes().stream()
                    .anyMatch(n -> n.address().equals(master) && n.probe() != null && n.probe().reachable());
            if (!masterAnswers) {
                unreachableMasters.add(shard.id() + ": " + (master == null ? "no master known" : master.toString()));
            }
        }

        Set<String> present = new HashSet<>();
        rows.forEach(r -> present.add(r.address()));
        Set<String> removed = new HashSet<>(watch.written.keySet());
        removed.removeAll(present);
        List<TopologyStore.NodeRow> changed = rows.stream().filter(r -> worthWriting(watch, r, now)).toList();
        boolean shardsChanged = shardRows.size() != watch.writtenShards.size()
                || shardRows.stream().anyMatch(s -> !s.equals(watch.writtenShards.get(s.id())));

        watch.live = live(shardRows, rows);
        if (!changed.isEmpty() || !removed.isEmpty() || shardsChanged || !eventWrites.isEmpty()) {
            transactions.executeWithoutResult(tx -> {
                store.save(watch.target.name(), shardRows, changed, removed, now);
                eventWrites.forEach(Runnable::run);
            });
            removed.forEach(address -> {
                watch.written.remove(address);
                watch.writtenAt.remove(address);
            });
            changed.forEach(r -> {
                watch.written.put(r.address(), r);
                watch.writtenAt.put(r.address(), now);
            });
            watch.writtenShards.clear();
            shardRows.forEach(s -> watch.writtenShards.put(s.id(), s));
        }
        watch.health = new ClusterWatch.Health(true, List.copyOf(unreachableMasters), List.copyOf(unhealthy), now);
        roleChanges.forEach(publisher::publishEvent);
    }

    /** Marks every known node unreachable when not even the topology could be read this poll. */
    void recordFailure(ClusterWatch watch, String error) {
        Instant now = clock.instant();
        List<TopologyStore.NodeRow> changed = new ArrayList<>();
        for (TopologyStore.NodeRow row : watch.written.values()) {
            TopologyStore.NodeRow down = new TopologyStore.NodeRow(row.address(), row.shardId(), row.redisNodeId(),
                    row.role(), false, row.offset(), row.replid(), row.replid2(), row.secondOffset(), row.lastSeen(), error,
                    row.server());
            if (!down.equals(row)) {
                changed.add(down);
            }
        }
        if (!changed.isEmpty()) {
            transactions.executeWithoutResult(tx -> store.saveNodes(watch.target.name(), changed, now));
            changed.forEach(r -> {
                watch.written.put(r.address(), r);
                watch.writtenAt.put(r.address(), now);
            });
        }
        watch.live = null; // the stored rows now say it best: every node down, with the reason
        List<String> shards = watch.trackers.isEmpty() ? List.of("topology") : List.copyOf(watch.trackers.keySet());
        watch.health = new ClusterWatch.Health(true, shards.stream().map(id -> id + ": " + error).toList(),
                watch.written.keySet().stream().sorted().toList(), now);
    }

    private List<Shard> identify(ClusterWatch watch, Discovery discovery) {
        List<Discovery.ShardObservation> observed = discovery.shards();
        List<String> ids = observed.stream().allMatch(s -> s.key() != null)
                ? observed.stream().map(Discovery.ShardObservation::key).toList()
                : watch.identities.assign(observed);
        for (int i = 0; i < observed.size(); i++) {
            for (Discovery.ObservedNode node : observed.get(i).nodes()) {
                watch.identities.remember(node.nodeId(), ids.get(i));
            }
        }
        Map<String, Shard> merged = new LinkedHashMap<>();
        for (int i = 0; i < observed.size(); i++) {
            Discovery.ShardObservation o = observed.get(i);
            merged.merge(ids.get(i), new Shard(ids.get(i), o.slots(), o.authoritativeMaster(), o.nodes()), (a, b) -> {
                List<Discovery.ObservedNode> nodes = new ArrayList<>(a.nodes());
                nodes.addAll(b.nodes());
                List<SlotRange> slots = new ArrayList<>(a.slots());
                slots.addAll(b.slots());
                return new Shard(a.id(), SlotRange.normalize(slots),
                        a.authoritative() != null ? a.authoritative() : b.authoritative(), nodes);
            });
        }
        return List.copyOf(merged.values());
    }

    /**
     * Role, health, shard or error changes are written at once; a node whose only news is a new
     * offset or last-seen time is written every {@code persist-interval}, which keeps Postgres load
     * flat however many nodes are polled.
     */
    private boolean worthWriting(ClusterWatch watch, TopologyStore.NodeRow row, Instant now) {
        TopologyStore.NodeRow previous = watch.written.get(row.address());
        if (previous == null) {
            return true;
        }
        if (previous.equals(row)) {
            return false;
        }
        boolean significant = previous.role() != row.role() || previous.healthy() != row.healthy()
                || !previous.shardId().equals(row.shardId()) || !Objects.equals(previous.lastError(), row.lastError())
                || !Objects.equals(previous.redisNodeId(), row.redisNodeId())
                || !Objects.equals(previous.replid(), row.replid()) || !Objects.equals(previous.replid2(), row.replid2());
        Instant at = watch.writtenAt.get(row.address());
        return significant || at == null || !at.plus(properties.persistInterval()).isAfter(now);
    }

    private static List<TopologyView.Shard> live(List<TopologyStore.ShardRow> shards, List<TopologyStore.NodeRow> rows) {
        List<TopologyView.Shard> view = new ArrayList<>();
        for (TopologyStore.ShardRow shard : shards.stream().sorted((a, b) -> a.id().compareTo(b.id())).toList()) {
            List<TopologyView.Node> nodes = rows.stream().filter(r -> r.shardId().equals(shard.id()))
                    .sorted((a, b) -> a.role() != b.role() ? a.role().compareTo(b.role()) : a.address().compareTo(b.address()))
                    .map(r -> new TopologyView.Node(r.address(), r.role().name(), r.healthy(), r.offset(), r.lastSeen(),
                            r.lastError(), r.redisNodeId(), r.server()))
                    .toList();
            view.add(new TopologyView.Shard(shard.id(), shard.slots().stream().map(SlotRange::toString).toList(),
                    shard.master(), nodes));
        }
        return List.copyOf(view);
    }

    /** A standalone node that is not a seed and has not answered for {@code forgetAfter} is dropped. */
    private boolean forgotten(ClusterWatch watch, Discovery.ObservedNode node, TopologyStore.NodeRow row, Instant now) {
        return watch.target.mode() == ClusterMode.STANDALONE && !row.healthy() && row.lastSeen() != null
                && !watch.target.seeds().contains(node.address())
                && row.lastSeen().isBefore(now.minus(properties.forgetAfter()));
    }

    private static TopologyStore.NodeRow row(String shardId, Discovery.ObservedNode node, HostAndPort master,
                                             TopologyStore.NodeRow previous) {
        NodeProbe probe = node.probe();
        NodeRole role = node.role() != NodeRole.UNKNOWN ? node.role()
                : previous != null ? previous.role() : NodeRole.UNKNOWN;
        if (probe == null || !probe.reachable()) {
            return new TopologyStore.NodeRow(node.address().toString(), shardId, node.nodeId(), role, false,
                    previous == null ? null : previous.offset(), previous == null ? null : previous.replid(),
                    previous == null ? null : previous.replid2(), previous == null ? null : previous.secondOffset(),
                    previous == null ? null : previous.lastSeen(),
                    probe == null ? "not probed this poll" : probe.error(), previous == null ? null : previous.server());
        }
        ReplicationInfo info = probe.info();
        return new TopologyStore.NodeRow(node.address().toString(), shardId, node.nodeId(), role, node.healthy(),
                info.offset(), info.replid(), info.replid2(), info.secondReplOffset(), probe.at(),
                node.failedByCluster() ? "marked failed by the cluster" : null,
                probe.server() != null ? probe.server() : previous == null ? null : previous.server());
    }

    private void recordOutcome(ClusterTarget cluster, String shard, ShardMasterTracker.Outcome outcome, String method,
                               Instant now, List<RoleChangeEvent> roleChanges) {
        String subject = cluster.name() + "/" + shard;
        if (outcome instanceof ShardMasterTracker.FirstSeen first) {
            log.info("{}: master is {} ({})", subject, first.master(), method);
        } else if (outcome instanceof ShardMasterTracker.Changed changed) {
            events.record(EventType.ROLE_CHANGE, subject,
                    "master of " + subject + " moved from " + changed.previous() + " to " + changed.current()
                            + " (detected by " + method + ")",
                    Map.of("cluster", cluster.name(), "region", cluster.region(), "shard", shard,
                            "previousMaster", changed.previous().toString(), "newMaster", changed.current().toString(),
                            "detectedAt", now.toString(), "detectedBy", method));
            meters.counter("redmesh.topology.role.changes", "cluster", cluster.name(), "region", cluster.region())
                    .increment();
            roleChanges.add(new RoleChangeEvent(cluster.name(), cluster.region(), shard,
                    changed.previous().toString(), changed.current().toString(), now, method));
            log.warn("{}: master moved from {} to {} ({})", subject, changed.previous(), changed.current(), method);
        } else if (outcome instanceof ShardMasterTracker.SplitBrain split) {
            events.record(EventType.SPLIT_BRAIN, subject, "split brain in " + subject + ": " + sorted(split.masters())
                            + " all claim to be master; the recorded master stays " + "until only one claims it",
                    Map.of("cluster", cluster.name(), "shard", shard, "masters", sorted(split.masters()), "resolved", false));
            meters.counter("redmesh.topology.split.brains", "cluster", cluster.name(), "region", cluster.region())
                    .increment();
            log.error("{}: split brain, masters {}", subject, split.masters());
        } else if (outcome instanceof ShardMasterTracker.SplitBrainOver over) {
            events.record(EventType.SPLIT_BRAIN, subject, "split brain in " + subject + " is over: one master again",
                    Map.of("cluster", cluster.name(), "shard", shard, "masters", sorted(over.masters()), "resolved", true));
        }
    }

    private static List<String> sorted(Set<HostAndPort> addresses) {
        return addresses.stream().map(HostAndPort::toString).sorted().toList();
    }
}
