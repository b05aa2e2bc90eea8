package dev.redmesh.cluster;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.redmesh.audit.AuditTrail;
import dev.redmesh.link.LinkOrigin;
import dev.redmesh.link.LinkService;
import dev.redmesh.link.LinkState;
import dev.redmesh.link.ReplicationLink;
import dev.redmesh.web.ApiException;
import dev.redmesh.web.TransactionLocks;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class ClusterService {

    private final ClusterRepository clusters;
    private final ClusterSecrets secrets;
    private final AuditTrail audit;
    private final ClusterRequestValidator validator;
    private final LinkService links;
    private final TransactionLocks locks;
    private final Clock clock;
    private final org.springframework.beans.factory.ObjectProvider<TopologyView> topology;

    ClusterService(ClusterRepository clusters, ClusterSecrets secrets, AuditTrail audit, ClusterRequestValidator validator,
                   LinkService links, TransactionLocks locks, Clock clock,
                   org.springframework.beans.factory.ObjectProvider<TopologyView> topology) {
        this.topology = topology;
        this.clusters = clusters;
        this.secrets = secrets;
        this.audit = audit;
        this.validator = validator;
        this.links = links;
        this.locks = locks;
        this.clock = clock;
    }

    record Applied(Cluster cluster, boolean created) {
    }

    /**
     * Creates or updates a cluster. Joining a mesh links it both ways with every other member;
     * leaving removes the links that mesh made. All of it happens in one transaction, or none of it.
     */
    @Transactional
    Applied apply(String name, ClusterRequest request) {
        ClusterSpec spec = validator.validate(name, request);
        locks.lock("cluster", name);
        Optional<Cluster> existing = clusters.findById(name);
        String previousMesh = existing.map(Cluster::getMesh).orElse(null);
        locks.lock("mesh", previousMesh, spec.mesh());

        ClusterView before = existing.map(ClusterView::of).orElse(null);
        boolean keyspaceBefore = existing.map(Cluster::readsKeyspace).orElse(false);
        Cluster cluster = existing.orElseGet(() -> new Cluster(name, clock.instant()));
        cluster.apply(spec, secrets.seal(name, spec.password()), clock.instant());
        clusters.saveAndFlush(cluster);
        if (existing.isPresent() && cluster.readsKeyspace() != keyspaceBefore) {
            links.captureChanged(name, cluster.readsKeyspace(), "capture " + spec.capture() + " asked");
        }

        if (previousMesh != null && !previousMesh.equals(spec.mesh())) {
            links.removeMeshLinks(name, previousMesh);
        }
        if (spec.mesh() != null) {
            List<String> others = clusters.findByMeshOrderByNameAsc(spec.mesh()).stream()
                    .map(Cluster::getName).filter(other -> !other.equals(name)).toList();
            links.ensureMeshLinks(name, spec.mesh(), others);
        }
        audit.changed("cluster", name, before, ClusterView.of(cluster, spec.password() != null));
        return new Applied(cluster, existing.isEmpty());
    }

    /**
     * What the topology poller found on the cluster's masters: whether they refuse PSYNC. Under
     * {@code AUTO} a refusal turns the cluster's links to keyspace capture (and an acceptance back).
     */
    @Transactional
    public void psyncRefused(String name, boolean refused) {
        clusters.findById(name).filter(c -> c.isPsyncRefused() != refused).ifPresent(cluster -> {
            boolean keyspaceBefore = cluster.readsKeyspace();
            cluster.psyncRefused(refused);
            clusters.save(cluster);
            if (cluster.readsKeyspace() != keyspaceBefore) {
                links.captureChanged(name, cluster.readsKeyspace(),
                        refused ? "the masters refuse PSYNC" : "the masters accept PSYNC again");
            }
        });
    }

    @Transactional(readOnly = true)
    public List<Cluster> list(String region) {
        return region == null ? clusters.findAllByOrderByNameAsc() : clusters.findByRegionOrderByNameAsc(region);
    }

    /** Clusters that are in some mesh, by name. */
    @Transactional(readOnly = true)
    public List<Cluster> inAnyMesh() {
        return clusters.findByMeshIsNotNullOrderByNameAsc();
    }

    @Transactional(readOnly = true)
    public List<Cluster> inMesh(String mesh) {
        return clusters.findByMeshOrderByNameAsc(mesh);
    }

    @Transactional(readOnly = true)
    public Cluster get(String name) {
        return clusters.findById(name).orElseThrow(() -> ApiException.notFound("cluster", name));
    }

    @Transactional(readOnly = true)
    public ClusterStatus status(String name) {
        List<ReplicationLink> touching = links.touching(name);
        if (touching.isEmpty()) {
            String mesh = clusters.findById(name).map(Cluster::getMesh).orElse(null);
            if (mesh != null && clusters.findByMeshOrderByNameAsc(mesh).size() == 1) {
                // the first region of a mesh has nothing to wait for: a CI pipeline adding it must not hang
                return new ClusterStatus(true, "only member of mesh '" + mesh + "'; links appear when another cluster joins");
            }
            return new ClusterStatus(false, mesh != null ? "waiting for the links of mesh '" + mesh + "'"
                    : "no links: join a mesh or create a link");
        }
        long streaming = touching.stream().filter(l -> l.getState() == LinkState.STREAMING).count();
        // the links that do not stream, with why: what a pipeline waiting on this cluster prints
        List<String> why = touching.stream().filter(l -> l.getState() != LinkState.STREAMING).limit(3)
                .map(l -> {
                    // assignments are the fleet's, not read here: a pending link's unreachable cluster is its reason
                    String reason = dev.redmesh.link.WaitingReason.shown(l.getState(), false, l.getSource(), l.getTarget(),
                            l.getStateReason(), topology.getObject()::problem);
                    return l.getId() + " " + l.getState() + (reason == null ? "" : ": " + reason);
                }).toList();
        long more = touching.size() - streaming - why.size();
        return new ClusterStatus(streaming == touching.size(), streaming + " of " + touching.size() + " links streaming"
                + (why.isEmpty() ? "" : "; " + String.join("; ", why) + (more > 0 ? "; and " + more + " more" : "")));
    }

    @Transactional
    void delete(String name) {
        locks.lock("cluster", name);
        Cluster cluster = get(name);
        if (cluster.getMesh() != null) {
            throw ApiException.conflict("cluster '" + name + "' is in mesh '" + cluster.getMesh()
                    + "'; PUT it with \"mesh\": null first so its links are removed deliberately");
        }
        List<String> explicit = links.touching(name).stream()
                .filter(l -> l.getOrigin() == LinkOrigin.EXPLICIT).map(ReplicationLink::getId).toList();
        if (!explicit.isEmpty()) {
            throw ApiException.conflict("cluster '" + name + "' still has links " + explicit + "; delete them first");
        }
        clusters.delete(cluster);
        audit.changed("cluster", name, ClusterView.of(cluster), null);
    }

    /** A cluster's spec as the audit trail shows it: whether it has a password, never the password. */
    record ClusterView(String name, String region, ClusterMode mode, List<String> seeds, String username,
                       boolean passwordSet, boolean passwordSent, boolean tls, String mesh, String replicationGroupId,
                       String awsRegion) {

        static ClusterView of(Cluster c) {
            return of(c, false);
        }

        /** @param passwordSent the request set or cleared the password (what it was is never recorded) */
        static ClusterView of(Cluster c, boolean passwordSent) {
            return new ClusterView(c.getName(), c.getRegion(), c.getMode(), c.getSeeds(), c.getUsername(),
                    c.hasPassword(), passwordSent, c.isTls(), c.getMesh(), c.getElasticacheReplicationGroupId(),
                    c.getElasticacheAwsRegion());
        }
    }
}
