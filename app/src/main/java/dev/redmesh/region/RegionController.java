package dev.redmesh.region;

import java.net.URI;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;

import dev.redmesh.web.ResourceNames;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/regions")
@Tag(name = "regions", description = "Geographic regions that hold Redis deployments")
class RegionController {

    private final RegionService service;

    RegionController(RegionService service) {
        this.service = service;
    }

    @PutMapping("/{name}")
    @Operation(summary = "Create (201) or update (200) a region; idempotent")
    ResponseEntity<RegionResponse> put(@PathVariable String name, @Valid @RequestBody RegionRequest request) {
        ResourceNames.requireValidPath(name);
        RegionService.Applied applied = service.apply(name, request);
        RegionResponse body = RegionResponse.of(applied.region(), service.proxySettings(applied.region()),
                service.clustersIn(name));
        return applied.created()
                ? ResponseEntity.created(URI.create("/api/v1/regions/" + name)).body(body)
                : ResponseEntity.ok(body);
    }

    @GetMapping
    @Operation(summary = "List regions")
    List<RegionResponse> list() {
        return service.list().stream().map(r -> RegionResponse.of(r, service.proxySettings(r), service.clustersIn(r.getName()))).toList();
    }

    @GetMapping("/{name}")
    @Operation(summary = "Read one region")
    RegionResponse get(@PathVariable String name) {
        return RegionResponse.of(service.get(name), service.proxySettings(service.get(name)),
                service.clustersIn(name));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a region; 409 while it still has clusters")
    void delete(@PathVariable String name) {
        service.delete(name);
    }
}
