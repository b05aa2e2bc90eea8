package dev.redmesh.region;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import dev.redmesh.web.ApiException;
import tools.jackson.databind.ObjectMapper;

import dev.redmesh.audit.AuditTrail;
import dev.redmesh.web.FieldProblems;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class RegionService {

    private final RegionRepository regions;
    private final RegionDependants dependants;
    private final AuditTrail audit;
    private final ObjectMapper json;
    private final Clock clock;

    RegionService(RegionRepository regions, RegionDependants dependants, AuditTrail audit, ObjectMapper json, Clock clock) {
        this.regions = regions;
        this.dependants = dependants;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** A region as the audit trail shows it. */
    record RegionView(String name, String displayName, String cloud, String proxy) {
        static RegionView of(Region r) {
            return new RegionView(r.getName(), r.getDisplayName(), r.getCloud(), r.getProxySettings());
        }
    }

    /** The region's proxy settings, or null for the defaults. */
    public ProxySettings proxySettings(Region region) {
        return region.getProxySettings() == null ? null : json.readValue(region.getProxySettings(), ProxySettings.class);
    }

    /** The outcome of an idempotent PUT: the region and whether it was created by this call. */
    record Applied(Region region, boolean created) {
    }

    @Transactional
    Applied apply(String name, RegionRequest request) {
        FieldProblems problems = new FieldProblems();
        ProxySettingsValidator.check(request.proxy(), dependants.clusterNamesIn(name), problems);
        problems.throwIfAny();
        Optional<Region> existing = regions.findById(name);
        RegionView before = existing.map(RegionView::of).orElse(null);
        Region region = existing.orElseGet(() -> new Region(name, clock.instant()));
        region.update(request.displayName(), request.cloud(),
                request.proxy() == null ? null : json.writeValueAsString(request.proxy()), clock.instant());
        Region saved = regions.save(region);
        audit.changed("region", name, before, RegionView.of(saved));
        return new Applied(saved, existing.isEmpty());
    }

    @Transactional(readOnly = true)
    public List<Region> list() {
        return regions.findAllByOrderByNameAsc();
    }

    @Transactional(readOnly = true)
    public Region get(String name) {
        return regions.findById(name).orElseThrow(() -> ApiException.notFound("region", name));
    }

    @Transactional(readOnly = true)
    public boolean exists(String name) {
        return regions.existsById(name);
    }

    List<String> clustersIn(String name) {
        return dependants.clusterNamesIn(name);
    }

    @Transactional
    void delete(String name) {
        Region region = get(name);
        List<String> clusters = dependants.clusterNamesIn(name);
        if (!clusters.isEmpty()) {
            throw ApiException.conflict("region '" + name + "' still has clusters " + clusters
                    + "; delete them first");
        }
        regions.delete(region);
        audit.changed("region", name, RegionView.of(region), null);
    }
}
