package dev.redmesh.link;

import dev.redmesh.identity.Caller;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.redmesh.event.EventService;
import dev.redmesh.event.EventType;
import dev.redmesh.web.ApiException;
import dev.redmesh.web.FieldProblems;
import dev.redmesh.web.ResourceNames;
import dev.redmesh.audit.AuditTrail;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class LinkService {

    private static final Logger log = LoggerFactory.getLogger(LinkService.class);

    static final int MAX_PATTERNS = 64;
    static final int MAX_PATTERN_LENGTH = 512;

    private final LinkRepository links;
    private final ClusterDirectory clusters;
    private final EventService events;
    private final AuditTrail audit;
    private final Clock clock;
    private final org.springframework.beans.factory.ObjectProvider<ClusterProblems> topology;

    LinkService(LinkRepository links, ClusterDirectory clusters, EventService events, AuditTrail audit, Clock clock,
                org.springframework.beans.factory.ObjectProvider<ClusterProblems> topology) {
        this.topology = topology;
        this.links = links;
        this.clusters = clusters;
        this.events = events;
        this.audit = audit;
        this.clock = clock;
    }

    /** A link as the audit trail shows it. */
    record LinkView(String id, String source, String target, LinkMode mode, LinkOrigin origin, String mesh, LinkState state,
                    List<String> include, List<String> exclude) {
        static LinkView of(ReplicationLink l) {
            return new LinkView(l.getId(), l.getSource(), l.getTarget(), l.getMode(), l.getOrigin(), l.getMesh(),
                    l.getState(), l.getIncludePatterns(), l.getExcludePatterns());
        }
    }

    /**
     * Links with their shards' progress, optionally only from {@code source} and/or to {@code target},
     * by id: two reads (the links, then every shard of them), whatever the number of links.
     */
    @Transactional(readOnly = true)
    public List<LinkResponse> list(String source, String target, LinkProgress progress) {
        List<ReplicationLink> found = links.findAll(org.springframework.data.domain.Sort.by("id")).stream()
                .filter(l -> source == null || l.getSource().equals(source))
                .filter(l -> target == null || l.getTarget().equals(target)).toList();
        Map<String, List<LinkResponse.ShardAssignment>> shards = progress.shardsOf(found.stream().map(ReplicationLink::getId).toList());
        return found.stream().map(l -> response(l, shards.getOrDefault(l.getId(), List.of()))).toList();
    }

    /** A link as the API shows it: a pending link's reason as the last topology poll tells it. */
    LinkResponse response(ReplicationLink link, List<LinkResponse.ShardAssignment> shards) {
        return LinkResponse.of(link, shards, topology.getObject());
    }

    /** The links a mesh created (explicit links between its members are not among them). */
    @Transactional(readOnly = true)
    public List<ReplicationLink> ofMesh(String mesh) {
        return links.findByMeshOrderById(mesh);
    }

    @Transactional(readOnly = true)
    public ReplicationLink get(String id) {
        return links.findById(id).orElseThrow(() -> ApiException.notFound("link", id));
    }

    @Transactional(readOnly = true)
    public List<ReplicationLink> inMode(LinkMode mode) {
        return links.findByModeOrderById(mode);
    }

    @Transactional(readOnly = true)
    public List<ReplicationLink> touching(String cluster) {
        return links.touching(cluster);
    }

    @Transactional
    ReplicationLink createExplicit(LinkRequest request) {
        FieldProblems problems = new FieldProblems();
        checkCluster("source", request.source(), problems);
        checkCluster("target", request.target(), problems);
        if (request.source() != null && request.source().equals(request.target())) {
            problems.add("target", "must differ from source");
        }
        LinkMode mode = mode(request.mode(), problems);
        List<String> include = patterns("filters.include", request.filters() == null ? null : request.filters().include(), problems);
        List<String> exclude = patterns("filters.exclude", request.filters() == null ? null : request.filters().exclude(), problems);
        problems.throwIfAny();
        if (links.existsBySourceAndTarget(request.source(), request.target())) {
            throw ApiException.conflict("link " + ReplicationLink.idOf(request.source(), request.target()) + " already exists");
        }
        ReplicationLink link = create(request.source(), request.target(), mode, LinkOrigin.EXPLICIT, null, include, exclude);
        audit.changed("link", link.getId(), null, LinkView.of(link));
        return link;
    }

    /**
     * Creates the links between {@code cluster} and every other member of {@code mesh}, both ways.
     * Pairs already linked (an explicit link, say) are left as they are. Safe to run twice.
     */
    @Transactional
    public void ensureMeshLinks(String cluster, String mesh, List<String> otherMembers) {
        for (String other : otherMembers) {
            if (!links.existsBySourceAndTarget(cluster, other)) {
                create(cluster, other, captureOf(cluster), LinkOrigin.MESH, mesh, List.of(), List.of());
            }
            if (!links.existsBySourceAndTarget(other, cluster)) {
                create(other, cluster, captureOf(other), LinkOrigin.MESH, mesh, List.of(), List.of());
            }
        }
    }

    private LinkMode captureOf(String source) {
        return clusters.readsKeyspace(source) ? LinkMode.KEYSPACE : LinkMode.PSYNC;
    }

    /**
     * {@code source} is now read by keyspace capture, or by PSYNC again: every link from it runs that
     * way (proxy mirrors stay what they are); the fleet restarts their assignments on the next orders.
     */
    @Transactional
    public void captureChanged(String source, boolean keyspace, String why) {
        LinkMode mode = keyspace ? LinkMode.KEYSPACE : LinkMode.PSYNC;
        for (ReplicationLink link : links.touching(source)) {
            if (link.getSource().equals(source) && link.getMode() != LinkMode.PROXY_MIRROR && link.getMode() != mode) {
                LinkMode before = link.getMode();
                link.mode(mode);
                links.save(link);
                events.record(EventType.LINK_STATE, link.getId(), "capture " + before + " → " + mode + ": " + why,
                        Map.of("mode", mode.name()));
            }
        }
    }

    /** Removes the links {@code mesh} created for {@code cluster}; explicit links stay. */
    @Transactional
    public void removeMeshLinks(String cluster, String mesh) {
        for (ReplicationLink link : links.touching(cluster)) {
            if (link.getOrigin() == LinkOrigin.MESH && mesh.equals(link.getMesh())) {
                remove(link, "cluster " + cluster + " left mesh " + mesh);
            }
        }
    }

    @Transactional
    void deleteExplicit(String id) {
        ReplicationLink link = get(id);
        if (link.getOrigin() == LinkOrigin.MESH) {
            throw ApiException.conflict("link " + id + " exists because both clusters are in mesh '" + link.getMesh()
                    + "'; take a cluster out of the mesh (PUT it with \"mesh\": null) to remove it");
        }
        LinkView before = LinkView.of(link);
        remove(link, "deleted through the API");
        audit.changed("link", id, before, null);
    }

    @Transactional
    ReplicationLink pause(String id) {
        ReplicationLink link = get(id);
        LinkView before = LinkView.of(link);
        if (link.getState() != LinkState.PAUSED) {
            transition(link, LinkState.PAUSED, "paused by " + dev.redmesh.identity.Caller.current().map(Caller::name)
                    .orElse("an operator") + " at " + clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                    + "; nothing travels until it is resumed");
        }
        audit.changed("link", id, before, LinkView.of(link));
        return link;
    }

    @Transactional
    ReplicationLink resume(String id) {
        ReplicationLink link = get(id);
        LinkView before = LinkView.of(link);
        if (link.getState() == LinkState.PAUSED || link.getState() == LinkState.BROKEN) {
            transition(link, LinkState.PENDING, "resumed by " + dev.redmesh.identity.Caller.current().map(Caller::name)
                    .orElse("an operator"));
        }
        audit.changed("link", id, before, LinkView.of(link));
        return link;
    }

    /** Moves a link along its state machine and records why. */
    @Transactional
    public void transition(ReplicationLink link, LinkState next, String reason) {
        LinkState previous = link.getState();
        link.moveTo(next, reason, clock.instant());
        links.save(link);
        log.info("Link {}: {} → {} ({})", link.getId(), previous, next, reason);
        events.record(EventType.LINK_STATE, link.getId(), previous + " → " + next + ": " + reason,
                Map.of("from", previous.name(), "to", next.name(), "reason", reason));
    }

    private ReplicationLink create(String source, String target, LinkMode mode, LinkOrigin origin, String mesh,
                                   List<String> include, List<String> exclude) {
        ReplicationLink link = links.save(new ReplicationLink(source, target, mode, origin, mesh, include, exclude,
                clock.instant()));
        events.record(EventType.LINK_CREATED, link.getId(),
                origin == LinkOrigin.MESH ? "created for mesh " + mesh : "created through the API",
                Map.of("source", source, "target", target, "mode", mode.name(), "origin", origin.name()));
        return link;
    }

    private void remove(ReplicationLink link, String reason) {
        links.delete(link);
        events.record(EventType.LINK_DELETED, link.getId(), reason,
                Map.of("source", link.getSource(), "target", link.getTarget()));
    }

    private void checkCluster(String field, String name, FieldProblems problems) {
        ResourceNames.check(field, name, problems);
        if (ResourceNames.isValid(name) && !clusters.exists(name)) {
            problems.add(field, "cluster '" + name + "' does not exist");
        }
    }

    private static LinkMode mode(String value, FieldProblems problems) {
        if (value == null) {
            return LinkMode.PSYNC;
        }
        try {
            return LinkMode.valueOf(value);
        } catch (IllegalArgumentException e) {
            problems.add("mode", "'" + value + "' is not a link mode; use one of " + Arrays.toString(LinkMode.values()));
            return null;
        }
    }

    private static List<String> patterns(String field, List<String> patterns, FieldProblems problems) {
        if (patterns == null) {
            return List.of();
        }
        if (patterns.size() > MAX_PATTERNS) {
            problems.add(field, "at most " + MAX_PATTERNS + " patterns");
            return List.of();
        }
        boolean valid = true;
        for (int i = 0; i < patterns.size(); i++) {
            String pattern = patterns.get(i);
            if (pattern == null || pattern.isEmpty() || pattern.length() > MAX_PATTERN_LENGTH) {
                problems.add(field + "[" + i + "]", "must be a glob pattern of 1 to " + MAX_PATTERN_LENGTH + " characters");
                valid = false;
            }
        }
        // a null entry has been reported; List.copyOf would throw on it
        return valid ? List.copyOf(patterns) : List.of();
    }
}
