package dev.redmesh.mesh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import dev.redmesh.cluster.Cluster;
import dev.redmesh.cluster.ClusterService;
import dev.redmesh.link.LinkService;
import dev.redmesh.link.ReplicationLink;
import dev.redmesh.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Meshes are not stored on their own: a mesh is the set of clusters that name it. */
@RestController
@RequestMapping("/api/v1/meshes")
@Tag(name = "meshes", description = "Clusters sharing one active-active dataset (membership is set on each cluster)")
class MeshController {

    private final ClusterService clusters;
    private final LinkService links;

    private final dev.redmesh.verify.VerificationService verifications;

    MeshController(ClusterService clusters, LinkService links, dev.redmesh.verify.VerificationService verifications) {
        this.clusters = clusters;
        this.links = links;
        this.verifications = verifications;
    }

    /** @param verify the mesh's verification schedule, or null (set with PUT) */
    record MeshResponse(String name, List<String> members, List<String> links,
                        dev.redmesh.verify.VerificationService.@org.jspecify.annotations.Nullable Schedule verify) {
    }

    @GetMapping
    @Operation(summary = "List meshes with their members and links")
    List<MeshResponse> list() {
        Map<String, List<String>> members = new TreeMap<>();
        for (Cluster cluster : clusters.inAnyMesh()) {
            members.computeIfAbsent(cluster.getMesh(), m -> new ArrayList<>()).add(cluster.getName());
        }
        return members.entrySet().stream().map(e -> describe(e.getKey(), e.getValue())).toList();
    }

    @GetMapping("/{name}")
    @Operation(summary = "Read one mesh; 404 when no cluster names it")
    MeshResponse get(@PathVariable String name) {
        List<String> members = clusters.inMesh(name).stream().map(Cluster::getName).toList();
        if (members.isEmpty()) {
            throw ApiException.notFound("mesh", name);
        }
        return describe(name, members);
    }

    private MeshResponse describe(String mesh, List<String> members) {
        List<String> ids = links.ofMesh(mesh).stream().map(ReplicationLink::getId).toList();
        return new MeshResponse(mesh, members, ids, verifications.scheduleOf(mesh));
    }
}
