package dev.redmesh.cluster;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/clusters")
@Tag(name = "clusters", description = "Redis deployments, their discovered topology and mesh membership")
class ClusterController {

    private final ClusterService service;
    private final TopologyView topology;

    private final dev.redmesh.web.MergePatch patches;

    ClusterController(ClusterService service, TopologyView topology, dev.redmesh.web.MergePatch patches) {
        this.service = service;
        this.topology = topology;
        this.patches = patches;
    }

    @PutMapping("/{name}")
    @Operation(summary = "Create (201) or update (200) a cluster; joining a mesh links it with every member")
    ResponseEntity<ClusterResponse> put(@PathVariable String name, @RequestBody ClusterRequest request) {
        ClusterService.Applied applied = service.apply(name, request);
        ClusterResponse body = describe(applied.cluster());
        return applied.created()
                ? ResponseEntity.created(URI.create("/api/v1/clusters/" + name)).body(body)
                : ResponseEntity.ok(body);
    }

    @org.springframework.web.bind.annotation.PatchMapping(path = "/{name}",
            consumes = {dev.redmesh.web.MergePatch.MEDIA_TYPE, org.springframework.http.MediaType.APPLICATION_JSON_VALUE})
    @Operation(summary = "Change only the fields given (JSON merge patch, RFC 7386: null removes one — \"mesh\": null leaves "
            + "the mesh; the password stays unless given, \"\" clears it); 404 if there is no such cluster",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @io.swagger.v3.oas.annotations.media.Content(
                    schema = @io.swagger.v3.oas.annotations.media.Schema(implementation = ClusterRequest.class))))
    ClusterResponse patch(@PathVariable String name, @RequestBody tools.jackson.databind.JsonNode patch) {
        Cluster current = service.get(name);
        ClusterRequest merged = patches.apply(ClusterRequest.of(current), patch, ClusterRequest.class);
        return describe(service.apply(name, merged).cluster());
    }

    @GetMapping
    @Operation(summary = "List clusters, optionally of one region")
    List<ClusterResponse> list(@RequestParam(required = false) String region) {
        return service.list(region).stream().map(this::describe).toList();
    }

    @GetMapping("/{name}")
    @Operation(summary = "Read a cluster: spec, shards with nodes and roles, status")
    ClusterResponse get(@PathVariable String name) {
        return describe(service.get(name));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a cluster; 409 while it is in a mesh or has explicit links")
    void delete(@PathVariable String name) {
        service.delete(name);
    }

    private ClusterResponse describe(Cluster cluster) {
        return ClusterResponse.of(cluster, topology.shardsOf(cluster.getName()), service.status(cluster.getName()));
    }
}
